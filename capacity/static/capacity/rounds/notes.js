/* A visit's notes on a phone that may be offline (docs/rounds.md, "Visits and notes").
 *
 * Saving a note puts it in an outbox in localStorage, with an id made here
 * (crypto.randomUUID), and sends the outbox when the phone is online: on save, on the
 * `online` event, on page load, and again after a failure, waiting longer each time.
 * The server stores a note once per id, so sending it twice never doubles it; a note
 * leaves the outbox only when the server has answered for it. An edit carries the
 * revision it started from, so a change made on another device is never overwritten.
 * The page's words come from the server in the page's language (#notes-config).
 */
(function () {
  "use strict";

  var CACHE = "capacity-rounds-notes-v1";
  var PROMPTS = ["teacher_doing", "students_doing", "task"];
  var configNode = document.getElementById("notes-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var words = config.strings;
  var outboxKey = "capacity.rounds.outbox." + config.person + "." + config.visit;
  var mineKey = "capacity.rounds.mine." + config.person + "." + config.visit;
  var form = document.getElementById("note-form");
  var statusNode = document.getElementById("notes-connection");
  var errorNode = document.getElementById("note-error");
  var editing = null; // the note being changed: {client_id, revision, written_at}
  var syncing = false;
  var again = false;
  var attempt = 0;
  var retryTimer = null;
  var checkTimer = null;
  var checkAbort = null;
  var suggestionNode = document.getElementById("level-suggestion");
  var suggestionHelp = suggestionNode ? suggestionNode.textContent : ""; // before any suggestion

  // --- storage -----------------------------------------------------------------------

  function read(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (e) {
      return [];
    }
  }

  function write(key, list) {
    window.localStorage.setItem(key, JSON.stringify(list));
  }

  function byId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].client_id === id) return i;
    return -1;
  }

  function keepMine(note) {
    var mine = read(mineKey);
    var at = byId(mine, note.client_id);
    if (at < 0) mine.push(note);
    else if ((mine[at].revision || 0) <= (note.revision || 0)) mine[at] = note;
    write(mineKey, mine);
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- what the page shows -------------------------------------------------------------

  function say(text) {
    if (statusNode) statusNode.textContent = text;
  }

  function element(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function classroomLabel(position) {
    if (position === null || position === undefined || position === "") return words.other_classroom;
    return config.classrooms[String(position)] || String(position);
  }

  function noteItem(note, action) {
    var item = element("li");
    item.appendChild(element("span", classroomLabel(note.classroom), "tag"));
    if (note.level) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", words.level.replace("%(level)s", config.levels[note.level] || ""), "tag"));
    }
    PROMPTS.forEach(function (name) {
      if (!note[name]) return;
      var line = element("p");
      line.appendChild(element("strong", words[name]));
      line.appendChild(document.createTextNode(" "));
      var text = element("span", note[name]);
      text.lang = note.language;
      line.appendChild(text);
      item.appendChild(line);
    });
    if (note.problem) item.appendChild(element("p", words.not_sent + " " + note.problem, "field-error"));
    if (action && form) {
      var button = element("button", words.change, "link-button");
      button.type = "button";
      button.addEventListener("click", function () { edit(note); });
      item.appendChild(button);
    }
    return item;
  }

  function render() {
    var outbox = read(outboxKey);
    var list = document.getElementById("outbox");
    list.replaceChildren.apply(list, outbox.map(function (n) { return noteItem(n, Boolean(n.problem)); }));
    document.getElementById("outbox-empty").hidden = outbox.length > 0;
    var mine = read(mineKey).slice().sort(function (a, b) { return a.written_at < b.written_at ? -1 : 1; });
    var mineList = document.getElementById("mine");
    mineList.replaceChildren.apply(mineList, mine.map(function (n) { return noteItem(n, true); }));
    document.getElementById("mine-empty").hidden = mine.length > 0;
  }

  // --- the form ------------------------------------------------------------------------

  function field(name) {
    return form.elements.namedItem(name);
  }

  function chosenLevel() {
    var checked = form.querySelector("input[name=level]:checked");
    return checked ? checked.value : "";
  }

  function clearForm() {
    if (checkAbort) checkAbort.abort();
    window.clearTimeout(checkTimer);
    PROMPTS.forEach(function (name) { field(name).value = ""; });
    form.querySelector("input[name=level][value='']").checked = true;
    editing = null;
    document.getElementById("note-cancel").hidden = true;
    showFlags({ flags: {}, suggestion: null });
  }

  function edit(note) {
    editing = { client_id: note.client_id, revision: note.revision || 0, written_at: note.written_at };
    if (note.server) editing.revision = note.server.revision;
    var classroom = field("classroom");
    classroom.value = note.classroom === null || note.classroom === undefined ? "" : String(note.classroom);
    field("language").value = note.language;
    PROMPTS.forEach(function (name) { field(name).value = note[name] || ""; });
    var radio = form.querySelector("input[name=level][value='" + (note.level || "") + "']");
    if (radio) radio.checked = true;
    document.getElementById("note-cancel").hidden = false;
    errorNode.textContent = words.editing;
    field("teacher_doing").focus();
    check();
  }

  function save(event) {
    event.preventDefault();
    var texts = {};
    PROMPTS.forEach(function (name) { texts[name] = field(name).value.trim(); });
    if (!texts.teacher_doing && !texts.students_doing && !texts.task) {
      errorNode.textContent = words.empty;
      field("teacher_doing").focus();
      return;
    }
    var classroom = field("classroom").value;
    var note = {
      client_id: editing ? editing.client_id : newId(),
      revision: editing ? editing.revision : 0,
      written_at: editing && editing.written_at ? editing.written_at : new Date().toISOString(),
      classroom: classroom === "" ? null : parseInt(classroom, 10),
      language: field("language").value,
      level: chosenLevel(),
      stamp: Date.now()
    };
    PROMPTS.forEach(function (name) { note[name] = texts[name]; });
    var outbox = read(outboxKey);
    var at = byId(outbox, note.client_id);
    if (at < 0) outbox.push(note);
    else outbox[at] = note;
    write(outboxKey, outbox);
    clearForm();
    errorNode.textContent = "";
    say(words.saved);
    render();
    sync();
  }

  // --- the descriptive-language check and the suggested level ---------------------------

  function showFlags(answer) {
    PROMPTS.forEach(function (name) {
      var box = document.getElementById("flags-" + name);
      var flags = (answer.flags && answer.flags[name]) || [];
      box.replaceChildren.apply(box, flags.map(function (flag) {
        var line = element("p", "", "flag");
        line.appendChild(element("span", words.judges + " "));
        line.appendChild(element("strong", "“" + flag.text + "”"));
        line.appendChild(document.createTextNode(" — "));
        var hint = element("span", flag.suggestion);
        hint.lang = field("language").value;
        line.appendChild(hint);
        return line;
      }));
    });
    form.querySelectorAll(".suggested-tag").forEach(function (tag) { tag.remove(); });
    var suggestion = document.getElementById("level-suggestion");
    var s = answer.suggestion;
    if (s) {
      suggestion.textContent = words.suggested.replace("%(level)s", s.name).replace("%(verbs)s", s.verbs.join(", ")) + " " + words.confirm;
      var radio = form.querySelector("input[name=level][value='" + s.level + "']");
      if (radio) radio.parentNode.querySelector("span").appendChild(element("em", " (" + words.suggested_tag + ")", "suggested-tag"));
    } else if (field("task").value.trim()) {
      suggestion.textContent = words.no_suggestion;
    } else {
      suggestion.textContent = suggestionHelp;
    }
  }

  function check() {
    if (!navigator.onLine) return;
    if (checkAbort) checkAbort.abort();
    checkAbort = new AbortController();
    var body = { language: field("language").value };
    PROMPTS.forEach(function (name) { body[name] = field(name).value; });
    fetch(config.check, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal: checkAbort.signal
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) showFlags(answer); })
      .catch(function () { /* offline or superseded: the server checks again on save */ });
  }

  function later() {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, 500);
  }

  // --- sending -------------------------------------------------------------------------

  function retry() {
    attempt += 1;
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(sync, Math.min(60000, 1000 * Math.pow(2, attempt)));
  }

  function sync() {
    if (syncing) {
      again = true;
      return;
    }
    var waiting = read(outboxKey).filter(function (n) { return !n.problem; }).slice(0, 100);
    if (!waiting.length) {
      say(navigator.onLine ? words.sent : words.offline);
      return;
    }
    if (!navigator.onLine) {
      say(words.offline);
      return;
    }
    syncing = true;
    say(words.sending);
    var sent = waiting.map(function (n) {
      var copy = {};
      ["client_id", "revision", "written_at", "classroom", "language", "level"].concat(PROMPTS).forEach(function (k) { copy[k] = n[k]; });
      return copy;
    });
    fetch(config.sync, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ notes: sent }),
      credentials: "same-origin",
      redirect: "error"
    })
      .then(function (response) {
        if (response.status === 401) { say(words.signin); return null; }
        if (response.status === 403) { say(words.forbidden); return null; }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        if (!answer) return;
        attempt = 0;
        var outbox = read(outboxKey);
        answer.results.forEach(function (result) {
          var mine = waiting[result.index];
          var at = byId(outbox, result.client_id);
          // Changed again while this request was on its way: the newer copy goes next time.
          var current = at >= 0 && outbox[at].stamp === mine.stamp;
          if (["created", "updated", "unchanged"].indexOf(result.status) >= 0) {
            keepMine(result.note);
            if (current) outbox.splice(at, 1);
          } else if (current) {
            if (result.note) { keepMine(result.note); outbox[at].server = result.note; }
            var reasons = [];
            Object.keys(result.errors || {}).forEach(function (k) { reasons = reasons.concat(result.errors[k]); });
            outbox[at].problem = reasons.join(" ");
          }
        });
        write(outboxKey, outbox);
        say(outbox.some(function (n) { return !n.problem; }) ? words.sending : words.sent);
      })
      .catch(function () {
        say(words.retry);
        retry();
      })
      .then(function () {
        syncing = false;
        render();
        if (again) {
          again = false;
          sync();
        }
      });
  }

  // --- offline: the service worker keeps this page and its files -------------------------

  function keepOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    navigator.serviceWorker.register(config.worker).catch(function () { /* no offline copy */ });
    if (navigator.onLine) {
      var files = [window.location.pathname];
      document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (node) {
        files.push(node.getAttribute("href") || node.getAttribute("src"));
      });
      window.caches.open(CACHE).then(function (cache) { return cache.addAll(files); }).catch(function () {});
    }
  }

  // --- start ---------------------------------------------------------------------------

  var fromServer = JSON.parse(document.getElementById("notes-mine").textContent);
  fromServer.forEach(keepMine);
  if (form) {
    form.addEventListener("submit", save);
    PROMPTS.forEach(function (name) { field(name).addEventListener("input", later); });
    field("language").addEventListener("change", check);
    document.getElementById("note-cancel").addEventListener("click", function () {
      clearForm();
      errorNode.textContent = "";
    });
  }
  window.addEventListener("online", function () { attempt = 0; sync(); });
  window.addEventListener("offline", function () { say(words.offline); });
  render();
  sync();
  keepOffline();
})();
