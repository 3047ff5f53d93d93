/* Search page: Pagefind's Default UI with Chinese labels; ?q=… deep links run a search at once. */
(function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    excerptLength: 40,
    sort: { date: "desc" },
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
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { ui.triggerSearch(q); }
  var box = document.getElementById("q");
  if (box && q) { box.value = q; }
})();
