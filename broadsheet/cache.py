"""The build state: what a rebuild may reuse from the previous build.

Kept in ``.<output>.cache/state.sqlite`` beside ``output/`` (``Store``), partitioned by
edition, and written in one transaction just before staging is published; it names the
staging folder's inode, so it is trusted only while that folder is the published ``output/``.
It holds:

* a ``stamp`` of Broadsheet's code, the templates, assets and build options, a digest of the
  (size, mtime) of every file under ``content/`` and the build date — all equal means there is
  nothing to do (the no-change fast path);
* per edition folder: a signature of its files, the edition without its items' HTML, its
  *unit* digest (its neighbours' dates, its sections' feeds and everything global: see
  ``render.render_site``), its pages' fingerprints (below) and the files it produced — an
  edition whose files and unit are unchanged is neither read, fingerprinted nor rendered;
* per item file: its (size, mtime, place) and its rendered HTML — with the item in its edition's
  light copy, what an unchanged file of an edition read again is taken from instead of parsing it;
* for the pages that are not an edition's (home, archive, search, 404): their fingerprints;
  ``shards``: the digest of each search shard's index records.

A page's fingerprint is a digest of exactly the data it shows; a page whose fingerprint is
unchanged is kept (hard-linked from the previous output), not rendered.  Correctness rests on
the fingerprints and unit digests naming every input of a page; the randomised test in
``tests/test_incremental.py`` checks that incremental builds equal clean builds.
"""
from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import os
import pickle
import sqlite3
from pathlib import Path, PosixPath

VERSION = 8
_CODE = Path(__file__).resolve().parent


