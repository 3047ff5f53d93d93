"""The build cache: what a rebuild may reuse from the previous build.

Kept in ``.<output>.cache/`` beside ``output/``; the state file is written only after a
build was published, so it always describes the ``output/`` that is there.  It holds:

* in ``state.pickle`` (small, read first): a ``stamp`` of Broadsheet's code, the templates,
  assets and build options, the (size, mtime) of every file under ``content/`` and the build
  date — all equal means there is nothing to do (the no-change fast path);
* in ``manifest-<recorded_ns>.pickle``: ``items``, parsed items (with their rendered HTML) by path and
  (size, mtime), so unchanged files are not re-read or re-rendered;
* ``editions``: each edition folder's Edition with a signature of all its files, so an
  untouched edition is not read at all (``content.ItemCache``);
* ``pages``: for every page, a fingerprint of exactly the data it shows (below); a page
  whose fingerprint is unchanged is hard-linked from the previous output, not rendered;
* in ``state.pickle`` again, ``shards``: the digest of each search shard's index records.

The manifest is written by a detached process that the build does not wait for (the next
build does); it is named by the ``recorded_ns`` of its build, and a build reads only the
manifest that its state file names.

Correctness rests on the fingerprints naming every input of a page; the randomised test
in ``tests/test_incremental.py`` checks that incremental builds equal clean builds.
"""
from __future__ import annotations

import fcntl
import gc
import hashlib
import os
import pickle
from pathlib import Path

VERSION = 3
_CODE = Path(__file__).resolve().parent


def digest(*parts) -> str:
    """SHA-1 of ``repr`` of the parts: str, int, None, dates, tuples, lists, dicts built in a
    fixed order and frozen dataclasses all have a deterministic repr (faster than JSON; this
    runs for every page of every build)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def tree_digest(*roots: Path) -> str:
    h = hashlib.sha1()
    for root in roots:
        for p in sorted(root.rglob("*")) if root.is_dir() else ():
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(hashlib.sha1(p.read_bytes()).digest())
    return h.hexdigest()


def code_digest() -> str:
    return tree_digest(_CODE)


def content_snapshot(content: Path) -> dict[str, tuple]:
    """(size, mtime_ns) of every file under ``content`` — a cheap walk, no reading.  Folders
    are listed too, as (-1, 0); a symbolic link as its target's (size, mtime_ns, "link")."""
    out: dict[str, tuple] = {}
    stack = [str(content)]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            if e.is_symlink():
                try:
                    st = e.stat()
                except OSError:
                    st = e.stat(follow_symlinks=False)
                out[e.path] = (st.st_size, st.st_mtime_ns, "link")
            elif e.is_dir():
                out[e.path] = (-1, 0)
                stack.append(e.path)
            else:
                try:
                    st = e.stat()
                except OSError:
                    continue
                out[e.path] = (st.st_size, st.st_mtime_ns)
    return out


class Manifest:
    """A pickled dict (``state.pickle``, ``manifest-<recorded_ns>.pickle``); ``start_save``
    writes one in the background."""

    def __init__(self, path: Path, wait: bool = False):
        self.path = path
        self.data: dict = {}
        if wait:
            self.wait_for_writer()
        collecting = gc.isenabled()
        gc.disable()  # the cache is tens of thousands of acyclic objects: collecting would only walk them
        try:
            with open(path, "rb") as f:
                data = pickle.load(f)
            if data.get("version") == VERSION:
                self.data = data
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError,
                ModuleNotFoundError):
            self.data = {}
        finally:
            if collecting:
                gc.enable()

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def save(self, **data) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        self._dump(tmp, data)
        os.replace(tmp, self.path)

    @staticmethod
    def _dump(path: Path, data: dict) -> None:
        with open(path, "wb") as f:
            pickle.dump({"version": VERSION, **data}, f, protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def _lock(self) -> Path:
        return self.path.parent / "manifest.lock"

    def wait_for_writer(self) -> None:
        """Wait until a background writer started by a previous build has finished."""
        try:
            fd = os.open(self._lock, os.O_RDWR)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        finally:
            os.close(fd)

    def start_save(self, path: Path, **data) -> None:
        """Write the data to ``path`` in a detached background process: pickling a big
        archive's manifest takes a core for half a second, and the build has other work — or
        nothing — left to do.  The build does not wait for the writer; the next build does
        (``wait_for_writer``, on a lock the writer holds until it is done).

        ``path`` names the build (``recorded_ns``) and is used only by the build whose state
        file names it, so a writer that fails, or a build that fails after starting one, only
        leaves a file no one reads (removed by the next save) or makes the next build start
        afresh.  Every other manifest in the folder but this one (being read) is removed."""
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("manifest*.pickle"), *folder.glob("manifest*.tmp*")]:
            if old != self.path:  # (we hold the build lock, and the previous writer is done)
                old.unlink(missing_ok=True)
        if not hasattr(os, "fork"):
            Manifest(path).save(**data)
            return
        lock = os.open(self._lock, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(lock, fcntl.LOCK_EX)  # held by the writer (it inherits the descriptor) until it exits
        # The writer inherits every descriptor of the build, its build lock too: until it has closed
        # them, a next build would be refused ("another build is writing"). It closes `ready` last,
        # and the build returns once the pipe says so (a few ms at most; it does not wait for the write).
        wait, ready = os.pipe()
        pid = os.fork()
        if pid == 0:  # a child that starts the writer and leaves, so the writer belongs to no one
            try:
                if os.fork() == 0:
                    os._exit(_write_manifest(path, data, lock, ready))
            finally:
                os._exit(0)
        os.close(lock)
        os.close(ready)
        os.waitpid(pid, 0)
        os.read(wait, 1)  # end of file: the writer holds nothing of the build's any more
        os.close(wait)


def _write_manifest(path: Path, data: dict, lock: int, ready: int) -> int:
    """The writer process: nothing of the build's (its build lock, its terminal) stays open;
    closing ``ready``, last, tells the build so."""
    low, high = sorted((lock, ready))
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
    os.close(ready)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    try:
        Manifest._dump(tmp, data)
        os.replace(tmp, path)
        return 0
    except BaseException:
        tmp.unlink(missing_ok=True)
        return 1


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
    return (sv.name, sv.label, sv.url, sv.slug, sv.page)


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
                      [[(i.display_title, i.url, i.kind) for i in s.headlines] for s in ev.sections],
                      ev.prev and (ev.prev.short_label, ev.prev.url), ev.next and (ev.next.short_label, ev.next.url))
    if kind == "archive":
        return digest(global_digest, spec.path, [(m["year"], m["month"], [[(d, e and e.url) for d, e in w]
                                                  for w in m["weeks"]]) for y in ctx["years"] for m in y["months"]])
    if kind == "search":
        return digest(global_digest, spec.path, ctx["shards"])
    return digest(global_digest, spec.path)
