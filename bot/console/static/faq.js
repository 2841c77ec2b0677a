// FAQ form: a live character count under the answer (the form works without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) return;
    var max = parseInt(field.getAttribute("data-count-max"), 10);
    var update = function () {
      var length = field.value.trim().length;
      counter.textContent = length + " / " + max + "文字";
      counter.classList.toggle("over", length > max);
    };
    field.addEventListener("input", update);
    update();
  });
})();
