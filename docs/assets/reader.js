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
  // Glossary: show only the entries that rest on one kind of source. The control is hidden in the
  // page, so without this script every entry shows and no control is offered that cannot work.
  function filterGlossary(form) {
    var value = (form.querySelector("input[name=rr-basis]:checked") || {}).value || "all";
    var shown = 0;
    document.querySelectorAll(".rr-entry[data-basis], dt[data-basis]").forEach(function (el) {
      var show = value === "all" || el.getAttribute("data-basis") === value;
      // An entry is its heading and its body; a brief entry its <dt> and <dd>.
      var partner = el.tagName === "DT" ? el.nextElementSibling : el.previousElementSibling;
      el.hidden = !show;
      if (partner && (partner.tagName === "DD" || partner.classList.contains("rr-entry-title"))) partner.hidden = !show;
      if (show) shown += 1;
    });
    // A letter's heading and brief list are hidden when none of their entries is shown.
    document.querySelectorAll(".md-content h2").forEach(function (h) {
      var any = false, el = h.nextElementSibling, seen = false;
      while (el && el.tagName !== "H2") {
        var entries = el.matches("[data-basis]") ? [el] : Array.prototype.slice.call(el.querySelectorAll("[data-basis]"));
        if (entries.length) seen = true;
        entries.forEach(function (e) { if (!e.hidden) any = true; });
        if (el.matches("dl")) el.hidden = entries.length > 0 && !entries.some(function (e) { return !e.hidden; });
        el = el.nextElementSibling;
      }
      if (seen) h.hidden = !any;
    });
    var count = form.querySelector(".rr-basis-count");
    if (count) count.textContent = value === "all" ? "" : "显示 " + shown + " 条";
  }
  // The page lists the choices; they become a group of radio buttons (arrow keys move between them).
  document.querySelectorAll(".rr-basis-filter").forEach(function (box) {
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = box.querySelector("p").textContent;
    fieldset.appendChild(legend);
    box.querySelectorAll("li[data-value]").forEach(function (li, i) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "rr-basis";
      input.value = li.getAttribute("data-value");
      input.checked = i === 0;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + li.textContent));
      fieldset.appendChild(label);
    });
    var count = document.createElement("p");
    count.className = "rr-basis-count";
    count.setAttribute("role", "status");
    box.textContent = "";
    box.appendChild(fieldset);
    box.appendChild(count);
    box.hidden = false;
    box.addEventListener("change", function () { filterGlossary(box); });
  });
})();
