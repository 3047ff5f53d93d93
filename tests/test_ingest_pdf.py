"""PDF pages as ingest input: pages typeset here (tests/pdfpage.py) and printed by Chromium."""
from __future__ import annotations

import io
import json
import re
import time
from collections import Counter

import pytest
import yaml

import pdfpage as pp
from conftest import build_site, make_site, run_cli
from broadsheet.ingest.pdf import _char_text, read_pdf_page
from broadsheet.writer import item_text


_MEASURE = """ids => Object.fromEntries(ids.map(id => {
    const el = document.getElementById(id), rects = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        const r = document.createRange();
        r.selectNodeContents(t);
        rects.push(...[...r.getClientRects()].filter(q => q.width > 0 && q.height > 0));
    }
    for (const img of el.querySelectorAll('img')) rects.push(img.getBoundingClientRect());
    if (id === 'ad') rects.push(el.getBoundingClientRect());  // the advertisement is its framed box
    return [id, [Math.min(...rects.map(q => q.left)), Math.min(...rects.map(q => q.top)),
                 Math.max(...rects.map(q => q.right)), Math.max(...rects.map(q => q.bottom))]];
}))"""


def _print(browser, markup, ids, path):
    """Print ``markup`` to ``path``; return where Chromium drew each box's content (CSS px)."""
    path.write_bytes(pp.print_pdf(browser, markup))
    page = browser.new_page(viewport={"width": pp.PAGE_W, "height": pp.PAGE_H})
    page.set_content(markup)
    boxes = page.evaluate(_MEASURE, ids)
    page.close()
    return path, boxes


@pytest.fixture(scope="module")
def printed(browser, tmp_path_factory):
    """The test page as a PDF, and where Chromium drew each item's content."""
    return _print(browser, pp.page_html(), ["a", "b", "photo", "ad"], tmp_path_factory.mktemp("pdf") / "page3.pdf")


@pytest.fixture(scope="module")
def printed5(browser, tmp_path_factory):
    return _print(browser, pp.page_html_2(), ["c", "d", "e"], tmp_path_factory.mktemp("pdf") / "page5.pdf")


@pytest.fixture(scope="module")
def ingested(printed):
    return read_pdf_page(printed[0])


def test_pdf_page_yields_the_typeset_items(ingested):
    page = ingested
    assert [i.kind for i in page.items] == ["article", "photo", "article", "advertisement"]
    a, photo, b, ad = page.items
    assert (a.kicker, a.title, a.subtitle) == (pp.A_KICKER, pp.A_TITLE, "")
    assert a.authors == ("林晓", "陈方") and dict(a.author_roles) == {"林晓": "本报记者", "陈方": "通讯员"}
    assert [e.text for e in a.body] == pp.A_PARAS  # the paragraph cut by the column break is whole again
    assert (b.title, b.authors) == (pp.B_TITLE, ("黄丽",))  # a title wrapped over two lines
    assert [e.text for e in b.body] == pp.B_PARAS
    assert [e.text for e in photo.body] == [pp.P_CAPTION] and photo.credit == "本报记者 黄丽"
    assert [e.text for e in ad.body] == pp.AD_LINES and ad.advertiser == "福新电器有限公司"
    assert page.section == "城市新闻" and page.page_number == 3
    assert [t for _, t in page.furniture] == [pp.FOOTER]
    assert [n.kind for n in page.repairs] == ["join"]
    assert page.uncertain == () and page.unplaced == ()  # the sizes settled kicker vs title


def test_lead_story_over_three_columns_and_two_stories_side_by_side(printed5):
    page = read_pdf_page(printed5[0])
    assert [i.kind for i in page.items] == ["article", "article", "article"]
    c, d, e = page.items
    assert (c.kicker, c.title, c.subtitle) == (pp.C_KICKER, pp.C_TITLE, pp.C_SUBTITLE)
    assert c.authors == ("王五", "赵六")
    assert [(x.kind, x.text) for x in c.body] == [("h" if t.startswith("◆") else "p", t) for t in pp.C_PARAS]
    assert (d.title, d.authors, [x.text for x in d.body]) == (pp.D_TITLE, ("刘青",), pp.D_PARAS)
    assert (e.title, [x.text for x in e.body]) == (pp.E_TITLE, pp.E_PARAS)
    assert page.section == "要闻" and page.page_number == 5
    assert all(n.kind == "join" for n in page.repairs) and page.uncertain == ()


