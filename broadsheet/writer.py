"""Writing ingested pages into ``content/`` without ever overwriting an editor's work.

Layout (documented in the README)::

    content/site.yaml
    content/editions/2022-04-15/edition.yaml
    content/editions/2022-04-15/01/section.yaml          # 版面: name, page, footer
    content/editions/2022-04-15/01/01.md … 09.md         # one item each, in page order
    content/editions/2022-04-15/01/ingest-report.json    # every decision, and hashes

The report records the SHA-256 of every file ingest generated.  On re-ingest a
file whose bytes still have that hash is regenerated; a file that differs (an
editor changed it) or that ingest never wrote is kept and reported, unless
``force`` is given.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .byline import byline_text
from .files import replace_file
from .ingest import Element, Item, Page
from .ingest.pagefile import PAGE_FILES

REPORT = "ingest-report.json"
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_MD_INLINE = re.compile(r"([\\`*_<>\[\]])")
_MD_LINE_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$|\s)")


def escape_markdown(text: str) -> str:
    """Escape what Markdown would otherwise read as markup in plain page text."""
    text = _MD_INLINE.sub(r"\\\1", text)
    if _MD_LINE_START.match(text):
        text = "\\" + text if text[0] != " " else text.lstrip()
    return text


def unescape_markdown(text: str) -> str:
    return re.sub(r"\\([\\`*_<>\[\]#>+\-=.)0-9])", r"\1", text)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=10**6)


def item_front_matter(item: Item, *, section: str, page: int, edition: str, source: str, image: str = "") -> dict:
    fm: dict = {"kind": item.kind}
    for key in ("title", "kicker", "subtitle"):
        if getattr(item, key):
            fm[key] = getattr(item, key)
    if item.authors:
        fm["authors"] = list(item.authors)
    if item.author_roles:
        fm["author_roles"] = dict(item.author_roles)
    for key in ("dateline", "credit", "credit_marker", "sponsor", "advertiser"):
        if getattr(item, key):  # (ingest records a credit_marker only with its credit)
            fm[key] = getattr(item, key)
    if image:
        fm["image"] = image
    if section:
        fm["section"] = section
    fm["page"] = page
    fm["order"] = item.order
    fm["edition"] = edition
    fm["source"] = source
    if item.area:
        fm["area"] = [list(r) for r in item.area]  # page fractions [x0, y0, x1, y1], one per column
    return fm


def _body(elements: tuple[Element, ...]) -> str:
    out = []
    for e in elements:
        text = escape_markdown(e.text)
        out.append(f"## {text}" if e.kind == "h" else text)
    return "\n\n".join(out)


def render_item(item: Item, **meta) -> str:
    fm = item_front_matter(item, **meta)
    body = _body(item.body)
    return f"---\n{dump_yaml(fm)}---\n\n{body}\n" if body else f"---\n{dump_yaml(fm)}---\n"


def line_range(lines) -> str:
    lines = sorted(lines)
    return f"{lines[0]}" if lines[0] == lines[-1] else f"{lines[0]}-{lines[-1]}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class WriteResult:
    directory: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # editor-changed files left alone
    removed: list[str] = field(default_factory=list)
    stale_kept: list[str] = field(default_factory=list)


def page_dir(content: Path, edition: str, page: int) -> Path:
    return content / "editions" / edition / f"{page:02d}"


def write_page(page: Page, content: Path, *, edition: str, page_number: int, force: bool = False,
               printed: bytes | None = None) -> WriteResult:
    """Write one ingested page; never overwrite an editor's change unless ``force``.  ``printed``:
    the page PDF it was read from, kept as the 版面's ``page.pdf`` for the page view (unless the
    folder already shows the page as an image an editor put there)."""
    directory = page_dir(content, edition, page_number)
    result = WriteResult(directory)
    old = read_report(directory)
    old_hashes: dict[str, str] = old.get("generated", {}) if old else {}

    width = max(2, len(str(len(page.items))))
    files: dict[str, bytes] = {}
    listing = []
    for item in page.items:
        name = f"{item.order:0{width}d}.md"
        src = f"{page.source}:{line_range(item.lines)}"
        image = f"{item.order:0{width}d}.{item.image_ext}" if item.image_data else ""
        if image:
            files[image] = item.image_data
        files[name] = render_item(item, section=page.section, page=page_number, edition=edition,
                                  source=src, image=image).encode("utf-8")
        entry = {"file": name, "kind": item.kind, "title": item.title or _first_words(item),
                 "lines": list(item.lines), "source": src}
        if page.page_size is not None:
            entry["area"] = [list(r) for r in item.area]
            entry["area_points"] = [list(r) for r in item.area_points]
            if image:
                entry["image"] = image
        listing.append(entry)
    section: dict = {"name": page.section or f"第{page_number}版", "page": page_number, "source": page.source}
    if page.header:
        section["header"] = page.header[1]
    if page.footer:
        section["footer"] = page.footer[1]
    if page.furniture:
        section["furniture"] = [text for _, text in page.furniture]
    files["section.yaml"] = dump_yaml(section).encode("utf-8")
    if printed is not None and not any((directory / n).exists() for n in PAGE_FILES if n != "page.pdf"):
        files["page.pdf"] = printed

    generated: dict[str, str] = {}
    for name, data in files.items():
        target = directory / name
        if target.exists():
            existing = target.read_bytes()
            if existing == data:
                result.unchanged.append(name)
                generated[name] = sha256(data)
                continue
            if not force and old_hashes.get(name) != sha256(existing):
                result.kept.append(name)
                if name in old_hashes:
                    generated[name] = old_hashes[name]
                continue
        replace_file(target, data)
        generated[name] = sha256(data)
        result.written.append(name)

    for name in sorted(set(old_hashes) - set(files)):
        target = directory / name
        if not target.exists():
            continue
        if force or sha256(target.read_bytes()) == old_hashes[name]:
            target.unlink()
            result.removed.append(name)
        else:
            result.stale_kept.append(name)
            generated[name] = old_hashes[name]

    report = {
        "source": page.source,
        "encoding": page.encoding,
        "edition": edition,
        "page": page_number,
        "section": page.section,
        "header": _line(page.header),
        "footer": _line(page.footer),
        "furniture": [_line(f) for f in page.furniture],
        "counts": _counts(page),
        "items": listing,
        "repairs": [_note(n) for n in page.repairs],
        "dropped": [_note(n) for n in page.dropped],
        "uncertain": [_note(n) for n in page.uncertain],
        "kept_edited": sorted(result.kept + result.stale_kept),
        **({"page_size_points": list(page.page_size), "unplaced": [_note(n) for n in page.unplaced]}
           if page.page_size is not None else {}),
        "generated": dict(sorted(generated.items())),
    }
    replace_file(directory / REPORT, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return result


def read_report(directory: Path) -> dict | None:
    try:
        return json.loads((directory / REPORT).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _line(found):
    return {"line": found[0], "text": found[1]} if found else None


def _note(n) -> dict:
    return {"kind": n.kind, "lines": list(n.lines), "message": n.message}


def _counts(page: Page) -> dict:
    counts = {k: 0 for k in ("article", "photo", "banner", "advertisement")}
    for it in page.items:
        counts[it.kind] += 1
    return counts


def _first_words(item: Item) -> str:
    text = item.body[0].text if item.body else item.credit
    return text[:24]


def item_text(item: Item) -> str:
    """All text an item carries, for the no-text-lost accounting."""
    parts = [item.kicker, item.title, item.subtitle, byline_text(list(item.authors), dict(item.author_roles)),
             item.credit, item.credit_marker]
    parts.extend(e.text for e in item.body)
    return "".join(parts)
