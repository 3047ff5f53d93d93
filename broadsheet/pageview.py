"""The page as printed: each 版面's page file (``page.pdf`` or ``page.jpg|png|webp``) made ready for the web.

The public verb is :func:`prepare`.  For every 版面 with a page file it

* renders the page (pypdfium2 for a PDF, Pillow for an image) at the widths of ``WIDTHS`` and a
  ``THUMB`` thumbnail, each as WebP and JPEG with fixed settings and no metadata (same page, same
  bytes);
* takes each item's area — the editor's ``area:`` if given, else found by locating the item's text
  in the PDF's text layer (``ingest.pdf.place_items``); an image-only page has only the editor's;
* copies the page PDF, and merges the edition's pages, in page order, into one edition PDF (a page
  given as an image becomes a page of its own).

Renders, areas and merged PDFs are kept in ``cache_dir`` (``.output.cache/pages/``), keyed by the
SHA-256 of the page file (and of the items' texts, for areas; of the pages, for an edition PDF),
so a build in which nothing changed renders nothing.  The result, :class:`PageViews`, gives the
:class:`PageView` of each 版面 (what the templates show) and each edition's output files (for the
build's bookkeeping).
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import multiprocessing
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .files import write_file

WIDTHS = (640, 1280, 1920)  # the page image, for phones, tablets and desktops (srcset)
THUMB = 320  # the thumbnail (版面导航, the article's locator)
QUALITY = {"webp": 80, "jpg": 80}
RENDER = f"v1:{WIDTHS}:{THUMB}:{QUALITY}"  # the render parameters: part of every render's cache key


@dataclass(frozen=True)
class PageView:
    """What the templates show of one 版面's printed page (URLs relative to the site root)."""

    images: tuple[tuple[int, int, str, str], ...]  # (width, height, WebP url, JPEG url), widths ascending
    areas: tuple[tuple[str, tuple[tuple[float, float, float, float], ...]], ...]  # (item name, rectangles)
    pdf: tuple[str, int] | None  # the page PDF: (url, bytes)
    edition_pdf: tuple[str, int] | None  # the whole edition's PDF: (url, bytes)

    @property
    def thumb(self) -> tuple[int, int, str, str]:
        return self.images[0]

    @property
    def large(self) -> tuple[int, int, str, str]:
        return self.images[-1]

    @property
    def width(self) -> int:
        return self.images[-1][0]

    @property
    def height(self) -> int:
        return self.images[-1][1]

    @property
    def srcset_webp(self) -> tuple[tuple[str, int], ...]:
        return tuple((url, w) for w, _, url, _ in self.images[1:])

    @property
    def srcset_jpg(self) -> tuple[tuple[str, int], ...]:
        return tuple((url, w) for w, _, _, url in self.images[1:])

    def area(self, name: str):
        """The rectangles of the item of this name (page fractions), or ()."""
        return next((rects for n, rects in self.areas if n == name), ())

    def box(self, rects, scale: int = 1000) -> list[tuple[int, int, int, int]]:
        """Rectangles as x, y, width, height in the overlay's coordinates (``scale`` wide)."""
        h = scale * self.height / self.width
        return [(round(r[0] * scale, 1), round(r[1] * h, 1), round((r[2] - r[0]) * scale, 1),
                 round((r[3] - r[1]) * h, 1)) for r in rects]

    @property
    def view_height(self) -> float:
        return round(1000 * self.height / self.width, 1)


def prepare(site, out: Path, cache_dir: Path, *, fresh=lambda path: True, published: Path | None = None,
            jobs: int = 1) -> "PageViews":
    """Make the page views of the editions that were read again (``fresh(edition folder)``) and
    write their files into ``out`` (staging): page PDFs and edition PDFs always, images where
    ``published`` (the output the build replaces; default ``out``) lacks them — an image's name
    holds its page file's hash, so the same name is the same bytes.  Pages not rendered before
    are rendered by ``jobs`` processes.  The other editions' views are made when a page shows
    them (an edition re-rendered because a neighbour changed); their files are already published.
    Returns the :class:`PageViews`."""
    views = PageViews(Path(cache_dir), out, published or out)
    for ed in site.editions:
        views.add(ed)
    eager = [ed for ed in site.editions if fresh(str(ed.path)) and any(s.page_file for s in ed.sections)]
    todo = {}
    for ed in eager:
        for sec in ed.sections:
            if sec.page_file is not None:
                sha = views.sha(sec)
                if not (_render_dir(views.cache, sha) / "meta.json").is_file():
                    todo[sha] = str(sec.page_file)
    work = [(views.cache, sha, path) for sha, path in sorted(todo.items())]
    if jobs > 1 and len(work) > 1:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:
            list(pool.imap_unordered(_render_one, work))
    else:
        for w in work:
            _render_one(w)
    views.rendered = len(work)
    for ed in eager:
        views.edition(ed, write=True)
    return views


