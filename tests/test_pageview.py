"""The page as printed (broadsheet/pageview.py): pages typeset here (tests/pdfpage.py), built into the
page view, and read by real Chromium under a sub-path."""
from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest

import pdfpage as pp
from conftest import article, build_site, make_site
from test_ingest_pdf import _iou, _print

DATE = "2024-03-01"


def _items_page3() -> dict[str, str]:
    return {
        "01.md": article(pp.A_TITLE, "\n\n".join(pp.A_PARAS), kicker=pp.A_KICKER, authors="[林晓, 陈方]",
                         author_roles="{林晓: 本报记者, 陈方: 通讯员}", order=1),
        "02.md": f"---\nkind: photo\ncredit: 黄丽\norder: 2\n---\n\n{pp.P_CAPTION}\n",
        "03.md": article(pp.B_TITLE, "\n\n".join(pp.B_PARAS), authors="[黄丽]", order=3),
        "04.md": "---\nkind: advertisement\norder: 4\n---\n\n" + "\n\n".join(pp.AD_LINES) + "\n",
    }


def _items_page5() -> dict[str, str]:
    paras = [t for t in pp.C_PARAS if not t.startswith("◆")]
    return {
        "01.md": article(pp.C_TITLE, "\n\n".join(paras) + "\n\n## 服务更贴心", kicker=pp.C_KICKER,
                         subtitle=pp.C_SUBTITLE, order=1),
        "02.md": article(pp.D_TITLE, "\n\n".join(pp.D_PARAS), order=2),
        "03.md": article(pp.E_TITLE, "\n\n".join(pp.E_PARAS), order=3),
    }


AREA = [0.1, 0.2, 0.6, 0.5]


def content_files(pdf3: bytes, pdf5: bytes) -> dict:
    files = {f"editions/{DATE}/edition.yaml": f"date: {DATE}\n"}
    for page, name, items, pdf in (("03", "城市新闻", _items_page3(), pdf3), ("05", "要闻", _items_page5(), pdf5)):
        files[f"editions/{DATE}/{page}/section.yaml"] = f"name: {name}\n"
        files[f"editions/{DATE}/{page}/page.pdf"] = pdf
        files.update({f"editions/{DATE}/{page}/{k}": v for k, v in items.items()})
    # an image-only page: only the item with area: is on it
    files[f"editions/{DATE}/06/section.yaml"] = "name: 副刊\n"
    files[f"editions/{DATE}/06/page.png"] = pp.png(600, 840)
    files[f"editions/{DATE}/06/01.md"] = article("画在版面上的文章", "第一段。", area=str([AREA]), order=1)
    files[f"editions/{DATE}/06/02.md"] = article("不在版面图上的文章", "第二段。", order=2)
    return files


@pytest.fixture(scope="module")
def printed(browser, tmp_path_factory):
    d = tmp_path_factory.mktemp("printed")
    return {3: _print(browser, pp.page_html(), ["a", "b", "photo", "ad"], d / "page3.pdf"),
            5: _print(browser, pp.page_html_2(), ["c", "d", "e"], d / "page5.pdf")}


@pytest.fixture(scope="module")
def site(printed, tmp_path_factory):
    """The content and its build (the CLI's stderr kept: the warnings)."""
    tmp = tmp_path_factory.mktemp("pv")
    content = make_site(tmp, content_files(printed[3][0].read_bytes(), printed[5][0].read_bytes()))
    proc = build_site(content, tmp / "output", "--no-search")
    assert proc.returncode == 0, proc.stderr
    return content, tmp / "output", proc


