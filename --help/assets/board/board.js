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

/* 朗读 (read aloud), on activity and notice pages: the button is `hidden` in the HTML and shown
 * only where the browser can speak Chinese (a voice whose lang starts with "zh"; voices may
 * arrive later, with `voiceschanged`). It reads the title and the staff's text: the elements
 * after the facts and before the photos, attachments and links. One utterance per paragraph:
 * some engines stop a long one part-way. Nothing is sent anywhere by this page; a local voice
 * is preferred over one the browser says is a network service. */
(function () {
  "use strict";
  var STOP_AT = ".cb-photos, #attachments, .cb-back";
  var SKIP = /^(DL|SCRIPT|STYLE|NAV|FIGURE|TEMPLATE)$/;

  function synth() {
    return ("speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function")
      ? window.speechSynthesis : null;
  }
  function chineseVoice(engine) {
    var voices = (engine.getVoices && engine.getVoices()) || [];
    var found = null;
    for (var i = 0; i < voices.length; i++) {
      if (/^zh/i.test(voices[i].lang || "")) {
        if (voices[i].localService !== false) { return voices[i]; }
        found = found || voices[i];
      }
    }
    return found;
  }
  function clean(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }
  function parts(article) {
    var out = [];
    var title = article.querySelector("h1");
    if (title) {
      var copy = title.cloneNode(true);
      var marks = copy.querySelectorAll(".cb-new");
      for (var m = 0; m < marks.length; m++) { marks[m].parentNode.removeChild(marks[m]); }
      out.push(clean(copy.textContent));
    }
    var started = false;
    for (var el = article.firstElementChild; el; el = el.nextElementSibling) {
      if (el.matches(STOP_AT)) { break; }
      if (el.matches(".cb-read-bar, .cb-facts, .cb-stats")) { started = true; continue; }
      if (!started || SKIP.test(el.tagName)) { continue; }
      var text = clean(el.innerText || el.textContent);
      if (text) { out.push(text); }
    }
    return out;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".cb-read");
    var engine = synth();
    if (!button || !engine) { return; }
    var article = button.closest("article");
    var reading = false;

    function show() { button.hidden = !chineseVoice(engine); }
    function set(on) {
      reading = on;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "停止朗读" : "朗读";
    }
    show();
    if (engine.addEventListener) { engine.addEventListener("voiceschanged", show); }
    else { engine.onvoiceschanged = show; }

    button.addEventListener("click", function () {
      if (reading) { engine.cancel(); set(false); return; }
      var voice = chineseVoice(engine);
      if (!voice || !article) { return; }
      engine.cancel();
      var texts = parts(article);
      set(true);
      for (var i = 0; i < texts.length; i++) {
        var u = new window.SpeechSynthesisUtterance(texts[i]);
        u.lang = "zh-CN";
        u.voice = voice;
        u.rate = 0.9;  /* a little slower than the default, for older listeners */
        if (i === texts.length - 1) { u.onend = function () { set(false); }; }
        u.onerror = function () { set(false); };
        engine.speak(u);
      }
    });
  });
})();
