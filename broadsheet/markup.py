"""Markdown → safe HTML: one Python-Markdown instance, ``reset()`` per document, nh3 allow-list."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "blockquote", "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th",
    "td", "code", "pre", "span", "ruby", "rt", "rp", "abbr", "cite", "q", "mark", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "abbr": {"title"},
    "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}, "ol": {"start"},
}


class _Headings(Treeprocessor):
    """The page's <h1> is the headline: body headings start at <h2>."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "h1":
                el.tag = "h2"


class _SanitizeStash(Postprocessor):
    """Sanitize each raw-HTML fragment on its own, before Markdown splices it back in, so a
    broken fragment (an unclosed <style> or <textarea>) cannot swallow the text after it."""

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if not isinstance(block, str):
                continue
            lone = _LONE_TAG.match(block.strip())
            if lone and lone.group(1).lower() in ALLOWED_TAGS:
                continue  # <b> … </b> arrive as separate fragments; the final pass cleans their attributes
            stash[i] = sanitize(block)
        return text


_LONE_TAG = re.compile(r"^</?([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*>$")


class NewspaperExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Headings(md), "broadsheet-headings", 5)
        md.postprocessors.register(_SanitizeStash(md), "broadsheet-sanitize-stash", 40)  # before raw_html (30)


class Renderer:
    """Reuse one Markdown instance across documents (much cheaper than one per page)."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", NewspaperExtension()],
                                    output_format="html")

    def html(self, text: str) -> str:
        fast = plain_html(text)
        if fast is not None:
            return fast
        self.md.reset()
        return sanitize(self.md.convert(text))


# Where Markdown would do anything but make a paragraph: these characters anywhere (or a
# link), two white-space characters in a row in a block, these at the start of a block,
# white space at its end.  U+00A0 is here because the sanitizer writes it back as &nbsp;.  '#' is
# allowed only as the '## ' of a sub-head.
_MARKDOWN_CHARS = re.compile(r"[\\`*_<>\[\]&|~=\t\x00-\x08\x0b-\x1f\x7f-\xa0\u2028\u2029]")
_TWO_SPACES = re.compile(r"\s\s")
_MARKDOWN_START = re.compile(r"\s|[-+.]|\d+[.)]|[A-Za-z0-9._%+-]+@")


def plain_html(text: str) -> str | None:
    """HTML for a body made only of plain paragraphs and '## ' sub-heads, without running
    Markdown (most newspaper text); None when Markdown is needed.  Output is identical to
    Markdown's followed by the sanitizer for such input (tests/test_markup.py checks it
    against both), so the sanitizer need not run — and there is nothing to escape: the
    text has no '&', '<' or '>'."""
    text = text.strip("\n")
    if _MARKDOWN_CHARS.search(text) or "http:" in text or "https:" in text or "www." in text:
        return None
    blocks = []
    for block in text.split("\n\n"):
        if not block or "\n" in block:
            return None
        tag = "p"
        if block.startswith("## "):
            tag, block = "h2", block[3:]
        if not block or "#" in block or _TWO_SPACES.search(block) or _MARKDOWN_START.match(block) \
                or block[-1].isspace():
            return None
        blocks.append(f"<{tag}>{block}</{tag}>")
    return "\n".join(blocks) if blocks else None


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
                     strip_comments=True)


_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


def describe(body_html: str, limit: int = 120) -> str:
    """The first sentences of the first paragraph, for meta descriptions and feeds."""
    m = re.search(r"<p>(.*?)</p>", body_html, re.S)
    text = " ".join(plain_text(m.group(1) if m else body_html).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stops = [cut.rfind(c) for c in "。！？!?."]
    end = max(stops)
    return cut[:end + 1] if end >= limit // 3 else cut.rstrip() + "…"
