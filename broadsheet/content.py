"""Content: ``content/`` → read-only dataclasses, with every problem collected first.

The public verb is :func:`load_site`.  Nothing is rendered here; each problem is
reported as ``path:line: what is wrong — what to do`` and all problems of a build
are raised together.
"""
from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import simpleyaml
from .errors import Collector
from .snapshot import RACY_NS as _RACY_NS, Snapshot, settled as _settled
from .schema import (FAVICON_TYPES, EDITION_FIELDS, EDITION_MANDATORY, ITEM_FIELDS, KINDS, MANDATORY, SECTION_FIELDS,
                     SECTION_MANDATORY, SITE_FIELDS, SITE_MANDATORY, as_date, check_type)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ITEM_BYTES = 2 * 1024 * 1024
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"}
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TZ = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str = ""
    language: str = "zh-CN"
    timezone: str = "+08:00"
    publisher: str = ""
    base_url: str = ""
    feed_editions: int = 7
    favicon: str = ""  # path of the paper's icon inside the content folder ("" = a generated one)

    @property
    def tzinfo(self) -> dt.timezone:
        sign = 1 if self.timezone[0] == "+" else -1
        h, m = self.timezone[1:].split(":")
        return dt.timezone(sign * dt.timedelta(hours=int(h), minutes=int(m)))

    def today(self) -> dt.date:
        """The build date: today in the paper's time zone, or SOURCE_DATE_EPOCH's day."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
        return now.astimezone(self.tzinfo).date()


@dataclass(frozen=True)
class Item:
    path: Path  # source file
    kind: str
    order: int
    name: str  # file name in the URL, without .html
    html: str | None  # the Markdown body rendered to sanitised HTML; None in the build state's light copy
    body_line: int  # line of the file where the body starts
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    author_roles: tuple[tuple[str, str], ...] = ()
    dateline: str = ""
    credit: str = ""
    credit_marker: str = ""
    sponsor: str = ""
    advertiser: str = ""
    image: Path | None = None
    image_alt: str = ""
    description: str = ""
    source: str = ""
    updated: dt.date | None = None
    summary: str = ""  # the description, or the first sentences of the text
    digest: str = ""  # of its file's name and bytes, from which everything a page shows of it comes
    area: tuple[tuple[float, float, float, float], ...] = ()  # where printed: page fractions, one per column

    @property
    def has_page(self) -> bool:
        """Articles and photos get a page of their own; banners and ads are shown on the section page."""
        return self.kind in ("article", "photo")

    def role_of(self, name: str) -> str:
        return dict(self.author_roles).get(name, "")


@dataclass(frozen=True)
class Section:
    path: Path
    page: int
    name: str
    slug: str
    items: tuple[Item, ...]
    page_file: Path | None = None  # the printed page (page.pdf / page.jpg|png|webp), shown by the page view


@dataclass(frozen=True)
class Edition:
    path: Path
    date: dt.date
    sections: tuple[Section, ...]
    title: str = ""
    number: int | None = None
    stored: "object | None" = None  # a stub of an unchanged edition: its summary.Stored (sections are left out)

    @property
    def counts(self) -> tuple[int, int]:
        """(版面, items) it holds."""
        if self.stored is not None:
            return len(self.stored.sections), self.stored.items
        return len(self.sections), sum(len(s.items) for s in self.sections)


@dataclass(frozen=True)
class Site:
    root: Path
    config: SiteConfig
    editions: tuple[Edition, ...]  # oldest first

    @property
    def latest(self) -> Edition | None:
        return self.editions[-1] if self.editions else None


# --------------------------------------------------------------------------- reading files

def _read_text(path: Path, errors: Collector, limit: int = MAX_ITEM_BYTES) -> str | None:
    data = _read_bytes(path, errors, limit)
    return None if data is None else _decode(data, path, errors)


def _read_bytes(path: Path, errors: Collector, limit: int = MAX_ITEM_BYTES) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > limit:
            errors.add(path, 0, f"the file is {size / 2**20:.1f} MB, more than the {limit // 2**20} MB an item may be",
                       "split it into several items or remove pasted material")
            return None
        data = path.read_bytes()
    except OSError as e:
        errors.add(path, 0, f"cannot read the file: {e.strerror}", "check that it exists and is readable")
        return None
    if b"\x00" in data:
        errors.add(path, 0, "this is a binary file, not text", "remove it, or save it as UTF-8 text")
        return None
    return data


def _decode(data: bytes, path: Path, errors: Collector) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        errors.add(path, line, f"the file is not UTF-8 (byte 0x{data[e.start]:02x} at byte offset {e.start})",
                   "save it as UTF-8 in your editor (GBK/GB18030 text must be converted)")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_yaml(text: str, path: Path, errors: Collector, line_offset: int = 0, keys=()):
    """The YAML in ``text``: simple ``key: value`` lines with known ``keys`` are read by
    simpleyaml (same result, several times faster), anything else by PyYAML."""
    data = simpleyaml.load(text, keys) if keys else None
    if data is not None:
        return data
    try:
        data = yaml.load(text, Loader=_Loader)
    except ValueError:  # YAML's own date parsing: 2024-13-01 looks like a date but is none
        for k, line in enumerate(text.split("\n"), 1):
            for m in re.finditer(r"\b(\d{4}-\d{1,2}-\d{1,2})\b", line):
                try:
                    dt.date.fromisoformat(m.group(1))
                except ValueError:
                    errors.add(path, line_offset + k, f"'{m.group(1)}' is not a real date",
                               "write a real date as YYYY-MM-DD", col=m.start(1) + 1)
                    return None
        errors.add(path, line_offset + 1, "the YAML holds a value that cannot be read", "check the dates and numbers")
        return None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = line_offset + (mark.line + 1 if mark else 1)
        col = mark.column + 1 if mark else 0
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        errors.add(path, line, f"the YAML is malformed: {problem}",
                   "check quotes, colons and indentation on this line (text with ': ' needs quotes)", col=col)
        return None
    return data


def _key_line(text: str, key: str, line_offset: int) -> int:
    m = re.search(rf"^{re.escape(str(key))}\s*:", text, re.M)
    return line_offset + (text.count("\n", 0, m.start()) + 1 if m else 1)


def _validate(data, text: str, path: Path, errors: Collector, fields, mandatory, line_offset: int,
              what: str, partial: bool = False) -> dict | None:
    """Check keys and types; return the data, or None if anything is wrong (with ``partial``:
    the keys that are right, so later checks can still run and report their own problems)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        errors.add(path, line_offset + 1, f"the {what} must be 'key: value' lines, not {type(data).__name__}",
                   "write one 'key: value' per line")
        return None
    ok = True
    good = {}
    for key, value in data.items():
        if key not in fields:
            line = _key_line(text, key, line_offset)
            close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(fields)
            errors.add(path, line, f"unknown key '{key}'", hint)
            ok = False
            continue
        problem = check_type(value, fields[key].type)
        if problem:
            errors.add(path, _key_line(text, key, line_offset), f"'{key}' {problem}", f"{key} is {fields[key].help}")
            ok = False
            continue
        good[key] = value
    for key in mandatory:
        if key not in data or data[key] in (None, ""):
            errors.add(path, line_offset + 1 if line_offset else 0, f"the {what} has no '{key}'",
                       f"add a line '{key}: …' ({fields[key].help})")
            ok = False
    return data if ok else (good if partial else None)


