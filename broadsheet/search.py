"""Search: a Pagefind index of every article and photo, that finds any Chinese substring.

The public verb is :func:`index_site`.  Pagefind's extended binary is used (only it
segments Chinese, with jieba) and the index language is forced to Chinese, so a
missing or odd ``lang`` can never silently turn segmentation off.

Why more than plain Pagefind: Pagefind segments pages with jieba when indexing but
segments queries with the browser's ``Intl.Segmenter`` (ICU), and every query word
must be the *prefix* of an indexed word.  When the two segmenters disagree a
reader's query finds nothing: 丰顺 is split by ICU into 丰 + 顺, and no indexed word
of the page starts with 顺; 城区 inside jieba's word 芗城区 is not a prefix of it.

So each article and photo is indexed from an *index record*: a small HTML page
holding its title and text (for excerpts), its metadata and filters, and, at every
position of every run of Chinese characters, a token for the next four characters
written as opaque ASCII (``qx`` + base-36 code points) that neither jieba nor ICU
splits.  ``assets/search.js`` encodes the Chinese part of a query the same way
(``gram_query`` below is its reference implementation): a query of up to four
Chinese characters is a single term that is the prefix of the token exactly where
it occurs in the text — across word boundaries too — so matches are exact
substrings, and a query found nowhere finds nothing (Pagefind drops query terms
that match no indexed word, so an AND of smaller pieces could not say "no result").  Records
are written under ``_search/`` in the staging directory, indexed, then removed,
so readers' pages carry no extra bytes.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from .errors import BroadsheetError, Problem
from .markup import plain_text

LANGUAGE = "zh"
RECORDS = "_search"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BroadsheetError(Problem("requirements.txt", 0, "Pagefind's extended build is not installed "
                                      "(only it can segment Chinese)", "run `make build` to install the pinned "
                                      "requirements, or pass --no-search", "search")) from None
    return Path(get_executable())


def _code(ch: str) -> str:
    n, out = ord(ch), ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out.rjust(4, "0")


GRAM = 4  # a query of up to this many Chinese characters is one exact term


def grams(text: str) -> list[str]:
    """Index tokens: at every position of each run of Chinese characters, the next ``GRAM`` characters;
    text in other scripts (English words, numbers) is kept as it is."""
    out: list[str] = []
    at = 0
    for m in _HAN.finditer(text):
        out.extend(text[at:m.start()].split())
        codes = [_code(ch) for ch in m.group(0)]
        out.extend("qx" + "".join(codes[p:p + GRAM]) for p in range(len(codes)))
        at = m.end()
    out.extend(text[at:].split())
    return out


def gram_query(query: str) -> str:
    """The query as search.js sends it to Pagefind (kept identical to assets/search.js).

    A run of up to ``GRAM`` Chinese characters becomes one term, the prefix of the index
    token where the run occurs; a longer run becomes overlapping windows, all required."""
    def encode(m: re.Match) -> str:
        codes = [_code(ch) for ch in m.group(0)]
        starts = list(range(0, max(len(codes) - GRAM, 0) + 1, GRAM - 1))
        if starts[-1] + GRAM < len(codes):
            starts.append(len(codes) - GRAM)
        return " " + " ".join("qx" + "".join(codes[p:p + GRAM]) for p in starts) + " "
    return " ".join(_HAN.sub(encode, query).split())


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def record_html(iv) -> str:
    """The index record of one article or photo page (see module docstring)."""
    it, ev, sv = iv.item, iv.edition, iv.section
    title = iv.display_title
    text = plain_text(iv.body_html)
    heading = " ".join(x for x in (it.kicker, it.subtitle) if x)
    meta = {"title": title, "url": iv.url, "date": ev.short_label, "page": f"{sv.label} {sv.name}",
            "authors": " ".join(it.authors), "kind": iv.kind_label, "text": text}
    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>', html.escape(title),
             "</title></head><body><main data-pagefind-body>"]
    for key, value in meta.items():
        parts.append(f'<span data-pagefind-meta="{key}[data-value]" data-value="{_attr(value)}"></span>')
    for key, value in (("日期", ev.short_label), ("版面", sv.name), ("类型", iv.kind_label)):
        parts.append(f'<span data-pagefind-filter="{key}[data-value]" data-value="{_attr(value)}"></span>')
    parts.append(f'<span data-pagefind-sort="date[data-value]" data-value="{ev.iso}"></span>')
    # Only tokens are indexed; the text itself rides along as metadata for excerpts.
    parts.append(f'<h1 data-pagefind-weight="5">{html.escape(" ".join(grams(title + " " + heading)))}</h1>')
    parts.append(f"<p>{html.escape(' '.join(grams(' '.join((text, *it.authors, it.credit)))))}</p>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def write_records(site_dir: Path, editions) -> int:
    root = site_dir / RECORDS
    n = 0
    for ev in editions:
        for sv in ev.sections:
            for iv in sv.items:
                if iv.url:
                    target = root / iv.url
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(record_html(iv), "utf-8")
                    n += 1
    return n


def run_pagefind(site_dir: Path, glob: str | None = None) -> None:
    cmd = [str(executable()), "--site", str(site_dir), "--force-language", LANGUAGE, "--quiet"]
    if glob:
        cmd += ["--glob", glob]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BroadsheetError(Problem(str(site_dir), 0, "Pagefind failed to index the site: " + " / ".join(detail),
                                      "run the build with --debug, or --no-search to publish without search",
                                      "search"))


def index_site(site_dir: Path, editions, *, plain: bool = False) -> dict:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); return index statistics.

    ``plain=True`` indexes the article pages themselves with plain Pagefind-extended
    (for the recall benchmark's baseline)."""
    if plain:
        run_pagefind(site_dir)
    else:
        write_records(site_dir, editions)
        try:
            run_pagefind(site_dir, f"{RECORDS}/**/*.html")
        finally:
            shutil.rmtree(site_dir / RECORDS, ignore_errors=True)
    bundle = site_dir / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    pages = sum(lang.get("page_count", 0) for lang in entry.get("languages", {}).values())
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
    return {"pages": pages, "bytes": size, "languages": sorted(entry.get("languages", {}))}
