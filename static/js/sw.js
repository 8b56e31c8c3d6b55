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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
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
