// Staff console: small progressive enhancements only; every page works without JavaScript.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // fetch() with the console's CSRF header, for pages that send data from scripts:
  //   consoleFetch("/console/...", {method: "POST", body: JSON.stringify(data)})
  window.consoleFetch = function (url, options) {
    options = options || {};
    var headers = new Headers(options.headers || {});
    headers.set("X-CSRF-Token", csrfToken());
    options.headers = headers;
    options.credentials = "same-origin";
    return fetch(url, options);
  };

  function copyFrom(button) {
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field) return;
    field.focus();
    field.select();
    var done = function () { button.textContent = button.getAttribute("data-copied-label") || "OK"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (button) copyFrom(button);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-select-on-focus")) event.target.select();
  });
})();
