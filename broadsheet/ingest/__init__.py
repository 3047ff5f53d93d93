"""Ingest: raw print-page text → items (articles, photos, banners, advertisements).

The public verb is :func:`read_page`.  It reads a page file, cuts it into blocks
(runs of non-blank lines), drops verbatim repeats left by the layout, and walks
the blocks with a small state machine that recognises what a reader sees on a
page: headline stacks (kicker / title / subtitle), bylines, datelines, body
paragraphs split by column breaks, sub-heads, photo captions with credits, and
runs of short lines (banners and advertisements).  Every source line ends up in
exactly one item, in the page header/footer, or in the list of dropped repeats.
"""
from __future__ import annotations

from .model import KINDS, Element, Item, Note, Page
from .page import MAX_PAGE_BYTES, parse_page, read_page

__all__ = ["KINDS", "MAX_PAGE_BYTES", "Element", "Item", "Note", "Page", "parse_page", "read_page"]
