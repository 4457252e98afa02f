/* Community Board: the 大字 (large text) switch.
 * Loaded in <head> so the reader's choice applies before the first paint (no flash).
 * The choice is kept in localStorage: it persists across pages and visits. Large text only
 * raises the root font size, in %, so WeChat's own font setting still scales on top of it.
 * Without JavaScript the switch stays hidden and the page is unchanged. */
(function () {
  "use strict";
  var KEY = "cb-large-text";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, "1"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }
  function apply(on) {
    root.classList.toggle("cb-large", on);
  }

  apply(stored());
  root.classList.add("cb-js");

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".cb-large-toggle");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.setAttribute("aria-pressed", stored() ? "true" : "false");
      button.addEventListener("click", function (event) {
        var on = !root.classList.contains("cb-large");
        apply(on);
        store(on);
        event.currentTarget.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
  });
})();