def digest(*parts) -> str:
    """SHA-1 of ``repr`` of the parts: str, int, None, dates, tuples, lists, dicts built in a
    fixed order and frozen dataclasses all have a deterministic repr (faster than JSON; this
    runs for every page of every build)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def tree_digest(*roots: Path, leave_out: frozenset[str] = frozenset()) -> str:
    h = hashlib.sha1()
    for root in roots:
        for p in sorted(root.rglob("*")) if root.is_dir() else ():
            rel = p.relative_to(root).as_posix()
            if p.is_file() and "__pycache__" not in p.parts and rel not in leave_out:
                h.update(rel.encode())
                h.update(hashlib.sha1(p.read_bytes()).digest())
    return h.hexdigest()


# The files of ingest alone (text → content/): the build never imports them, so a newsroom that
# updates ingest (its rules or weights) keeps its build state.  What the build does use of the
# ingest package (the page-file checks, placing items on a PDF page) is in the digest.
# tests/test_pageview.py checks that no function of these runs in a build (with printed pages).
INGEST_ONLY = frozenset({"ingest/evidence.py", "ingest/ingest_weights.json", "ingest/segment.py",
                         "ingest/shapes.py", "ingest/page.py", "writer.py", "dedupe.py", "scaffold.py"})


def code_digest() -> str:
    return tree_digest(_CODE, leave_out=INGEST_ONLY)


class Store:
    """The build state in SQLite (``state.sqlite``), partitioned by edition.

    ``meta``      small values of the last published build: the stamp, ``recorded_ns``, a digest of
                  the content snapshot, the build date, the search shards, the fingerprints and
                  files of the pages that are not an edition's, and the ``token`` of the build: the
                  state is trusted only while the marker of the last completed publishing names it
                  (``publish.published_token``), so a build killed between saving and its commit
                  point is seen as such;
    ``editions``  one row per edition folder: the signature of its files, the *unit* digest (all
                  its pages show: see ``render.render_site``), the Edition with its items'
                  HTML left out (``light``), its pages' fingerprints and the files it produced;
    ``items``     one row per item file: its cache key and its HTML, read one at a time — when an
                  edition is read again (the Item itself is taken from the edition's light copy),
                  or a page shows an item's text.

    A nightly build reads the meta row, the signatures and the light editions, and writes the
    rows of what it read or rendered again; nothing holds the whole archive's HTML.  All writes of
    a build are one transaction, made before the staging folder is published."""

    SCHEMA = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
        CREATE TABLE IF NOT EXISTS editions (path TEXT PRIMARY KEY, signature TEXT, unit TEXT,
                                             light BLOB, summary BLOB, sitemap BLOB, headlines BLOB,
                                             pages BLOB, produced BLOB);
        CREATE TABLE IF NOT EXISTS items (path TEXT PRIMARY KEY, edition TEXT, key BLOB, html BLOB);
        CREATE INDEX IF NOT EXISTS items_edition ON items (edition);
    """

    def __init__(self, path: Path):
        self.path = path
        self._conn = None
        self._pid = None
        self._light: tuple[str | None, dict] = (None, {})  # the last edition items were taken from
        self.meta: dict = {}
        for old in path.parent.glob("*.pickle") if path.parent.is_dir() else ():
            old.unlink(missing_ok=True)  # the manifest of builds before the SQLite state (hundreds of MB)
        try:
            if path.is_file():
                self.meta = {k: pickle.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError,
                ModuleNotFoundError):
            self.meta = {}
        if self.meta.get("version") != VERSION:
            self.meta = {}

    @property
    def db(self) -> sqlite3.Connection:
        """One connection per process (forked workers read items too)."""
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._conn.executescript(self.SCHEMA)
            self._pid = os.getpid()
        return self._conn

    def get(self, key: str, default=None):
        return self.meta.get(key, default)

    def describes(self, output: Path, stamp: str) -> bool:
        """Whether the state is that of the published ``output`` built with this ``stamp``."""
        from .publish import published_token
        token = published_token(output)
        return bool(self.meta) and token is not None and self.meta.get("stamp") == stamp and \
            self.meta.get("token") == token

    def editions(self) -> dict[str, tuple[str, str]]:
        """Edition folder → (signature, unit) of the last build."""
        return {p: (s, u) for p, s, u in self.db.execute("SELECT path, signature, unit FROM editions")}

    def summaries(self) -> dict:
        """Edition folder → its ``summary.Stored`` (what a stub of it carries), all in one query."""
        return {p: _loads(s) for p, s in self.db.execute("SELECT path, summary FROM editions")}

    def sitemap(self, path: str) -> list[str]:
        """An edition's rows of the sitemap, as the last build wrote them (``feeds.edition_rows``)."""
        row = self.db.execute("SELECT sitemap FROM editions WHERE path = ?", (path,)).fetchone()
        return list(_loads(row[0])) if row else []

    def headlines(self, path: str) -> list:
        """An edition's rows of the search's headline index, as the last build made them."""
        row = self.db.execute("SELECT headlines FROM editions WHERE path = ?", (path,)).fetchone()
        return list(_loads(row[0])) if row else []

    def light_edition(self, path: str):
        row = self.db.execute("SELECT light FROM editions WHERE path = ?", (path,)).fetchone()
        return _loads(row[0]) if row else None

    def pages(self, path: str) -> tuple[dict, list]:
        """The fingerprints of an edition's pages and the files it produced, at the last build."""
        row = self.db.execute("SELECT pages, produced FROM editions WHERE path = ?", (path,)).fetchone()
        return (_loads(row[0]), _loads(row[1])) if row else ({}, [])

    def item(self, path: str):
        """(key, Item) of the last build's reading of this file, or None: the Item from its edition's
        light copy (kept while the items of one edition are asked for, as an edition is read), its HTML
        from its own row."""
        row = self.db.execute("SELECT key, edition, html FROM items WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        if self._light[0] != row[1]:
            edition = self.light_edition(row[1])
            self._light = (row[1], {} if edition is None else
                           {str(it.path): it for sec in edition.sections for it in sec.items})
        item = self._light[1].get(path)
        return (_loads(row[0]), dataclasses.replace(item, html=row[2].decode("utf-8"))) if item is not None else None

    def html(self, path: str) -> str | None:
        row = self.db.execute("SELECT html FROM items WHERE path = ?", (path,)).fetchone()
        return row[0].decode("utf-8") if row else None

    def save(self, meta: dict, editions, items: dict, removed: list[str], fresh: bool) -> None:
        """One transaction: ``editions`` (path, signature, unit, edition, summary, sitemap, headlines, pages,
        produced) rows — the edition kept without its items' HTML (``_dumps_light``) — and ``items``
        edition path → [(item path, key, Item)] (their HTML) replace their rows; ``removed`` edition
        rows go with their items.  ``fresh`` writes a new file (no journal: it replaces the old
        one by a rename once complete)."""
        if not fresh:
            self._write(self.db, meta, editions, items, removed, replace=True)
        else:
            self.close()
            tmp = self.path.with_name(self.path.name + ".new")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
                db.executescript(self.SCHEMA)
                self._write(db, meta, editions, items, removed, replace=False)
            finally:
                db.close()
            os.replace(tmp, self.path)
        self.meta = {"version": VERSION, **meta}

    def remember(self, meta: dict) -> None:
        """Write a few values of the meta row alone (one transaction), keeping the others."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", ((k, _dumps(v)) for k, v in meta.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.meta.update(meta)

    @staticmethod
    def _write(db, meta, editions, items, removed, replace: bool) -> None:
        dump = _dumps
        db.execute("BEGIN IMMEDIATE")
        try:
            for path in removed:
                db.execute("DELETE FROM editions WHERE path = ?", (path,))
                db.execute("DELETE FROM items WHERE edition = ?", (path,))
            db.executemany("INSERT OR REPLACE INTO editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           ((p, sig, unit, _dumps_light(edition), dump(summary), dump(sitemap), dump(heads), dump(pages),
                             dump(produced)) for p, sig, unit, edition, summary, sitemap, heads, pages, produced in editions))
            for n, (edition, rows) in enumerate(items.items()):
                if replace:
                    db.execute("DELETE FROM items WHERE edition = ?", (edition,))
                elif n % 20 == 19:  # a new file, not yet in place: commit as it goes (bounded memory)
                    db.execute("COMMIT")
                    db.execute("BEGIN IMMEDIATE")
                # The HTML as bytes encoded here: binding the str itself would leave a UTF-8 copy of
                # it attached to the string for as long as the item lives.
                db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)",
                               ((p, edition, dump(key), item.html.encode("utf-8", "surrogatepass"))
                                for p, key, item in rows))
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           ((k, dump(v)) for k, v in {"version": VERSION, **meta}.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None


def _dumps(obj) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def _dumps_light(edition) -> bytes:
    """An edition without its items' HTML (the state's *light* copy; ``Store.html`` has the HTML)."""
    buf = io.BytesIO()
    _LightPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(edition)
    return buf.getvalue()


def _loads(data: bytes):
    return pickle.loads(data)


_FAST_PATHS = hasattr(PosixPath, "_from_parsed_parts") and hasattr(PosixPath("/x"), "_parts")


def _path(drv: str, root: str, parts: tuple) -> PosixPath:
    return PosixPath._from_parsed_parts(drv, root, list(parts))


class _Pickler(pickle.Pickler):
    """Paths by their parsed parts: unpickling an edition's ~70 paths the ordinary way (parsing
    each string again) was most of the time a nightly build spent reading the archive's editions."""

    def reducer_override(self, obj):
        if _FAST_PATHS and type(obj) is PosixPath:
            return _path, (obj._drv, obj._root, tuple(obj._parts))
        return NotImplemented