def _read_yaml_file(path: Path, errors: Collector, fields, mandatory, what: str,
                    partial: bool = False) -> dict | None:
    text = _read_text(path, errors)
    if text is None:
        return None
    data = _load_yaml(text, path, errors, keys=fields)
    if data is None and text.strip() and errors.problems and errors.problems[-1].path == str(path):
        return None
    return _validate(data, text, path, errors, fields, mandatory, 0, what, partial)


def _split_front_matter(text: str, path: Path, errors: Collector) -> tuple[str, str, int] | None:
    if not text.strip():
        errors.add(path, 0, "the file is empty", "delete it, or write front-matter and text into it")
        return None
    if not text.startswith("---\n"):
        errors.add(path, 1, "the file has no front-matter",
                   "start it with a line '---', then 'kind: article', 'title: …', then another '---'")
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---") or text.rstrip("\n").endswith("\n---"):
            end = text.rstrip("\n").rfind("\n---")
        else:
            errors.add(path, 1, "the front-matter is not closed", "add a line '---' after the last 'key: value' line")
            return None
    fm = text[4:end + 1]
    body = text[end + 5:]
    body_line = text.count("\n", 0, end + 5) + 1
    return fm, body, body_line


# --------------------------------------------------------------------------- loading

def _inside(path: Path, root: Path, errors: Collector) -> bool:
    """Refuse symlinks that lead outside content/."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            errors.add(path, 0, f"this is a link to {os.readlink(path)}, outside the content folder",
                       "copy the file into content/ instead of linking to it")
            return False
    return True


class ItemCache:
    """What the previous build read (a ``cache.Store``): whole editions whose files are unchanged
    (without their items' HTML, which is read when a page shows it), and single items reused while
    a file's size and mtime (and the folder and section it sits in) are unchanged."""

    RACY_NS = _RACY_NS
    settled = staticmethod(_settled)

    def __init__(self, store=None, recorded_ns: int = 0, snapshot=None,
                 stored: dict[str, tuple[str, str]] | None = None):
        self.store = store  # None: nothing to reuse
        self.recorded_ns = recorded_ns  # when the previous build read the files
        self.snapshot = snapshot if snapshot is not None else Snapshot()  # from the build's check stage
        self.stored = stored or {}  # edition folder → (signature, unit) of the previous build
        self.current: dict = {}  # item path → (key, Item) of the items read by this build
        self.editions: dict = {}  # edition folder → (signature, Edition) read by this build
        self.reused: set[str] = set()  # edition folders taken whole from the store
        self._summaries: dict | None = None

    def signatures(self, editions_dir: Path) -> dict[str, tuple[str | None, bool]]:
        """For each edition folder, the signature of its files (names, sizes, mtimes) from the
        snapshot — None for a folder with a link — and whether the previous build may be
        trusted to have read these very files (all of them older than its racy window)."""
        return {path: (sig, self.settled(newest, self.recorded_ns))
                for path, (sig, newest, _) in self.snapshot.folders.items()}

    def reuse_edition(self, path: Path, signature: tuple[str | None, bool]) -> Edition | None:
        """A stub of the previous build's Edition for this folder (``summary.stub``) if none of
        its files changed: nothing of it is read unless a page needs it (``summary.promote``)."""
        hit = self.stored.get(str(path))
        if self.store is None or signature[0] is None or not signature[1] or hit is None or hit[0] != signature[0]:
            return None
        if self._summaries is None:
            self._summaries = self.store.summaries()
        stored = self._summaries.get(str(path))
        if stored is None:
            return None
        from .summary import stub
        self.reused.add(str(path))
        return stub(path, stored)

    def key(self, path: Path, edition: dt.date, page: int, section_name: str):
        stat = self.snapshot.files.get(str(path))
        if stat is None:
            try:
                st = path.stat()
            except OSError:
                return None
            stat = (st.st_size, st.st_mtime_ns)
        return (*stat[:2], edition, page, section_name)

    def get(self, path: Path, key) -> Item | None:
        hit = self.store.item(str(path)) if self.store is not None and key is not None else None
        if hit is not None and hit[0] == key and self.settled(key[1], self.recorded_ns) \
                and (hit[1].image is None or hit[1].image.is_file()):
            self.current[str(path)] = hit
            return hit[1]
        return None

    def put(self, path: Path, key, item: Item) -> None:
        if key is not None:
            self.current[str(path)] = (key, item)


HTML_SOURCE = None  # item path → its HTML, for items of editions taken from the build state (set by site.build)


def item_html(item: Item) -> str:
    """An item's HTML: in the item, or (an item of an unchanged edition) from the build state."""
    if item.html is not None:
        return item.html
    html = HTML_SOURCE(str(item.path)) if HTML_SOURCE is not None else None
    if html is None:
        raise RuntimeError(f"the HTML of {item.path} is not in the build state")
    return html


def _load_item(path: Path, root: Path, edition: dt.date, page: int, section_name: str,
               errors: Collector, cache: ItemCache | None = None) -> Item | None:
    key = cache.key(path, edition, page, section_name) if cache is not None else None
    if cache is not None:
        hit = cache.get(path, key)
        if hit is not None:
            return hit
    item = _parse_item(path, root, edition, page, section_name, errors)
    if item is not None and cache is not None:
        cache.put(path, key, item)
    return item


def _parse_item(path: Path, root: Path, edition: dt.date, page: int, section_name: str,
                errors: Collector) -> Item | None:
    raw = _read_bytes(path, errors)
    text = None if raw is None else _decode(raw, path, errors)
    if text is None:
        return None
    parts = _split_front_matter(text, path, errors)
    if parts is None:
        return None
    fm_text, body, body_line = parts
    data = _load_yaml(fm_text, path, errors, line_offset=1, keys=ITEM_FIELDS)
    if data is None and fm_text.strip() and any(p.path == str(path) for p in errors.problems):
        return None
    data = _validate(data, fm_text, path, errors, ITEM_FIELDS, (), 1, "front-matter")
    if data is None:
        return None
    kind = data.get("kind")
    if kind is None:
        errors.add(path, 2, "the front-matter has no 'kind'", "add 'kind: article' (or photo, banner, advertisement)")
        return None
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        errors.add(path, _key_line(fm_text, "kind", 1), f"unknown kind '{kind}'",
                   f"did you mean '{close[0]}'?" if close else "use article, photo, banner or advertisement")
        return None
    ok = True
    for key in MANDATORY[kind]:
        if not data.get(key):
            errors.add(path, 2, f"this {kind} has no '{key}'", f"add a line '{key}: …' to the front-matter "
                       f"({ITEM_FIELDS[key].help})")
            ok = False
    if "edition" in data and as_date(data["edition"]) != edition:
        errors.add(path, _key_line(fm_text, "edition", 1), f"edition {data['edition']} does not match the folder "
                   f"{edition.isoformat()}", "correct the date, or move the file to the right edition folder")
        ok = False
    if "page" in data and data["page"] != page:
        errors.add(path, _key_line(fm_text, "page", 1), f"page {data['page']} does not match the folder "
                   f"{path.parent.name}", "correct the number, or move the file to the right page folder")
        ok = False
    if "section" in data and data["section"] != section_name:
        errors.add(path, _key_line(fm_text, "section", 1), f"unknown section '{data['section']}': this page's "
                   f"section.yaml names it '{section_name}'", "use the name in section.yaml, or move the file")
        ok = False
    slug = data.get("slug")
    if slug is not None and not _SLUG.match(slug):
        errors.add(path, _key_line(fm_text, "slug", 1), f"slug '{slug}' is not a plain file name",
                   "use letters, digits and '-' only (no '/', '..' or spaces)")
        ok = False
    image = None
    if data.get("image"):
        rel = data["image"]
        image = (path.parent / rel)
        if ".." in Path(rel).parts or Path(rel).is_absolute() or not image.resolve().is_relative_to(root.resolve()):
            errors.add(path, _key_line(fm_text, "image", 1), f"image '{rel}' points outside the content folder",
                       "put the image in the same folder as this file and give its file name")
            ok = False
        elif not image.is_file():
            errors.add(path, _key_line(fm_text, "image", 1), f"image '{rel}' does not exist",
                       "check the file name (it must sit beside this .md file)")
            ok = False
        elif image.suffix.lower() not in IMAGE_EXTENSIONS:
            errors.add(path, _key_line(fm_text, "image", 1), f"'{rel}' is not a web image",
                       "use a .jpg, .png, .gif, .webp, .avif or .svg file")
            ok = False
    if not ok:
        return None
    roles = data.get("author_roles") or {}
    authors = tuple(data.get("authors") or ())
    for name in roles:
        if name not in authors:
            errors.add(path, _key_line(fm_text, "author_roles", 1), f"author_roles names '{name}', who is not in authors",
                       "add the name to authors, or correct its spelling")
            return None
    order = data.get("order")
    shown = dict(
        kind=kind, order=order if order is not None else 10**6, name=slug or path.stem,
        title=data.get("title") or "", kicker=data.get("kicker") or "",
        subtitle=data.get("subtitle") or "", authors=authors,
        author_roles=tuple((a, roles[a]) for a in authors if a in roles), dateline=data.get("dateline") or "",
        credit=data.get("credit") or "", credit_marker=data.get("credit_marker") or "",
        sponsor=data.get("sponsor") or "", advertiser=data.get("advertiser") or "",
        image_alt=data.get("image_alt") or "", description=data.get("description") or "",
        source=data.get("source") or "", updated=as_date(data["updated"]) if data.get("updated") else None,
        area=tuple(tuple(float(v) for v in r) for r in data.get("area") or ()))
    html = _markdown().html(body)
    from .markup import describe
    shown["summary"] = shown["description"] or describe(html)
    # Everything the item shows comes from its file's bytes and its file name (and the code,
    # which the build stamp covers): a digest of those is one of everything it shows.
    digest = hashlib.sha1(path.name.encode("utf-8", "surrogateescape") + b"\0" + raw).hexdigest()
    return Item(path=path, html=html, body_line=body_line, image=image, digest=digest, **shown)


_RENDERER = None


def _markdown():
    """One Markdown renderer per process, reused for every item (``reset()`` per document)."""
    global _RENDERER
    if _RENDERER is None:
        from .markup import Renderer
        _RENDERER = Renderer()
    return _RENDERER


def _slugify(name: str, page: int) -> str:
    ascii_ = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return ascii_ if ascii_ and name.isascii() else f"page-{page:02d}"


def _load_section(path: Path, root: Path, edition: dt.date, errors: Collector,
                  cache: ItemCache | None = None) -> Section | None:
    page = int(path.name)
    meta_path = path / "section.yaml"
    if not meta_path.exists():
        errors.add(path, 0, "this page folder has no section.yaml",
                   "add section.yaml with a line 'name: …' naming the section (版面)")
        return None
    meta = _read_yaml_file(meta_path, errors, SECTION_FIELDS, SECTION_MANDATORY, "section.yaml")
    if meta is None:
        return None
    if "page" in meta and meta["page"] != page:
        errors.add(meta_path, _key_line(meta_path.read_text("utf-8"), "page", 0), f"page {meta['page']} does not "
                   f"match the folder {path.name}", "correct the number or rename the folder")
        return None
    items = []
    for f in sorted(path.iterdir()):
        if f.name.startswith(".") or f.suffix != ".md":
            continue
        if not _inside(f, root, errors):
            continue
        item = _load_item(f, root, edition, page, meta["name"], errors, cache)
        if item is not None:
            items.append(item)
    items.sort(key=lambda it: (it.order, it.path.name))
    seen: dict[str, Item] = {}
    for it in items:
        if it.has_page and it.name in seen:
            errors.add(it.path, 0, f"two items claim the URL {path.parent.name}/{path.name}/{it.name}.html "
                       f"(the other is {seen[it.name].path.name})", "give one of them a different 'slug'")
        seen.setdefault(it.name, it)
    printed = _page_file(path, errors)
    slug = meta.get("slug") or _slugify(meta["name"], page)
    if meta.get("slug") and not _SLUG.match(slug):
        errors.add(meta_path, _key_line(meta_path.read_text("utf-8"), "slug", 0), f"slug '{slug}' is not a plain name",
                   "use letters, digits and '-' only")
    return Section(path=path, page=page, name=meta["name"], slug=slug, items=tuple(items),
                   page_file=printed)


def _page_file(folder: Path, errors: Collector) -> Path | None:
    """The 版面's printed page for the page view (``pageview``), if it has a good one; the problems
    of a bad one are reported with the rest."""
    from .ingest.pagefile import PAGE_FILES, check_page_file
    names = [n for n in PAGE_FILES if (folder / n).is_file()]
    if not names:
        return None
    if len(names) > 1:
        errors.add(folder / names[1], 0, f"this 版面 folder holds two printed pages, {' and '.join(names)}",
                   "keep the one to show (a PDF gives the page its text and its download) and delete the other")
        return None
    problems = check_page_file(folder / names[0])
    for p in problems:
        errors.add(p.path, p.line, p.message, p.fix)
    return None if problems else folder / names[0]


def _load_edition(path: Path, root: Path, errors: Collector, cache: ItemCache | None = None) -> Edition | None:
    if not _DATE_DIR.match(path.name):
        errors.add(path, 0, f"'{path.name}' is not an edition date", "name edition folders YYYY-MM-DD, e.g. 2022-04-15")
        return None
    try:
        date = dt.date.fromisoformat(path.name)
    except ValueError:
        errors.add(path, 0, f"'{path.name}' is not a real date", "check the month and day of the folder name")
        return None
    meta = {}
    if (path / "edition.yaml").exists():
        meta = _read_yaml_file(path / "edition.yaml", errors, EDITION_FIELDS, EDITION_MANDATORY, "edition.yaml")
        if meta is None:
            return None
        if "date" in meta and as_date(meta["date"]) != date:
            errors.add(path / "edition.yaml", 1, f"date {meta['date']} does not match the folder {path.name}",
                       "correct the date or rename the folder")
    sections = []
    for d in sorted(path.iterdir()):
        if d.name.startswith(".") or d.name == "edition.yaml":
            continue
        if not _inside(d, root, errors):
            continue
        if d.is_dir() and d.name.isdigit() and int(d.name) >= 1:
            s = _load_section(d, root, date, errors, cache)
            if s is not None:
                sections.append(s)
        elif d.is_dir():
            errors.add(d, 0, f"unknown section folder '{d.name}'", "page folders are named by page number: 01, 02, …")
    sections.sort(key=lambda s: s.page)
    return Edition(path=path, date=date, sections=tuple(sections), title=meta.get("title", ""),
                   number=meta.get("number"))


PARALLEL_FILES = 1000  # below this many files to parse, forking workers costs more than it saves


def _load_editions(dirs: list[Path]) -> tuple[list[Edition | None], list]:
    """Worker: load some edition folders (forked from load_site, which set _JOB).  The cache
    entries of what it read are rebuilt by the parent (cheaper than sending them back)."""
    root, cache = _JOB
    gc.disable()  # what is read has no reference cycles; collecting would only walk it again and again
    errors = Collector("content")
    local = ItemCache(cache.store, cache.recorded_ns, cache.snapshot) if cache is not None else None
    editions = [_load_edition(d, root, errors, local) for d in dirs]
    return editions, errors.problems


_JOB: tuple | None = None


def load_site(content: str | Path, *, base_url: str | None = None, cache: ItemCache | None = None,
              jobs: int = 1, meanwhile=None) -> Site:
    """Load and validate everything under ``content``; raise one report of all problems.

    With ``jobs`` > 1 and enough files to parse, editions are read (YAML, Markdown) by that
    many forked processes; the result is the same as reading them here.  ``meanwhile()`` is
    called once the workers have started (or at the end, without them)."""
    root = Path(content)  # paths in messages are shown as the editor gave them
    errors = Collector("content")
    if not root.is_dir():
        errors.add(content, 0, "the content folder does not exist", "create it, or pass --content DIR")
        errors.raise_if_any()
    site_path = root / "site.yaml"
    cfg = {"title": "Broadsheet"}
    if site_path.exists():
        loaded = _read_yaml_file(site_path, errors, SITE_FIELDS, SITE_MANDATORY, "site.yaml", partial=True)
        cfg = {**cfg, **(loaded or {})}
    else:
        errors.add(site_path, 0, "site.yaml is missing", "create it with at least a line 'title: …' (see README)")
    tz = cfg.get("timezone", "+08:00")
    if not _TZ.match(str(tz)):
        errors.add(site_path, _key_line(site_path.read_text("utf-8") if site_path.exists() else "", "timezone", 0),
                   f"timezone '{tz}' is not a UTC offset", "write it like \"+08:00\" (in quotes)")
        tz = "+08:00"
    url = base_url if base_url is not None else cfg.get("base_url", "")
    if url and not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        line = _key_line(site_path.read_text("utf-8"), "base_url", 0) if base_url is None else 0
        errors.add(site_path if base_url is None else "--base-url", line,
                   f"base_url '{url}' is not an absolute http(s) URL", "write it like https://example.com/paper/")
    if url and not url.endswith("/"):
        url += "/"
    favicon = cfg.get("favicon", "")
    if favicon:
        where = (site_path, _key_line(site_path.read_text("utf-8"), "favicon", 0))
        icon = root / favicon
        if Path(favicon).suffix.lower() not in FAVICON_TYPES:
            errors.add(*where, f"favicon '{favicon}' is not an .svg, .png or .ico file",
                       "give an icon file in one of these formats, e.g. favicon: favicon.svg")
        elif not icon.is_file():
            errors.add(*where, f"favicon '{favicon}' does not exist in {root}",
                       "put the icon file in the content folder, or remove the line for a generated icon")
        elif not icon.resolve().is_relative_to(root.resolve()):
            errors.add(*where, f"favicon '{favicon}' is outside the content folder",
                       "copy the icon into the content folder and name it from there, e.g. favicon: favicon.svg")
        else:
            favicon = icon.resolve().relative_to(root.resolve()).as_posix()
    config = SiteConfig(title=cfg["title"], description=cfg.get("description", ""),
                        language=cfg.get("language", "zh-CN"), timezone=tz, publisher=cfg.get("publisher", ""),
                        base_url=url or "", feed_editions=cfg.get("feed_editions", 7), favicon=favicon)
    dirs = []
    ed_root = root / "editions"
    if ed_root.is_dir():
        for d in sorted(ed_root.iterdir()):
            if d.name.startswith("."):
                continue
            if not _inside(d, root, errors):
                continue
            if d.is_dir():
                dirs.append(d)
    reused: dict[int, Edition] = {}
    signatures: dict[str, tuple[str | None, bool]] | None = None
    if cache is not None and cache.snapshot:
        signatures = cache.signatures(ed_root)
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of acyclic objects from the build state: nothing to collect
        try:
            for i, d in enumerate(dirs):
                e = cache.reuse_edition(d, signatures.get(str(d), (None, False)))
                if e is not None:
                    reused[i] = e
        finally:
            if collecting:
                gc.enable()
    rest = [d for i, d in enumerate(dirs) if i not in reused]
    todo = sum(cache.snapshot.folders.get(str(d), (0, 0, 50))[2] for d in rest) if cache is not None and cache.snapshot and len(rest) > 1 else None
    if jobs > 1 and len(rest) > 1 and (todo if todo is not None else len(rest) * 50) >= PARALLEL_FILES:
        loaded = iter(_load_parallel(rest, root, cache, errors, jobs, meanwhile))
    else:
        loaded = iter([_load_edition(d, root, errors, cache) for d in rest])
        if meanwhile is not None:
            meanwhile()
    if signatures is None:  # the snapshot was taken while the workers read (a first build)
        signatures = cache.signatures(ed_root) if cache is not None and cache.snapshot else {}
    editions = []
    for i, d in enumerate(dirs):
        e = reused[i] if i in reused else next(loaded)
        if e is not None:
            editions.append(e)
            if cache is not None and i not in reused and signatures.get(str(d), (None,))[0] is not None:
                # Recorded as read; the next build trusts it only if its files are settled by then.
                cache.editions[str(d)] = (signatures[str(d)][0], e)
    errors.raise_if_any()
    return Site(root=root.resolve(), config=config, editions=tuple(sorted(editions, key=lambda e: e.date)))


def _load_parallel(dirs: list[Path], root: Path, cache: ItemCache | None, errors: Collector,
                   jobs: int, meanwhile=None) -> list[Edition | None]:
    global _JOB
    import multiprocessing
    size = max(1, min(16, len(dirs) // (jobs * 4)))
    chunks = [dirs[i:i + size] for i in range(0, len(dirs), size)]
    out: list[Edition | None] = []
    _JOB = (root, cache)
    collecting = gc.isenabled()
    gc.disable()  # receiving tens of thousands of acyclic items: no garbage to find, only objects to walk
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.imap(_load_editions, chunks)
            if meanwhile is not None:
                meanwhile()
            for editions, problems in results:
                out.extend(editions)
                errors.problems.extend(problems)
                for e in editions if cache is not None else ():
                    for sec in e.sections if e is not None else ():
                        for it in sec.items:
                            cache.put(it.path, cache.key(it.path, e.date, sec.page, sec.name), it)
    finally:
        _JOB = None
        if collecting:
            gc.enable()
    return out
