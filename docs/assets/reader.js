// report-reader: small behaviours that CSS cannot do alone. The site works without this file.
(function () {
  "use strict";
  // A tooltip near the right edge opens to the left, so it stays on screen.
  function place(el) {
    el.classList.remove("rr-tip-left");
    var box = el.getBoundingClientRect();
    if (box.left + 320 > window.innerWidth) el.classList.add("rr-tip-left");
  }
  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest && e.target.closest("a.rr-term, .rr-noteref a");
    if (el) place(el);
  });
  document.addEventListener("focusin", function (e) {
    var el = e.target.closest && e.target.closest("a.rr-term, .rr-noteref a");
    if (el) place(el);
  });
  // Escape dismisses a tooltip opened by keyboard focus.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.activeElement && document.activeElement.matches("a.rr-term, .rr-noteref a")) {
      document.activeElement.blur();
    }
  });
})();
