// report-reader: the header's search, a dialog over Pagefind's index (site/pagefind/, built by
// `make site` after MkDocs). Nothing of search is fetched with the page: Pagefind's script, the
// index chunks a query needs and this dialog's style are loaded when the dialog first opens.
// Without JavaScript the button stays hidden (overrides/partials/site-search.html).
(function () {
  "use strict";
  var button = document.querySelector(".rr-search-open");
  var dialog = document.getElementById("rr-search");
  if (!button || !dialog || typeof dialog.showModal !== "function") return;
  var field = dialog.querySelector(".rr-search__field");
  var status = dialog.querySelector(".rr-search__status");
  var list = dialog.querySelector(".rr-search__results");
  var form = dialog.querySelector("form");
  var bundle = new URL(button.dataset.bundle, location.href);
  var engine = null, styled = null, opener = null, asked = 0;

  function style() {
    if (!styled) {
      styled = new Promise(function (done) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = button.dataset.style;
        link.onload = link.onerror = function () { done(); };
        document.head.appendChild(link);
      });
    }
    return styled;
  }

  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        // Result addresses are made from the site's root, which is where the bundle's folder sits.
        return pf.options({baseUrl: new URL("../", bundle).pathname}).then(function () {
          pf.init();
          return pf;
        });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  // Pagefind cuts Chinese into words twice: when it indexes (jieba) and in the browser when a query
  // is typed (Intl.Segmenter), and the two disagree (枫桥经验 is 枫桥|经验 in the index, 枫|桥|经验 in
  // the query), so a page holding the very phrase can be missed or outranked by pages holding its
  // parts apart. So: a page is shown first when its text holds the query as typed, the report's
  // own pages before glossaries; when few pages do, the pages with a word beginning with the query's
  // first character are looked through as well. Pages holding only some of the words are shown when
  // none holds the query. Each page looked at is a fetch of its text (15-40 KB), so only the pages
  // Pagefind ranks highest are.
  var FETCHED = 10, FEW = 3;
  var HAN = /^\p{Script=Han}/u;

  function parts(query) { return query.split(/\s+/).filter(Boolean); }
  function holds(text, words) { return words.every(function (w) { return text.indexOf(w) >= 0; }); }

  async function find(pf, query) {
    var words = parts(query), seen = new Set(), pages = [];
    async function take(results) {
      var fresh = results.filter(function (r) { return !seen.has(r.id); }).slice(0, FETCHED);
      fresh.forEach(function (r) { seen.add(r.id); });
      (await Promise.all(fresh.map(function (r) { return r.data(); }))).forEach(function (d) {
        d.content = d.content.replace(/\u200b/g, "");  // Pagefind's marks of where it cut words
        pages.push(d);
      });
    }
    var found = await pf.debouncedSearch(query, {}, 200), unread = 0;
    if (found === null) return null;  // a later query replaced this one
    await take(found.results);
    unread = found.results.length - seen.size;
    if (pages.filter(function (d) { return holds(d.content, words); }).length < FEW && HAN.test(words[0])) {
      var wider = (await pf.search(words[0][0])).results;
      await take(wider);
      unread += wider.filter(function (r) { return !seen.has(r.id); }).length;
    }
    var exact = pages.filter(function (d) { return holds(d.content, words); });
    var own = exact.filter(function (d) { return d.meta.kind === "report"; });
    return {words: words, exact: own.concat(exact.filter(function (d) { return d.meta.kind !== "report"; })),
            other: pages.filter(function (d) { return !holds(d.content, words); }), unread: unread};
  }

  // Text with the query's words marked; text only, so nothing in a page's words can become markup.
  function marked(text, words, className) {
    var out = document.createElement("p"), at = 0;
    out.className = className;
    var pattern = new RegExp(words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    text.replace(pattern, function (hit, index) {
      out.appendChild(document.createTextNode(text.slice(at, index)));
      var mark = document.createElement("mark");
      mark.textContent = hit;
      out.appendChild(mark);
      at = index + hit.length;
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  // Pagefind's own excerpt (for a page holding only some of the words): its escaped text with <mark>
  // around matched words; only that text and those marks are copied into the page.
  function pagefindExcerpt(html) {
    var out = document.createElement("p"), tpl = document.createElement("template");
    out.className = "rr-search__excerpt";
    tpl.innerHTML = html;
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  // The part of the page (its heading with an id, which Pagefind gives as a sub-result) that holds
  // the text at `index`: the last heading that starts before it.
  function partAt(data, index) {
    var best = null, bestAt = -1;
    (data.sub_results || []).forEach(function (sub) {
      var at = data.content.indexOf(sub.title);
      if (at >= 0 && at <= index && at > bestAt) { best = sub; bestAt = at; }
    });
    return best;
  }

  function mostMatched(data) {
    var best = null;
    (data.sub_results || []).forEach(function (sub) {
      if (!best || (sub.locations || []).length > (best.locations || []).length) best = sub;
    });
    return best;
  }

  // One item per page: its title, the report it belongs to, the part that matches, and an excerpt.
  function item(data, words, exact) {
    var part, text;
    if (exact) {
      var content = data.content, index = content.indexOf(words[0]), end = index + words[0].length;
      var from = Math.max(0, index - 30), to = Math.min(content.length, end + 60);
      // within its paragraph: Pagefind's text ends each block with a full stop and a space
      var before = content.slice(from, index).match(/^.*[。！？.!?]\s+/);
      if (before) from += before[0].length;
      else from += content.slice(from, index).match(/^[，。；：、！？,.;:]*/)[0].length;  // not from a comma
      var after = content.slice(end, to).match(/[。！？.!?](?=\s)/);
      if (after) to = end + after.index + 1;
      part = partAt(data, index);
      text = marked((from > 0 && !before ? "…" : "") + content.slice(from, to) + (to < content.length && !after ? "…" : ""),
                    words, "rr-search__excerpt");
    } else {
      part = mostMatched(data);
      text = pagefindExcerpt((part || data).excerpt || "");
    }
    var li = document.createElement("li"), a = document.createElement("a");
    li.className = "rr-search__result";
    a.href = (part || data).url;
    function line(className, content) {
      var span = document.createElement("span");
      span.className = className;
      span.textContent = content;
      a.appendChild(span);
    }
    line("rr-search__title", data.meta.title || data.url);
    if (data.meta.report) line("rr-search__report", data.meta.report);
    if (part && part.title && part.title !== data.meta.title) line("rr-search__part", part.title);
    li.appendChild(a);
    li.appendChild(text);
    return li;
  }

  async function search() {
    var query = field.value.trim(), mine = ++asked;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索……";
    try {
      var found = await find(await pagefind(), query);
      if (found === null || mine !== asked) return;
      var items = found.exact.map(function (d) { return item(d, found.words, true); });
      if (!items.length) items = found.other.map(function (d) { return item(d, found.words, false); });
      list.replaceChildren.apply(list, items);
      status.textContent = (found.exact.length ? found.exact.length + " 个页面含“" + query + "”" :
        found.other.length ? "没有页面含“" + query + "”；以下页面含其中的词" : "没有找到“" + query + "”") +
        (found.unread ? "（另有 " + found.unread + " 个页面可能相关，未查看；可加词缩小范围）" : "");
    } catch (error) {
      if (mine === asked) status.textContent = "搜索暂不可用：索引未能加载。";
    }
  }

  function open() {
    if (dialog.open) return;
    opener = document.activeElement;
    style().then(function () {
      if (dialog.open) return;
      dialog.showModal();
      field.focus();
      field.select();
      pagefind().catch(function () {});  // start loading while the reader types
      if (field.value.trim()) search();
    });
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  button.hidden = false;
  button.addEventListener("click", open);
  dialog.addEventListener("close", function () {
    var back = opener && document.contains(opener) ? opener : button;
    opener = null;
    back.focus();
  });
  dialog.querySelector(".rr-search__close").addEventListener("click", close);
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) close();  // a click on the backdrop, outside the dialog's box
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  field.addEventListener("input", search);
  // Escape closes at once: a search field would first take it to clear itself.
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  });
})();
