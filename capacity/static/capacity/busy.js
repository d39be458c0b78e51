// A busy indicator for forms that take a while (the policy simulator), as progressive
// enhancement: without JavaScript the form submits as usual and the browser shows its own
// progress. With it, a form marked data-busy="#target" shows its .busy element ("Working...")
// and sets aria-busy on the target from submit (or a sort link's click) until the answer
// arrives, by htmx or by a full page load. No inline script: the Content-Security-Policy
// allows only the site's own files.
(function () {
  "use strict";

  function parts(form) {
    return {
      target: document.querySelector(form.getAttribute("data-busy")),
      note: form.querySelector(".busy"),
    };
  }

  function busy(form, on) {
    var p = parts(form);
    if (p.target) p.target.setAttribute("aria-busy", on ? "true" : "false");
    if (p.note) p.note.hidden = !on;
  }

  function everyForm(on) {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      busy(form, on);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-busy]");
    if (form) busy(form, true);
  });
  // A sort link inside the answer also asks the server again.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.sort");
    if (link && link.closest("[aria-busy]")) everyForm(true);
  });
  document.addEventListener("htmx:afterRequest", function () {
    everyForm(false);
  });
  // Coming back to the page from the browser's history must not show it still working.
  window.addEventListener("pageshow", function () {
    everyForm(false);
  });
})();
