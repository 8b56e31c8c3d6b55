// Practice without a connection, in the pages (needs static/js/offline-sync.js):
// - the packs page: download a pack (its pages, audio and pictures go into the cache
//   "pack-<id>"), update it when the bank changed, delete it; the answers waiting
//   and sent;
// - a pack's item page: grades the answer as exercises/scoring.py does (immediate
//   feedback only: the server grades it again), keeps it in IndexedDB and sends it;
// - the offline page: the packs kept on this phone;
// - every learner's page: sends what waits (on load, when the connection returns,
//   with Background Sync where the browser has it), and the home page's notice.
// Every text comes from the page (#offline-messages, data-* attributes).
(function () {
  "use strict";
  var Store = window.OfflineStore;
  if (!Store) { return; }
  var body = document.body;
  var user = body.getAttribute("data-learner") || undefined;
  var shared = body.hasAttribute("data-shared");
  var shownAt = Date.now();
  var messagesNode = document.getElementById("offline-messages");
  var messages = messagesNode ? JSON.parse(messagesNode.textContent) : {};

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }
  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }
  function banner(offline) {
    var node = document.querySelector("[data-offline-banner]");
    if (node) { node.hidden = !offline; }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function day(iso) {
    try {
      return new Date(iso).toLocaleDateString(document.documentElement.lang || "fr",
        { day: "numeric", month: "long", year: "numeric" });
    } catch (e) { return iso.slice(0, 10); }
  }

  var FIELDS = {
    single_choice: ["choice", false], image_choice: ["choice", false],
    true_false: ["answer", false], multiple_choice: ["choices", true],
    gap_typed: ["gaps", true], gap_list: ["gaps", true], matching: ["pairs", true],
    ordering: ["order", true], form_filling: ["fields", true]
  };
  function responseOf(form, type) {
    var data = new FormData(form);
    var field = FIELDS[type];
    var response = {};
    response[field[0]] = field[1] ? data.getAll(field[0]).map(String) : String(data.get(field[0]) || "");
    return response;
  }

  // ---- Sending -------------------------------------------------------------------
  function sync() {
    if (shared || navigator.onLine === false) { return Promise.resolve(null); }
    return Store.sync().then(function (outcome) {
      banner(false);
      refresh();
      return outcome;
    }, function (error) {
      // a fetch that fails (TypeError) means no connection, whatever onLine says
      banner(navigator.onLine === false || error instanceof TypeError);
      refresh();
      return null;
    });
  }
  function later() {
    if (navigator.serviceWorker && navigator.serviceWorker.ready) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.sync) { return registration.sync.register("envoyer-reponses"); }
        return null;
      }).catch(function () { /* Background Sync refused: sent on the next visit */ });
    }
  }

  // ---- An item of a pack -----------------------------------------------------------
  each("form[data-offline-answer]", function (form) {
    var type = form.getAttribute("data-type");
    var key = JSON.parse(form.getAttribute("data-key"));
    var feedback = document.querySelector("[data-offline-feedback]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var recording = null;
      var response;
      if (type === "oral_production") {
        var input = form.querySelector("input[name=audio]");
        recording = input && input.files && input.files[0];
        var problem = form.querySelector("[data-record-first]");
        if (!recording) {
          if (problem) { problem.textContent = messages.record_first; problem.hidden = false; }
          return;
        }
        var seconds = parseFloat(form.querySelector("input[name=seconds]").value);
        response = { seconds: seconds >= 0 ? seconds : 0 };
      } else {
        response = responseOf(form, type);
      }
      var result = Store.grade(type, key, response);
      var answer = {
        client_id: uuid(), user: user, pack: Number(form.getAttribute("data-pack")),
        position: Number(form.getAttribute("data-position")),
        item_version_id: Number(form.getAttribute("data-version-id")),
        item_id: form.getAttribute("data-item-id"),
        answered_at: new Date().toISOString(), time_ms: Date.now() - shownAt,
        response: response, score: result.score, status: "waiting",
        audio: recording || null, audio_name: recording ? recording.name : null
      };
      each("input, select, textarea, button", function (field) { field.disabled = true; }, form);
      Store.put("answers", answer).then(function () {
        show(result, messages.kept);
        later();
        return sync().then(function (outcome) {
          if (!outcome || outcome.signin) {
            feedback.querySelector("[data-kept]").textContent =
              outcome ? messages.signin : messages.offline_kept;
          }
        });
      }, function () { show(result, messages.storage); });
    });
    function show(result, problem) {
      var verdict = feedback.querySelector("[data-verdict]");
      var score = result.score;
      var kind = score === null ? "pending" : score >= 0.999 ? "ok" : score > 0 ? "partial" : "wrong";
      verdict.textContent = verdict.getAttribute("data-" + kind);
      verdict.className = "verdict " + kind;
      var scoreNode = feedback.querySelector("[data-score]");
      scoreNode.hidden = kind !== "partial";
      scoreNode.textContent = fill(scoreNode.getAttribute("data-template"), { n: Math.round(score * 100) });
      feedback.querySelector("[data-accents]").hidden = !result.accents;
      feedback.querySelector("[data-right-answer]").hidden = score === null || score >= 0.999;
      feedback.querySelector("[data-tutor]").hidden = score !== null;
      feedback.querySelector("[data-kept]").textContent = problem;
      form.hidden = true;
      feedback.hidden = false;
      feedback.focus();
    }
  });

  // ---- The packs page and the offline page -----------------------------------------
  function localPacks() {
    return Store.all("packs").then(function (packs) {
      return packs.filter(function (p) { return user === undefined || p.user === user; });
    });
  }
  function status(text) {
    each("[data-offline-status]", function (node) { node.textContent = text; });
  }

  function collect(html, found) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    each("audio[src], img[src], script[src]", function (node) { found[node.getAttribute("src")] = true; }, doc);
    each("link[rel=stylesheet][href]", function (node) { found[node.getAttribute("href")] = true; }, doc);
    each("[data-clips]", function (node) {
      node.getAttribute("data-clips").split(/\s+/).forEach(function (clip) {
        if (clip) { found[clip] = true; }
      });
    }, doc);
    each("[data-src]", function (node) { found[node.getAttribute("data-src")] = true; }, doc);
  }

  function keep(cache, url) {
    return caches.match(url, { ignoreVary: true }).then(function (kept) {
      if (kept) { return null; }
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        // a file the server lacks (404) is left out; a network failure stops the download
        return response.ok ? cache.put(url, response) : null;
      });
    });
  }

  function download(form, item) {
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status(fill(messages.downloading, { done: 0, total: "…" }));
    var pack;
    var cacheName;
    return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                                headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status !== 201) { throw new Error("refused"); }
        return response.json();
      })
      .then(function (content) {
        pack = content;
        cacheName = "pack-" + pack.id;
        return caches.open(cacheName);
      })
      .then(function (cache) {
        var found = {};
        pack.resources.forEach(function (url) { found[url] = true; });
        var done = 0;
        var total = pack.items.length;
        return pack.items.reduce(function (chain, entry) {
          return chain.then(function () {
            return fetch(entry.page, { credentials: "same-origin" }).then(function (response) {
              if (!response.ok) { throw new Error(entry.page); }
              return cache.put(entry.page, response.clone()).then(function () { return response.text(); });
            }).then(function (html) {
              collect(html, found);
              done += 1;
              status(fill(messages.downloading, { done: done, total: total }));
            });
          });
        }, Promise.resolve()).then(function () {
          var urls = Object.keys(found).filter(function (u) { return u.charAt(0) === "/" && u.charAt(1) !== "/"; });
          return Promise.all(urls.map(function (url) { return keep(cache, url); }));
        });
      })
      .then(function () { return localPacks(); })
      .then(function (packs) {
        var old = packs.filter(function (p) { return p.key === pack.pack; });
        return Promise.all(old.map(function (p) { return forget(p, true); }));
      })
      .then(function () {
        return Store.put("packs", {
          id: pack.id, user: user, key: pack.pack, title: pack.title, level: pack.level,
          version: pack.version, downloaded_at: new Date().toISOString(),
          count: pack.items.length, first: pack.items[0].page, items: pack.items
        });
      })
      .then(function () {
        status(fill(messages.downloaded, { date: day(new Date().toISOString()) }));
        return showPacks();
      })
      .catch(function () {
        if (cacheName) { caches.delete(cacheName); }
        status(messages.failed);
      })
      .then(function () { button.disabled = false; });
  }

  // Remove a pack's cache, its record and the answers of it already sent; answers
  // still waiting stay until they are sent.
  function forget(pack) {
    return caches.delete("pack-" + pack.id)
      .then(function () { return Store.remove("packs", pack.id); })
      .then(function () { return Store.all("answers"); })
      .then(function (answers) {
        return Promise.all(answers.filter(function (a) {
          return a.pack === pack.id && a.status !== "waiting";
        }).map(function (a) { return Store.remove("answers", a.client_id); }));
      });
  }

  function showPacks() {
    var section = document.querySelector("[data-offline-packs]");
    if (!section) { return Promise.resolve(); }
    section.hidden = false;
    return localPacks().then(function (packs) {
      each("li[data-pack]", function (item) {
        var mine = packs.filter(function (p) { return p.key === item.getAttribute("data-pack"); })[0];
        var state = item.querySelector("[data-pack-state]");
        var form = item.querySelector("[data-pack-download]");
        var button = form.querySelector("button[type=submit]");
        var actions = item.querySelector("[data-pack-actions]");
        item.setAttribute("data-downloaded", mine ? mine.id : "");
        actions.hidden = !mine;
        if (!mine) {
          state.textContent = "";
          form.hidden = false;
          return;
        }
        var changed = mine.version !== item.getAttribute("data-version");
        state.textContent = fill(messages.downloaded, { date: day(mine.downloaded_at) }) +
          " · \u2068v" + mine.version + "\u2069" + (changed ? " · " + messages.updated : "");
        form.hidden = !changed;
        button.textContent = button.getAttribute("data-label-update");
        actions.querySelector("[data-pack-open]").href = mine.first;
      });
    });
  }

  function refresh() {
    var tasks = [];
    each("[data-pending-notice]", function (notice) {
      tasks.push(Store.waiting(user).then(function (rows) {
        notice.hidden = rows.length === 0;
        notice.querySelector("span").textContent = fill(notice.getAttribute("data-template"), { n: rows.length });
      }));
    });
    each("[data-waiting-count]", function (node) {
      tasks.push(Store.waiting(user).then(function (rows) {
        node.textContent = fill(messages.waiting, { n: rows.length });
      }));
    });
    var list = document.querySelector("[data-sent-list]");
    if (list) {
      document.querySelector("[data-offline-answers]").hidden = false;
      tasks.push(Store.all("answers").then(function (rows) {
        var done = rows.filter(function (a) { return a.status !== "waiting" && (user === undefined || a.user === user); });
        done.sort(function (a, b) { return a.answered_at < b.answered_at ? 1 : -1; });
        document.querySelector("[data-sent-count]").textContent = fill(messages.sent, { n: done.length });
        list.textContent = "";
        done.slice(0, 20).forEach(function (a) {
          var li = document.createElement("li");
          li.textContent = fill(messages.exercise, { n: a.position + 1 }) + " · " + day(a.answered_at) +
            (a.status === "refused" ? " · " + fill(messages.refused, { reason: a.reason }) : "");
          list.appendChild(li);
        });
      }));
    }
    var local = document.querySelector("[data-local-packs]");
    if (local) {
      tasks.push(localPacks().then(function (packs) {
        local.textContent = "";
        if (!packs.length) {
          var none = document.createElement("li");
          none.textContent = messages.none;
          local.appendChild(none);
        }
        packs.forEach(function (p) {
          var li = document.createElement("li");
          var link = document.createElement("a");
          link.href = p.first;
          link.textContent = p.title + " · " + messages.practise;
          li.appendChild(link);
          local.appendChild(li);
        });
      }));
    }
    return Promise.all(tasks).catch(function () { status(messages.storage); });
  }

  if (navigator.onLine === false) { banner(true); }
  if (!shared) {
    each("form[data-pack-download]", function (form) {
      var item = form.closest("li[data-pack]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        download(form, item);
      });
    });
    each("[data-pack-delete]", function (button) {
      button.addEventListener("click", function () {
        var item = button.closest("li[data-pack]");
        var id = Number(item.getAttribute("data-downloaded"));
        localPacks().then(function (packs) {
          var pack = packs.filter(function (p) { return p.id === id; })[0];
          return pack ? forget(pack) : null;
        }).then(function () {
          status(messages.deleted);
          return showPacks();
        }).then(refresh);
      });
    });
    each("[data-sync-now]", function (button) {
      button.addEventListener("click", function () {
        status(messages.sending);
        sync().then(function (outcome) {
          status(outcome && outcome.signin ? messages.signin : "");
        });
      });
    });
    // Sign-out clears the browser's storage (Clear-Site-Data): send what waits first.
    each("form.logout", function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var leave = function () { form.submit(); };
        var sending = Store.waiting(user).then(function (rows) { return rows.length ? sync() : null; });
        Promise.race([sending, new Promise(function (resolve) { setTimeout(resolve, 5000); })])
          .then(leave, leave);
      });
    });
    showPacks().then(refresh).catch(function () { status(messages.storage); });
    window.addEventListener("online", sync);
    sync();
  }
}());
