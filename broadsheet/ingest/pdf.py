"""A printed page as a PDF: its text layer becomes the line/block text the text path reads.

:func:`read_pdf_page` reads one page's characters with their positions and font sizes
(pdfplumber), and lays them out as the text ingest already understands:

* characters → lines (same baseline, adjacent), spaces from the gaps between them;
* lines → reading order by recursive cuts of the page at its white gaps (a vertical gutter between
  columns first, else a horizontal gap: columns are read top to bottom, left to right);
* lines in a column → paragraphs (a first-line indent, a short last line, a change of font size or a
  wider gap ends one); a paragraph becomes one text line, with a blank line between blocks, so the
  segmenter sees what it sees on a text page (a paragraph cut by a column break is rejoined and
  reported as there; a column whose first line is flush left runs on from the paragraph that filled
  the column before, which the layout joins itself, also after a ；);
* font size and weight settle the headline decisions the words leave open: a line set much larger
  than the body heads a new article; lines in the body's own size and weight are text;
* every text line keeps its boxes, so each item gets its **area** on the page: the union of its
  lines' boxes, one rectangle per column;
* embedded images (pypdfium2) become the ``image:`` of the photo whose caption sits just below (or
  above) them.

Everything the text path guarantees holds: every printed line lands in exactly one item, the page
furniture, or the reported repeats.  Areas are fractions of the page: ``[x0, y0, x1, y1]`` from the
top-left corner, 0–1, four decimals (independent of any rendering size).
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BroadsheetError, Problem
from ..punct import ends_sentence
from . import evidence as ev
from .model import Item, Note, Page
from .page import MAX_PAGE_BYTES, parse_page
from ..punct import join_halves as _join

_BOLD = re.compile(r"Bold|Black|Heavy|Semibold|Demi|Medium|Hei|黑", re.I)
HEADLINE_RATIO = 1.3  # a line this much larger than the body text is a headline
MIN_IMAGE_PT = 24  # images smaller than this (points) are ornaments, not photos

# Chromium and other PDF writers map some CJK glyphs to radical code points; read them as the
# characters printed (Kangxi radicals through NFKC, the simplified supplement by this table).
_RADICALS = str.maketrans({
    "⺁": "厂", "⺝": "月", "⺟": "母", "⺠": "民", "⺮": "竹", "⺶": "羊", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻓": "长",
    "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻟": "飠", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦",
    "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⺰": "纟",
})


def _char_text(t: str) -> str:
    if any("\u2f00" <= ch <= "\u2fdf" for ch in t):
        t = "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in t)
    return t.translate(_RADICALS)


@dataclass
class _Line:
    """A run of characters on one baseline."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str
    chars: int
    bold: bool = False
    glyphs: tuple = ()  # (character, box) of every printed character, left to right

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PdfLayout:
    """The page as text, and where each text line sits (PDF points, top-left origin)."""

    width: float
    height: float
    text: str
    boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    sizes: dict[int, float] = field(default_factory=dict)
    bold: dict[int, bool] = field(default_factory=dict)
    joins: list[int] = field(default_factory=list)  # text lines that run on from one column into the next
    lines: list[_Line] = field(default_factory=list)  # every printed line, in reading order
    body_size: float = 0.0
    images: list[tuple[tuple[float, float, float, float], bytes, str]] = field(default_factory=list)
    frames: list[tuple[float, float, float, float]] = field(default_factory=list)  # drawn rectangles


def _problem(path: Path, what: str, todo: str) -> BroadsheetError:
    return BroadsheetError(Problem(str(path), 0, what, todo))


# --------------------------------------------------------------------------- characters → lines