def test_font_size_decides_a_new_article(browser, tmp_path):
    """The same words: at body size a sub-head of the story (as on a text page); set large, the
    headline of a new one, with no question to the editor."""
    got = {}
    for size in (14, 26):
        pdf = tmp_path / f"p{size}.pdf"
        pdf.write_bytes(pp.print_pdf(browser, pp.page_html_sizes(size)))
        page = read_pdf_page(pdf)
        got[size] = [(i.title, [e.kind for e in i.body]) for i in page.items]
        if size == 26:
            assert not [n for n in page.uncertain if n.kind in ("headline", "subhead")]
    assert got[14] == [("老旧小区改造提速", ["p", "p", "h", "p"])]
    assert got[26] == [("老旧小区改造提速", ["p", "p"]), (pp.S_H2, ["p"])]


def test_dense_six_column_page(browser, tmp_path):
    articles = pp.dense_articles()
    pdf = tmp_path / "page7.pdf"
    page = browser.new_page()
    page.set_content(pp.dense_html(articles))
    pdf.write_bytes(page.pdf(width="1100px", height="1500px"))
    page.close()
    got = read_pdf_page(pdf)
    assert [(i.title, i.authors[0] if i.authors else "", [e.text for e in i.body]) for i in got.items] == \
        [(t, b.split()[-1], ps) for t, b, ps in articles]
    assert all(len(i.area) >= 1 for i in got.items)


def test_photo_image_is_extracted(ingested):
    from PIL import Image
    photo = ingested.items[1]
    assert photo.image_ext == "png"
    img = Image.open(io.BytesIO(photo.image_data))
    assert img.size == (120, 80)
    assert img.getpixel((0, 0))[:3] == (200, 0, 0) and img.getpixel((10, 5))[:3] == (200, 20, 15)


@pytest.mark.parametrize("which", ["printed", "printed5"])
def test_nothing_lost(which, request):
    """Every printed character is in the text laid out from the PDF, and every line of that text
    lands in exactly one item, the page header/footer/furniture, or the dropped repeats."""
    import pdfplumber
    from pathlib import Path
    from broadsheet.ingest.pdf import pdf_layout
    printed = request.getfixturevalue(which)
    with pdfplumber.open(str(printed[0])) as pdf:
        printed_chars = Counter(ch for c in pdf.pages[0].chars for ch in _char_text(c["text"]) if ch.strip())
    layout = pdf_layout(Path(printed[0]))
    assert Counter(ch for ch in layout.text if ch.strip()) == printed_chars
    page = read_pdf_page(printed[0])
    homes = [n for it in page.items for n in it.lines] + [n for n, _ in page.furniture]
    homes += [found[0] for found in (page.header, page.footer) if found]
    homes += [d.lines[0] for d in page.dropped]
    lines = [no for no, t in enumerate(layout.text.split("\n"), start=1) if t.strip()]
    assert sorted(homes) == lines
    for it in page.items:  # and the items hold the words of their lines
        text = item_text(it).replace(" ", "")
        for no in it.lines:
            line = layout.text.split("\n")[no - 1].replace(" ", "")
            assert all(ch in text for ch in line), (no, line)


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


@pytest.mark.parametrize("which, keys", [("printed", ["a", "photo", "b", "ad"]), ("printed5", ["c", "d", "e"])])
def test_areas_match_the_typeset_boxes(which, keys, request):
    printed = request.getfixturevalue(which)
    _, boxes = printed
    ingested = read_pdf_page(printed[0])
    assert len(ingested.items) == len(keys)
    for item, key in zip(ingested.items, keys):
        assert item.area, item
        for r in item.area:
            assert 0 <= r[0] < r[2] <= 1 and 0 <= r[1] < r[3] <= 1
        got = (min(r[0] for r in item.area), min(r[1] for r in item.area),
               max(r[2] for r in item.area), max(r[3] for r in item.area))
        x0, y0, x1, y1 = boxes[key]
        want = (x0 / pp.PAGE_W, y0 / pp.PAGE_H, x1 / pp.PAGE_W, y1 / pp.PAGE_H)
        assert _iou(got, want) >= 0.9, (key, got, want)


