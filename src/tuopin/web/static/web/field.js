/* The field app (decision 1565): the account's households, the checklist and the visits not yet sent live in
   IndexedDB (through the vendored `idb`), so the list, the sheet and Save work without a network; a sync loop
   sends the outbox when the network is there. Sentences come from the page (json_script "field-strings") in the
   reader's language. The ID number is never typed: the sheet shows it as the API masks it. */
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  if (!root || !window.idb) return;
  var S = JSON.parse(document.getElementById("field-strings").textContent);
  var YEAR = Number(root.dataset.year);
  var URLS = {households: root.dataset.households, visits: root.dataset.visits,
              worker: root.dataset.worker, scope: root.dataset.scope};
  // A batch of about 2 MB at most: on a weak network a smaller request is lost less often. MAX_BYTES is the server's
  // limit for one request (the checklist's sync.max_request_bytes); a visit larger than it is never sent.
  var BATCH = 50, MAX_BYTES = Number(root.dataset.maxBytes), BATCH_BYTES = Math.min(2000000, MAX_BYTES),
      RETRY_MS = 10000, PHOTO_SIDE = 1280, PHOTO_QUALITY = 0.7;

  var dbReady = idb.openDB("tuopin-field-" + root.dataset.user, 1, {
    upgrade: function (db) {
      db.createObjectStore("households", {keyPath: "id"});
      db.createObjectStore("meta");
      db.createObjectStore("outbox", {keyPath: "client_id"});
      db.createObjectStore("notices", {keyPath: "client_id"});
    },
    // Logging out from this page deletes the database (site.js, decision 1627): this connection gives way.
    blocking: function (oldVersion, newVersion, event) { event.target.close(); }
  });

  var el = {
    banner: document.getElementById("field-banner"), status: document.getElementById("field-status"),
    problems: document.getElementById("field-problems"), listView: document.getElementById("field-list-view"),
    list: document.getElementById("field-list"), search: document.getElementById("field-search"),
    sheetView: document.getElementById("field-sheet-view")
  };
  // `unreachable`: the last request failed for want of a network, whatever navigator.onLine says (it says only that
  // the phone has a connection, and a page the worker served can read true before the browser has looked).
  var state = {households: [], questions: {}, outbox: [], notices: [], sheet: null, syncing: false,
               unreachable: false};

  // ---- small helpers ------------------------------------------------------------------------------------------

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (ch) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[ch];
    });
  }
  function joined(parts) { return parts.filter(function (x) { return x != null && x !== ""; }).join(" · "); }
  function local(d) {  // "YYYY-MM-DDTHH:MM…" in the phone's time zone (the visit's date is the phone's day)
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString();
  }
  function today() { return local(new Date()).slice(0, 10); }
  function plusDays(days) { return local(new Date(Date.now() + days * 86400000)).slice(0, 10); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Plain http on a county intranet is not a secure context: randomUUID is missing there, getRandomValues is not.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    // The cookie, not the page: a page served from the worker's cache carries an old token.
    var hit = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return hit ? decodeURIComponent(hit[1]) : root.dataset.csrf;
  }
  function yesNo(value) {
    return value === true ? S.yes : value === false ? S.no : "—";
  }

  // ---- the sheet's parts, as the field API gives them ------------------------------------------------------------

  function householdId(sheet) { return sheet.id; }
  function headName(sheet) { return sheet.head || ""; }
  function openCount(sheet) { return (sheet.gaps || []).length + (sheet.tasks || []).length; }
  function checklistOf(sheet) {  // [{question, person, seen, last}]
    return (sheet.questions || []).map(function (i) {
      return {question: i.key, person: i.person == null ? null : i.person, seen: i.seen, last: i.last};
    });
  }
  function memberName(sheet, id) {
    var m = (sheet.members || []).filter(function (x) { return x.id === id; })[0];
    return m ? m.name : "";
  }
  // One line per fact of the sheet, in the shapes the field API gives.
  var LINES = {
    gaps: function (g) { return joined([S.indicators[g.indicator] || g.indicator, g.reason]); },
    tasks: function (t) { return joined([t.title, t.due && S.due + " " + t.due]); },
    policies: function (p, sheet) { return joined([p.name, memberName(sheet, p.person)]); },
    monitoring: function (m) { return m.label; },
    visits: function (v) { return joined([v.on, v.found, v.done]); }
  };

  // ---- storage --------------------------------------------------------------------------------------------------

  async function loadFromNetwork() {
    if (!navigator.onLine) return false;
    var response;
    try {
      response = await fetch(URLS.households + "?year=" + YEAR, {credentials: "same-origin",
                                                                  headers: {Accept: "application/json"}});
    } catch (e) {
      state.unreachable = true;  // no network after all: the phone's copy is shown
      return false;
    }
    state.unreachable = false;
    if (response.redirected || response.status === 401 || response.status === 403) { say(S.login); return false; }
    if (!response.ok) return false;
    var data = await response.json();
    var db = await dbReady;
    var tx = db.transaction(["households", "meta"], "readwrite");
    var store = tx.objectStore("households");
    store.clear();
    data.households.forEach(function (sheet) {
      store.put({id: householdId(sheet), sheet: sheet,
                 find: [sheet.number, headName(sheet)].concat((sheet.members || []).map(function (m) {
                   return m.name;
                 })).join(" ").toLowerCase()});
    });
    var questions = {};
    (data.questions || []).forEach(function (q) { questions[q.key] = q; });
    tx.objectStore("meta").put({year: data.year, at: new Date().toISOString(), questions: questions}, "state");
    await tx.done;
    return true;
  }

  async function loadFromPhone() {
    var db = await dbReady;
    var meta = await db.get("meta", "state");
    state.households = await db.getAll("households");
    state.households.sort(function (a, b) { return String(a.sheet.number).localeCompare(String(b.sheet.number)); });
    state.questions = meta ? meta.questions : {};
    el.status.textContent = meta ? fill(S.loaded, {time: local(new Date(meta.at)).slice(0, 16).replace("T", " ")})
      : S.not_loaded;
    await loadOutbox();
  }

  async function loadOutbox() {
    var db = await dbReady;
    state.outbox = await db.getAll("outbox");
    state.notices = await db.getAll("notices");
  }

  // ---- the banner, the problems, the list -----------------------------------------------------------------------

  function say(text) { el.status.textContent = text; }

  function renderBanner() {
    var n = state.outbox.length;
    var text = n === 0 ? S.all_sent : n === 1 ? S.unsent_one : fill(S.unsent, {n: n});
    if (!navigator.onLine || state.unreachable) text += " " + S.offline;
    else if (state.syncing && n) text += " " + S.sending;
    el.banner.textContent = text;
    el.banner.dataset.unsent = n;
    el.banner.classList.toggle("field-banner-clear", n === 0);
  }

  function questionLabel(key, person, householdId) {
    var q = state.questions[key];
    var row = state.households.filter(function (r) { return r.id === householdId; })[0];
    return joined([q ? q.text : key, person != null && row ? memberName(row.sheet, person) : ""]);
  }

  function errorLines(visit) {
    // "answers.3.value" names the fourth answer: shown as its question (and member), as on the sheet.
    return Object.keys(visit.errors || {}).map(function (field) {
      var hit = field.match(/^answers\.(\d+)\./), answer = hit && visit.answers[Number(hit[1])];
      var name = answer ? questionLabel(answer.question, answer.person, visit.household)
        : S.fields[field.split(".")[0]] || field;
      return "<li>" + esc(name) + ": " + esc([].concat(visit.errors[field]).join(" ")) + "</li>";
    }).join("");
  }

  function conflictLines(notice) {
    return (notice.conflicts || []).map(function (c) {
      var q = Object.keys(state.questions).filter(function (k) { return state.questions[k].checks === c.field; })[0];
      return "<li>" + esc(questionLabel(q || c.field, c.person, notice.household)) + ": " + esc(S.registered) +
        " " + esc(yesNo(c.current)) + " · " + esc(S.answered) + " " + esc(yesNo(c.proposed)) + "</li>";
    }).join("");
  }

  function renderProblems() {
    var refused = state.outbox.filter(function (v) { return v.state === "refused"; });
    var html = "";
    refused.forEach(function (v) {
      html += '<div class="field-problem field-refused" data-client="' + esc(v.client_id) + '"><p><strong>' +
        esc(S.refused) + "</strong> " + esc(v.label) + " · " + esc(v.on) + "</p><ul>" + errorLines(v) + "</ul>" +
        '<button type="button" class="btn field-tap" data-action="delete">' + esc(S.delete) + "</button></div>";
    });
    state.notices.forEach(function (n) {
      var notes = (n.notes || []).map(function (text) { return "<li>" + esc(text) + "</li>"; }).join("");
      html += '<div class="field-problem field-conflict" data-client="' + esc(n.client_id) + '"><p>' +
        esc(n.conflicts.length ? S.conflict : S.noted) + " " + esc(n.label) + "</p><ul>" + conflictLines(n) + notes +
        "</ul>" +
        '<button type="button" class="btn field-tap" data-action="dismiss">' + esc(S.dismiss) + "</button></div>";
    });
    el.problems.innerHTML = html;
    el.problems.hidden = html === "";
  }

  function unsentByHousehold() {
    var out = {};
    state.outbox.forEach(function (v) { out[v.household] = (out[v.household] || 0) + 1; });
    return out;
  }

  function renderList() {
    var words = el.search.value.trim().toLowerCase();
    var unsent = unsentByHousehold();
    var html = "";
    state.households.forEach(function (row) {
      if (words && row.find.indexOf(words) === -1) return;
      var sheet = row.sheet, open = openCount(sheet);
      html += '<li><button type="button" class="field-household field-tap" data-household="' + esc(row.id) + '">' +
        '<span class="field-name">' + esc(headName(sheet) || sheet.number) + "</span>" +
        '<span class="field-number">' + esc(sheet.number) + "</span>" +
        (open ? '<span class="field-open">' + esc(fill(S.open_items, {n: open})) + "</span>" : "") +
        (unsent[row.id] ? '<span class="field-unsent">' + esc(S.not_sent_mark) + "</span>" : "") + "</button></li>";
    });
    el.list.innerHTML = html || '<li class="empty">' + esc(state.households.length ? S.no_households : S.not_loaded) +
      "</li>";
  }

  function renderAll() {
    renderBanner();
    renderProblems();
    if (!state.sheet) renderList();
  }

  // ---- the sheet: one screen per household ----------------------------------------------------------------------

  function section(title, kind, sheet) {
    var items = kind === "monitoring" ? (sheet.monitoring ? [sheet.monitoring] : []) : sheet[kind] || [];
    var body = items.length ? "<ul>" + items.map(function (i) {
      return "<li>" + esc(LINES[kind](i, sheet)) + "</li>";
    }).join("") + "</ul>" : '<p class="muted">' + esc(S.none) + "</p>";
    return '<section class="field-facts field-' + kind + '"><h3>' + esc(title) + "</h3>" + body + "</section>";
  }

  function questionHtml(item, q) {
    var key = item.question + "|" + (item.person == null ? "" : item.person);
    var seen = item.seen;
    var head = '<div class="field-question" data-key="' + esc(key) + '"><p class="field-q">' + esc(q.text) +
      (q.kind === "yes_no" && seen != null ? ' <small class="field-seen">' + esc(S.registered) + " " +
        esc(yesNo(seen)) + "</small>" : "") + "</p>";
    if (q.kind === "yuan") {
      var last = item.last;
      return head + '<label class="field-yuan"><input type="number" inputmode="decimal" min="0" step="any" ' +
        'data-answer="' + esc(key) + '" aria-label="' + esc(q.text) + '"> ' + esc(S.yuan) + "</label>" +
        (last != null ? '<small class="field-last">' + esc(fill(S.last_quarter, {value: last})) + "</small>" : "") +
        "</div>";
    }
    if (q.kind === "choice") {
      return head + '<div class="field-choices">' + (q.choices || []).map(function (c) {
        return '<button type="button" class="field-tap" data-answer="' + esc(key) + '" data-value="' + esc(c) +
          '" aria-pressed="false">' + esc(c) + "</button>";
      }).join("") + "</div></div>";
    }
    return head + '<div class="field-yesno">' +
      '<button type="button" class="field-tap" data-answer="' + esc(key) + '" data-value="yes" aria-pressed="false">' +
      esc(S.yes) + "</button>" +
      '<button type="button" class="field-tap" data-answer="' + esc(key) + '" data-value="no" aria-pressed="false">' +
      esc(S.no) + "</button></div></div>";
  }

  function checklistHtml(sheet) {
    var members = {};
    (sheet.members || []).forEach(function (m) { members[m.id] = m; });
    var groups = [], byPerson = {};
    checklistOf(sheet).forEach(function (item) {
      var q = state.questions[item.question];
      if (!q) return;
      var group = item.person == null ? "" : String(item.person);
      if (!byPerson.hasOwnProperty(group)) { byPerson[group] = []; groups.push(group); }
      byPerson[group].push(questionHtml(item, q));
    });
    return groups.map(function (group) {
      var m = members[group];
      var title = group === "" ? S.household : (m ? m.name + (m.id_number ? " · " + m.id_number : "") : S.members);
      return '<fieldset class="field-section" data-section="' + esc(group) + '"><legend>' + esc(title) + "</legend>" +
        '<button type="button" class="btn field-tap field-as-registered" data-action="as-registered">' +
        esc(S.as_registered) + "</button>" + byPerson[group].join("") + "</fieldset>";
    }).join("");
  }

  function openSheet(id) {
    var row = state.households.filter(function (r) { return String(r.id) === String(id); })[0];
    if (!row) return;
    var sheet = row.sheet;
    var items = {};
    checklistOf(sheet).forEach(function (item) {
      items[item.question + "|" + (item.person == null ? "" : item.person)] = item;
    });
    state.sheet = {row: row, items: items, answers: {}, photos: []};
    var unsent = unsentByHousehold()[row.id];
    el.sheetView.innerHTML =
      '<button type="button" class="btn btn-quiet field-tap" data-action="back">← ' + esc(S.back) + "</button>" +
      '<h2 class="field-title">' + esc(headName(sheet) || sheet.number) + " <small>" + esc(sheet.number) +
      "</small></h2>" +
      (unsent ? '<p class="field-unsent-note">' + esc(S.not_sent_mark) + " (" + unsent + ")</p>" : "") +
      '<div class="field-facts-grid">' +
      section(S.gaps, "gaps", sheet) + section(S.tasks, "tasks", sheet) + section(S.policies, "policies", sheet) +
      section(S.monitoring, "monitoring", sheet) + section(S.visits, "visits", sheet) + "</div>" +
      '<form class="field-form" novalidate><h3>' + esc(S.checklist) + "</h3>" +
      '<button type="button" class="btn field-tap field-as-registered field-all-registered" ' +
      'data-action="all-registered">' + esc(S.all_registered) + "</button>" + checklistHtml(sheet) +
      '<label class="field-text">' + esc(S.found) + '<textarea name="found" rows="2"></textarea></label>' +
      '<label class="field-text">' + esc(S.done) + '<textarea name="done" rows="2"></textarea></label>' +
      '<fieldset class="field-section"><legend>' + esc(S.photo) + "</legend>" +
      '<input type="file" accept="image/*" capture="environment" name="photo" class="field-photo">' +
      '<p class="field-photo-note muted" aria-live="polite"></p><div class="field-thumbs"></div></fieldset>' +
      '<fieldset class="field-section"><legend>' + esc(S.follow_up) + "</legend>" +
      '<label class="field-text">' + esc(S.follow_up_title) + '<input type="text" name="follow_up" maxlength="200">' +
      "</label>" + '<label class="field-text">' + esc(S.due) + '<input type="date" name="due"></label>' +
      '<div class="field-due-quick">' +
      [[7, S.in_week], [14, S.in_two_weeks], [30, S.in_month]].map(function (d) {
        return '<button type="button" class="field-tap" data-action="due" data-days="' + d[0] + '">' + esc(d[1]) +
          "</button>";
      }).join("") + "</div></fieldset>" +
      '<button type="submit" class="btn btn-primary btn-wide field-tap field-save">' + esc(S.save) + "</button></form>";
    el.listView.hidden = true;
    el.sheetView.hidden = false;
    window.scrollTo(0, 0);
  }

  function closeSheet() {
    state.sheet = null;
    el.sheetView.hidden = true;
    el.sheetView.innerHTML = "";
    el.listView.hidden = false;
    renderList();
  }

  function setAnswer(key, value) {
    state.sheet.answers[key] = value;
    el.sheetView.querySelectorAll('[data-answer="' + CSS.escape(key) + '"]').forEach(function (node) {
      if (node.tagName === "INPUT") {
        if (value != null && node.value !== String(value)) node.value = value;
      } else {
        var mine = node.dataset.value === "yes" ? true : node.dataset.value === "no" ? false : node.dataset.value;
        node.setAttribute("aria-pressed", mine === value ? "true" : "false");
      }
    });
  }

  function asRegistered(sectionNode) {
    sectionNode.querySelectorAll(".field-question").forEach(function (node) {
      var item = state.sheet.items[node.dataset.key];
      if (item && item.seen != null && state.questions[item.question].kind !== "yuan") {
        setAnswer(node.dataset.key, item.seen);
      }
    });
  }

  async function compress(file) {
    var bitmap = await createImageBitmap(file);
    var scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    var url = canvas.toDataURL("image/jpeg", PHOTO_QUALITY);
    return {name: (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg", data: url.slice(url.indexOf(",") + 1),
            preview: url};
  }

  async function addPhoto(input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var note = el.sheetView.querySelector(".field-photo-note");
    var photo;
    try {
      photo = await compress(file);
    } catch (e) {
      note.textContent = S.photo_failed;  // a format this browser cannot draw (HEIC on some phones)
      input.value = "";
      return;
    }
    state.sheet.photos.push({name: photo.name, data: photo.data});
    var img = document.createElement("img");
    img.src = photo.preview;
    img.alt = "";
    el.sheetView.querySelector(".field-thumbs").appendChild(img);
    note.textContent = fill(S.photo_ready, {kb: Math.round(photo.data.length * 3 / 4 / 1024)});
    input.value = "";
  }

  function collect(form) {
    var sheet = state.sheet, answers = [];
    form.querySelectorAll("input[data-answer]").forEach(function (input) {
      if (input.value.trim() !== "") sheet.answers[input.dataset.answer] = Number(input.value);
    });
    Object.keys(sheet.answers).forEach(function (key) {
      var item = sheet.items[key];
      if (!item || sheet.answers[key] == null) return;
      answers.push({question: item.question, person: item.person == null ? null : item.person,
                    value: sheet.answers[key], seen: item.seen === undefined ? null : item.seen});
    });
    var title = form.elements.follow_up.value.trim();
    var s = sheet.row.sheet;
    return {
      client_id: uuid(), household: sheet.row.id, on: today(), answers: answers,
      found: form.elements.found.value.trim(), done: form.elements.done.value.trim(),
      follow_ups: title ? [{title: title, due: form.elements.due.value || null}] : [],
      photos: sheet.photos,
      // Kept on the phone only, to name the visit in the banner's lists; the batch sends the fields above.
      state: "waiting", label: (headName(s) || "") + " " + s.number, saved_at: Date.now()
    };
  }

  async function save(form) {
    var visit = collect(form);
    var db = await dbReady;
    await db.put("outbox", visit);
    await loadOutbox();
    closeSheet();
    say(S.saved);
    renderAll();
    sync();
  }

  // ---- sending --------------------------------------------------------------------------------------------------

  function wire(visit) {
    return {client_id: visit.client_id, household: visit.household, on: visit.on, answers: visit.answers,
            found: visit.found, done: visit.done, follow_ups: visit.follow_ups, photos: visit.photos};
  }

  function batches(visits) {
    var out = [], current = [], bytes = 0;
    visits.forEach(function (v) {
      var size = JSON.stringify(v).length;
      if (current.length && (current.length >= BATCH || bytes + size > BATCH_BYTES)) {
        out.push(current); current = []; bytes = 0;
      }
      current.push(v); bytes += size;
    });
    if (current.length) out.push(current);
    return out;
  }

  function refuseAll(batch, errors) {
    // The server took none of the batch (too large, not readable): each visit says why, none is sent again.
    return {results: batch.map(function (v) { return {client_id: v.client_id, status: "refused", errors: errors}; })};
  }

  async function sendBatch(batch) {
    var body = JSON.stringify({visits: batch});
    if (new Blob([body]).size > MAX_BYTES) return refuseAll(batch, {photos: [S.too_large]});
    var response = await fetch(URLS.visits, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken()},
      body: body
    });
    state.unreachable = false;
    var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (response.redirected || response.status === 401 || response.status === 403 || !json) {
      say(S.login);
      return null;
    }
    if (response.status === 400 || response.status === 413) return refuseAll(batch, (await response.json()).errors);
    if (!response.ok) return null;  // the server failed: kept, the timer tries again
    return response.json();
  }

  async function store(results, sent) {
    var db = await dbReady;
    var byId = {};
    sent.forEach(function (v) { byId[v.client_id] = v; });
    var tx = db.transaction(["outbox", "notices"], "readwrite");
    results.forEach(function (r) {
      var visit = byId[r.client_id];
      if (!visit) return;
      if (r.status === "stored" || r.status === "duplicate") {
        tx.objectStore("outbox").delete(r.client_id);
        // Conflicts and the server's notes (a task that stays open, a case already open) wait for the cadre.
        if ((r.conflicts && r.conflicts.length) || (r.notes && r.notes.length)) {
          tx.objectStore("notices").put({client_id: r.client_id, household: visit.household, label: visit.label,
                                         conflicts: r.conflicts || [], notes: r.notes || []});
        }
      } else if (r.status === "refused") {
        visit.state = "refused";
        visit.errors = r.errors || {};
        tx.objectStore("outbox").put(visit);
      }
    });
    await tx.done;
  }

  async function sync() {
    if (state.syncing || !navigator.onLine) { renderBanner(); return; }
    state.syncing = true;
    renderBanner();
    try {
      var db = await dbReady;
      var waiting = (await db.getAll("outbox")).filter(function (v) { return v.state === "waiting"; });
      waiting.sort(function (a, b) { return a.saved_at - b.saved_at; });
      var groups = batches(waiting);
      for (var i = 0; i < groups.length; i++) {
        var data = await sendBatch(groups[i].map(wire));
        if (!data) break;  // refused as a whole (session, server error): kept, the timer tries again
        await store(data.results, groups[i]);
      }
    } catch (e) {
      state.unreachable = true;  // the network went away mid-way: what was not answered stays in the outbox
    } finally {
      state.syncing = false;
      await loadOutbox();
      renderAll();
      root.dataset.synced = String(Date.now());
    }
  }

  // ---- events ---------------------------------------------------------------------------------------------------

  el.search.addEventListener("input", renderList);
  el.list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-household]");
    if (button) openSheet(button.dataset.household);
  });
  el.sheetView.addEventListener("click", function (event) {
    var node = event.target.closest("button");
    if (!node) return;
    if (node.dataset.answer) {
      var v = node.dataset.value;
      setAnswer(node.dataset.answer, v === "yes" ? true : v === "no" ? false : v);
    } else if (node.dataset.action === "as-registered") {
      asRegistered(node.closest(".field-section"));
    } else if (node.dataset.action === "all-registered") {
      asRegistered(node.closest("form"));  // every section at once: one tap for a household of any size
    } else if (node.dataset.action === "due") {
      el.sheetView.querySelector('input[name="due"]').value = plusDays(Number(node.dataset.days));
    } else if (node.dataset.action === "back") {
      closeSheet();
    }
  });
  el.sheetView.addEventListener("change", function (event) {
    // Save waits for the photo being compressed: a quick tap on Save must not leave it behind.
    if (event.target.classList.contains("field-photo")) state.sheet.photoDone = addPhoto(event.target);
  });
  el.sheetView.addEventListener("submit", function (event) {
    event.preventDefault();
    Promise.resolve(state.sheet.photoDone).then(function () { save(event.target); });
  });
  el.problems.addEventListener("click", async function (event) {
    var node = event.target.closest("button[data-action]");
    if (!node) return;
    var id = node.closest("[data-client]").dataset.client;
    var db = await dbReady;
    await db.delete(node.dataset.action === "delete" ? "outbox" : "notices", id);
    await loadOutbox();
    renderAll();
  });
  window.addEventListener("online", function () {
    state.unreachable = false;
    loadFromNetwork().then(loadFromPhone).then(renderAll).then(sync);
  });
  window.addEventListener("offline", renderBanner);
  setInterval(function () { if (state.outbox.length) sync(); }, RETRY_MS);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(URLS.worker, {scope: URLS.scope}).catch(function () { return null; });
  }

  // The phone's copy first (the list opens at once, with or without a network), then the network's.
  var started = loadFromPhone().then(function () {
    renderAll();
    performance.mark("field-list");
    root.dataset.ready = "phone";
    return loadFromNetwork();
  }).then(function (fresh) {
    if (fresh) return loadFromPhone().then(renderAll);
  }).then(function () {
    root.dataset.ready = "done";
    return sync();
  });
  window.tuopinField = {ready: started, sync: sync, db: dbReady};
})();
