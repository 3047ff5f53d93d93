"""Readers on phones and desktops: real headless Chromium on the built sample edition."""
from __future__ import annotations

import pytest

from conftest import ARTIFACTS

PAGES = {"section": "2022-04-15/01/", "article": "2022-04-15/01/02.html", "home": "", "archive": "archive/"}


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scroll_and_nothing_leaves_the_site(sample_output, serve, page_watch, name, width):
    page, requests = page_watch
    base = serve(sample_output, "paper")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + PAGES[name])
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    assert all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]
    # the content-hashed stylesheet loaded under the sub-path: the paper colour is applied
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 249, 244)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_article_typography(sample_output, serve, page_watch):
    page, _ = page_watch
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(serve(sample_output) + PAGES["article"])
    p = page.locator(".story-body p").first
    style = p.evaluate("e => { const s = getComputedStyle(e); return [s.textIndent, s.lineHeight, s.fontSize]; }")
    indent, line_height, size = (float(v.rstrip("px")) for v in style)
    assert abs(indent - 2 * size) < 0.5  # 2em first-line indent
    assert 1.7 <= line_height / size <= 1.9  # line-height about 1.8
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_section_switcher_and_pager_work(tmp_path, serve, page_watch):
    from conftest import build_site, synthetic_archive
    content = synthetic_archive(tmp_path, editions=2, sections=3, items=1)
    out = tmp_path / "o"
    assert build_site(content, out, "--no-search").returncode == 0
    page, _ = page_watch
    base = serve(out, "paper")
    page.goto(base + "2024-02-01/02/")
    page.click("text=下一版 ›")
    assert page.url == base + "2024-02-01/03/"
    page.click(".switcher >> text=第1版面名")
    assert page.url == base + "2024-02-01/01/"
    page.goto(base + "archive/")
    page.click("td.has >> text=29")
    assert page.url == base + "2024-01-29/"
