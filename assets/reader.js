/* Reading settings: 字号 (text size), 夜间 (dark scheme) and 繁體 (Traditional characters),
 * remembered on this device.
 *
 * The inline script in <head> (templates/_head.js, allowed by its hash in the page's
 * Content-Security-Policy) applies the stored choices to <html data-size data-theme> before the
 * first paint, so the page never flashes in the wrong scheme or size; this script only wires the
 * buttons.  Without a stored choice the scheme follows the system's prefers-color-scheme, live.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function sync() {
    var size = root.getAttribute("data-size") || "m";
    var buttons = document.querySelectorAll("[data-set-size]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-set-size") === size));
    }
    var dark = document.querySelector("[data-toggle-theme]");
    if (dark) { dark.setAttribute("aria-pressed", String(root.getAttribute("data-theme") === "dark")); }
    var hant = document.querySelector("[data-toggle-script]");
    if (hant) { hant.setAttribute("aria-pressed", String(root.getAttribute("data-script") === "hant")); }
  }

  /* 繁體: Simplified → Traditional by OpenCC's longest-match rule over the dictionary of
   * assets/s2t.js (OpenCC's, reduced by tools/make_s2t.py), loaded only when a reader asks for it.
   * Text nodes, the title and a few attributes are converted; the originals are kept to go back. */
  var table = null, longest = 1, originals = [], lang = root.getAttribute("lang"), observer = null;
  function convert(text) {
    var chars = Array.from(text), out = "", i = 0;
    while (i < chars.length) {
      var n = Math.min(longest, chars.length - i), hit = null;
      for (; n > 0; n--) {
        hit = table.get(n === 1 ? chars[i] : chars.slice(i, i + n).join(""));
        if (hit !== undefined) { break; }
      }
      if (n > 0) { out += hit; i += n; } else { out += chars[i]; i += 1; }
    }
    return out;
  }
  var HAN = /[\u3400-\u9fff\uf900-\ufaff\ud840-\ud8bf]/;
  var ATTRS = ["title", "alt", "aria-label", "placeholder"];
  function convertTree(node) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT), el;
    for (el = node; el; el = walker.nextNode()) {
      if (el.nodeType === 3) {
        var p = el.parentNode && el.parentNode.nodeName;
        if (p !== "SCRIPT" && p !== "STYLE" && HAN.test(el.data)) {
          var to = convert(el.data);
          if (to !== el.data) { originals.push([el, null, el.data]); el.data = to; }
        }
      } else if (el.nodeType === 1) {
        for (var a = 0; a < ATTRS.length; a++) {
          var v = el.getAttribute(ATTRS[a]);
          if (v && HAN.test(v)) {
            var w = convert(v);
            if (w !== v) { originals.push([el, ATTRS[a], v]); el.setAttribute(ATTRS[a], w); }
          }
        }
      }
    }
  }
  function toHant() {
    if (!table) { return; }
    originals.push([document, "title", document.title]);
    document.title = convert(document.title);
    convertTree(document.body);
    root.setAttribute("lang", "zh-Hant");
    root.removeAttribute("data-converting");
    // Search results and other late content are converted as they arrive.
    observer = new MutationObserver(function (records) {
      records.forEach(function (r) { r.addedNodes.forEach(function (n) { if (n.nodeType !== 8) { convertTree(n); } }); });
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }
  function toHans() {
    if (observer) { observer.disconnect(); observer = null; }
    for (var i = originals.length - 1; i >= 0; i--) {
      var o = originals[i];
      if (o[0] === document) { document.title = o[2]; }
      else if (o[1] === null) { o[0].data = o[2]; }
      else { o[0].setAttribute(o[1], o[2]); }
    }
    originals = [];
    root.setAttribute("lang", lang);
  }
  function withTable(then) {
    if (table) { then(); return; }
    var button = document.querySelector("[data-toggle-script]");
    var script = document.createElement("script");
    script.src = button.getAttribute("data-s2t");
    script.onload = function () {
      table = new Map();
      var same = [];
      window.BroadsheetS2T.split("|").forEach(function (entry) {
        var at = entry.indexOf(" "), key = at < 0 ? entry : entry.slice(0, at);
        if (at < 0) { same.push(key); } else { table.set(key, entry.slice(at + 1)); }
        longest = Math.max(longest, Array.from(key).length);
      });
      // A phrase written alone converts as its characters (but is still matched as a whole).
      same.forEach(function (key) {
        table.set(key, Array.from(key).map(function (c) { var t = table.get(c); return t === undefined ? c : t; }).join(""));
      });
      then();
    };
    script.onerror = function () { root.removeAttribute("data-converting"); };
    document.head.appendChild(script);
    // On a slow first load of the dictionary, show the page in 简体 rather than nothing.
    setTimeout(function () { root.removeAttribute("data-converting"); }, 3000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ?
      event.target.closest("[data-set-size], [data-toggle-theme], [data-toggle-script]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-set-size")) {
      var size = button.getAttribute("data-set-size");
      if (size === "m") { root.removeAttribute("data-size"); } else { root.setAttribute("data-size", size); }
      save("bs-size", size);
    } else if (button.hasAttribute("data-toggle-script")) {
      if (root.getAttribute("data-script") === "hant") {
        root.removeAttribute("data-script");
        save("bs-script", "hans");
        toHans();
      } else {
        root.setAttribute("data-script", "hant");
        save("bs-script", "hant");
        withTable(toHant);
      }
    } else {
      var theme = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      save("bs-theme", theme);
    }
    sync();
  });
  if (window.matchMedia) {
    var media = window.matchMedia("(prefers-color-scheme: dark)");
    var follow = function () {
      if (load("bs-theme") === null) { root.setAttribute("data-theme", media.matches ? "dark" : "light"); sync(); }
    };
    if (media.addEventListener) { media.addEventListener("change", follow); }
  }
  if (root.getAttribute("data-script") === "hant") {
    if (document.querySelector("[data-toggle-script]")) { withTable(toHant); } else { root.removeAttribute("data-converting"); }
  }
  sync();
})();
