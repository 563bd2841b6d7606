// An article opened from a search result: its address ends in
// #hl=words separated by spaces (search-ui.js puts them there). Every
// occurrence of them in the headline and the text is marked, and the page
// scrolls to the first. Without JavaScript, or without #hl=, the article is
// left as it is. A classic script, so that it also runs from file://.
(function () {
  "use strict";
  var match = /(?:^#|&)hl=([^&]*)/.exec(location.hash);
  if (!match) return;
  var words;
  try {
    words = decodeURIComponent(match[1]).split(/\s+/).filter(Boolean);
  } catch (error) {
    return;
  }
  // Full-width letters and digits as half-width, lower case: as the search
  // folds them. A character that folds to more than one is kept as it is,
  // so that positions in the folded text are positions in the text.
  function fold(ch) {
    var f = ch.normalize("NFKC").toLowerCase();
    return f.length === ch.length ? f : ch;
  }
  function foldAll(text) {
    return text.replace(/[\s\S]/g, fold);
  }
  var terms = words.map(foldAll).filter(function (w, i, all) { return all.indexOf(w) === i; });
  terms.sort(function (a, b) { return b.length - a.length; });     // the longer of overlapping terms wins
  if (!terms.length || terms.length > 50) return;

  function spans(text) {
    var folded = foldAll(text), found = [];
    terms.forEach(function (term) {
      for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) found.push([at, at + term.length]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push(s.slice());
    });
    return merged;
  }

  function markNode(node) {
    var text = node.nodeValue, found = spans(text);
    if (!found.length) return;
    var parts = document.createDocumentFragment(), at = 0;
    found.forEach(function (s) {
      if (s[0] > at) parts.appendChild(document.createTextNode(text.slice(at, s[0])));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(s[0], s[1]);
      parts.appendChild(mark);
      at = s[1];
    });
    if (at < text.length) parts.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(parts, node);
  }

  function markIn(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(markNode);
  }

  function run() {
    var article = document.querySelector("article[data-id]");
    if (!article) return;
    var parts = article.querySelectorAll("header h1, [data-text]");
    Array.prototype.forEach.call(parts, markIn);
    var first = article.querySelector("[data-text] mark.search-hit") || article.querySelector("mark.search-hit");
    if (first) first.scrollIntoView({ block: "center" });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
