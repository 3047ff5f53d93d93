"""Reading comfort in real Chromium: 字号, the dark scheme and its switch (no flash of the wrong one),
no layout shift, the print stylesheet, the lead story; and the page furniture the browser asks for —
favicon, web app manifest, a Content-Security-Policy that the site and Pagefind satisfy."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from conftest import ROOT, article, build_site, make_site
from test_a11y import PAGES

# Records, from the first moment, what <html> said when <body> was created (before any paint), and
# every layout shift of the page's life.
WATCH = """
window.__seen = {};
new MutationObserver(function (records, observer) {
  if (document.body && !window.__seen.body) {
    var e = document.documentElement;
    window.__seen = {body: true, theme: e.getAttribute('data-theme'), size: e.getAttribute('data-size'),
                     js: e.hasAttribute('data-js')};
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
window.__shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__shifts.push({value: e.value, input: e.hadRecentInput}); });
}).observe({type: 'layout-shift', buffered: true});
"""


def open_page(browser, url, *, width=375, scheme="light", storage=None):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    ctx.add_init_script(WATCH)
    if storage:
        ctx.add_init_script("".join(f"localStorage.setItem({json.dumps(k)}, {json.dumps(v)});"
                                    for k, v in storage.items()))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return ctx, page, errors


@pytest.mark.parametrize("name", list(PAGES))
def test_no_console_errors_under_the_csp_and_no_layout_shift(sample_output, serve, browser, name):
    path, ready = PAGES[name]
    ctx, page, errors = open_page(browser, serve(sample_output, "paper") + path,
                                  storage={"bs-theme": "dark", "bs-size": "xl"})
    try:
        if ready:
            page.wait_for_function(ready)  # search works: Pagefind satisfies the policy
        page.wait_for_timeout(300)
        assert errors == []  # no CSP violation, no missing favicon, nothing
        shifts = page.evaluate("window.__shifts")
        assert sum(s["value"] for s in shifts if not s["input"]) == 0, shifts  # CLS 0
        seen = page.evaluate("window.__seen")
        assert seen == {"body": True, "theme": "dark", "size": "xl", "js": True}  # before the first paint
    finally:
        ctx.close()


def test_csp_allows_the_head_script_by_its_hash_and_refuses_other_inline_scripts(sample_output, serve, browser):
    html = (sample_output / "2022-04-15/01/02.html").read_text("utf-8")
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "'unsafe-inline'" not in csp and "'wasm-unsafe-eval'" not in csp
    search = (sample_output / "search/index.html").read_text("utf-8")
    assert "'wasm-unsafe-eval'" in search  # only where Pagefind runs
    ctx, page, _ = open_page(browser, serve(sample_output) + "2022-04-15/01/02.html")
    try:
        page.evaluate("""() => { window.__blocked = 0;
            document.addEventListener('securitypolicyviolation', () => { window.__blocked++; });
            const s = document.createElement('script'); s.textContent = 'window.__ran = true;';
            document.head.appendChild(s); }""")
        page.wait_for_function("window.__blocked > 0")
        assert page.evaluate("window.__ran") is None
    finally:
        ctx.close()


def test_text_size_switch_is_remembered_and_fits_a_small_phone(sample_output, serve, browser):
    base = serve(sample_output, "paper")
    ctx, page, _ = open_page(browser, base + "2022-04-15/01/02.html", width=320)
    try:
        body = ".story-body p"
        normal = page.locator(body).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        page.click("button[data-set-size=xl]")
        assert page.locator("button[data-set-size=xl]").get_attribute("aria-pressed") == "true"
        assert page.locator("button[data-set-size=m]").get_attribute("aria-pressed") == "false"
        larger = page.locator(body).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert larger >= normal * 1.2
        for path in ("", "2022-04-15/01/", "2022-04-15/01/02.html", "archive/", "search/?q=街巷长"):
            page.goto(base + path)  # remembered on the device, applied on every page
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__seen.size") == "xl"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at the largest size"
        page.click("button[data-set-size=m]")
        page.goto(base + "2022-04-15/01/02.html")
        assert page.evaluate("window.__seen.size") is None
        assert page.locator(body).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") == normal
    finally:
        ctx.close()


def test_dark_scheme_follows_the_system_and_the_switch_overrides_it(sample_output, serve, browser):
    url = serve(sample_output) + "2022-04-15/01/"
    background = "getComputedStyle(document.body).backgroundColor"
    ctx, page, _ = open_page(browser, url, scheme="dark")
    try:
        assert page.evaluate("window.__seen.theme") == "dark"
        assert page.evaluate(background) == "rgb(20, 21, 23)"
        assert page.locator("button[data-toggle-theme]").get_attribute("aria-pressed") == "true"
        page.click("button[data-toggle-theme]")  # the reader wants light although the system is dark
        assert page.evaluate(background) == "rgb(251, 249, 244)"
        page.reload()
        assert page.evaluate("window.__seen.theme") == "light"  # remembered, applied before the first paint
        assert page.locator("button[data-toggle-theme]").get_attribute("aria-pressed") == "false"
    finally:
        ctx.close()
    ctx, page, _ = open_page(browser, url, scheme="light")
    try:
        assert page.evaluate("window.__seen.theme") == "light"
        page.emulate_media(color_scheme="dark")  # no stored choice: follows the system, live
        page.wait_for_function("document.documentElement.getAttribute('data-theme') === 'dark'")
        assert page.evaluate(background) == "rgb(20, 21, 23)"
    finally:
        ctx.close()


def test_without_scripts_the_system_scheme_still_applies(sample_output, serve, browser):
    ctx = browser.new_context(color_scheme="dark", java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(serve(sample_output) + "2022-04-15/01/02.html")
        assert page.evaluate("document.documentElement.getAttribute('data-theme')") is None  # no script ran
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 21, 23)"
        assert not page.locator(".prefs").is_visible()  # the switches need scripts: hidden without them
    finally:
        ctx.close()


def test_article_prints_cleanly(sample_output, serve, browser):
    ctx, page, _ = open_page(browser, serve(sample_output) + "2022-04-15/01/02.html", storage={"bs-theme": "dark"})
    try:
        page.emulate_media(media="print")
        for hidden in (".topnav", ".searchbox", ".prefs", ".sitefooter", ".switcher", ".story-pager", ".crumbs"):
            assert not page.locator(hidden).first.is_visible(), hidden
        for shown in (".brand", ".story-head h1", ".story-body", ".printinfo"):
            assert page.locator(shown).first.is_visible(), shown
        colours = page.evaluate("""[getComputedStyle(document.body).backgroundColor,
                                    getComputedStyle(document.querySelector('.story-body p')).color]""")
        assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]  # black on white, even in the dark scheme
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") <= 3
    finally:
        ctx.close()


def test_lead_story_gets_more_room_and_its_summary(sample_output, serve, browser):
    base = serve(sample_output)
    ctx, page, _ = open_page(browser, base + "2022-04-15/01/", width=1280)
    try:
        lead = page.locator(".item.lead")
        assert lead.count() == 1 and lead.locator("h2 a").get_attribute("href") == "01.html"
        widths = page.evaluate("""[document.querySelector('.item.lead').offsetWidth,
                                   document.querySelector('.items').clientWidth,
                                   document.querySelector('.item:not(.lead)').offsetWidth]""")
        assert widths[0] == widths[1] and widths[0] > 1.5 * widths[2]  # the whole row
        size = "e => parseFloat(getComputedStyle(e).fontSize)"
        assert lead.locator("h2").evaluate(size) > page.locator(".item:not(.lead) h2").first.evaluate(size)
        assert lead.locator(".summary").is_visible()
        page.goto(base)
        assert page.locator(".headlines .lead a").get_attribute("href") == "2022-04-15/01/01.html"
        assert page.locator(".headlines .lead .summary").is_visible()
    finally:
        ctx.close()


def test_favicon_and_manifest(sample_output, serve, browser):
    html = (sample_output / "index.html").read_text("utf-8")
    icon = re.search(r'<link rel="icon" href="(assets/favicon\.[0-9a-f]{10}\.svg)" type="image/svg\+xml">', html)
    assert icon and (sample_output / icon.group(1)).read_text("utf-8").startswith("<svg")
    assert ">示</text>" in (sample_output / icon.group(1)).read_text("utf-8")  # the title's first character
    assert '<meta name="theme-color" content="#b3121b">' in html
    manifest = json.loads((sample_output / "manifest.webmanifest").read_text("utf-8"))
    assert manifest["name"] == "示例周报" and manifest["start_url"] == "./"
    assert [i["src"] for i in manifest["icons"]] == [icon.group(1)]
    section = (sample_output / "2022-04-15/01/index.html").read_text("utf-8")
    assert f'href="../../{icon.group(1)}"' in section and 'href="../../manifest.webmanifest"' in section


def test_favicon_from_site_yaml_and_its_errors(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    files = {"editions/2024-01-02/01/section.yaml": "name: 要闻\n", "editions/2024-01-02/01/01.md": article("标题"),
             "logo.png": png}
    content = make_site(tmp_path, {**files, "site.yaml": "title: 报\nfavicon: logo.png\n"})
    out = tmp_path / "o"
    proc = build_site(content, out, "--no-search")
    assert proc.returncode == 0, proc.stderr
    [icon] = out.glob("assets/favicon.*.png")
    assert icon.read_bytes() == png
    assert f'<link rel="icon" href="{icon.relative_to(out).as_posix()}" type="image/png">' in \
        (out / "index.html").read_text("utf-8")
    for yaml, message in (("favicn: logo.png\n", "unknown key 'favicn' — did you mean 'favicon'?"),
                          ("favicon: logo.gif\n", "favicon 'logo.gif' is not an .svg, .png or .ico file"),
                          ("favicon: nologo.png\n", "favicon 'nologo.png' does not exist"),
                          ("favicon: ../logo.png\n", "favicon '../logo.png' is outside the content folder")):
        (tmp_path / "logo.png").write_bytes(png)
        (content / "site.yaml").write_text("title: 报\n" + yaml, "utf-8")
        proc = build_site(content, out, "--no-search")
        assert proc.returncode != 0 and "site.yaml:2: " in proc.stderr and message in proc.stderr, proc.stderr


def opencc(texts: list[str]) -> list[str]:
    """OpenCC's own Simplified → Traditional conversion (opencc-js from npm, run by node)."""
    import shutil
    import subprocess
    if not (ROOT / "node_modules" / "opencc-js").is_dir():
        pytest.fail(f"opencc-js is missing: run `npm ci` in {ROOT} (package.json pins it)")
    node = shutil.which("node")
    if not node:
        pytest.fail("node is missing: the 简/繁 check runs OpenCC with Node.js")
    proc = subprocess.run([node, str(ROOT / "tests" / "js" / "opencc_s2t.mjs")], input=json.dumps(texts),
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_s2t_dictionary_is_generated_from_the_pinned_opencc():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_s2t.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_traditional_reading_gives_opencc_text_and_is_remembered(sample_output, serve, browser):
    base = serve(sample_output, "paper")
    pages = ["2022-04-15/01/02.html", "2022-04-15/01/09.html", "2022-04-15/01/07.html", "2022-04-15/01/", ""]
    ctx, page, errors = open_page(browser, base + pages[0])
    try:
        simplified = page.locator("main").inner_text()
        title = page.title()
        page.click("button[data-toggle-script]")
        page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
        assert page.locator("button[data-toggle-script]").get_attribute("aria-pressed") == "true"
        for i, path in enumerate(pages):
            if i:
                page.goto(base + path)  # remembered: converted on every page, never shown in 简体 first
                page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
                assert page.evaluate("window.__seen.body") and \
                    page.evaluate("document.documentElement.hasAttribute('data-converting')") is False
            text = page.locator("main").inner_text()
            page.evaluate("document.querySelector('button[data-toggle-script]').click()")  # back to 简体
            back = page.locator("main").inner_text()
            assert page.evaluate("document.documentElement.lang") == "zh-CN"
            want = opencc([back])[0]
            assert text != back and text == want, [(a, b) for a, b in zip(text.splitlines(), want.splitlines()) if a != b][:5]
            page.evaluate("document.querySelector('button[data-toggle-script]').click()")  # and 繁體 again
            page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
            if i == 0:
                assert back == simplified and page.title() == opencc([title])[0]
        shifts = page.evaluate("window.__shifts")
        assert sum(s["value"] for s in shifts if not s["input"]) == 0, shifts
        assert errors == []
    finally:
        ctx.close()
