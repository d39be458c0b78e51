{% load static %}/* The notes pages' service worker (capacity/rounds/views_visits.py, rounds_notes_worker).
 *
 * Its scope is /rounds/. It answers only for a visit's notes page and the site's static
 * files, network first: online, the page and files come from the server and a copy is
 * kept; offline, the kept copy is served, so a team member can open the notes page and
 * write in a classroom without a connection. Everything else (the sync, other pages)
 * goes to the network untouched.
 */
"use strict";

var CACHE = "capacity-rounds-notes-v1";
var STATIC = "{% get_static_prefix %}";
var NOTES_PAGE = /^\/rounds\/visits\/\d+\/notes\/$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("capacity-rounds-notes-") === 0 && n !== CACHE;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!NOTES_PAGE.test(url.pathname) && url.pathname.indexOf(STATIC) !== 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && response.type === "basic" && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
