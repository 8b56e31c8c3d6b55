// The browser's storage of practice without a connection, the sending of answers
// and their grading (as exercises/scoring.py grades them), shared by the pages
// (static/js/offline.js) and the service worker (/sw.js, for Background Sync).
// IndexedDB database "hors-connexion":
//   packs   {id (the pack's set id), user, key, title, level, version, downloaded_at,
//            count, first, items}
//   answers {client_id, user, pack, position, item_version_id, item_id, answered_at,
//            time_ms, response, score, status: "waiting" | "sent" | "refused",
//            reason, sent_at, audio (a recording's Blob until it is sent), audio_name}
//            or, kept by the service worker for an ordinary set: {client_id, user: null,
//            set, position, form: {name: [values]}, shown_at, answered_at, status}
// Everything here is wiped by the sign-out's Clear-Site-Data: "storage" (IndexedDB,
// the Cache API and the service worker itself).
(function (scope) {
  "use strict";

  var NAME = "hors-connexion";
  var SYNC_URL = "/pratique/synchroniser";
  var KEEP_SENT = 100; // answers already sent that stay listed on the packs page
  var opened = null;
  var running = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        if (!scope.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var req = scope.indexedDB.open(NAME, 1);
        req.onupgradeneeded = function () {
          var db = req.result;
          db.createObjectStore("packs", { keyPath: "id" }).createIndex("user", "user");
          var answers = db.createObjectStore("answers", { keyPath: "client_id" });
          answers.createIndex("user", "user");
          answers.createIndex("pack", "pack");
        };
        req.onsuccess = function () {
          var db = req.result;
          db.onversionchange = function () { db.close(); opened = null; };
          resolve(db);
        };
        req.onerror = function () { opened = null; reject(req.error); };
        req.onblocked = function () { opened = null; reject(new Error("blocked")); };
      });
    }
    return opened;
  }

  function store(name, mode) {
    return open().then(function (db) {
      return db.transaction(name, mode || "readonly").objectStore(name);
    });
  }

  function all(name) {
    return store(name).then(function (s) { return request(s.getAll()); });
  }

  function put(name, value) {
    return store(name, "readwrite").then(function (s) { return request(s.put(value)); });
  }

  function remove(name, key) {
    return store(name, "readwrite").then(function (s) { return request(s["delete"](key)); });
  }

  function waiting(user) {
    return all("answers").then(function (rows) {
      return rows.filter(function (a) {
        // user null: kept by the service worker, which does not know who answered
        return a.status === "waiting" && (user === undefined || a.user === user || a.user === null);
      }).sort(function (a, b) { return a.answered_at < b.answered_at ? -1 : 1; });
    });
  }

  // Keep only the latest KEEP_SENT answers already sent or refused.
  function prune() {
    return all("answers").then(function (rows) {
      var done = rows.filter(function (a) { return a.status !== "waiting"; });
      done.sort(function (a, b) { return (b.sent_at || "") < (a.sent_at || "") ? -1 : 1; });
      return Promise.all(done.slice(KEEP_SENT).map(function (a) {
        return remove("answers", a.client_id);
      }));
    });
  }

  function payload(a) {
    if (a.set) { // an answer to an ordinary set, kept by the service worker
      return { client_id: a.client_id, set: a.set, position: a.position, form: a.form,
               shown_at: a.shown_at, answered_at: a.answered_at };
    }
    return {
      client_id: a.client_id, pack: a.pack, position: a.position,
      item_version_id: a.item_version_id, answered_at: a.answered_at,
      time_ms: a.time_ms, response: a.response
    };
  }

  // Send the signed-in learner's waiting answers, in batches; resolves with
  // {sent, refused, signin}. Rejects when the network fails (Background Sync retries).
  function syncNow() {
    return waiting().then(function (rows) {
      // nothing waits on this phone: no request at all
      return rows.length ? fetchToken() : { signin: false, sent: 0, refused: 0 };
    });
  }

  function fetchToken() {
    return fetch(SYNC_URL, { credentials: "same-origin", cache: "no-store",
                             headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) {
          return { signin: true, sent: 0, refused: 0 };
        }
        return response.json().then(function (token) {
          return waiting(token.user).then(function (rows) {
            var outcome = { sent: 0, refused: 0, signin: false };
            var answers = rows.filter(function (a) { return !a.audio; });
            var recordings = rows.filter(function (a) { return a.audio; });
            var batches = [];
            for (var i = 0; i < answers.length; i += token.max_batch) {
              batches.push(answers.slice(i, i + token.max_batch));
            }
            var chain = batches.reduce(function (previous, batch) {
              return previous.then(function () { return send(batch, token, outcome); });
            }, Promise.resolve());
            // a recording travels alone, as a file (the limits of a recording sent online)
            return recordings.reduce(function (previous, answer) {
              return previous.then(function () { return sendRecording(answer, token, outcome); });
            }, chain).then(function () { return prune(); })
              .then(function () { return outcome; });
          });
        });
      });
  }

  function record(answer, result, outcome, now) {
    answer.sent_at = now;
    if (result.status === "refused") {
      answer.status = "refused";
      answer.reason = result.reason;
      outcome.refused += 1;
    } else {
      answer.status = "sent";
      outcome.sent += 1;
    }
    answer.audio = null; // the recording is on the server now (or refused): free the space
    return put("answers", answer);
  }

  function sendRecording(answer, token, outcome) {
    var form = new FormData();
    ["client_id", "pack", "position", "item_version_id", "answered_at", "time_ms"].forEach(function (name) {
      form.append(name, answer[name] === null || answer[name] === undefined ? "" : String(answer[name]));
    });
    form.append("seconds", String(answer.response.seconds || 0));
    form.append("audio", answer.audio, answer.audio_name || "enregistrement.webm");
    return fetch(SYNC_URL + "/enregistrement", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Accept": "application/json", "X-CSRFToken": token.csrf_token },
      body: form
    }).then(function (response) {
      if (response.status === 413) { // larger than any request the server takes
        return { results: [{ client_id: answer.client_id, status: "refused", reason: "413" }] };
      }
      if (!response.ok) { throw new Error("refused " + response.status); }
      return response.json();
    }).then(function (body) {
      return record(answer, body.results[0], outcome, new Date().toISOString());
    });
  }

  function send(batch, token, outcome) {
    return fetch(SYNC_URL, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token.csrf_token },
      body: JSON.stringify({ answers: batch.map(payload) })
    }).then(function (response) {
      if (!response.ok) { throw new Error("refused " + response.status); }
      return response.json();
    }).then(function (body) {
      var byId = {};
      batch.forEach(function (a) { byId[a.client_id] = a; });
      var now = new Date().toISOString();
      return Promise.all(body.results.map(function (result) {
        var answer = byId[result.client_id];
        return answer ? record(answer, result, outcome, now) : null;
      }));
    });
  }

  function sync() {
    if (!running) {
      running = syncNow().then(function (outcome) {
        running = null;
        return outcome;
      }, function (error) {
        running = null;
        throw error;
      });
    }
    return running;
  }

  // ---- Grading: the same rules as exercises/scoring.py --------------------------
  function normalise(text) {
    text = String(text).normalize("NFC").replace(/\u2019/g, "'").replace(/\u00a0/g, " ");
    text = text.replace(/\s+/g, " ").trim();
    return text.replace(/\.+$/, "").trim();
  }
  function casefold(text) { return text.toLowerCase().replace(/\u00df/g, "ss"); }
  function fold(text) {
    return casefold(normalise(text).normalize("NFKD").replace(/\p{Mn}/gu, ""));
  }
  function typed(given, accepted) {
    var norm = normalise(given);
    if (accepted.some(function (a) { return norm === normalise(a); })) { return true; }
    if (accepted.some(function (a) { return casefold(norm) === casefold(normalise(a)); })) {
      return fold(given) !== casefold(norm) ? "accents" : "case";
    }
    if (accepted.some(function (a) { return fold(given) === fold(a); })) { return "accents"; }
    return false;
  }
  function share(parts) {
    if (!parts.length) { return 0; }
    var value = parts.reduce(function (sum, p) {
      return sum + (p === true ? 1 : (p === "accents" || p === "case") ? 0.5 : 0);
    }, 0);
    return Math.round(value / parts.length * 10000) / 10000;
  }
  function atPlace(values) {
    return values.map(function (v, i) { return v !== "" && Number(v) === i; });
  }
  function grade(type, key, r) {
    var parts;
    switch (type) {
      case "single_choice": return { score: Number(r.choice) === key.answer ? 1 : 0 };
      case "image_choice": return { score: r.choice === key.answer ? 1 : 0 };
      case "true_false": return { score: (r.answer === "true") === key.answer ? 1 : 0 };
      case "multiple_choice": {
        var chosen = r.choices.map(Number).filter(function (v, i, all) { return all.indexOf(v) === i; });
        var hits = chosen.filter(function (v) { return key.answers.indexOf(v) >= 0; }).length;
        var wrong = chosen.length - hits;
        return { score: Math.round(Math.max(0, (hits - wrong) / key.answers.length) * 10000) / 10000 };
      }
      case "gap_typed":
      case "form_filling": {
        var values = type === "gap_typed" ? r.gaps : r.fields;
        parts = values.map(function (g, i) { return typed(g, key.accepted[i]); });
        return { score: share(parts), accents: parts.indexOf("accents") >= 0 };
      }
      case "gap_list":
        parts = r.gaps.map(function (v, i) { return v !== "" && key.options[Number(v)] === key.answers[i]; });
        return { score: share(parts) };
      case "matching": return { score: share(atPlace(r.pairs)) };
      case "ordering": return { score: share(atPlace(r.order)) };
    }
    return { score: null };
  }
  scope.OfflineStore = {
    open: open, all: all, put: put, remove: remove, waiting: waiting, sync: sync,
    grade: grade
  };
}(self));
