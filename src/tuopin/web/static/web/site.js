/* Small progressive enhancements; every page works without them. Loaded in <head> without defer so that
   the "js" class is set before the first paint (no flash of the unfolded menu on phones). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // The year picker shows the chosen year at once; without JavaScript its button does the same.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });

  // Logging out of an account that uses the field app (decision 1627): what the app kept on this phone is cleared
  // first — the households, the checklist, the notices and the service worker's copy of the page — so that the next
  // person to pick up a shared phone reads none of it. Visits not yet sent are the one thing kept, and only once the
  // person has said so: deleting them would lose their work. No storage error ever stops the logout.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-field-db]") || form.dataset.cleared) return;
    event.preventDefault();
    forgetField(form).then(function (leave) {
      if (!leave) return;
      form.dataset.cleared = "1";
      form.submit();
    });
  });

  function forgetField(form) {
    var name = form.dataset.fieldDb;
    return openExisting(name).then(function (db) {
      if (!db) return true;
      return count(db, "outbox").then(function (unsent) {
        if (!unsent) {
          db.close();
          return remove(name);
        }
        if (!window.confirm(form.dataset.unsentQuestion.replace("%(n)s", unsent))) {
          db.close();
          return false;
        }
        return clear(db, ["households", "meta", "notices"]).then(function () { db.close(); return true; });
      });
    }).catch(function () { return true; }).then(function (leave) {
      return leave ? forgetPage(form.dataset.fieldPage).then(function () { return true; }) : false;
    });
  }

  // The account's field database if this browser has one: opening a name that does not exist would create it, so
  // such an opening is aborted in its upgrade (which only a new database runs).
  function openExisting(name) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var request = window.indexedDB.open(name);
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function (e) { e.preventDefault(); resolve(null); };
      request.onblocked = function () { resolve(null); };
    });
  }

  function count(db, store) {
    return new Promise(function (resolve, reject) {
      var request = db.transaction(store).objectStore(store).count();
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function clear(db, stores) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(stores, "readwrite");
      stores.forEach(function (store) { tx.objectStore(store).clear(); });
      tx.oncomplete = function () { resolve(); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  // The field page closes its own connection when asked (field.js `blocking`), so the deletion is not held up; a
  // connection that does not give way (another tab of an older page) delays it until that tab closes, not the logout.
  function remove(name) {
    return new Promise(function (resolve) {
      var request = window.indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(true); };
    });
  }

  // The page as the service worker kept it (it carries the account): deleted from every cache of the field app.
  function forgetPage(path) {
    if (!window.caches || !path) return Promise.resolve();
    return window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("tuopin-field-") === 0; }).map(function (n) {
        return window.caches.open(n).then(function (cache) { return cache.delete(path); });
      }));
    }).catch(function () { return null; });
  }
})();