def test_areas_contain_their_text(printed, ingested):
    """Every printed character lies inside the area of the item that holds it, and in no other's."""
    import pdfplumber
    with pdfplumber.open(str(printed[0])) as pdf:
        pg = pdf.pages[0]
        w, h = float(pg.width), float(pg.height)
        chars = [c for c in pg.chars if c["text"].strip()]

    def owner(c):
        x, y = (c["x0"] + c["x1"]) / 2 / w, (c["top"] + c["bottom"]) / 2 / h
        return [i for i, it in enumerate(ingested.items)
                if any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in it.area)]
    for expect, texts in [(0, [pp.A_TITLE, pp.A_KICKER, *pp.A_PARAS]), (1, [pp.P_CAPTION]),
                          (2, [pp.B_TITLE, *pp.B_PARAS]), (3, pp.AD_LINES)]:
        body = "".join(texts)
        mine = [c for c in chars if owner(c) == [expect]]
        assert Counter(_char_text(c["text"]) for c in mine) >= Counter(body.replace(" ", "")), expect
    for c in chars:
        assert len(owner(c)) <= 1


def test_cli_writes_items_with_area_and_image(printed, tmp_path):
    pdf, _ = printed
    content = tmp_path / "content"
    started = time.perf_counter()
    proc = run_cli("ingest", pdf, "--edition", "2024-03-01", "--content", content)
    assert proc.returncode == 0, proc.stderr
    assert "areas: 4 of 4 items placed on the page, 1 photo image written" in proc.stdout
    d = content / "editions" / "2024-03-01" / "03"
    assert sorted(p.name for p in d.iterdir()) == ["01.md", "02.md", "02.png", "03.md", "04.md",
                                                   "ingest-report.json", "page.pdf", "section.yaml"]
    assert (d / "page.pdf").read_bytes() == pdf.read_bytes()  # the printed page, for the page view
    fm = yaml.safe_load((d / "02.md").read_text("utf-8").split("---\n")[1])
    assert fm["kind"] == "photo" and fm["image"] == "02.png" and fm["credit"] == "本报记者 黄丽"
    assert fm["source"].startswith("page3.pdf:")
    a = yaml.safe_load((d / "01.md").read_text("utf-8").split("---\n")[1])
    assert a["title"] == pp.A_TITLE and len(a["area"]) == 1 and len(a["area"][0]) == 4
    report = json.loads((d / "ingest-report.json").read_text("utf-8"))
    assert report["unplaced"] == [] and report["page_size_points"] == pytest.approx([600, 825], abs=0.5)
    assert all(len(i["area"]) >= 1 for i in report["items"])
    assert "02.png" in report["generated"]
    print(f"ingest of one PDF page through the CLI: {1000 * (time.perf_counter() - started):.0f} ms")

    # the written items build (area: is a known, valid key)
    out = tmp_path / "output"
    proc = build_site(content, out, "--no-search")
    assert proc.returncode == 0, proc.stderr
    html = (out / "2024-03-01" / "03" / "index.html").read_text("utf-8")
    assert html.split('<svg class="pv-areas"')[1].split("</svg>")[0].count("<a href=") == 3  # every item with a page of its own (not the ad) links from the page

    # review safety: an editor's area is kept on re-ingest; the untouched files are unchanged
    art = d / "01.md"
    edited = re.sub(r"area:\n(- .*\n)+", "area:\n- [0.05, 0.08, 0.63, 0.6]\n", art.read_text("utf-8"))
    assert edited != art.read_text("utf-8")
    art.write_text(edited, "utf-8")
    proc = run_cli("ingest", pdf, "--edition", "2024-03-01", "--content", content)
    assert proc.returncode == 0, proc.stderr
    assert "you changed this file since it was generated; kept it" in proc.stdout
    assert art.read_text("utf-8") == edited
    assert "files: 0 written, 6 unchanged, 0 removed" in proc.stdout


def test_pdf_ingest_speed(printed):
    started = time.perf_counter()
    for _ in range(3):
        read_pdf_page(printed[0])
    ms = 1000 * (time.perf_counter() - started) / 3
    print(f"PDF page ingest: {ms:.0f} ms per page")
    assert ms < 5000


# ------------------------------------------------------------------ bad PDFs: clear errors, no traceback

def _ingest_fails(tmp_path, path, *phrases):
    proc = run_cli("ingest", path, "--edition", "2024-03-01", "--content", tmp_path / "content")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{path}:" in proc.stderr and " — " in proc.stderr
    for phrase in phrases:
        assert phrase in proc.stderr, proc.stderr
    assert not (tmp_path / "content").exists()  # nothing was written


def test_not_a_pdf(tmp_path):
    p = tmp_path / "page1.pdf"
    p.write_text("这不是PDF文件\n", "utf-8")
    _ingest_fails(tmp_path, p, "this is not a PDF")


def test_damaged_pdf(tmp_path):
    p = tmp_path / "page1.pdf"
    p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog\nthis is not a PDF body\n")
    _ingest_fails(tmp_path, p, "export the page")