def _lines_from_chars(chars: list[dict]) -> list[_Line]:
    """Chain characters left to right into lines: the next character starts where the last ended
    (within a gap of about one character) on the same baseline, in a similar size."""
    open_lines: list[dict] = []
    done: list[dict] = []
    for c in sorted(chars, key=lambda c: (c["x0"], c["top"])):
        size = c["size"] or (c["bottom"] - c["top"])
        mid = (c["top"] + c["bottom"]) / 2
        best = None
        for ln in open_lines:
            gap = c["x0"] - ln["x1"]
            if gap < -0.3 * size or gap > 1.2 * max(size, ln["size"]):
                continue
            if abs(mid - ln["mid"]) > 0.3 * min(size, ln["size"]) or not 0.7 < size / ln["size"] < 1.4:
                continue
            if best is None or gap < best[0]:
                best = (gap, ln)
        if best is None:
            ln = {"x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"], "mid": mid,
                  "size": size, "parts": [c]}
            open_lines.append(ln)
        else:
            ln = best[1]
            ln["parts"].append(c)
            ln["x1"] = max(ln["x1"], c["x1"])
            ln["top"] = min(ln["top"], c["top"])
            ln["bottom"] = max(ln["bottom"], c["bottom"])
        # lines that can no longer grow (far to the left) are done
        if len(open_lines) > 64:
            still = []
            for o in open_lines:
                (done if c["x0"] - o["x1"] > 2 * o["size"] else still).append(o)
            open_lines = still
    done.extend(open_lines)
    out = []
    for ln in done:
        parts = ln["parts"]
        sizes = sorted(p["size"] for p in parts)
        size = sizes[len(sizes) // 2]
        text = ""
        prev = None
        for p in parts:
            if prev is not None:
                gap = p["x0"] - prev["x1"]
                if gap > 1.0 * size:
                    text += "  "  # a wide space, as between the two phrases of a headline
                elif gap > 0.2 * size:
                    text += " "
            text += _char_text(p["text"])
            prev = p
        heavy = sum(1 for p in parts if _BOLD.search(p.get("fontname") or ""))
        glyphs = tuple((ch, (p["x0"], p["top"], p["x1"], p["bottom"])) for p in parts for ch in _char_text(p["text"]))
        out.append(_Line(ln["x0"], ln["top"], ln["x1"], ln["bottom"], size, text, len(parts), 2 * heavy > len(parts),
                         glyphs))
    return out


# --------------------------------------------------------------------------- reading order

def _gaps(spans: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """White gaps between the union of intervals, wider than ``min_gap``."""
    spans = sorted(spans)
    out = []
    end = spans[0][1]
    for a, b in spans[1:]:
        if a - end >= min_gap:
            out.append((end, a))
        end = max(end, b)
    return out


def _one_row(lines: list[_Line]) -> bool:
    return max(ln.top for ln in lines) < min(ln.bottom for ln in lines)


def _order(lines: list[_Line], body: float) -> list[list[_Line]]:
    """Recursive XY-cut: split at the widest vertical gutter (columns), else at horizontal gaps;
    return the leaves (runs of lines inside one column), in reading order.  Pieces cut apart by
    horizontal gaps that were not cut further are one leaf again (a headline, its byline and a
    one-column text; the lines of an advertisement)."""
    if len(lines) <= 1:
        return [lines] if lines else []
    if not _one_row(lines):  # (a headline set in two phrases is one row, not two columns)
        vgaps = _gaps([(ln.x0, ln.x1) for ln in lines], 0.8 * body)
        if vgaps:
            a, b = max(vgaps, key=lambda g: g[1] - g[0])
            cut = (a + b) / 2
            left = [ln for ln in lines if ln.x1 <= cut]
            right = [ln for ln in lines if ln.x1 > cut]
            if _one_row(left) == _one_row(right):  # (a credit set to the right of a caption is no column)
                return _order(left, body) + _order(right, body)
    hgaps = _gaps([(ln.top, ln.bottom) for ln in lines], 0.9 * body)
    if hgaps:
        # cut at the widest gap only: each part may then have columns of its own
        a, b = max(hgaps, key=lambda g: g[1] - g[0])
        cut = (a + b) / 2
        above = _order([ln for ln in lines if ln.bottom <= cut], body)
        below = _order([ln for ln in lines if ln.bottom > cut], body)
        if len(above) == 1 and len(below) == 1:
            return [above[0] + below[0]]  # one column after all: one leaf
        return above + below
    return [sorted(lines, key=lambda ln: (ln.top, ln.x0))]


def _rows(leaf: list[_Line]) -> list[list[_Line]]:
    """Lines of a leaf that share a baseline (a headline set in two phrases) form one row."""
    rows: list[list[_Line]] = []
    for ln in leaf:
        if rows and abs(ln.mid - rows[-1][0].mid) < 0.3 * ln.size:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _continues_column(last, para: list[_Line], out: list[str], left: float, right: float) -> bool:
    """The first line of a column runs on from the paragraph that filled the previous column: a
    column as wide, the same type, set flush left (a new paragraph is indented), and either the
    paragraph above is open or this line is full (a sentence ended exactly at the foot of a column)."""
    no, prev_line, prev_left, prev_right, prev_rows = last
    first = para[0]
    if prev_rows < 2 or abs((right - left) - (prev_right - prev_left)) > 0.1 * (prev_right - prev_left):
        return False
    if abs(first.size - prev_line.size) >= 0.05 * first.size or first.bold or prev_line.bold:
        return False
    if prev_line.x1 < prev_right - 1.0 * first.size or first.x0 > left + 0.5 * first.size:
        return False
    return not ends_sentence(out[no - 1]) or first.x1 >= right - 1.5 * first.size


def _centred(row: list[_Line], left: float, right: float) -> bool:
    """A short line set in the middle of its column (the lines of an advertisement, a banner)."""
    a, b = row[0].x0 - left, right - row[-1].x1
    return a > 0.5 * row[0].size and abs(a - b) < row[0].size


def _paragraphs(leaf: list[_Line]) -> tuple[list[list[list[_Line]]], float, float]:
    """A leaf's rows grouped into visual blocks (a size change or a wider gap ends one), each a
    list of paragraphs (a first-line indent or a short last line ends one)."""
    rows = [sorted(r, key=lambda ln: ln.x0) for r in _rows(leaf)]
    left = min(ln.x0 for ln in leaf)
    # the column's right edge: where most lines end (a line set a little wider — hanging
    # punctuation, a long Latin word — does not make every full line look short)
    ends = sorted(r[-1].x1 for r in rows)
    right = ends[len(ends) // 2] if len(ends) >= 3 else ends[-1]
    gaps = [b[0].top - a[0].bottom for a, b in zip(rows, rows[1:])
            if abs(a[0].size - b[0].size) < 0.05 * a[0].size]
    leading = min([*gaps, 1.0 * leaf[0].size])
    blocks: list[list[list[_Line]]] = []
    prev = None
    for row in rows:
        first = row[0]
        size = first.size
        if prev is None or abs(prev[0].size - size) >= 0.05 * size \
                or first.top - prev[0].bottom > leading + 0.5 * size:
            blocks.append([[*row]])
        elif first.x0 > left + 1.2 * size or prev[-1].x1 < right - 1.5 * size or len(row) > 1 or len(prev) > 1 \
                or _centred(row, left, right) or _centred(prev, left, right):
            blocks[-1].append([*row])
        else:
            blocks[-1][-1].extend(row)
        prev = row
    return blocks, left, right


# --------------------------------------------------------------------------- the page

def _innermost(e: BaseException) -> BaseException:
    seen = set()
    while id(e) not in seen:
        seen.add(id(e))
        nxt = e.__cause__ or e.__context__ or next((a for a in e.args if isinstance(a, BaseException)), None)
        if nxt is None:
            break
        e = nxt
    return e


def _open_pdf(path: Path):
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise _problem(path, f"the PDF is {size // 2**20} MB, larger than any real page "
                           f"({MAX_PAGE_BYTES // 2**20} MB limit)", "export one page of the layout as a PDF")
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise _problem(path, f"cannot read the page: {e.strerror}", "check the file name and permissions") from None
    if b"%PDF-" not in head:
        raise _problem(path, "this is not a PDF (it does not start with %PDF-)",
                       "export the page from the layout program as a PDF, or give the page text as a .txt file")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError
    try:
        pdf = pdfplumber.open(str(path))
        n = len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps them
        cause = _innermost(e)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _problem(path, "the PDF is encrypted (it needs a password)",
                           "export the page again without a password or restrictions") from None
        detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        raise _problem(path, f"the PDF cannot be read ({detail})",
                       "export the page from the layout program again") from None
    if getattr(pdf.doc, "encryption", None) is not None and pdf.doc.encryption:
        pdf.close()
        raise _problem(path, "the PDF is encrypted", "export the page again without a password or restrictions")
    if n != 1:
        pdf.close()
        raise _problem(path, f"the PDF has {n} pages; ingest reads one printed page (版面) per file",
                       "split it into one PDF per page (page01.pdf, page02.pdf …) and ingest those")
    return pdf


def _images(path: Path, width: float, height: float) -> list[tuple[tuple[float, float, float, float], bytes, str]]:
    """Embedded images (photos) with their boxes in points from the top-left, as PNG or JPEG."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    out = []
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
            left, bottom, right, top = obj.get_bounds()
            if right - left < MIN_IMAGE_PT or top - bottom < MIN_IMAGE_PT:
                continue
            box = (left, height - top, right, height - bottom)
            try:
                filters = obj.get_filters()
                if filters == ["DCTDecode"]:
                    buf = io.BytesIO()
                    obj.extract(buf)
                    out.append((box, buf.getvalue(), "jpg"))
                    continue
                pil = obj.get_bitmap(render=False).to_pil()
                buf = io.BytesIO()
                pil.save(buf, format="PNG", optimize=True)
                out.append((box, buf.getvalue(), "png"))
            except Exception as e:  # an image pdfium cannot decode: reported, not fatal
                out.append((box, b"", f"{type(e).__name__}: {e}"))
    finally:
        doc.close()
    return out


def pdf_layout(path: Path) -> PdfLayout:
    """Read the PDF's one page as text lines in reading order, with their boxes."""
    pdf = _open_pdf(path)
    try:
        page = pdf.pages[0]
        width, height = float(page.width), float(page.height)
        chars = [c for c in page.chars if c["text"].strip() and c["x1"] > c["x0"]]
        frames = [(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])) for r in page.rects]
    except Exception as e:
        pdf.close()
        raise _problem(path, f"the PDF's text cannot be read ({type(e).__name__}: {e})",
                       "export the page from the layout program again") from None
    pdf.close()
    if not chars:
        raise _problem(path, "the PDF has no text layer (the page is an image, or its text was turned into "
                       "outlines)", "export the page with live text (fonts embedded, not outlined), or give the "
                       "page text as a .txt file")
    lines = _lines_from_chars(chars)
    weights: dict[float, int] = {}
    for ln in lines:
        weights[round(ln.size, 1)] = weights.get(round(ln.size, 1), 0) + ln.chars
    body = max(weights, key=lambda s: weights[s])
    layout = PdfLayout(width, height, "", body_size=body)
    layout.frames = [f for f in frames if f[2] - f[0] >= 3 * body and f[3] - f[1] >= 3 * body
                     and (f[2] - f[0]) * (f[3] - f[1]) < 0.8 * width * height]
    out: list[str] = []
    last = None  # the paragraph last written: (line number, its last line, its column's right edge)
    for leaf in _order(lines, body):
        blocks, left, right = _paragraphs(leaf)
        for b, block in enumerate(blocks):
            stacked = len(block) > 1 and all(len(p) == 1 for p in block)  # short lines set together
            for k, para in enumerate(block):
                text = ""
                for row in _rows(para):
                    row = sorted(row, key=lambda ln: ln.x0)
                    layout.lines.extend(row)
                    t = "  ".join(ln.text for ln in row)
                    text = _join(text, t)
                if b == 0 and k == 0 and last is not None and len(leaf) >= 2 \
                        and _continues_column(last, para, out, left, right):
                    no = last[0]
                    out[no - 1] = _join(out[no - 1], text)
                    layout.boxes[no].extend((ln.x0, ln.top, ln.x1, ln.bottom) for ln in para)
                    layout.joins.append(no)
                    last = (no, para[-1], left, right, len(leaf))
                    continue
                if out and out[-1] and not stacked:
                    out.append("")
                out.append(text)
                no = len(out)
                layout.boxes[no] = [(ln.x0, ln.top, ln.x1, ln.bottom) for ln in para]
                layout.sizes[no] = max(ln.size for ln in para)
                layout.bold[no] = any(ln.bold for ln in para)
                last = (no, para[-1], left, right, len(leaf))
            if out and out[-1]:
                out.append("")
    layout.text = "\n".join(out)
    try:
        layout.images = _images(path, width, height)
    except Exception as e:  # the text is what ingest needs; photos are reported as not written
        layout.images = [((0.0, 0.0, width, height), b"", f"{type(e).__name__}: {e}")]
    return layout


def _columns(boxes: list[tuple[float, float, float, float]], body: float) -> list[tuple[float, float, float, float]]:
    """Union of line boxes, one rectangle per column (boxes set one under the other merge)."""
    rects = [list(b) for b in sorted(boxes, key=lambda b: (b[0], b[1]))]
    merged = True
    while merged:
        merged = False
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                overlap = min(a[2], b[2]) - max(a[0], b[0])
                narrow = min(a[2] - a[0], b[2] - b[0])
                vgap = max(a[1], b[1]) - min(a[3], b[3])
                if overlap >= 0.6 * narrow and vgap <= 2.5 * body:
                    rects[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del rects[j]
                    merged = True
                    break
            if merged:
                break
    return [tuple(r) for r in sorted(rects, key=lambda r: (r[1], r[0]))]


def _fractions(r, width: float, height: float) -> tuple[float, float, float, float]:
    def f(v: float, total: float) -> float:
        return round(min(1.0, max(0.0, v / total)), 4)
    return (f(r[0], width), f(r[1], height), f(r[2], width), f(r[3], height))


def read_pdf_page(path: str | Path, *, keep_punctuation: bool = False) -> Page:
    """Read and segment one printed page given as a one-page PDF (see module docstring)."""
    p = Path(path)
    layout = pdf_layout(p)
    body = layout.body_size

    def oracle(stack, ctx):
        """Font size and weight settle what the words leave open: a line much larger than the body
        heads a new article; lines in the body's own size and weight are text, not a headline; a
        bold line at body size is a sub-head unless the words make a new article likely (a brief's
        headline is set so too)."""
        sizes = [layout.sizes.get(no, body) for no, _ in stack]
        if max(sizes) >= HEADLINE_RATIO * body:
            return True
        if max(sizes) <= 1.05 * body:
            if not any(layout.bold.get(no) for no, _ in stack):
                return False
            if ctx is not None:
                return ev.new_article_probability(ctx) >= 1 - ev.REVIEW_MARGIN
        return None

    page = parse_page(layout.text, p.name, keep_punctuation=keep_punctuation, encoding="pdf",
                      display=str(p), oracle=oracle)
    items = []
    unplaced = []
    for it in page.items:
        boxes = [b for no in it.lines for b in layout.boxes.get(no, [])]
        if not boxes:
            unplaced.append(Note("area", tuple(it.lines), f"item {it.order} could not be placed on the page — "
                                 "give its `area:` by hand"))
            items.append(it)
            continue
        rects = _columns(boxes, body)
        items.append(replace(it, area=tuple(_fractions(r, layout.width, layout.height) for r in rects),
                             area_points=tuple(tuple(round(v, 2) for v in r) for r in rects)))
    joins = tuple(Note("join", (no,), f"joined the text at the top of a column to the paragraph of line {no} (split "
                       "by a column break: the column's first line is not indented)") for no in layout.joins)
    items, image_notes = _attach_images(items, layout, body)
    items = _frames(items, page, layout)
    items = _whole_boxes(items, page, layout)
    items, uncertain = _stacks_by_size(items, list(page.uncertain), layout)
    # a headline the font size decided is not a close call
    uncertain = [n for n in uncertain if not (n.kind in ("headline", "subhead") and " % sure)" in n.message
                                              and n.lines and oracle([(no, "") for no in n.lines], None) is not None)]
    return replace(page, items=tuple(items), uncertain=tuple(uncertain) + tuple(image_notes),
                   repairs=joins + page.repairs,
                   unplaced=tuple(unplaced), page_size=(round(layout.width, 2), round(layout.height, 2)))


def _stacks_by_size(items: list[Item], uncertain: list[Note], layout: PdfLayout) -> tuple[list[Item], list[Note]]:
    """Two headline lines: the text path guesses kicker (引题) over title (主题) and asks the editor.
    The sizes answer it: a smaller line above is the kicker; a larger one above is the title, and the
    smaller line below it the subtitle (副题)."""
    keep = []
    for n in uncertain:
        if n.kind != "headline" or len(n.lines) < 2 or not n.message.startswith("two headline lines"):
            keep.append(n)
            continue
        a, b = (layout.sizes.get(no, 0.0) for no in n.lines[:2])
        if a and b and a < 0.9 * b:
            continue  # the kicker is set smaller than the title: as read
        if a and b and a > 1.1 * b:
            for k, it in enumerate(items):
                if n.lines[0] in it.lines and it.kicker and not it.subtitle:
                    items[k] = replace(it, kicker="", title=it.kicker, subtitle=it.title)
            continue
        keep.append(n)
    return items, keep


def _inside(a, b, slack: float = 1.0) -> bool:
    return a[0] >= b[0] - slack and a[1] >= b[1] - slack and a[2] <= b[2] + slack and a[3] <= b[3] + slack


def _frames(items: list[Item], page: Page, layout: PdfLayout) -> list[Item]:
    """An item alone inside a drawn frame (an advertisement's border, a boxed story) is the frame."""
    fixed = [b for found in (page.header, page.footer, *page.furniture) if found
             for b in layout.boxes.get(found[0], [])]
    for frame in sorted(layout.frames, key=lambda f: (f[2] - f[0]) * (f[3] - f[1])):
        inside = [k for k, it in enumerate(items) if it.area_points and all(_inside(r, frame) for r in it.area_points)]
        if len(inside) != 1:
            continue
        k = inside[0]
        others = [r for j, o in enumerate(items) if j != k for r in o.area_points] + fixed
        if any(_overlaps(frame, r) for r in others):
            continue
        items[k] = replace(items[k], area_points=(tuple(round(v, 2) for v in frame),),
                           area=(_fractions(frame, layout.width, layout.height),))
    return items


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _whole_boxes(items: list[Item], page: Page, layout: PdfLayout) -> list[Item]:
    """An item whose rectangles' bounding box holds nothing else printed gets that one box (a story
    set as a rectangle, a photo with a credit set to the right); an L-shaped item keeps its columns."""
    others_fixed = [b for found in (page.header, page.footer, *page.furniture) if found
                    for b in layout.boxes.get(found[0], [])]
    out = []
    for k, it in enumerate(items):
        if len(it.area_points) < 2:
            out.append(it)
            continue
        pts = it.area_points
        box = (min(r[0] for r in pts), min(r[1] for r in pts), max(r[2] for r in pts), max(r[3] for r in pts))
        others = [r for j, o in enumerate(items) if j != k for r in o.area_points] + others_fixed
        if any(_overlaps(box, r) for r in others):
            out.append(it)
            continue
        out.append(replace(it, area_points=(tuple(round(v, 2) for v in box),),
                           area=(_fractions(box, layout.width, layout.height),)))
    return out


def _attach_images(items: list[Item], layout: PdfLayout, body: float) -> tuple[list[Item], list[Note]]:
    """Each embedded image goes to the photo whose caption is just below it (or just above)."""
    notes = []
    taken: set[int] = set()
    for box, data, ext in layout.images:
        if not data:
            notes.append(Note("image", (), f"an image at {tuple(round(v) for v in box)} (points) could not be read "
                              f"({ext}); it was not written — add it by hand if it is a photo"))
            continue
        best = None
        for k, it in enumerate(items):
            if it.kind != "photo" or k in taken or not it.area_points:
                continue
            cap = (min(r[0] for r in it.area_points), min(r[1] for r in it.area_points),
                   max(r[2] for r in it.area_points), max(r[3] for r in it.area_points))
            if min(cap[2], box[2]) - max(cap[0], box[0]) <= 0:
                continue
            below = cap[1] - box[3]
            above = box[1] - cap[3]
            dist = below if -body <= below <= 4 * body else (above + body if -body <= above <= 4 * body else None)
            if dist is not None and (best is None or dist < best[0]):
                best = (dist, k)
        if best is None:
            notes.append(Note("image", (), f"an image at {tuple(round(v) for v in box)} (points) has no photo caption "
                              "beside it; it was not written — add it by hand if it is a photo"))
            continue
        k = best[1]
        taken.add(k)
        it = items[k]
        area = [box, *it.area_points]
        rects = _columns(area, body)
        items[k] = replace(it, image_data=data, image_ext=ext,
                           area=tuple(_fractions(r, layout.width, layout.height) for r in rects),
                           area_points=tuple(tuple(round(v, 2) for v in r) for r in rects))
    return items, notes


# --------------------------------------------------------------------------- placing known items

@dataclass(frozen=True)
class Placement:
    """Where an item's text is printed on a PDF page."""

    area: tuple[tuple[float, float, float, float], ...]  # page fractions, one per column; () not placed
    missing: tuple[str, ...]  # the item's texts (or their clauses) not found on the page


def _norm(text: str) -> str:
    from ..punct import to_fullwidth
    return "".join(to_fullwidth(" ".join(text.split()))[0].split())


def place_items(path: str | Path, items: list[list[str]]) -> tuple[list[Placement], PdfLayout]:
    """Locate items written elsewhere (typed in, edited, or ingested from text) on the page PDF:
    each item is a list of its texts (headline lines, paragraphs, caption…); every text is matched
    to the positioned characters of the text layer (whole, else clause by clause), and the boxes of
    the matched characters, united per printed line, make its area (one rectangle per column)."""
    p = Path(path)
    layout = pdf_layout(p)
    chars: list[str] = []
    owner: list[int] = []  # for each character: the printed line it is on
    cbox: list[tuple[float, float, float, float]] = []  # and its box
    for k, ln in enumerate(layout.lines):
        for ch, box in ln.glyphs:
            for c in _norm(ch):
                chars.append(c)
                owner.append(k)
                cbox.append(box)
    page_text = "".join(chars)
    used = [False] * len(page_text)

    def find(t: str, near: list[int]) -> list[int] | None:
        """A free occurrence of ``t``: the one nearest (in reading order) the item's other texts."""
        best = None
        lo, hi = (min(near), max(near)) if near else (0, 0)
        i = page_text.find(t)
        while i >= 0:
            if not any(used[i:i + len(t)]):
                d = max(lo - i, i - hi, 0) if near else i
                if best is None or d < best[0]:
                    best = (d, i)
                if not near:
                    break
            i = page_text.find(t, i + 1)
        if best is None:
            return None
        i = best[1]
        for j in range(i, i + len(t)):
            used[j] = True
        return list(range(i, i + len(t)))

    out = []
    for texts in items:
        hits: list[int] = []
        missing: list[str] = []
        # longest first: a paragraph is found once, a short line (a byline) then where it is nearest
        for text in sorted((t for t in texts if _norm(t)), key=lambda t: -len(_norm(t))):
            t = _norm(text)
            span = find(t, hits)
            if span is None:
                clauses = [c for c in re.split(r"(?<=[，。；！？、：])", t) if len(c) >= 4]
                spans = [find(c, hits) for c in clauses]
                if clauses and all(sp is None for sp in spans):
                    missing.append(text)
                    continue
                missing.extend(c for c, sp in zip(clauses, spans) if sp is None)
                span = [j for sp in spans if sp for j in sp]
            hits.extend(span)
        boxes = []
        for k in sorted({owner[j] for j in hits}):
            ln = layout.lines[k]
            inside = [cbox[j] for j in hits if owner[j] == k]
            if len(inside) >= len(_norm(ln.text)):
                boxes.append((ln.x0, ln.top, ln.x1, ln.bottom))
            else:  # part of a line (a headline and a byline set on one line): only its characters
                boxes.append((min(b[0] for b in inside), min(b[1] for b in inside),
                              max(b[2] for b in inside), max(b[3] for b in inside)))
        rects = _columns(boxes, layout.body_size) if boxes else []
        out.append(Placement(tuple(_fractions(r, layout.width, layout.height) for r in rects), tuple(missing)))
    return out, layout
