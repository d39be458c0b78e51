/* The debrief's forms replace the whole work area after each step (htmx). What someone typed in
   another form and has not saved yet (the prediction, a theme's name, a next step) is carried
   into the new copy, unless the server changed that field's saved value meanwhile: then the
   server's copy stands, as it does for the form that was sent. */
(function () {
  "use strict";
  var FIELDS = "textarea[id], input[id]:not([type=hidden]):not([type=checkbox]):not([type=radio])";
  var kept = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var work = document.getElementById("debrief-work");
    if (!work || !work.contains(event.detail.elt)) return;
    kept = {};
    work.querySelectorAll(FIELDS).forEach(function (field) {
      if (field.value !== field.defaultValue) kept[field.id] = { value: field.value, saved: field.defaultValue };
    });
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!kept) return;
    var typed = kept;
    kept = null;
    Object.keys(typed).forEach(function (id) {
      var field = document.getElementById(id);
      if (field && field.matches(FIELDS) && field.defaultValue === typed[id].saved) field.value = typed[id].value;
    });
  });
})();
