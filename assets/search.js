/* Search page: Pagefind's Default UI, with Chinese labels and Broadsheet's substring search.
 *
 * Pagefind segments queries with the browser's Intl.Segmenter but pages with jieba, so
 * Chinese queries often miss (see broadsheet/search.py).  The index holds the text's
 * character bigrams as ASCII tokens; processTerm encodes the query the
 * same way (keep in step with broadsheet.search.gram_query), and processResult points
 * each result at the real page and builds the excerpt from the text around the query.
 */
(function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") { return; }
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;
  // One Pagefind bundle per shard (pagefind/2024-01/, pagefind/2024-02-a/ …): the newest is primary,
  // the rest are merged.
  var bundle = new URL(el.getAttribute("data-bundle"), window.location.href);
  var siteRoot = new URL("../../", bundle).pathname;
  var merge = (el.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (shard) {
    return { bundlePath: new URL("../" + shard + "/", bundle).pathname };
  });
  var lastQuery = "";

  function code(ch) {
    var s = ch.codePointAt(0).toString(36);
    while (s.length < 4) { s = "0" + s; }
    return s;
  }
  function tokens(run) {
    var codes = Array.from(run).map(code), out = [];
    for (var i = 0; i + 1 < codes.length; i++) { out.push("qx" + codes[i] + codes[i + 1]); }
    return out;
  }
  function gramQuery(query) {
    var parts = [], at = 0, m;
    HAN.lastIndex = 0;
    while ((m = HAN.exec(query)) !== null) {
      query.slice(at, m.index).split(/\s+/).filter(Boolean).forEach(function (w) { parts.push([false, w]); });
      parts.push([true, m[0]]);
      at = m.index + m[0].length;
    }
    query.slice(at).split(/\s+/).filter(Boolean).forEach(function (w) { parts.push([false, w]); });
    var terms = [];
    parts.forEach(function (p) {
      if (!p[0]) { terms.push(p[1]); return; }
      var t = tokens(p[1]);
      terms.push.apply(terms, t.length ? t : ["qx" + code(p[1])]);
    });
    if (parts.length === 1 && parts[0][0] && Array.from(parts[0][1]).length > 1) {
      return '"' + terms.join(" ") + '"';
    }
    return terms.join(" ");
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function excerpt(text, query, size) {
    var terms = query.split(/\s+/).filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    var lower = text.toLowerCase(), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) { at = lower.indexOf(terms[i].toLowerCase()); }
    var chars = Array.from(text);
    var start = Math.max(0, (at < 0 ? 0 : Array.from(text.slice(0, at)).length) - Math.floor(size / 3));
    var piece = chars.slice(start, start + size).join("");
    var html = escapeHtml(piece);
    terms.forEach(function (t) {
      var e = escapeHtml(t).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      html = html.replace(new RegExp("(" + e + ")(?![^<]*>)", "gi"), "<mark>$1</mark>");
    });
    return (start > 0 ? "…" : "") + html + (start + size < chars.length ? "…" : "");
  }

  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundle.pathname,
    mergeIndex: merge,
    baseUrl: siteRoot,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    excerptLength: 40,
    // No debounce: the UI would otherwise preload the raw, unencoded query and fetch index
    // chunks it never uses.  Chinese input methods commit whole words, so searches stay few.
    debounceTimeoutMs: 0,
    sort: { date: "desc" },
    processTerm: function (term) {
      lastQuery = term;
      return gramQuery(term);
    },
    processResult: function (result) {
      var meta = result.meta || {};
      if (meta.url) { meta.url = siteRoot + meta.url; result.url = meta.url; }
      var text = meta.text || "";
      var where = [meta.date, meta.page].filter(Boolean).join(" · ");
      ["date", "page", "authors", "kind", "text"].forEach(function (k) { delete meta[k]; });
      result.excerpt = (where ? '<span class="result-where">' + escapeHtml(where) + "</span> " : "") +
        excerpt(text, lastQuery, 80);
      return result;
    },
    translations: {
      placeholder: "搜索本报文章、图片",
      clear_search: "清除",
      load_more: "更多结果",
      search_label: "搜索本报",
      filters_label: "筛选",
      zero_results: "没有找到与“[SEARCH_TERM]”相关的内容",
      many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的结果",
      one_result: "找到 1 条与“[SEARCH_TERM]”相关的结果",
      alt_search: "没有找到与“[SEARCH_TERM]”相关的内容，显示“[DIFFERENT_TERM]”的结果",
      search_suggestion: "没有找到与“[SEARCH_TERM]”相关的内容，试试以下搜索：",
      searching: "正在搜索“[SEARCH_TERM]”……"
    }
  });
  // Pagefind labels its input only by a placeholder and title: give it a real accessible name.
  var input = el.querySelector(".pagefind-ui__search-input");
  if (input) { input.setAttribute("aria-label", "搜索本报文章、图片"); }
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { ui.triggerSearch(q); }
  var box = document.getElementById("q");
  if (box && q) { box.value = q; }
})();
