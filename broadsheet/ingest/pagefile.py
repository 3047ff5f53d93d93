"""The printed page kept with a 版面: ``page.pdf`` (one page) or ``page.jpg``/``page.png``/``page.webp``.

:func:`check_page_file` validates one such file the way content is validated — every problem as
``path:line: what is wrong — what to do`` — so the content loader (and ingest) can report them
with everything else.  It reads only what it must: the PDF's page count and size (pypdfium2), the
image's header and a full decode (Pillow).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem

PAGE_FILES = ("page.pdf", "page.jpg", "page.jpeg", "page.png", "page.webp")
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MAX_PAGE_FILE_BYTES = 200 * 1024 * 1024
# A printed page is between a postcard and a poster: 3–100 inches a side (216–7200 points).
MIN_PAGE_PT, MAX_PAGE_PT = 216.0, 7200.0
# A page image must be legible and not a decompression bomb.
MIN_IMAGE_PX, MAX_IMAGE_PX, MAX_IMAGE_PIXELS = 300, 20000, 200_000_000


def page_file(directory: Path) -> Path | None:
    """The 版面 folder's printed page, if it has one (``page.pdf`` first)."""
    for name in PAGE_FILES:
        if (directory / name).is_file():
            return directory / name
    return None


def check_page_file(path: str | Path) -> list[Problem]:
    """What is wrong with a printed-page file (nothing: an empty list)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            head = f.read(16)
    except OSError as e:
        return [Problem(str(p), 0, f"cannot read the page file: {e.strerror}", "check the file's permissions")]
    if size > MAX_PAGE_FILE_BYTES:
        return [Problem(str(p), 0, f"the page file is {size // 2**20} MB, larger than any printed page "
                        f"({MAX_PAGE_FILE_BYTES // 2**20} MB limit)", "export the page at print resolution, one page")]
    ext = p.suffix.lower()
    if ext == ".pdf":
        return _check_pdf(p, head)
    if ext in IMAGE_FORMATS:
        return _check_image(p, IMAGE_FORMATS[ext])
    return [Problem(str(p), 0, f"'{p.name}' is not a page file", "name it page.pdf, page.jpg, page.png or page.webp")]


def _check_pdf(p: Path, head: bytes) -> list[Problem]:
    if not head.startswith(b"%PDF-"):
        return [Problem(str(p), 0, "this is not a PDF (it does not start with %PDF-)",
                        "export the page from the layout program as a PDF")]
    import pypdfium2 as pdfium
    try:
        doc = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            return [Problem(str(p), 0, "the PDF is encrypted (it needs a password)",
                            "export the page again without a password or restrictions")]
        return [Problem(str(p), 0, f"the PDF cannot be read ({e})", "export the page from the layout program again")]
    try:
        n = len(doc)
        if n != 1:
            return [Problem(str(p), 0, f"the PDF has {n} pages; a 版面 folder holds its one printed page",
                            "split the PDF into one file per page and put each in its 版面 folder")]
        w, h = doc[0].get_size()
    finally:
        doc.close()
    if not (MIN_PAGE_PT <= w <= MAX_PAGE_PT and MIN_PAGE_PT <= h <= MAX_PAGE_PT):
        return [Problem(str(p), 0, f"the page is {w / 72 * 25.4:.0f} × {h / 72 * 25.4:.0f} mm, not the size of a "
                        f"printed page ({MIN_PAGE_PT / 72 * 25.4:.0f}–{MAX_PAGE_PT / 72 * 25.4:.0f} mm a side)",
                        "export the page at its printed size")]
    return []


def _check_image(p: Path, want: str) -> list[Problem]:
    from PIL import Image
    try:
        with Image.open(p) as im:
            fmt, (w, h) = im.format, im.size
            if w * h > MAX_IMAGE_PIXELS or max(w, h) > MAX_IMAGE_PX or min(w, h) < MIN_IMAGE_PX:
                return [Problem(str(p), 0, f"the page image is {w} × {h} pixels, not a legible page "
                                f"({MIN_IMAGE_PX}–{MAX_IMAGE_PX} pixels a side)",
                                "export the page at 100–300 dpi")]
            im.load()  # the whole image decodes (a truncated file fails here)
    except Image.DecompressionBombError:
        return [Problem(str(p), 0, "the page image is far too large to open", "export the page at 100–300 dpi")]
    except Exception as e:  # Pillow raises several kinds on a broken file
        return [Problem(str(p), 0, f"the page image cannot be read ({type(e).__name__}: {e})",
                        "export the page image again (JPEG, PNG or WebP)")]
    if fmt != want:
        ext = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}.get(fmt or "", "")
        todo = f"rename it page{ext}" if ext else "export it as JPEG, PNG or WebP"
        return [Problem(str(p), 0, f"the file is a {fmt or 'unknown'} image, not the {want} its name says", todo)]
    return []
