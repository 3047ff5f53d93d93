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
holding its metadata, filters and text (as metadata, for excerpts) and, in place of
the text, the overlapping character bigrams of every run of Chinese characters,
written as opaque ASCII tokens (``qx`` + two base-36 code points) that neither
jieba nor ICU splits.  ``assets/search.js`` encodes a query the same way
(``gram_query`` below is its reference implementation) and sends a Chinese query as
a quoted phrase: Pagefind's exact-phrase mode requires the bigrams to be adjacent,
so a match is the query, as typed, anywhere in the text — across word boundaries
too — and a query found nowhere finds nothing.  Bigrams keep the index vocabulary
as small as plain Pagefind's (longer n-grams made indexing 6× slower and 10× larger
in memory).  Records
are written under ``_search/`` in the staging directory, indexed, then removed,
so readers' pages carry no extra bytes.

Text and queries are folded to Simplified characters (``fold``: OpenCC's TSCharacters, one
character for one), so Traditional queries find Simplified text and the other way round.  Beside the
body shards (one Pagefind bundle a month, searched newest first by search.js), ``write_headlines``
writes a small index of every headline in the archive, so that headline matches — the exact
headline of an old article — are found across the archive at a constant cost.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from . import cbor
from .errors import BroadsheetError, Problem
from .files import write_file
from .markup import plain_text

LANGUAGE = "zh"
RECORDS = "_search"
HEADLINES = "headlines"  # pagefind/headlines/: the headline index of the whole archive (see write_headlines)
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


@functools.lru_cache(maxsize=None)
def _pagefind_version() -> str:
    from importlib.metadata import version
    return version("pagefind_bin_extended")


@functools.lru_cache(maxsize=None)
def _t2s() -> dict[int, str]:
    """Traditional → Simplified, one character for one (OpenCC's TSCharacters, from assets/t2s.js,
    which search.js folds queries with: one table for both)."""
    from .site import ASSETS
    text = (ASSETS / "t2s.js").read_text("utf-8")
    chars = list(json.loads(text[text.index('"'):text.rindex('"') + 1]))
    return {ord(a): b for a, b in zip(chars[::2], chars[1::2])}


def fold(text: str) -> str:
    """``text`` in Simplified characters, character for character (same length), as it is indexed and
    as queries are searched: 豐順 and 丰顺 are one word to search."""
    return text.translate(_t2s())


@functools.lru_cache(maxsize=None)
def _code(ch: str) -> str:
    n, out = ord(ch), ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out.rjust(4, "0")


def _tokens(run: str) -> list[str]:
    """Overlapping bigrams of a run of Chinese characters, then its last character alone."""
    codes = [_code(ch) for ch in run]
    return ["qx" + a + b for a, b in zip(codes, codes[1:])] + ["qx" + codes[-1]]


def grams(text: str) -> list[str]:
    """Index tokens of ``text``: every run of Chinese characters as ``_tokens``, in order, so that
    adjacent tokens are adjacent characters; text in other scripts is kept as it is."""
    out: list[str] = []
    at = 0
    for m in _HAN.finditer(text):
        out.extend(text[at:m.start()].split())
        out.extend(_tokens(m.group(0)))
        at = m.end()
    out.extend(text[at:].split())
    return out


