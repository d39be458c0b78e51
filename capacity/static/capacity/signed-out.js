/* The sign-in page: nobody is signed in on this browser now. Drop the offline copies of the
 * rounds' notes pages that the notes pages' service worker kept (they show the last observer's
 * name and own notes), so the next person to use this phone never opens them. Notes still
 * waiting to be sent stay in this browser's outbox under their author, and are sent when that
 * person signs in and opens the notes page again (docs/rounds.md, "Visits and notes").
 */
(function () {
  "use strict";
  if (!window.caches) return;
  window.caches.keys().then(function (names) {
    names.forEach(function (name) {
      if (name.indexOf("capacity-rounds-notes-") === 0) window.caches.delete(name);
    });
  });
})();
