"""Validation of a 版面's printed page file (page.pdf / page.jpg / page.png / page.webp)."""
from __future__ import annotations

import io

import pytest

from broadsheet.ingest.pagefile import check_page_file, page_file
from test_ingest_pdf import _encrypted_pdf


def _pdf(browser, body: str, w: str = "800px", h: str = "1100px") -> bytes:
    page = browser.new_page()
    page.set_content(body)
    data = page.pdf(width=w, height=h)
    page.close()
    return data


def _image(fmt: str, size=(800, 1100)) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", size, (240, 240, 230)).save(buf, format=fmt)
    return buf.getvalue()


def _messages(path) -> str:
    problems = check_page_file(path)
    for p in problems:
        assert p.path == str(path) and p.message and p.fix
    return " | ".join(str(p) for p in problems)


def test_good_page_files(browser, tmp_path):
    (tmp_path / "page.pdf").write_bytes(_pdf(browser, "<p>第一版</p>"))
    assert check_page_file(tmp_path / "page.pdf") == []
    assert page_file(tmp_path) == tmp_path / "page.pdf"
    for fmt, name in [("JPEG", "page.jpg"), ("PNG", "page.png"), ("WEBP", "page.webp")]:
        (tmp_path / name).write_bytes(_image(fmt))
        assert check_page_file(tmp_path / name) == [], name


def test_bad_pdfs(browser, tmp_path):
    p = tmp_path / "page.pdf"
    p.write_text("not a pdf", "utf-8")
    assert "this is not a PDF" in _messages(p)
    p.write_bytes(_pdf(browser, '<p>一</p><p style="break-before: page">二</p>'))
    assert "the PDF has 2 pages" in _messages(p)
    p.write_bytes(_encrypted_pdf())
    assert "the PDF is encrypted" in _messages(p)
    p.write_bytes(b"%PDF-1.7\nbroken")
    assert "the PDF cannot be read" in _messages(p)
    p.write_bytes(_pdf(browser, "<p>小</p>", "100px", "100px"))
    assert "not the size of a printed page" in _messages(p)


def test_bad_images(tmp_path):
    p = tmp_path / "page.jpg"
    p.write_bytes(_image("PNG"))
    assert "is a PNG image, not the JPEG its name says" in _messages(p) and "rename it page.png" in _messages(p)
    p.write_bytes(_image("JPEG")[:2000])
    assert "cannot be read" in _messages(p)
    p.write_bytes(b"hello")
    assert "cannot be read" in _messages(p)
    p.write_bytes(_image("JPEG", (120, 80)))
    assert "not a legible page" in _messages(p)
    q = tmp_path / "page.gif"
    q.write_bytes(b"GIF89a")
    assert "is not a page file" in _messages(q)
