// Loaded by every page (kept tiny: it counts in the first load). Shows the
// « Vous êtes hors connexion » banner while the browser is offline, and once the
// page has loaded registers the service worker (/sw.js) and, for a learner, loads
// static/js/offline.js, which sends the answers kept offline. On a shared computer
// (<body data-shared>) no worker is registered and every cache is removed.
(function () {
  "use strict";
  var me = document.querySelector("script[data-offline-script]");
  var banner = document.querySelector("[data-offline-banner]");
  // Shown when the browser says it is offline; hidden again by offline.js once a
  // request to the server succeeds (or, on pages without it, when back online).
  function show() { if (banner && navigator.onLine === false) { banner.hidden = false; } }
  window.addEventListener("offline", show);
  window.addEventListener("online", function () {
    if (banner && !window.OfflineStore) { banner.hidden = true; }
  });
  show();
  if (!("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    show();
    if (document.body.hasAttribute("data-shared")) {
      // A shared computer keeps nothing: no worker, no cache (not even the shell).
      navigator.serviceWorker.getRegistrations().then(function (all) {
        all.forEach(function (registration) { registration.unregister(); });
      });
      if (window.caches) {
        caches.keys().then(function (names) {
          names.forEach(function (name) { caches.delete(name); });
        });
      }
      return;
    }
    navigator.serviceWorker.register(me.getAttribute("data-sw"), { scope: "/" })
      .catch(function () { /* no worker: the pages still work online */ });
    var loaded = document.querySelector("script[src*='/offline.']:not([data-offline-script])");
    if (document.body.hasAttribute("data-learner") && me && !loaded) {
      var store = document.createElement("script");
      store.src = me.getAttribute("data-sync-script");
      store.onload = function () {
        var script = document.createElement("script");
        script.src = me.getAttribute("data-offline-script");
        document.body.appendChild(script);
      };
      document.body.appendChild(store);
    }
  });
}());