class PageViews:
    """The page views of a site's editions, made an edition at a time (when written, or when asked)."""

    def __init__(self, cache: Path, out: Path, published: Path):
        self.cache, self.out, self.published = cache, out, published
        self.rendered = 0  # pages rendered by this build (not taken from the cache)
        self.unplaced: list[str] = []  # item files with a page of their own and no area on their page
        self._editions: dict[str, object] = {}  # edition folder → Edition
        self._of: dict[str, str] = {}  # 版面 folder → edition folder
        self._made: dict[str, tuple[dict, list]] = {}  # edition folder → (views, files)
        self._shas: dict[str, str] = {}

    def add(self, ed) -> None:
        if any(sec.page_file is not None for sec in ed.sections):
            self._editions[str(ed.path)] = ed
            for sec in ed.sections:
                self._of[str(sec.path)] = str(ed.path)

    def view(self, section_path: str) -> PageView | None:
        """The PageView of a 版面 folder (None: it has no page file)."""
        ed = self._of.get(section_path)
        return None if ed is None else self.edition(self._editions[ed])[0].get(section_path)

    def files(self, edition_path: str) -> list[str]:
        """The output files of an edition's page views (site-root relative)."""
        ed = self._editions.get(edition_path)
        return [] if ed is None else self.edition(ed)[1]

    def sha(self, sec) -> str:
        key = str(sec.path)
        if key not in self._shas:
            self._shas[key] = _sha256(sec.page_file, self.cache)
        return self._shas[key]

    def edition(self, ed, write: bool = False) -> tuple[dict, list]:
        made = self._made.get(str(ed.path))
        if made is not None:
            return made
        folder = ed.date.isoformat()
        views: dict[str, PageView] = {}
        listed: list[str] = []

        def put(rel: str, source: Path, named_by_hash: bool = False) -> None:
            listed.append(rel)
            if write and not (named_by_hash and (self.published / rel).is_file()):
                write_file(self.out / rel, source.read_bytes())  # never share an inode with the cache

        secs = [sec for sec in ed.sections if sec.page_file is not None]
        metas = {}
        for sec in secs:
            rdir = _render_dir(self.cache, self.sha(sec))
            if not (rdir / "meta.json").is_file():  # the cache was cleared since the edition was written
                _render_one((self.cache, self.sha(sec), str(sec.page_file)))
            metas[sec.page] = json.loads((rdir / "meta.json").read_text("utf-8"))
        # the edition PDF: the page PDFs, and a page image as a page of its largest JPEG
        sources = [(str(sec.page_file), None) if sec.page_file.suffix.lower() == ".pdf" else
                   (str(_render_dir(self.cache, self.sha(sec)) / f"{metas[sec.page]['sizes'][-1][0]}.jpg"),
                    metas[sec.page]["sizes"][-1]) for sec in secs]
        merged = _merged(self.cache, sources, [self.sha(sec) for sec in secs], ed.date)
        edition_pdf = (f"{folder}/{folder}.pdf", merged.stat().st_size)
        put(edition_pdf[0], merged)
        for sec in secs:
            sha = self.sha(sec)
            rdir = _render_dir(self.cache, sha)
            meta = metas[sec.page]
            base = f"{folder}/{sec.page:02d}/"
            images = []
            for w, h in meta["sizes"]:
                names = [f"page-{w}.{sha[:10]}.{ext}" for ext in ("webp", "jpg")]
                for name, ext in zip(names, ("webp", "jpg")):
                    put(base + name, rdir / f"{w}.{ext}", named_by_hash=True)
                images.append((w, h, base + names[0], base + names[1]))
            pdf = None
            if sec.page_file.suffix.lower() == ".pdf":
                rel = f"{base}{folder}-{sec.page:02d}.pdf"
                put(rel, sec.page_file)
                pdf = (rel, sec.page_file.stat().st_size)
            areas = _areas(self.cache, sec, sha)
            views[str(sec.path)] = PageView(tuple(images), areas, pdf, edition_pdf)
            if write:
                placed = {name for name, _ in areas}
                self.unplaced.extend(str(it.path) for it in sec.items if it.has_page and it.name not in placed)
        made = self._made[str(ed.path)] = (views, listed)
        return made


