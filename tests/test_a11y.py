"""Accessibility: axe-core (from npm, pinned in package-lock.json) in real headless Chromium on every
page type of the sample edition, at phone and desktop widths, in the light and the dark scheme."""
from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# page type → path under the site, and a JavaScript condition for "the page has finished rendering"
PAGES = {
    "home": ("", None),
    "edition": ("2022-04-15/", None),
    "section": ("2022-04-15/01/", None),
    "article": ("2022-04-15/01/02.html", None),
    "photo": ("2022-04-15/01/07.html", None),
    "archive": ("archive/", None),
    "search-results": ("search/?q=街巷长", "document.querySelectorAll('.pagefind-ui__result-link').length > 0"),
    "search-none": ("search/?q=龘靐", "(document.querySelector('.pagefind-ui__message') || {}).textContent"
                                          " === '没有找到与“龘靐”相关的内容'"),
    "404": ("404.html", None),
}


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {ROOT} (package.json pins axe-core)")
    return AXE.read_text("utf-8")


def run_axe(page) -> list[dict]:
    """axe's violations on the current page: [{id, impact, help, nodes: [target, summary]}]."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                         resultTypes: ['violations']})""", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [[n["target"], n.get("failureSummary", "")] for n in v["nodes"]]}
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(sample_output, serve, browser, name, width, scheme):
    path, ready = PAGES[name]
    # axe injects its script inline: the page's Content-Security-Policy would (rightly) refuse it
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme, bypass_csp=True)
    try:
        page = ctx.new_page()
        page.goto(serve(sample_output, "paper") + path)
        page.wait_for_load_state("networkidle")
        if ready:
            page.wait_for_function(ready)
        # the scheme really is the one asked for (tests/test_reading.py checks the colours follow it)
        dark = page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert dark == (scheme == "dark")
        violations = run_axe(page)
        if violations:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"axe-{name}-{width}-{scheme}.png"), full_page=True)
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    finally:
        ctx.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_at_the_largest_text_size_in_traditional_characters(sample_output, serve, browser, name):
    """The reader's settings do not break accessibility: 特大, 繁體, dark, on a 320 px phone."""
    path, ready = PAGES[name]
    ctx = browser.new_context(viewport={"width": 320, "height": 800}, color_scheme="dark", bypass_csp=True)
    ctx.add_init_script("localStorage.setItem('bs-size', 'xl'); localStorage.setItem('bs-script', 'hant');")
    try:
        page = ctx.new_page()
        page.goto(serve(sample_output, "paper") + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
        if ready:
            page.wait_for_function(ready.replace("没有找到与“龘靐”相关的内容", "沒有找到與“龘靐”相關的內容"))
        assert page.evaluate("[document.documentElement.dataset.size, document.documentElement.dataset.theme]") == \
            ["xl", "dark"]
        violations = run_axe(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    finally:
        ctx.close()
