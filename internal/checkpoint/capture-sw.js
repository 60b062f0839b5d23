// Fangkong checkpoint capture service worker. It keeps the capture page, its
// script and style, and the pass key and revocation list, so a checkpoint
// phone that lost its connection can still open the page and record
// passages (they queue on the device and upload later). Uploads themselves
// are never cached or replayed here: the page queues them with their ids.
"use strict";
var CACHE = "fk-capture-v1";
var ASSETS = ["/static/app.css", "/static/app.js", "/static/checkpoint-capture.js"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(self.clients.claim());
});

function cacheable(url) {
  return /^\/checkpoints\/\d+\/capture$/.test(url.pathname) || ASSETS.indexOf(url.pathname) >= 0 ||
    url.pathname === "/api/v1/passes/revoked" || url.pathname === "/api/v1/passes/key";
}

// Network first: the freshest page and list when online, the cached copy
// when not.
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || !cacheable(url)) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(req, { ignoreSearch: true }).then(function (m) { return m || Response.error(); });
  }));
});