# --------------------------------------------------------------------------- the cache

def _sha256(path: Path, cache: Path) -> str:
    """The page file's SHA-256, remembered by its path, size and mtime (a page file is read once)."""
    st = path.stat()
    key = hashlib.sha1(repr((str(path.resolve()), st.st_size, st.st_mtime_ns)).encode("utf-8", "surrogatepass"))
    memo = cache / "pages" / "sha" / key.hexdigest()
    try:
        return memo.read_text("ascii")
    except OSError:
        pass
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    _save(memo, h.hexdigest().encode("ascii"))
    return h.hexdigest()


def _render_dir(cache: Path, sha: str) -> Path:
    return cache / "pages" / (sha + "-" + _code()[:8])


_CODE: list[str] = []


def _code() -> str:
    """A digest of what renders and places: the settings, this code and the ingest's PDF reading,
    and the versions of pypdfium2 and Pillow (a cache made by other code is not reused)."""
    if not _CODE:
        import PIL
        import pypdfium2
        here = Path(__file__).resolve().parent
        h = hashlib.sha1(f"{RENDER}:{pypdfium2.PYPDFIUM_INFO}:{pypdfium2.PDFIUM_INFO}:{PIL.__version__}".encode())
        for f in (here / "pageview.py", here / "ingest" / "pdf.py", here / "punct.py"):
            h.update(f.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def _save(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a killed build leaves no half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- rendering

def _render_one(job) -> None:
    cache, sha, path = job
    from PIL import Image
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[0]
            w_pt = page.get_size()[0]
            image = page.render(scale=WIDTHS[-1] / w_pt, may_draw_forms=True).to_pil().convert("RGB")
        finally:
            doc.close()
    else:
        with Image.open(path) as im:
            image = im.convert("RGB")
    rdir = _render_dir(cache, sha)
    sizes = []
    widths = [w for w in WIDTHS if w <= image.width] or [image.width]
    for w in (THUMB, *widths):
        h = round(image.height * w / image.width)
        im = image if (w, h) == image.size else image.resize((w, h), Image.LANCZOS)
        for ext in ("webp", "jpg"):
            buf = io.BytesIO()
            if ext == "webp":
                im.save(buf, "WEBP", quality=QUALITY["webp"], method=4)
            else:
                im.save(buf, "JPEG", quality=QUALITY["jpg"], optimize=True, progressive=True)
            _save(rdir / f"{w}.{ext}", buf.getvalue())
        sizes.append((w, h))
    _save(rdir / "meta.json", json.dumps({"sizes": sizes}).encode("utf-8"))  # last: the render is whole


IMAGE_DPI = 150  # a page given as an image is put in the edition PDF at this resolution


def _merged(cache: Path, sources: list[tuple[str, tuple | None]], shas: list[str], date) -> Path:
    """The edition PDF: its pages in page order — a page PDF's page, or a page image (a JPEG and its
    size in pixels) on a page of its own — cached by their SHA-256s, dated the edition's day."""
    key = hashlib.sha256("\n".join([_code(), date.isoformat(), *shas]).encode()).hexdigest()
    target = cache / "pages" / "editions" / f"{key}.pdf"
    if target.is_file():
        return target
    import pypdfium2 as pdfium
    merged = pdfium.PdfDocument.new()
    try:
        for path, size in sources:
            if size is None:
                src = pdfium.PdfDocument(path)
                try:
                    merged.import_pages(src)
                finally:
                    src.close()
                continue
            w, h = (v * 72 / IMAGE_DPI for v in size)
            page = merged.new_page(w, h)
            image = pdfium.PdfImage.new(merged)
            image.load_jpeg(path, pages=[page], inline=False)
            image.set_matrix(pdfium.PdfMatrix().scale(w, h))
            page.insert_obj(image)
            page.gen_content()
        buf = io.BytesIO()
        merged.save(buf)
    finally:
        merged.close()
    _save(target, _fixed(buf.getvalue(), date))
    return target


def _fixed(pdf: bytes, date) -> bytes:
    """pdfium writes the time of the merge as the creation date, and may write a random file ID:
    the same pages must make the same file (both replaced by as many bytes: the offsets hold)."""
    stamp = date.strftime("%Y%m%d").encode() + b"000000"
    pdf = re.sub(rb"/CreationDate\(D:\d{14}", lambda m: b"/CreationDate(D:" + stamp, pdf)
    return re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]",
                  lambda m: re.sub(rb"[0-9A-Fa-f]", b"0", m.group()), pdf)