def gram_query(query: str) -> str:
    """The query as search.js sends it to Pagefind (kept identical to assets/search.js).

    One run of Chinese characters becomes an exact phrase of its bigrams — the run must
    occur, as it is, in the text; a single character is its own word (see ``record_html``).  A query of several
    parts becomes all their tokens, each required (Pagefind's exact mode is whole-query)."""
    query = fold(query)
    parts: list[tuple[bool, str]] = []
    at = 0
    for m in _HAN.finditer(query):
        parts.extend((False, w) for w in query[at:m.start()].split())
        parts.append((True, m.group(0)))
        at = m.end()
    parts.extend((False, w) for w in query[at:].split())
    terms: list[str] = []
    for han, part in parts:
        if han:
            terms.extend(_tokens(part)[:-1] or ["qy" + _code(part)])
        else:
            terms.append(part)
    if len(parts) == 1 and parts[0][0] and len(parts[0][1]) > 1:
        return '"' + " ".join(terms) + '"'
    return " ".join(terms)


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
    parts.append(f'<h1 data-pagefind-weight="5">{html.escape(" ".join(grams(fold(title + " " + heading))))}</h1>')
    body = fold(' '.join((text, *it.authors, it.credit)))
    parts.append(f"<p>{html.escape(' '.join(grams(body)))}</p>")
    # Each Chinese character of the page, once, as its own word: what a one-character query looks up
    # (a prefix of every bigram token missed a few matches on long archives: 0.986 recall for 网).
    chars = sorted(set("".join(_HAN.findall(fold(title + " " + heading) + " " + body))))
    parts.append(f"<p>{' '.join('qy' + _code(ch) for ch in chars)}</p>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


# Pagefind's own search UIs, which every bundle carries (~400 KB): search.js is ours, so no page loads them.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
WINDOW_PAGES = 300  # the pages of a search shard at most (Pagefind: ~6.5 ms and ~1 MB a page)


def shard_map(editions) -> dict[str, str]:
    """Search shard of each edition (by ISO date): each month is cut into *windows* of consecutive
    editions of at most WINDOW_PAGES pages (an edition larger than that is a window alone); a
    month's first window is named by the month (``2024-05``), the others by their first edition's
    day (``2024-05-21``), so that names sort newest first and a month of one window is named as
    a month.

    Each shard is its own Pagefind bundle, and Pagefind cannot add to a bundle (it re-reads all of
    it), so every night's search cost is bounded by WINDOW_PAGES, not by a month: a new edition
    joins the last window or starts the next, the earlier windows keep their editions, and when a
    month closes nothing is re-indexed; a corrected article re-indexes its window.  (Measured at
    200,000 articles: ten-day windows of ~600 pages made a night 5.3–5.8 s and 525–583 MB, and
    re-indexing a closed month as one shard of ~1,750 pages 16–17 s and 1.66 GB, nearly all of it
    Pagefind.)  The cut is a function of the editions alone, so an incremental build shards as a
    clean one does; an edition that gains or loses pages moves the bounds of its month's later
    windows.  Readers pay per shard (~50 KB more when a query reaches it)."""
    out: dict[str, str] = {}
    window, filled, month = "", 0, ""
    for ev in sorted(editions, key=lambda ev: ev.iso):
        size = _pages(ev)
        if ev.iso[:7] != month:
            month, window, filled = ev.iso[:7], ev.iso[:7], 0
        elif filled + size > WINDOW_PAGES:
            window, filled = ev.iso, 0
        out[ev.iso] = window
        filled += size
    return out


def _pages(ev) -> int:
    """The article and photo pages of an edition's view (of a stub: from its summary)."""
    stored = getattr(getattr(ev, "edition", None), "stored", None)
    if stored is not None:
        return stored.pages - 1 - len(stored.sections)
    return sum(1 for sv in ev.sections for iv in sv.items if iv.url)


def shard_names(editions, shard_of: dict[str, str] | None = None) -> list[str]:
    """Shards, newest first (the newest is the search page's primary bundle)."""
    return sorted(set((shard_of or shard_map(editions)).values()), reverse=True)


def run_pagefind(site_dir: Path, glob: str | None = None, output_subdir: str | None = None) -> None:
    cmd = [str(executable()), "--site", str(site_dir), "--force-language", LANGUAGE, "--quiet"]
    if glob:
        cmd += ["--glob", glob]
    if output_subdir:
        cmd += ["--output-subdir", output_subdir]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BroadsheetError(Problem(str(site_dir), 0, "Pagefind failed to index the site: " + " / ".join(detail),
                                      "run the build with --debug, or --no-search to publish without search",
                                      "search"))


def plan_shards(editions, old_shards: dict[str, str] | None) -> dict:
    """The shard plan: each shard's editions (newest shard first) and its digest, and the shards
    whose digest differs from the last build's — the only ones re-indexed, and the only ones whose
    unchanged editions (stubs, see ``summary``) must be read (``edition_digest``)."""
    shard_of = shard_map(editions)
    names = shard_names(editions, shard_of)
    by_shard: dict[str, list] = {name: [] for name in names}
    for ev in editions:
        by_shard[shard_of[ev.iso]].append(ev)
    digests = {name: digest_of_shard(by_shard[name]) for name in names}
    old_shards = old_shards or {}
    return {"names": names, "editions": by_shard, "digests": digests,
            "todo": [name for name in names if old_shards.get(name) != digests[name]]}


def index_site(site_dir: Path, editions, *, plain: bool = False, previous: Path | None = None,
               old_shards: dict[str, str] | None = None, full=None, headlines=None, old_editions=()) -> dict:
    """Index into ``site_dir``; return statistics, the digest of each shard, the shards re-indexed and
    the files of ``previous`` to delete.

    Writes one bundle per shard (see ``shard_map``) under ``pagefind/<shard>/``, the headline index
    (``write_headlines``) and ``pagefind/shards.json``.  ``previous`` is the published output: a
    shard whose items are unchanged since that build is kept there as it is (nothing of it is in
    ``site_dir``), the others are re-indexed (``plan_shards``) — each a whole folder, to be
    swapped in.  ``full(views)`` gives whole views in place of stubs (for the shards re-indexed);
    ``headlines(edition path)`` an edition's rows of the headline index at the last build, and
    ``old_editions`` that build's edition folders.  ``plain=True`` indexes the article pages
    themselves with plain Pagefind-extended into one bundle (for the recall benchmark's baseline)."""
    bundle = site_dir / "pagefind"
    if plain:
        run_pagefind(site_dir)
        return _stats([bundle / "pagefind-entry.json"], {"": ""}, [""])
    before = previous / "pagefind" if previous is not None else None
    plan = plan_shards(editions, old_shards if previous is not None else None)
    shards: dict[str, str] = plan["digests"]
    indexed: list[str] = []
    remove: list[str] = []
    records = site_dir / RECORDS
    names = plan["names"]
    try:
        for name in names:
            if name not in plan["todo"] and before is not None and (before / name / "pagefind-entry.json").is_file():
                continue
            evs = plan["editions"][name]
            if full is not None and any(ev.edition.stored is not None for ev in evs):
                evs = full(evs)
            items = [iv for ev in evs for sv in ev.sections for iv in sv.items if iv.url]
            for iv in items:
                write_file(records / name / iv.url, record_html(iv))
            if items:
                run_pagefind(site_dir, f"{RECORDS}/{name}/**/*.html", f"pagefind/{name}")
                canonicalize_bundle(bundle / name)
                for unused in UNUSED:
                    (bundle / name / unused).unlink(missing_ok=True)
            elif before is not None and (before / name).exists():
                remove.append(f"pagefind/{name}")  # no page to find any more
            indexed.append(name)
    finally:
        shutil.rmtree(records, ignore_errors=True)
    remove += [f"pagefind/{old.name}" for old in (before.iterdir() if before is not None and before.is_dir() else ())
              if old.is_dir() and old.name not in shards and old.name != HEADLINES]
    gone = write_headlines(bundle / HEADLINES, editions, headlines,
                           before / HEADLINES if before is not None else None, old_editions)
    remove += [f"pagefind/{HEADLINES}/{name}" for name in gone]
    listing = json.dumps(names) + "\n"
    if before is None or not (before / "shards.json").is_file() or (before / "shards.json").read_text("utf-8") != listing:
        write_file(bundle / "shards.json", listing)
    entries = [(bundle if name in indexed else before) / name / "pagefind-entry.json" for name in names]
    return {**_stats([e for e in entries if e.is_file()], shards, indexed), "remove": sorted(remove)}


def _bucket(a: str, b: str, buckets: int) -> int:
    """Bucket file of the bigram ``ab`` (kept identical to assets/search.js)."""
    return (ord(a) * 65599 + ord(b)) % buckets


def _b36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if not n:
            return out


def edition_headlines(ev) -> list[tuple[str, list]]:
    """An edition's rows of the headline index (kept in the build state for its stub)."""
    rows = []
    for sv in ev.sections:
        for iv in sv.items:
            if iv.url:
                it = iv.item
                lines = [x for x in (iv.display_title, it.kicker, it.subtitle) if x]
                rows.append((ev.iso[:7], ["\n".join(lines), iv.url, ev.short_label, f"{sv.label} {sv.name}"]))
    return rows


def _row_grams(row: list) -> set[str]:
    """The bigrams of a headline row's lines (folded to Simplified), each once."""
    seen: set[str] = set()
    for line in fold(row[0]).split("\n"):
        for m in _HAN.finditer(line):
            run = m.group(0)
            seen.update(run[i:i + 2] for i in range(len(run) - 1))
    return seen


def _bucket_count(postings: int) -> int:
    buckets = 1
    while buckets < 1024 and buckets * 2000 < postings:
        buckets *= 2
    return buckets


def _gaps(ids: list[int], last: int | None = None) -> list[str]:
    """``ids`` (ascending) as base-36 gaps after ``last`` (the first absolute when there is none)."""
    out = []
    for i in ids:
        out.append(_b36(i if last is None else i - last))
        last = i
    return out


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _month_files(rows: list[tuple[str, list]]) -> tuple[dict[str, str], list[list]]:
    """The month tables of ``rows`` (in order) and their ``[month, headlines]`` counts."""
    months: dict[str, list] = {}
    for month, row in rows:
        months.setdefault(month, []).append(row)
    return ({f"{month}.json": json.dumps(table, ensure_ascii=False, separators=(",", ":"))
             for month, table in months.items()}, [[month, len(table)] for month, table in months.items()])


def _index_file(months: list[list], buckets: int, postings: int) -> str:
    return json.dumps({"buckets": buckets, "months": months, "postings": postings}, separators=(",", ":"))


def _whole(rows: list[tuple[str, list]]) -> dict[str, str]:
    """Every file of the headline index of ``rows`` (the archive's, in order)."""
    postings: dict[str, list[int]] = {}
    for n, (_, row) in enumerate(rows):
        for gram in _row_grams(row):
            postings.setdefault(gram, []).append(n)
    total = sum(len(v) for v in postings.values())
    buckets = _bucket_count(total)
    by_bucket: dict[int, dict[str, str]] = {}
    for gram, ids in postings.items():
        by_bucket.setdefault(_bucket(gram[0], gram[1], buckets), {})[gram] = ",".join(_gaps(ids))
    files = {f"b{k}.json": _json(by_bucket.get(k, {})) for k in range(buckets)}
    tables, counts = _month_files(rows)
    files.update(tables)
    files["index.json"] = _index_file(counts, buckets, total)
    return files


def _stored_rows(stored, path: str) -> list[tuple[str, list]]:
    """An edition's headline rows as the state keeps them (rows as lists, as ``edition_headlines``)."""
    return [(month, list(row)) for month, row in stored(path)]


def _rows(stored, ev) -> list[tuple[str, list]]:
    """An edition's headline rows: of a stub, as the state keeps them; else made from its view."""
    stub = getattr(ev, "edition", None) is not None and ev.edition.stored is not None
    return _stored_rows(stored, str(ev.edition.path)) if stub else edition_headlines(ev)


def _ids(gaps: str) -> list[int]:
    """A bucket list's headline numbers (the inverse of ``_gaps`` with no ``last``)."""
    out: list[int] = []
    for gap in gaps.split(",") if gaps else ():
        out.append(int(gap, 36) + (out[-1] if out else 0))
    return out


def _edited_in_place(previous: Path, months: list[list], edited: list) -> tuple[dict, dict] | None:
    """Of editions whose rows changed but not their number (an old headline corrected): each
    changed row's number with its old and new bigrams, and their months' tables with the new rows;
    None when the published tables do not hold the old rows."""
    starts, n = {}, 0
    for month, count in months:
        starts[month], n = n, n + count
    changed: dict[int, tuple[set, set]] = {}
    tables: dict[str, list] = {}
    for date, was, rows in edited:
        month = date[:7]
        try:
            table = tables.get(month) or json.loads((previous / f"{month}.json").read_text("utf-8"))
            at = [row[1] for row in table].index(was[0][1][1])
        except (OSError, ValueError, IndexError, TypeError):
            return None
        if month not in starts or table[at:at + len(was)] != [row for _, row in was]:
            return None
        table[at:at + len(rows)] = [row for _, row in rows]
        tables[month] = table
        for k, ((_, old_row), (_, new_row)) in enumerate(zip(was, rows)):
            if old_row != new_row:
                changed[starts[month] + at + k] = (_row_grams(old_row), _row_grams(new_row))
    return changed, tables


def _appended(previous: Path, editions, stored, old_editions) -> tuple[dict[str, str], list[str]] | None:
    """The files of the headline index that change, and those to delete, when the archive changed at
    its end or in place.  Headlines are numbered in archive order, so the rows before the first
    edition added, deleted or with another number of rows (``first``) keep their numbers, and every
    bucket list only loses its last entries (the old rows from there on, as the state kept them)
    and gains the new ones; a row changed in place before that (an old headline corrected) keeps
    its number too, and only its old and new bigrams' lists and its month's table change.  None
    when that does not hold (no previous index, or one that disagrees with the state, another
    bucket count): then the index is made whole.  Either way the files equal those ``_whole``
    makes of the same rows."""
    try:
        index = json.loads((previous / "index.json").read_text("utf-8"))
        months, buckets, postings = index["months"], index["buckets"], index["postings"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    new = {ev.iso: ev for ev in editions}
    old = {Path(p).name: p for p in old_editions}
    first, edited = None, []
    for date in sorted(new.keys() | old.keys()):
        ev, path = new.get(date), old.get(date)
        if ev is None or path is None or str(ev.edition.path) != path:
            first = date
            break
        if ev.edition.stored is None:
            rows, was = _rows(stored, ev), _stored_rows(stored, path)
            if rows != was and len(rows) != len(was):
                first = date
                break
            if rows != was:
                edited.append((date, was, rows))
    if first is None and not edited:
        return {}, []
    first = first or "~"  # nothing added, deleted or resized: no tail ("~" sorts after every date)
    in_place = _edited_in_place(previous, months, edited)
    if in_place is None:
        return None
    changed, patched = in_place
    total = sum(n for _, n in months)
    month = first[:7]
    before = sum(n for m, n in months if m < month)
    head = [r for d in sorted(d for d in new if d[:7] == month and d < first) for r in _rows(stored, new[d])]
    old_tail = [r for d in sorted(d for d in old if d >= first) for r in _stored_rows(stored, old[d])]
    new_tail = [r for d in sorted(d for d in new if d >= first) for r in _rows(stored, new[d])]
    start = before + len(head)
    if start + len(old_tail) != total:
        return None
    old_grams = [_row_grams(r) for _, r in old_tail]
    new_grams = [_row_grams(r) for _, r in new_tail]
    postings += sum(map(len, new_grams)) - sum(map(len, old_grams))
    postings += sum(len(b) - len(a) for a, b in changed.values())
    if _bucket_count(postings) != buckets:
        return None
    drop: dict[str, int] = {}
    for grams in old_grams:
        for gram in grams:
            drop[gram] = drop.get(gram, 0) + 1
    add: dict[str, list[int]] = {}
    for n, grams in enumerate(new_grams):
        for gram in grams:
            add.setdefault(gram, []).append(start + n)
    lose: dict[str, set[int]] = {}
    gain: dict[str, list[int]] = {}
    for n, (a, b) in changed.items():
        for gram in a - b:
            lose.setdefault(gram, set()).add(n)
        for gram in b - a:
            gain.setdefault(gram, []).append(n)
    by_bucket: dict[int, list[str]] = {}
    for gram in drop.keys() | add.keys() | lose.keys() | gain.keys():
        by_bucket.setdefault(_bucket(gram[0], gram[1], buckets), []).append(gram)
    files: dict[str, str] = {}
    for k, grams in by_bucket.items():
        try:
            table = json.loads((previous / f"b{k}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        for gram in grams:
            ids = _ids(table.get(gram, ""))
            gone, new_ids = lose.get(gram, set()), gain.get(gram, [])
            kept = [i for i in ids if i < start and i not in gone]
            if len(ids) - len(kept) != drop.get(gram, 0) + len(gone) or set(kept) & set(new_ids):
                return None  # the published list is not the one the state describes
            ids = sorted(kept + new_ids) + add.get(gram, [])
            if ids:
                table[gram] = ",".join(_gaps(ids))
            else:
                table.pop(gram, None)
        files[f"b{k}.json"] = _json(table)
    tables, counts = _month_files(head + new_tail)
    files.update({f"{m}.json": json.dumps(t, ensure_ascii=False, separators=(",", ":"))
                  for m, t in patched.items() if m < month})
    files.update(tables)
    kept_months = [[m, n] for m, n in months if m < month]
    files["index.json"] = _index_file(kept_months + counts, buckets, postings)
    gone = [f"{m}.json" for m, _ in months if m >= month and f"{m}.json" not in tables]
    return files, gone


def write_headlines(folder: Path, editions, stored=None, previous: Path | None = None,
                    old_editions=()) -> list[str]:
    """The headline index of the whole archive, beside the body shards: what lets the exact headline
    of any article, however old, come first while only the newest body shards are searched.

    A Pagefind bundle of 22,000 headlines would not do: its page list (pf_meta) alone is 177 KB
    gzipped, and indexing it takes 11 s (measured).  This is a plain inverted index of headline
    bigrams, in files a reader fetches a few of:

    - ``index.json``: ``{"buckets": B, "months": [[month, headlines], …], "postings": P}``, oldest
      month first. Headline *n* is the n-th of the archive in (date, page, order) order; its month
      follows from the counts.
    - ``b<k>.json``: for every bigram of every headline (title, kicker, subtitle, folded to
      Simplified) hashing to bucket k, the headlines holding it, as base-36 gaps.  A query's
      bigrams (up to 10 of them) name the buckets to fetch; the lists' intersection is the
      candidates.
    - ``<month>.json``: that month's headlines, ``[headline lines, url, date, 版面]``, in order:
      the candidates are checked against the text (the query, as typed, inside one line).

    ``folder`` gets the files that differ from ``previous`` (the published index, if any); returns
    the names of ``previous``'s files to delete.  A nightly build changes the archive's end, or an
    old headline in place: only the buckets of the changed headlines' bigrams and their months are
    made again (``_appended``: no headline of the rest of the archive is read).
    ``stored(edition path)`` gives the rows of a stub (and the previous build's rows of any
    edition); ``old_editions`` the previous build's edition folders.  The files are a function of
    the content only (byte-identical rebuilds)."""
    stored = stored or (lambda path: [])
    change = _appended(previous, editions, stored, old_editions) if previous is not None else None
    if change is None:
        rows = [r for ev in sorted(editions, key=lambda e: e.iso) for r in _rows(stored, ev)]
        files = _whole(rows)
        gone = sorted(f.name for f in previous.iterdir() if f.name not in files) \
            if previous is not None and previous.is_dir() else []
    else:
        files, gone = change
    for name, text in files.items():
        data = (text + "\n").encode("utf-8")
        before = previous / name if previous is not None else None
        if not (before is not None and before.is_file() and before.stat().st_size == len(data)
                and before.read_bytes() == data):
            write_file(folder / name, data)
    return gone


def edition_digest(ev) -> str:
    """What an edition gives its shard's index records: every item's content and place (of a stub:
    as the state keeps it, ``summary.Stored.search``)."""
    from .cache import digest, item_digest
    stored = getattr(getattr(ev, "edition", None), "stored", None)
    if stored is not None:
        return stored.search
    return digest([(item_digest(iv), ev.iso, ev.short_label, sv.label, sv.name)
                   for sv in ev.sections for iv in sv.items if iv.url])


def digest_of_shard(editions) -> str:
    """What a shard's index records are made of: its editions' items, and the indexer. (How records
    are made is Broadsheet's code: a change to it is a new build stamp, and a build with a new stamp
    re-indexes every shard.)"""
    from .cache import digest
    return digest(_pagefind_version(), LANGUAGE, [edition_digest(ev) for ev in editions])


SIGNATURE = b"pagefind_dcd"


def _read_index_file(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise cbor.Unsupported("not a Pagefind index file")
    body = data[len(SIGNATURE):]
    value = cbor.decode(body)
    if cbor.encode(value) != body:  # only touch files we can reproduce exactly
        raise cbor.Unsupported("not in canonical form")
    return value


def _rewrite_index_file(path: Path, file_id: str, value) -> str:
    """Write ``value`` back as the Pagefind file ``path``, renamed as Pagefind names files: its
    id (``zh_1b3d6f4659``) keeps the language and takes as many hex digits of the SHA-256 of
    the new bytes.  Removes the old file if the name changed; returns the new id."""
    raw = SIGNATURE + cbor.encode(value)
    language, _, digits = file_id.partition("_")
    new_id = f"{language}_{hashlib.sha256(raw).hexdigest()[:len(digits)]}"
    target = path.with_name(path.name.replace(file_id, new_id))
    write_file(target, gzip.compress(raw, 9, mtime=0))
    if target != path:
        path.unlink()
    return new_id


def canonicalize_bundle(bundle: Path) -> None:
    """Make a Pagefind bundle byte-identical across identical builds.

    Pagefind 1.5.2 lists filter values (in filter/*.pf_filter) and the filters and sort
    keys (in the .pf_meta file) in hash-map order, so identical builds differ (upstream
    issue #638).  Sort those lists, name each rewritten file by the hash of its bytes, as
    Pagefind does, and point the meta file and pagefind-entry.json at the new names.
    Any file in an unexpected form is left exactly as Pagefind wrote it."""
    try:
        entry_path = bundle / "pagefind-entry.json"
        entry = json.loads(entry_path.read_text("utf-8"))
        renamed: dict[str, str] = {}
        for f in sorted((bundle / "filter").glob("*.pf_filter")):
            value = _read_index_file(f)
            value[1] = sorted(value[1], key=lambda pair: pair[0])
            renamed[f.stem] = _rewrite_index_file(f, f.stem, value)
        for info in entry.get("languages", {}).values():
            meta = bundle / f"pagefind.{info['hash']}.pf_meta"
            value = _read_index_file(meta)
            value[3] = sorted([[name, renamed.get(h, h)] for name, h in value[3]])
            value[4] = sorted(value[4], key=lambda pair: pair[0])
            info["hash"] = _rewrite_index_file(meta, info["hash"], value)
        write_file(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    except (cbor.Unsupported, OSError, KeyError, IndexError, TypeError, ValueError):
        return


def _stats(entry_files, shards: dict[str, str], indexed: list[str]) -> dict:
    pages = 0
    for entry_file in entry_files:
        entry = json.loads(entry_file.read_text("utf-8"))
        pages += sum(lang.get("page_count", 0) for lang in entry.get("languages", {}).values())
    return {"pages": pages, "shards": shards, "indexed": indexed}