def test_multi_page_pdf(browser, tmp_path):
    p = tmp_path / "page1.pdf"
    page = browser.new_page()
    page.set_content('<p>第一页</p><p style="break-before: page">第二页</p>')
    p.write_bytes(page.pdf(width="400px", height="300px"))
    page.close()
    _ingest_fails(tmp_path, p, "the PDF has 2 pages", "split it into one PDF per page")


def test_pdf_without_text_layer(browser, tmp_path):
    p = tmp_path / "page1.pdf"
    page = browser.new_page()
    page.set_content(f'<img src="data:image/png;base64,{__import__("base64").b64encode(pp.png()).decode()}">')
    p.write_bytes(page.pdf(width="400px", height="300px"))
    page.close()
    _ingest_fails(tmp_path, p, "the PDF has no text layer")


def _encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler whose (made-up) keys no password opens."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


def test_encrypted_pdf(tmp_path):
    p = tmp_path / "page1.pdf"
    p.write_bytes(_encrypted_pdf())
    _ingest_fails(tmp_path, p, "the PDF is encrypted")


# ------------------------------------------------------------------ area: in front-matter

@pytest.mark.parametrize("area, message", [
    ("[[0.1, 0.2, 1.5, 0.3]]", "leaves the page"),
    ("[[0.5, 0.2, 0.1, 0.3]]", "is empty"),
    ("[[0.1, 0.2, 0.3]]", "should be four numbers"),
    ("0.5", "should be a list of rectangles"),
])
def test_bad_area_is_reported(tmp_path, area, message):
    content = make_site(tmp_path, {
        "editions/2024-03-01/01/section.yaml": "name: 要闻\n",
        "editions/2024-03-01/01/01.md": f"---\nkind: article\ntitle: 标题\narea: {area}\n---\n\n正文。\n"})
    proc = build_site(content, tmp_path / "out", "--no-search")
    assert proc.returncode == 1
    assert "01.md:4: 'area' " in proc.stderr and message in proc.stderr and "Traceback" not in proc.stderr


def test_good_area_builds(tmp_path):
    content = make_site(tmp_path, {
        "editions/2024-03-01/01/section.yaml": "name: 要闻\n",
        "editions/2024-03-01/01/01.md": "---\nkind: article\ntitle: 标题\narea: [[0, 0.1, 0.5, 0.6], [0.5, 0.1, 1, 0.3]]\n"
                                        "---\n\n正文。\n"})
    proc = build_site(content, tmp_path / "out", "--no-search")
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------ placing items written elsewhere

def test_place_items_written_elsewhere(printed, ingested):
    """Items typed in or ingested from text are found on the page PDF by their text; an item whose
    text is not printed there is not placed, and what was not found is listed."""
    from broadsheet.ingest.pdf import place_items
    items = [[pp.A_KICKER, pp.A_TITLE, pp.A_BYLINE, *pp.A_PARAS], [pp.B_TITLE, pp.B_BYLINE, *pp.B_PARAS],
             pp.AD_LINES, ["这段文字不在版面上。"],
             [pp.P_CAPTION, "编辑改写后的图片说明，不在版面上。"]]
    placed, _ = place_items(printed[0], items)
    by_ingest = {it.title or it.body[0].text: it.area for it in ingested.items}
    assert placed[0].area == by_ingest[pp.A_TITLE] and placed[0].missing == ()
    assert placed[1].area == by_ingest[pp.B_TITLE] and placed[1].missing == ()
    frame = by_ingest[pp.AD_LINES[0]][0]  # ingest gives the advertisement its frame; placing, its text
    assert len(placed[2].area) == 1 and all(frame[i] <= placed[2].area[0][i] for i in (0, 1)) \
        and all(placed[2].area[0][i] <= frame[i] for i in (2, 3))
    assert placed[3].area == () and placed[3].missing == ("这段文字不在版面上。",)
    assert placed[4].area and placed[4].missing == ("编辑改写后的图片说明，不在版面上。",)


def test_unreadable_images_are_reported_not_fatal(printed, monkeypatch):
    import broadsheet.ingest.pdf as pdfmod

    def broken(*args):
        raise RuntimeError("pdfium says no")
    monkeypatch.setattr(pdfmod, "_images", broken)
    page = pdfmod.read_pdf_page(printed[0])
    assert [i.kind for i in page.items] == ["article", "photo", "article", "advertisement"]
    assert not page.items[1].image_data
    assert any(n.kind == "image" and "pdfium says no" in n.message for n in page.uncertain)