def tree(path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def areas_in(html: str) -> dict[str, tuple]:
    """Each overlay link's target and the bounding box of its rectangles, in page fractions."""
    height = float(re.search(r'class="pv-areas" viewBox="0 0 1000 ([\d.]+)"', html).group(1))
    out = {}
    for href, rects in re.findall(r'<a href="([^"]+)" aria-label="[^"]*"><title>[^<]*</title>((?:<rect [^>]*/>)+)</a>',
                                  html):
        boxes = [tuple(float(v) for v in r) for r in re.findall(
            r'x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', rects)]
        out[href] = (min(b[0] for b in boxes) / 1000, min(b[1] for b in boxes) / height,
                     max(b[0] + b[2] for b in boxes) / 1000, max(b[1] + b[3] for b in boxes) / height)
    return out


@pytest.mark.parametrize("page, keys", [("03", {"01.html": "a", "02.html": "photo", "03.html": "b"}),
                                        ("05", {"01.html": "c", "02.html": "d", "03.html": "e"})])
def test_computed_areas_match_the_typeset_boxes(site, printed, page, keys):
    _, out, _ = site
    got = areas_in((out / DATE / page / "index.html").read_text("utf-8"))
    assert sorted(got) == sorted(keys)  # every article and photo is on the page (the ad has no page to open)
    boxes = printed[int(page)][1]
    for href, key in keys.items():
        x0, y0, x1, y1 = boxes[key]
        want = (x0 / pp.PAGE_W, y0 / pp.PAGE_H, x1 / pp.PAGE_W, y1 / pp.PAGE_H)
        assert _iou(got[href], want) >= 0.9, (page, key, got[href], want)


def test_files_of_the_page_view(site, printed):
    _, out, proc = site
    folder = out / DATE / "03"
    names = sorted(p.name for p in folder.iterdir() if p.name.startswith("page-"))
    sizes = sorted({int(re.match(r"page-(\d+)\.", n).group(1)) for n in names})
    assert sizes == [320, 640, 1280, 1920] and len(names) == 8  # WebP and JPEG of each
    assert (folder / f"{DATE}-03.pdf").read_bytes() == printed[3][0].read_bytes()
    import pypdfium2 as pdfium
    merged = pdfium.PdfDocument(str(out / DATE / f"{DATE}.pdf"))
    # pages 3 and 5 as printed, and page 6 (an image 600 × 840 px) at 150 dpi
    assert [tuple(round(v) for v in merged[i].get_size()) for i in range(len(merged))] == [(600, 825), (600, 825),
                                                                                          (288, 403)]
    merged.close()
    html = (folder / "index.html").read_text("utf-8")
    assert '<source type="image/webp"' in html and 'width="1920" height="2640"' in html
    assert re.search(r'<a href="page-1920\.\w+\.jpg">查看大图</a>', html)
    assert f'<a href="{DATE}-03.pdf" download>下载本版 PDF（' in html and f'<a href="../{DATE}.pdf" download>' in html
    # the edition page: thumbnails of all 版面 with a page file, in page order
    edition = (out / DATE / "index.html").read_text("utf-8")
    assert re.findall(r'<li><a href="(\d\d)/"><picture>', edition) == ["03", "05", "06"]
    # the article page: the locator on its page's thumbnail
    assert 'class="pv-locator"' in (folder / "03.html").read_text("utf-8")
    assert 'class="pv-locator"' not in (out / DATE / "06" / "02.html").read_text("utf-8")


def test_image_only_page_shows_the_items_given_an_area(site):
    _, out, proc = site
    html = (out / DATE / "06" / "index.html").read_text("utf-8")
    got = areas_in(html)
    assert list(got) == ["01.html"]
    assert all(abs(a - b) < 0.002 for a, b in zip(got["01.html"], AREA))
    assert "下载本版 PDF" not in html and "查看大图" in html
    assert sorted(int(re.match(r"page-(\d+)\.", p.name).group(1)) for p in (out / DATE / "06").glob("page-*.webp")) \
        == [320, 600]  # an image narrower than 640: its own width, never enlarged
    # the item that is not on the image is named in the build's warnings, with what to do
    assert re.search(rf"warning: \S*editions/{DATE}/06/02\.md: not found on its printed page, so it is not "
                     r"clickable there — give it 'area: \[\[x0, y0, x1, y1\]\]'", proc.stderr)
    assert proc.stderr.count("not found on its printed page") == 1


def test_in_chromium_areas_open_articles_in_page_order(site, serve, page_watch):
    _, out, _ = site
    page, requests = page_watch
    base = serve(out, "paper/e")
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(base + f"{DATE}/03/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert all(r.startswith(base) for r in requests), requests
    viewport = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport  # pinch zoom into the page
    img = page.locator(".pv-sheet img")
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    assert img.evaluate("i => i.currentSrc").endswith(".webp")
    # tab order: the areas follow the page order, each named by its headline
    page.locator(".switcher a").last.focus()
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
    assert names == [pp.A_TITLE, pp.P_CAPTION.rstrip("。"), pp.B_TITLE]  # a photo: its caption's first sentence
    # the focused area is highlighted
    fill = page.evaluate("getComputedStyle(document.activeElement.querySelector('rect')).fill")
    assert fill not in ("transparent", "rgba(0, 0, 0, 0)", "none"), fill
    # clicking inside an area opens its article (the middle of its largest rectangle)
    box = page.evaluate("""() => { const rs = [...document.querySelectorAll('.pv-areas a')[2].querySelectorAll('rect')]
        .map(r => r.getBoundingClientRect()); rs.sort((a, b) => b.width * b.height - a.width * a.height);
        return [rs[0].x + rs[0].width / 2, rs[0].y + rs[0].height / 2]; }""")
    page.mouse.click(*box)
    page.wait_for_url(base + f"{DATE}/03/03.html")
    assert page.locator("h1").inner_text() == pp.B_TITLE
    # the PDFs download from under the sub-path
    for href in (f"{DATE}/03/{DATE}-03.pdf", f"{DATE}/{DATE}.pdf"):
        assert page.request.get(base + href).body()[:5] == b"%PDF-"


@pytest.mark.parametrize("path", [f"{DATE}/", f"{DATE}/05/", f"{DATE}/05/01.html", f"{DATE}/06/"])
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_horizontal_scroll(site, serve, page_watch, path, width):
    _, out, _ = site
    page, requests = page_watch
    base = serve(out, "paper")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert all(r.startswith(base) for r in requests), requests
    for img in page.locator("picture img").all():  # eager ones are loaded, all have their size
        assert img.get_attribute("width") and img.get_attribute("height")


def test_builds_are_byte_identical(site, tmp_path):
    content, out, _ = site
    again = tmp_path / "again"
    shutil.copytree(content, again / "content")
    assert build_site(again / "content", again / "output", "--no-search").returncode == 0
    assert tree(again / "output") == tree(out)


def test_renders_are_cached_by_the_page_files_hash(site, tmp_path):
    from broadsheet import pageview
    from broadsheet.content import load_site
    content, _, _ = site
    mine = tmp_path / "content"
    shutil.copytree(content, mine)
    cache = tmp_path / "cache"
    first = pageview.prepare(load_site(mine), tmp_path / "o1", cache)
    assert first.rendered == 3
    again = pageview.prepare(load_site(mine), tmp_path / "o2", cache)
    assert again.rendered == 0 and tree(tmp_path / "o2") == tree(tmp_path / "o1")
    pages = [str(mine / "editions" / DATE / p) for p in ("03", "05", "06")]
    assert [again.view(p) for p in pages] == [first.view(p) for p in pages] and None not in [first.view(p) for p in pages]
    # a page file replaced: that page alone is rendered again
    page5 = mine / "editions" / DATE / "05" / "page.pdf"
    page5.write_bytes((mine / "editions" / DATE / "03" / "page.pdf").read_bytes())
    third = pageview.prepare(load_site(mine), tmp_path / "o3", cache)
    assert third.rendered == 0  # the same bytes as page 3: its render is reused
    assert third.view(pages[1]).images[0][2] == first.view(pages[0]).images[0][2].replace("/03/", "/05/")
    (mine / "editions" / DATE / "06" / "page.png").write_bytes(pp.png(640, 900))
    fourth = pageview.prepare(load_site(mine), tmp_path / "o4", cache)
    assert fourth.rendered == 1 and fourth.view(pages[2]).large[0] == 640
    # an edition not read again: nothing is written, its views are made when asked
    later = pageview.prepare(load_site(mine), tmp_path / "o5", cache, fresh=lambda path: False)
    assert later.rendered == 0 and not (tmp_path / "o5").exists() and later.view(pages[2]) == fourth.view(pages[2])


def test_incremental_build_after_a_page_file_changes_equals_a_clean_one(site, printed, tmp_path):
    content, _, _ = site
    mine = tmp_path / "content"
    shutil.copytree(content, mine)
    out = tmp_path / "output"
    assert build_site(mine, out, "--no-search").returncode == 0
    (mine / "editions" / DATE / "05" / "page.pdf").unlink()  # page 5 loses its printed page
    (mine / "editions" / DATE / "03" / "01.md").write_text(
        article(pp.A_TITLE, "\n\n".join(pp.A_PARAS), area="[[0.05, 0.08, 0.63, 0.6]]", order=1), "utf-8")
    assert build_site(mine, out, "--no-search").returncode == 0
    clean = tmp_path / "clean"
    shutil.copytree(mine, clean / "content")
    assert build_site(clean / "content", clean / "output", "--no-search").returncode == 0
    assert tree(out) == tree(clean / "output")
    assert not list((out / DATE / "05").glob("page-*")) and "pv-areas" not in (out / DATE / "05" / "index.html").read_text()
    got = areas_in((out / DATE / "03" / "index.html").read_text("utf-8"))
    assert got["01.html"] == pytest.approx((0.05, 0.08, 0.63, 0.6), abs=0.002)  # the editor's area wins


def test_the_sample_edition_shows_its_printed_page(sample_output):
    """The sample's 版面 has a page.pdf: the pages the accessibility and browser tests check
    (tests/test_a11y.py, test_browser.py) carry the page view, its thumbnails and the locator."""
    section = (sample_output / "2022-04-15" / "01" / "index.html").read_text("utf-8")
    assert len(areas_in(section)) == 6  # every article and photo of the page is placed on it
    assert '<nav class="pv-thumbs"' in (sample_output / "2022-04-15" / "index.html").read_text("utf-8")
    assert 'class="pv-locator"' in (sample_output / "2022-04-15" / "01" / "02.html").read_text("utf-8")


def test_an_edition_rerendered_for_its_neighbour_keeps_its_page_view(site, tmp_path):
    """A new edition re-renders the one before it (下一期) without reading it again: its page view
    is made from the cache, and its files are kept — the same output as a clean build."""
    content, _, _ = site
    mine = tmp_path / "content"
    shutil.copytree(content, mine)
    out = tmp_path / "output"
    assert build_site(mine, out, "--no-search").returncode == 0
    newer = mine / "editions" / "2024-03-04" / "01"
    newer.mkdir(parents=True)
    (newer / "section.yaml").write_text("name: 要闻\n", "utf-8")
    (newer / "01.md").write_text(article("次日的文章", "正文。"), "utf-8")
    proc = build_site(mine, out, "--no-search")
    assert proc.returncode == 0 and "not found on its printed page" not in proc.stderr  # warned once, when read
    assert "下一期" in (out / DATE / "index.html").read_text("utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(mine, clean / "content")
    assert build_site(clean / "content", clean / "output", "--no-search").returncode == 0
    assert tree(out) == tree(clean / "output")


def test_a_scanned_pdf_page_is_shown_like_an_image(tmp_path):
    """A page PDF without a text layer: rendered and offered for download; only items with area:
    are on it, the others are named in the warnings (the build does not fail)."""
    import io
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    content = make_site(tmp_path, {f"editions/{DATE}/01/section.yaml": "name: 要闻\n",
                                   f"editions/{DATE}/01/page.pdf": buf.getvalue(),
                                   f"editions/{DATE}/01/01.md": article("有位置的文章", "正文。", area=str([AREA])),
                                   f"editions/{DATE}/01/02.md": article("没有位置的文章", "正文。")})
    proc = build_site(content, tmp_path / "output", "--no-search")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "output" / DATE / "01" / "index.html").read_text("utf-8")
    assert list(areas_in(html)) == ["01.html"] and "下载本版 PDF" in html
    assert "02.md: not found on its printed page" in proc.stderr and "01.md" not in proc.stderr


def test_the_build_runs_no_code_of_ingest_alone(site, tmp_path):
    """The build stamp leaves out the ingest-only files (cache.INGEST_ONLY: an ingest update keeps the
    build state). That is right only while no function of theirs runs in a build — here one with
    printed pages, whose items are placed on the PDF (the part of ingest the build does use)."""
    import threading
    from broadsheet import cache
    from broadsheet.site import build
    content, _, _ = site
    mine = tmp_path / "content"
    shutil.copytree(content, mine)
    package = Path(cache.__file__).resolve().parent
    leave_out = {str(package / rel) for rel in cache.INGEST_ONLY}
    ran: set[str] = set()

    def profile(frame, event, arg):
        code = frame.f_code
        if event == "call" and code.co_name != "<module>" and code.co_filename in leave_out:
            ran.add(f"{Path(code.co_filename).name}:{code.co_name}")

    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        build(mine, tmp_path / "output", search=False, quiet=True, jobs=1, incremental=False)
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    assert (tmp_path / "output" / DATE / "03" / "index.html").is_file()
    assert not ran, f"the build ran ingest-only code: {sorted(ran)} — take the file out of cache.INGEST_ONLY"
    assert all((package / rel).is_file() for rel in cache.INGEST_ONLY)
