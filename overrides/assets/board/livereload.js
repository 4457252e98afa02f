// Under `mkdocs serve` only (main.html links this file then; it is never published): MkDocs
// injects its live reload as an inline <script>, which the site's CSP (script-src 'self')
// blocks, so an open preview never refreshed after a save. This file polls the same way from
// our own host, reading the epoch from the text of the blocked script; the CSP stays as strict
// as on the published site.
(function () {
  "use strict";
  var found = null;
  var scripts = document.getElementsByTagName("script");
  for (var i = scripts.length - 1; i >= 0 && !found; i--) {
    found = /livereload\((\d+),\s*(\d+)\)/.exec(scripts[i].textContent || "");
  }
  if (!found) {
    return;
  }
  var epoch = parseFloat(found[1]);
  var requestId = found[2];
  var req = null;
  var timer = null;

  function poll() {
    stop();
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else if (req === this) {
        timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + found[1] + "/" + requestId);
    req.send();
  }

  function stop() {
    if (req) {
      var old = req;
      req = null;
      old.abort();
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("beforeunload", stop);
  if (document.visibilityState === "visible") {
    poll();
  }
})();
