// Fangkong progressive enhancements. Every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // Import progress: reload the job page until it is done.
  var job = document.querySelector("[data-refresh]");
  if (job) setTimeout(function () { window.location.reload(); }, 1000);
});
