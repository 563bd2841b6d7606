// The citation line of an article page: its access date ([引用日期]) is
// today's, which only the reader's browser knows; and a button copies it.
(function () {
  "use strict";
  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var stamp = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
  document.querySelectorAll("[data-cited]").forEach(function (el) { el.textContent = stamp; });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // http:// hosts and file:// have no clipboard API: a selected textarea and execCommand
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy refused"));
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copied");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent.replace(/\s+/g, " ").trim()).then(function () {
        status.textContent = "已复制。";
      }, function () {
        status.textContent = "未能复制，请手动选择引文。";
      });
    });
  });
})();