# --------------------------------------------------------------------------- areas

def _areas(cache: Path, sec, sha: str):
    """(item name, rectangles) of every item placed on the page, in page order: the editor's
    ``area:``, else (a PDF) where the item's text is printed."""
    given = {it.name: it.area for it in sec.items if it.area}
    found: dict[str, list] = {}
    if sec.page_file.suffix.lower() == ".pdf" and len(given) < len(sec.items):
        todo = [it for it in sec.items if not it.area]
        key = hashlib.sha1(repr((_code(), sha, [(it.name, it.digest) for it in todo])).encode()).hexdigest()
        memo = cache / "pages" / "areas" / f"{key}.json"
        try:
            found = json.loads(memo.read_text("utf-8"))
        except (OSError, ValueError):
            from .errors import BroadsheetError
            from .ingest.pdf import place_items
            try:
                placed, layout = place_items(sec.page_file, [_texts(it) for it in todo])
            except BroadsheetError:  # no text layer (a scanned page): as an image, only area: places
                placed, layout = [], None
            found = {it.name: [list(r) for r in p.area] for it, p in zip(todo, placed) if p.area}
            if layout is not None:
                _photos(found, [it.name for it in todo if it.kind == "photo"], layout)
            _save(memo, json.dumps(found, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    out = []
    for it in sec.items:
        rects = given.get(it.name) or found.get(it.name)
        if rects:
            out.append((it.name, tuple(tuple(float(v) for v in r) for r in rects)))
    return tuple(out)


def _photos(found: dict[str, list], photos: list[str], layout) -> None:
    """A photo's area is its caption's and the picture's: the page's embedded image just above
    the caption (or just below), overlapping it across, each image taken once."""
    w, h, gap = layout.width, layout.height, 4 * (layout.body_size or 10)
    free = [box for box, _, _ in layout.images]
    for name in photos:
        rects = found.get(name)
        if not rects:
            continue
        cap = (min(r[0] for r in rects) * w, min(r[1] for r in rects) * h,
               max(r[2] for r in rects) * w, max(r[3] for r in rects) * h)
        best = None
        for box in free:
            if min(cap[2], box[2]) - max(cap[0], box[0]) <= 0:
                continue
            d = cap[1] - box[3] if box[3] <= cap[1] + 2 else box[1] - cap[3] if box[1] >= cap[3] - 2 else None
            if d is not None and d <= gap and (best is None or d < best[0]):
                best = (d, box)
        if best is not None:
            free.remove(best[1])
            b = best[1]
            rects.insert(0, [round(b[0] / w, 4), round(b[1] / h, 4), round(b[2] / w, 4), round(b[3] / h, 4)])


_BLOCK = re.compile(r"<(p|h[1-6]|li|blockquote|figcaption|td|th)\b[^>]*>(.*?)</\1>", re.S)


def _texts(item) -> list[str]:
    """The texts of an item as printed: headline lines, byline, paragraphs."""
    from .content import item_html
    body = [html.unescape(re.sub(r"<[^>]+>", "", m.group(2))) for m in _BLOCK.finditer(item_html(item))]
    return [t for t in (item.kicker, item.title, item.subtitle, item.dateline, *body, *item.authors, item.credit)
            if t and t.strip()]
