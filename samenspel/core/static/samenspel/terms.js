// Explained terms (the group's glossary): Escape hides the explanation that hover or focus
// showed (WCAG 1.4.13, dismissible); leaving the term shows it again next time.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".ss-term:hover, .ss-term:focus-within").forEach(function (term) {
      term.classList.add("ss-term--dismissed");
    });
  });
  function reset(event) {
    var target = event.target;
    if (target.classList && target.classList.contains("ss-term")) {
      target.classList.remove("ss-term--dismissed");
    } else if (event.type === "focusout" && target.closest) {
      var term = target.closest(".ss-term");
      if (term) term.classList.remove("ss-term--dismissed");
    }
  }
  document.addEventListener("mouseleave", reset, true);
  document.addEventListener("focusout", reset);
})();
