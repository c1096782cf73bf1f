// Forms: a character counter under every long text with a limit, read out only when
// little room is left; the error summary receives focus when the page opens with it.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "nl";
  var words = lang === "en"
    ? { left: " characters left", over: " characters too many" }
    : { left: " tekens over", over: " tekens te veel" };

  function counter(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit || limit < 500) return;
    field.removeAttribute("maxlength"); // the server says when it is too long, with the count
    var output = document.createElement("p");
    output.className = "ss-counter";
    output.id = field.id + "_counter";
    output.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", output);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);
    function update() {
      var left = limit - field.value.length;
      output.textContent = (left >= 0 ? left.toLocaleString(lang) + words.left
        : (-left).toLocaleString(lang) + words.over);
      output.classList.toggle("ss-counter--over", left < 0);
      // Only near the limit is it worth saying out loud.
      output.setAttribute("aria-live", left < 100 ? "polite" : "off");
    }
    field.addEventListener("input", update);
    update();
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[maxlength]"), counter);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
