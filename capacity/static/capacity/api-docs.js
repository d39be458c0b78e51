/* Starts Swagger UI on the API documentation page (capacity/templates/api/docs.html).
   django-ninja's own starter reads the CSRF token from <body>; here the site's page owns
   <body>, so the token sits on the Swagger UI container instead. A file rather than an
   inline script: the Content-Security-Policy allows scripts from the site only. */
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = container.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (token) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();

/* Swagger UI's deep linking owns the address's #fragment on this page, so following the
   skip link changes the address without moving the focus: move it ourselves. */
(function () {
  "use strict";
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function () {
      main.focus();
    });
  }
})();
