// The service worker, served at /sw.js by learning.offline_views.service_worker,
// which writes VERSION, PRECACHE, OFFLINE_PAGE and SYNC_SCRIPT above this line.
//
// - Install: keeps the files every page uses (the list of PRECACHE: fingerprinted
//   CSS, scripts, pictures, fonts) and the offline page, in "shell-<VERSION>"; a
//   deploy changes VERSION, so the new worker makes a new cache and drops the old.
// - Pages: always from the network; when it fails, a copy kept by a downloaded pack
//   ("pack-<id>" caches, filled by static/js/offline.js), else the offline page.
//   No other page is ever stored: mock exams (/examens/) are never touched.
// - /static/ files: from the caches when there, else the network.
// - An answer posted to a practice set while the network fails is kept (see
//   keepSetAnswer) and the offline page shown.
// - Background Sync "envoyer-reponses": sends the answers kept offline.
// Sign-out sends Clear-Site-Data: "cache", "storage", which removes these caches,
// the browser's storage and this worker.
/* global VERSION, PRECACHE, OFFLINE_PAGE, SYNC_SCRIPT */
"use strict";

self.importScripts(SYNC_SCRIPT);

var SHELL = "shell-" + VERSION;
var MATCH = { ignoreVary: true };

self.addEventListener("install", function (event) {
  event.waitUntil(
    fetch(PRECACHE, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (list) {
        return caches.open(SHELL).then(function (cache) {
          return Promise.all(list.urls.map(function (url) {
            // Without cookies: the offline page is the anonymous one, nothing personal.
            return fetch(new Request(url, { credentials: "omit" })).then(function (response) {
              if (response.ok) { return cache.put(url, response); }
              return null;
            });
          }));
        });
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// An answer posted to an ordinary set when the network fails: kept (without a
// recording) with the form's client id, sent later by OfflineStore.sync; the
// offline page says what waits. The server applies the set's rules then.
var SET_PAGE = /^\/pratique\/serie\/(\d+)$/;
var NOT_RESPONSE = ["csrf_token", "position", "client_id", "shown_at", "audio"];

function keepSetAnswer(setId, data) {
  var form = {};
  data.forEach(function (value, name) {
    if (typeof value === "string" && NOT_RESPONSE.indexOf(name) < 0) {
      (form[name] = form[name] || []).push(value);
    }
  });
  if (!data.get("client_id")) { return null; }
  return self.OfflineStore.put("answers", {
    client_id: String(data.get("client_id")), user: null, set: setId,
    position: Number(data.get("position")), form: form,
    shown_at: Number(data.get("shown_at")) || null,
    answered_at: new Date().toISOString(), status: "waiting"
  }).then(function () {
    return self.registration.sync ? self.registration.sync.register("envoyer-reponses") : null;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var set = SET_PAGE.exec(url.pathname);
  if (request.method === "POST" && request.mode === "navigate" && set) {
    var copy = request.clone();
    event.respondWith(fetch(request).catch(function () {
      return copy.formData()
        .then(function (data) { return keepSetAnswer(Number(set[1]), data); })
        .catch(function () { return null; })
        .then(function () { return caches.match(OFFLINE_PAGE, MATCH); });
    }));
    return;
  }
  if (request.method !== "GET") { return; }
  var exam = url.pathname.indexOf("/examens/") === 0; // online only, never from a cache
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return (exam ? Promise.resolve(null) : caches.match(request, MATCH)).then(function (kept) {
        return kept || caches.match(OFFLINE_PAGE, MATCH);
      });
    }));
    return;
  }
  if (exam) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, MATCH).then(function (kept) {
      return kept || fetch(request);
    }));
    return;
  }
  event.respondWith(fetch(request).catch(function (error) {
    return caches.match(request, MATCH).then(function (kept) {
      if (kept) { return kept; }
      throw error;
    });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag === "envoyer-reponses") {
    event.waitUntil(self.OfflineStore.sync());
  }
});
