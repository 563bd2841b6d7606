// A raw page opened from an article (?lines=5-17#L5): the article's lines marked.
(function () {
  "use strict";
  var match = /^(\d+)-(\d+)$/.exec(new URLSearchParams(location.search).get("lines") || "");
  if (!match) return;
  for (var n = +match[1]; n <= +match[2] && n - match[1] < 10000; n++) {
    var line = document.getElementById("L" + n);
    if (line) line.classList.add("cited");
  }
})();
