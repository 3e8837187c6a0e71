// report-reader: what CSS cannot do alone. The site works without this file: a term is then a link
// to its glossary entry, a note mark a link to the note.
(function () {
  "use strict";
  var TERM = "a.rr-term", NOTE = ".rr-noteref a", MARK = TERM + ", " + NOTE;
  var pop = null, opener = null;

  // What a mark explains, read from the page itself: a term from its entry in the section's term list
  // (aria-describedby), a note from the note it links to. Nothing is fetched.
  function termParts(el) {
    var dt = document.getElementById(el.getAttribute("aria-describedby") || "");
    if (!dt || dt.tagName !== "DT") return null;
    var dd = dt.nextElementSibling, link = dt.querySelector("a");
    return {title: link ? link.textContent : el.textContent, href: el.getAttribute("href"),
            meta: [dt.querySelector(".rr-pinyin"), dt.querySelector("[lang=en]")], body: dd};
  }
  function noteParts(el) {
    var id = (el.getAttribute("href") || "").replace(/^#/, "");
    var li = id && document.getElementById(id);
    if (!li) return null;
    return {title: el.getAttribute("aria-label") || el.textContent, href: "#" + id, meta: [], body: li};
  }
  // A short text for the CSS tooltip on hover, filled in when first needed: term：definition（what it
  // rests on）. The page holds it once, in its term list, not on every mark.
  function tip(el) {
    if (el.hasAttribute("data-tip") || !el.matches(TERM)) return;
    var parts = termParts(el);
    if (!parts || !parts.body) return;
    var badge = parts.body.querySelector(".rr-status"), text = "";
    Array.prototype.forEach.call(parts.body.childNodes, function (n) { if (n !== badge) text += n.textContent; });
    el.setAttribute("data-tip", parts.title + "：" + text.trim() + (badge ? "（" + badge.textContent + "）" : ""));
  }

  function build() {
    pop = document.createElement("div");
    pop.id = "rr-pop";
    pop.className = "rr-pop md-typeset";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-labelledby", "rr-pop-title");
    pop.hidden = true;
    document.body.appendChild(pop);
    pop.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(true); }
    });
  }

  function nextOf(el) {
    // The same term's marks: the same entry address (its id is the address's fragment).
    var same = el.matches(TERM) ? document.querySelectorAll(TERM + '[href="' + CSS.escape(el.getAttribute("href")) + '"]') : [];
    for (var i = 0; i < same.length; i++) if (same[i] === el) return same[i + 1] || null;
    return null;
  }

  function open(el, byKeyboard) {
    var parts = el.matches(TERM) ? termParts(el) : noteParts(el);
    if (!parts) return false;
    if (!pop) build();
    if (opener && opener !== el) opener.setAttribute("aria-expanded", "false");
    opener = el;
    pop.textContent = "";
    var head = document.createElement("p");
    head.className = "rr-pop-title";
    head.id = "rr-pop-title";
    head.textContent = parts.title;
    pop.appendChild(head);
    parts.meta.forEach(function (m) {
      if (m) { var c = m.cloneNode(true); c.removeAttribute("id"); head.appendChild(document.createTextNode(" ")); head.appendChild(c); }
    });
    if (parts.body) {
      var body = document.createElement("div");
      body.className = "rr-pop-body";
      Array.prototype.forEach.call(parts.body.childNodes, function (n) {
        var c = n.cloneNode(true);
        if (c.querySelectorAll) Array.prototype.forEach.call(c.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
        if (c.id) c.removeAttribute("id");
        body.appendChild(c);
      });
      Array.prototype.forEach.call(body.querySelectorAll(".rr-note-tools, .rr-backref"), function (x) { x.remove(); });
      pop.appendChild(body);
    }
    var links = document.createElement("p");
    links.className = "rr-pop-links";
    var full = document.createElement("a");
    full.href = parts.href;
    full.textContent = el.matches(TERM) ? "完整释义" : "到注释";
    links.appendChild(full);
    var next = nextOf(el);
    if (next) {
      var go = document.createElement("a");
      go.href = "#";
      go.textContent = "下一处";
      go.addEventListener("click", function (e) {
        e.preventDefault();
        e.stopPropagation();  // the popover is rebuilt for `next`: this link is no longer inside it
        next.scrollIntoView({block: "center"});
        open(next, true);
      });
      links.appendChild(go);
    }
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "rr-pop-close";
    shut.textContent = "关闭";
    shut.addEventListener("click", function () { close(true); });
    links.appendChild(shut);
    pop.appendChild(links);
    place(el);
    pop.hidden = false;
    el.setAttribute("aria-expanded", "true");
    el.classList.add("rr-open");
    if (byKeyboard) full.focus();
    return true;
  }

  function place(el) {
    var narrow = window.matchMedia("(max-width: 44.9375em)").matches;
    pop.classList.toggle("rr-pop--sheet", narrow);
    if (narrow) { pop.style.left = pop.style.top = ""; return; }
    var box = el.getBoundingClientRect();
    var left = Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 360);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function close(refocus) {
    if (!pop || pop.hidden) return;
    pop.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.classList.remove("rr-open");
      if (refocus) opener.focus();
    }
    opener = null;
  }

  Array.prototype.forEach.call(document.querySelectorAll(MARK), function (el) {
    el.setAttribute("aria-expanded", "false");
    el.setAttribute("aria-controls", "rr-pop");
  });

  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(MARK);
    if (el) {
      // The first tap or click shows the definition where the reader is; a second one follows the link.
      if (el === opener && !pop.hidden) return;
      if (open(el, false)) e.preventDefault();
      return;
    }
    if (pop && !pop.hidden && !pop.contains(e.target)) close(false);
  });
  document.addEventListener("keydown", function (e) {
    var el = e.target.closest && e.target.closest(MARK);
    if (el && (e.key === "Enter" || e.key === " ")) {
      if (open(el, true)) e.preventDefault();
    } else if (e.key === "Escape") {
      if (pop && !pop.hidden) close(true);
      else if (document.activeElement && document.activeElement.matches(MARK)) document.activeElement.blur();
    }
  });

  // Hover and keyboard focus on a desktop keep the short tooltip, kept on screen near the right edge.
  function hint(e) {
    var el = e.target.closest && e.target.closest(MARK);
    if (!el) return;
    tip(el);
    el.classList.remove("rr-tip-left");
    if (el.getBoundingClientRect().left + 320 > window.innerWidth) el.classList.add("rr-tip-left");
  }
  document.addEventListener("mouseover", hint);
  document.addEventListener("focusin", hint);

  // "加注": the page links each paragraph to the report's notes folder on GitHub. Hovered, focused,
  // touched or clicked, the link becomes GitHub's new-file editor with a note prefilled: the report,
  // the paragraph's first sentence (at most 30 characters) as its quote, and the fields to fill in.
  // The quote is the report's own words as shown: lead and body, without the marks the site adds.
  var NOTE_HEAD = "# 新注释：把 quote 缩短为要注释的原文片段（须与报告原文逐字一致），写好 body 与 sources 后提交。\n" +
                  "# New note: shorten quote to the exact passage, write body and sources, then propose the file.\n";
  var NOTE_TAIL = "\nbody: |\n  \nsources:\n  - publisher: \n    title: \n    date: \n    url: \n" +
                  "    # via: （转载页的地址，原发布者的地址写在 url）\nauthor: \n";
  var ADDED = ".headerlink, .rr-pl, .rr-noteref, .rr-addnote, .rr-figref";  // not the report's words

  function wordsOf(el) {
    var copy = el.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(ADDED), function (x) { x.remove(); });
    return copy.textContent;
  }
  function paragraphWords(p) {
    var lead = p.classList.contains("rr-p--led") ? p.previousElementSibling : null;
    return (lead && lead.classList.contains("rr-lead") ? wordsOf(lead) : "") + wordsOf(p);
  }
  function noteLink(a) {
    var folder = a.getAttribute("href"), p = a.closest("p.rr-p"), m = /^(.*)\/tree\/([^\/]+\/annotations\/notes\/([^\/?#]+))$/.exec(folder);
    if (!m || !p || !a.hasAttribute("data-note")) return;
    var first = Array.from(paragraphWords(p).split(/(?<=[。；;！？])/)[0]).slice(0, 30).join("");
    var value = NOTE_HEAD + "report: " + m[3] + "\nquote: " + JSON.stringify(first) + NOTE_TAIL;
    a.href = m[1] + "/new/" + m[2] + "?filename=" + encodeURIComponent(a.getAttribute("data-note") + "-note.yml") +
             "&value=" + encodeURIComponent(value);
    a.removeAttribute("data-note");  // built once
  }
  ["mouseover", "focusin", "touchstart", "click"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var a = e.target.closest && e.target.closest("a.rr-addnote[data-note]");
      if (a) noteLink(a);
    }, {capture: true, passive: true});
  });

  // Code blocks that scroll sideways can be scrolled with the keyboard.
  Array.prototype.forEach.call(document.querySelectorAll(".md-typeset pre > code"), function (c) {
    if (c.scrollWidth > c.clientWidth) c.tabIndex = 0;
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
