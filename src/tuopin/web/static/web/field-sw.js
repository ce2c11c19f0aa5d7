/* The field app's service worker (decision 1565), served by /field/sw.js with CONFIG in front of this text:
   {page, shell: [static URLs], version, api}. It keeps the app shell so that /field/ opens without a network.
   The page itself is network-first (it carries the session's CSRF token and the account), the static files are
   served from the cache and refreshed behind; the field API is never cached here: the page keeps its data in
   IndexedDB, and a POST always goes to the network. */
"use strict";
var CACHE = "tuopin-field-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // The page only as the logged-in account gets it: a redirect to the login page is not kept as the app.
    var page = fetch(CONFIG.page, {credentials: "same-origin"}).then(function (response) {
      if (response.ok && !response.redirected) return cache.put(CONFIG.page, response);
    });
    return Promise.all([cache.addAll(CONFIG.shell), page]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("tuopin-field-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageFirst(request) {
  return fetch(request).then(function (response) {
    // A redirect to the login page is not the app: keep the last good copy.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(CONFIG.page, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(CONFIG.page, {cacheName: CACHE}).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function cacheFirst(request) {
  return caches.match(request, {cacheName: CACHE}).then(function (hit) {
    var refresh = fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
    if (hit) {
      refresh.catch(function () { return null; });
      return hit;
    }
    return refresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(CONFIG.api) === 0) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(pageFirst(request));
  } else if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request));
  }
});
