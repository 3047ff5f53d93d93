/* Reading settings: 字号 (text size) and 夜间 (dark scheme), remembered on this device.
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
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-set-size], [data-toggle-theme]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-set-size")) {
      var size = button.getAttribute("data-set-size");
      if (size === "m") { root.removeAttribute("data-size"); } else { root.setAttribute("data-size", size); }
      save("bs-size", size);
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
  sync();
})();
