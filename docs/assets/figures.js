// report-reader: sorts a table marked data-sortable (the comparison of targets) by a column, on a click
// of its head. Without this file the table is a plain table, in its own order.
(function () {
  "use strict";
  function key(cell) {
    if (!cell) return null;
    var n = cell.getAttribute("data-sort");
    if (n !== null) return parseFloat(n);
    var text = cell.textContent.trim();
    return text === "" ? null : text;
  }
  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1; // a blank cell (no figure stated) sorts last either way
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "zh-Hans-CN");
  }
  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = key(r1.cells[index]), b = key(r2.cells[index]);
      if (a === null || b === null) return compare(a, b);
      return ascending ? compare(a, b) : compare(b, a);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function setUp() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.getAttribute("data-sortable") === "on") return;
      table.setAttribute("data-sortable", "on");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
