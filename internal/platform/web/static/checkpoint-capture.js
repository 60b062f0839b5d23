// Fangkong checkpoint capture (卡口出入登记). The page works as a plain form
// without this file; with it, each passage gets a client id (UUID), goes
// into a queue on the device (localStorage) and is uploaded in batches to
// POST /api/v1/passages/batch — at once when online, later when the
// connection comes back. The server stores each client id once, so a retried
// upload never duplicates a passage. Resident QR passes are verified on the
// device with the county's Ed25519 public key (WebCrypto) and the cached
// revocation list, or by the server when the browser cannot verify.
"use strict";
(function () {
  var form = document.getElementById("cp-form");
  if (!form) return;
  var cpID = form.getAttribute("data-checkpoint");
  var pubKeyText = form.getAttribute("data-public-key");
  var localPlate = (form.getAttribute("data-local-plate") || "").toUpperCase();
  var fever = parseFloat(form.getAttribute("data-fever") || "37.3");
  var msgs = document.getElementById("cp-msg").dataset;
  var qKey = "fk.cp.queue." + cpID, rKey = "fk.cp.recent." + cpID, revKey = "fk.cp.revoked";
  var batchSize = Math.min(100, parseInt(form.getAttribute("data-max-batch") || "100", 10));
  var flushing = false, retryDelay = 5000, retryTimer = null, signedOut = false;
  // currentToken is the pass scanned for the passage being typed; the scan
  // field itself is cleared for the next scan.
  var currentToken = "", currentPassName = "";

  function $(id) { return document.getElementById(id); }
  function load(key, def) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v == null ? def : v; } catch (e) { return def; }
  }
  function save(key, v) { localStorage.setItem(key, JSON.stringify(v)); }
  function fmt(s, n) { return (s || "").replace("%d", n); }

  // uuid is a version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then
  // random bits. Passages recorded together get neighbouring ids, so the
  // server's unique index on (checkpoint, client id) takes them at one place
  // instead of scattering each over the index (docs/benchmarks.md).
  // getRandomValues works outside a secure context, randomUUID does not.
  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    var ms = Date.now();
    for (var i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- status line and recent list -------------------------------------
  function setStatus() {
    var q = load(qKey, []);
    var st = $("cp-status");
    var online = navigator.onLine && !signedOut;
    st.className = "cp-status " + (online ? "online" : "offline");
    $("cp-conn").textContent = signedOut ? msgs.signedOut : (navigator.onLine ? msgs.up : msgs.down);
    $("cp-queue").textContent = q.length ? fmt(msgs.pending, q.length) : msgs.allUploaded;
  }

  function mask(name) { return name ? name.charAt(0) + "*".repeat(Math.max(0, name.length - 1)) : ""; }

  function remember(item, status, reason, passName) {
    var recent = load(rKey, []);
    var found = recent.filter(function (r) { return r.id === item.client_id; })[0];
    if (!found) {
      var who = mask(item.name) || (item.id_number ? item.id_number.slice(0, 6) + "…" : "") || passName || (item.pass_token ? msgs.passScanned : "");
      found = { id: item.client_id, at: item.at, dir: item.direction, who: who, plate: item.plate || "", dec: item.decision };
      recent.unshift(found);
    }
    found.status = status;
    found.reason = reason || "";
    save(rKey, recent.slice(0, 30));
    drawRecent();
  }

  function drawRecent() {
    var ul = $("cp-recent");
    ul.textContent = "";
    load(rKey, []).forEach(function (r) {
      var li = document.createElement("li");
      li.className = "cp-rec " + r.status;
      var t = new Date(r.at);
      var time = ("0" + t.getHours()).slice(-2) + ":" + ("0" + t.getMinutes()).slice(-2);
      var main = document.createElement("span");
      main.textContent = time + " " + (msgs["dir_" + r.dir] || r.dir) + " " + [r.who, r.plate].filter(Boolean).join(" · ") +
        " · " + (msgs["dec_" + r.dec] || r.dec);
      var st = document.createElement("span");
      st.className = "cp-rec-status";
      st.textContent = msgs["st_" + r.status] + (r.reason ? "：" + r.reason : "");
      li.appendChild(main);
      li.appendChild(st);
      ul.appendChild(li);
    });
  }

  function toast(text, kind) {
    var el = $("cp-toast");
    el.textContent = text;
    el.className = "cp-toast " + (kind || "ok");
    clearTimeout(toast.t);
    toast.t = setTimeout(function () { el.className = "cp-toast"; el.textContent = ""; }, 3500);
  }

  // ---- upload ------------------------------------------------------------
  function problemText(p) {
    if (!p) return "";
    if (p.errors && p.errors.length) return p.errors.map(function (e) { return e.detail; }).join("；");
    return p.title || "";
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function flush() {
    var q = load(qKey, []);
    if (flushing || !q.length || signedOut) { setStatus(); return; }
    if (!navigator.onLine) { setStatus(); scheduleRetry(); return; }
    flushing = true;
    var chunk = q.slice(0, batchSize);
    fetch("/api/v1/passages/batch", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ items: chunk })
    }).then(function (res) {
      if (res.status === 401) { signedOut = true; return null; }
      if (res.status === 413 && batchSize > 1) { batchSize = Math.max(1, batchSize >> 1); return "again"; }
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (body) {
      flushing = false;
      if (body === "again") return flush();
      if (!body) { setStatus(); return; }
      applyResults(chunk, body.items || []);
      retryDelay = 5000;
      if (load(qKey, []).length) flush(); else setStatus();
    }).catch(function () {
      flushing = false;
      setStatus();
      scheduleRetry();
    });
  }

  // applyResults takes answered items off the queue: stored (created or
  // already there) or refused for good (a 4xx reason that a retry cannot fix).
  function applyResults(chunk, results) {
    var done = {};
    results.forEach(function (r) {
      var item = chunk[r.index];
      if (!item) return;
      if (r.status === "created" || r.status === "duplicate") {
        done[item.client_id] = true;
        remember(item, "uploaded");
      } else if (r.status === "rejected" && r.error && r.error.status < 500) {
        done[item.client_id] = true;
        remember(item, "rejected", problemText(r.error));
      }
    });
    var q = load(qKey, []).filter(function (it) { return !done[it.client_id]; });
    save(qKey, q);
  }

  // ---- passes ------------------------------------------------------------
  function b64u(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function today() {
    try { return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date()); } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  // verifyLocal checks a token with the public key; it resolves to null when
  // this browser cannot verify Ed25519 (then the server is asked).
  function verifyLocal(token) {
    var bad = { valid: false, reason: "malformed" };
    if (token.indexOf("FK1.") !== 0) return Promise.resolve(bad);
    var parts = token.slice(4).split(".");
    if (parts.length !== 2) return Promise.resolve(bad);
    var payload, sig;
    try {
      payload = JSON.parse(new TextDecoder().decode(b64u(parts[0])));
      sig = b64u(parts[1]);
    } catch (e) { return Promise.resolve(bad); }
    if (sig.length !== 64 || !payload || !payload.s || !payload.f || !payload.t) return Promise.resolve(bad);
    if (!window.crypto || !crypto.subtle || !pubKeyText) return Promise.resolve(null);
    return crypto.subtle.importKey("raw", b64u(pubKeyText), { name: "Ed25519" }, false, ["verify"]).then(function (key) {
      return crypto.subtle.verify({ name: "Ed25519" }, key, sig, new TextEncoder().encode("FK1." + parts[0]));
    }).then(function (ok) {
      if (!ok) return { valid: false, reason: "forged" };
      var revoked = load(revKey, { serials: [] }).serials || [];
      if (revoked.indexOf(payload.s) >= 0) return { valid: false, reason: "revoked" };
      var d = today();
      if (d < payload.f) return { valid: false, reason: "not_yet_valid" };
      if (d > payload.t) return { valid: false, reason: "expired" };
      return { valid: true, pass: payload, local: true };
    }, function () { return null; });
  }

  function verifyServer(token) {
    return fetch("/api/v1/passes/verify", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: token })
    }).then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); return res.json(); });
  }

  function showPass(r, token) {
    var box = $("cp-pass");
    box.textContent = "";
    var p = document.createElement("p");
    if (r && r.valid) {
      box.className = "cp-pass ok";
      p.textContent = "✓ " + msgs.passOk + " " + [r.pass.n, r.pass.i, r.pass.v].filter(Boolean).join(" · ") + " · " + fmtTo(r.pass.t);
      currentToken = token;
      currentPassName = r.pass.n || "";
    } else if (r) {
      box.className = "cp-pass bad";
      p.textContent = "✗ " + (msgs["pass_" + r.reason] || r.message || r.reason);
      currentToken = "";
    } else {
      box.className = "cp-pass warn";
      p.textContent = msgs.passUnchecked;
      currentToken = token;
    }
    box.appendChild(p);
  }
  function fmtTo(t) { return msgs.validTo.replace("%s", t); }

  var lastScan = 0;
  function handleToken(token) {
    lastScan = Date.now();
    token = token.trim();
    $("cp-scan").value = "";
    verifyLocal(token).then(function (r) {
      if (r) return showPass(r, token);
      if (!navigator.onLine) return showPass(null, token);
      return verifyServer(token).then(function (s) { showPass(s, token); }, function () { showPass(null, token); });
    });
    var t = form.elements.temperature;
    if (t) t.focus();
  }

  function syncRevocations() {
    if (!navigator.onLine) return;
    fetch("/api/v1/passes/revoked", { credentials: "same-origin" }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (body) {
      if (body && body.items) save(revKey, { serials: body.items.map(function (x) { return x.serial; }), at: body.as_of });
    }).catch(function () {});
  }

  // A keyboard-wedge scanner types the token and Enter into whatever field
  // has the focus: catch it anywhere in the form.
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target || e.target.tagName !== "INPUT") return;
    var v = (e.target.value || "").trim();
    if (e.target.id === "cp-scan" || v.indexOf("FK1.") === 0) {
      e.preventDefault();
      if (v) {
        if (e.target.id !== "cp-scan") e.target.value = "";
        handleToken(v);
      }
    }
  });

  // ---- camera (where the browser has a barcode detector) ------------------
  var cam = $("cp-camera"), video = $("cp-video"), stream = null;
  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    $("cp-camera-box").hidden = true;
  }
  if (cam && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cam.hidden = false;
    cam.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        $("cp-camera-box").hidden = false;
        video.play();
        var tick = function () {
          if (!stream) return;
          detector.detect(video).then(function (codes) {
            if (codes.length) { stopCamera(); handleToken(codes[0].rawValue); } else setTimeout(tick, 200);
          }, function () { setTimeout(tick, 400); });
        };
        tick();
      }, function () { toast(msgs.noCamera, "bad"); });
    });
    $("cp-camera-close").addEventListener("click", stopCamera);
  }

  // ---- live hints ----------------------------------------------------------
  function hint() {
    var plate = (form.elements.plate.value || "").toUpperCase().replace(/[\s·\-]/g, "");
    $("cp-external").hidden = !(plate.length >= 2 && localPlate && plate.slice(0, 2) !== localPlate);
    var t = parseFloat((form.elements.temperature.value || "").replace(",", "."));
    $("cp-fever").hidden = !(t >= fever && t <= 43);
  }
  form.elements.plate.addEventListener("input", hint);
  form.elements.temperature.addEventListener("input", hint);

  // ---- record ------------------------------------------------------------
  function checked(name) {
    var el = form.querySelector("input[name=" + name + "]:checked");
    return el ? el.value : "";
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // The Enter that ends a scanned code is not a "record" tap.
    if (Date.now() - lastScan < 600) return;
    var v = function (n) { return (form.elements[n].value || "").trim(); };
    var item = {
      client_id: uuid(), checkpoint_id: parseInt(cpID, 10), at: new Date().toISOString(),
      direction: checked("direction"), decision: checked("decision"),
      name: v("name"), id_number: v("id_number"), phone: v("phone"), pass_token: currentToken || v("pass_token"),
      plate: v("plate"), from: v("from"), to: v("to"), purpose: v("purpose")
    };
    var temp = v("temperature").replace(",", ".").replace(/[℃°度cC]+$/, "");
    if (temp !== "") {
      var t = parseFloat(temp);
      if (!(t >= 34 && t <= 43)) { toast(msgs.badTemp, "bad"); form.elements.temperature.focus(); return; }
      item.temperature = Math.round(t * 10) / 10;
    }
    if (!item.name && !item.id_number && !item.phone && !item.pass_token && !item.plate) {
      toast(msgs.needPerson, "bad");
      $("cp-scan").focus();
      return;
    }
    var q = load(qKey, []);
    q.push(item);
    save(qKey, q);
    remember(item, "queued", "", currentPassName);
    ["name", "id_number", "phone", "pass_token", "plate", "temperature", "purpose"].forEach(function (n) { form.elements[n].value = ""; });
    currentToken = currentPassName = "";
    $("cp-pass").className = "cp-pass";
    $("cp-pass").textContent = "";
    hint();
    toast(navigator.onLine ? msgs.recorded : msgs.queuedOffline, "ok");
    $("cp-scan").focus();
    flush();
  });

  $("cp-sync").addEventListener("click", function () { retryDelay = 5000; flush(); });
  window.addEventListener("online", function () { retryDelay = 5000; setStatus(); flush(); syncRevocations(); });
  window.addEventListener("offline", setStatus);
  setInterval(flush, 15000);
  setInterval(syncRevocations, 5 * 60000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/checkpoints/capture-sw.js").catch(function () {});
  }
  Array.prototype.forEach.call(document.querySelectorAll(".cp-js"), function (el) { el.hidden = false; });
  drawRecent();
  setStatus();
  syncRevocations();
  flush();
})();