class _LightPickler(_Pickler):
    """Items without their HTML, as pickle itself would write a dataclass but for that one field
    (faster than a copy of each item made with ``dataclasses.replace``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .content import Item
        self._item = Item

    def reducer_override(self, obj):
        if type(obj) is self._item:
            return copyreg.__newobj__, (self._item,), {**obj.__dict__, "html": None}
        return super().reducer_override(obj)


# --------------------------------------------------------------------------- page fingerprints

def item_digest(iv) -> str:
    """Digest of what an item shows; memoised on the view (it is needed by several pages)."""
    cached = iv.__dict__.get("_digest")
    if cached is None:
        cached = iv.__dict__["_digest"] = _item_digest(iv)
    return cached


def _item_digest(iv) -> str:
    return digest(iv.item.digest, iv.url, iv.description, iv.image)


def _section_head(sv) -> tuple:
    return (sv.name, sv.label, sv.url, sv.slug, sv.page, sv.pageview)  # pageview: a frozen dataclass


def _edition_head(ev) -> str:
    """Digest of an edition's masthead and 版面 list; memoised on the view (every page uses it)."""
    cached = ev.__dict__.get("_head")
    if cached is None:
        cached = ev.__dict__["_head"] = digest(ev.iso, ev.url, ev.title, ev.number,
                                               [_section_head(s) for s in ev.sections])
    return cached


def _link(v) -> tuple | None:
    return (v.display_title, v.url) if v is not None else None


def page_fingerprint(spec, global_digest: str, section_feed) -> str:
    """A digest of everything the page shows (see the module docstring)."""
    ctx, kind = spec.context, spec.context["page_kind"]
    if kind == "article":
        iv, sv, ev = ctx["item"], ctx["section"], ctx["edition"]
        return digest(global_digest, spec.path, item_digest(iv), _section_head(sv), _edition_head(ev), _link(iv.prev),
                      _link(iv.next), section_feed(sv))
    if kind == "section":
        sv, ev = ctx["section"], ctx["edition"]
        return digest(global_digest, spec.path, _edition_head(ev), _section_head(sv), [item_digest(i) for i in sv.items],
                      sv.prev and sv.prev.url, sv.next and sv.next.url, section_feed(sv))
    if kind in ("edition", "home"):
        ev = ctx["edition"]
        if ev is None:
            return digest(global_digest, spec.path, None)
        return digest(global_digest, spec.path, _edition_head(ev),
                      # the lead article shows its kicker and summary too (_macros.html, edition_overview)
                      [[(i.display_title, i.url, i.kind, i.kicker, i.description) for i in s.headlines]
                       for s in ev.sections],
                      ev.prev and (ev.prev.short_label, ev.prev.url), ev.next and (ev.next.short_label, ev.next.url))
    if kind == "archive":
        return digest(global_digest, spec.path, [(m["year"], m["month"], [[(d, e and e.url) for d, e in w]
                                                  for w in m["weeks"]]) for y in ctx["years"] for m in y["months"]])
    if kind == "search":
        return digest(global_digest, spec.path, ctx["shards"])
    return digest(global_digest, spec.path)
