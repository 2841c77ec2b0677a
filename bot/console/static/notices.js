// お知らせ pages: small enhancements only; every page works without JavaScript.
// - the compose form hides what does not apply (areas when sending to everyone, the date when
//   sending now, interests for urgent kinds) and counts characters as LINE does (UTF-16 units);
// - a notice's page follows its delivery: it reads progress.json every second while it is sending.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var RETRY_MS = 5000;

  function checked(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function setEnabled(container, enabled) {
    if (!container) return;
    container.classList.toggle("is-hidden", !enabled);
    container.querySelectorAll("input").forEach(function (input) { input.disabled = !enabled; });
  }

  function updateForm(form) {
    setEnabled(document.getElementById("segment-choices"), checked(form, "target") === "segment");
    setEnabled(document.getElementById("later-fields"), checked(form, "timing") === "later");
    var kind = form.querySelector('input[name="kind"]:checked');
    var urgent = kind && kind.getAttribute("data-urgent") === "1";
    var interests = document.getElementById("interest-group");
    if (interests) {
      interests.classList.toggle("disabled", urgent);
      interests.querySelectorAll("input").forEach(function (input) {
        input.disabled = urgent || checked(form, "target") !== "segment";
      });
    }
  }

  function addCounter(field) {
    var limit = parseInt(field.getAttribute("data-count"), 10);
    var note = document.createElement("span");
    note.className = "char-count";
    note.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", note);
    var update = function () {
      var used = field.value.replace(/\r\n/g, "\n").length; // JS counts UTF-16 units, as LINE does
      note.textContent = used.toLocaleString("ja-JP") + " / " + limit.toLocaleString("ja-JP") + "文字";
      note.classList.toggle("over", used > limit);
    };
    field.addEventListener("input", update);
    update();
  }

  function setupForm(form) {
    form.addEventListener("change", function () { updateForm(form); });
    updateForm(form);
    form.querySelectorAll("[data-count]").forEach(addCounter);
  }

  function number(value) {
    return Number(value || 0).toLocaleString("ja-JP");
  }

  function watchProgress(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var shownState = box.getAttribute("data-state");
    var leaving = false; // the user clicked a link: a late answer must not reload this page instead
    window.addEventListener("beforeunload", function () { leaving = true; });

    function setField(name, text) {
      var target = box.querySelector('[data-field="' + name + '"]');
      if (target) target.textContent = text;
    }

    function show(data) {
      bar.max = data.bar_max;
      bar.value = data.bar_value;
      bar.textContent = data.percent + "%";
      setField("label", data.label);
      setField("targets", number(data.targets));
      setField("sent", number(data.sent));
      setField("failed", number(data.failed));
      setField("percent", String(data.percent));
      box.querySelectorAll("[data-unplanned]").forEach(function (note) { note.hidden = data.planned; });
      var badge = document.getElementById("status-badge");
      if (badge) {
        badge.textContent = data.label;
        badge.classList.remove("status-" + shownState);
        badge.classList.add("status-" + data.state);
      }
    }

    function next(delay) {
      window.setTimeout(poll, delay);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
          if (!response.ok || !json) throw new Error("progress " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (leaving) return;
          show(data);
          if (data.state !== shownState && !data.live) {
            window.location.reload(); // finished, held or stopped: show the buttons for the new state
            return;
          }
          shownState = data.state;
          if (data.live) next(POLL_MS);
        })
        .catch(function () { next(RETRY_MS); });
    }

    var note = box.querySelector("[data-live-note]");
    if (note) note.hidden = false;
    next(POLL_MS);
  }

  // An image the staff terminal cannot load (closed network, wrong URL): show the grey placeholder.
  function hideBroken(img) { img.hidden = true; }
  document.addEventListener("error", function (event) {
    if (event.target.matches && event.target.matches(".flex-image img")) hideBroken(event.target);
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".flex-image img").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0) hideBroken(img);
    });
    var form = document.querySelector("form.notice-form");
    if (form) setupForm(form);
    var box = document.querySelector("[data-progress-url]");
    if (box && box.getAttribute("data-live") === "1") watchProgress(box);
  });
})();
