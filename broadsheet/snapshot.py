"""The check stage's walk of ``content/``: what changed since the last build, without reading a file.

The public verb is :func:`content_snapshot`.  Every edition folder (``editions/YYYY-MM-DD``) is
summed up as it is walked — a signature of the names, sizes and mtimes of everything in it, its
newest mtime and how many files it holds — so a nightly build compares 4,000 signatures with the
state's, not 300,000 file entries.  Everything else under ``content/`` (site.yaml, the icon …) is
kept file by file.  The edition folders are walked by GNU ``find`` (two at once on two cores,
``-printf``), or by ``os.scandir`` where there is no GNU find; both give the same snapshot.

With a watcher running (``build.py watch``, ``broadsheet/watch.py``), the build knows which edition
folders changed since the last build's snapshot: only those, and folders that are new, are walked;
every other folder keeps the summary the last build took of it (``since``).  The folders of
``editions/`` are still listed and everything outside them still walked, so the snapshot is what the
full walk would give.

A folder holding a symbolic link has no signature (None): it is read again on every build.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RACY_NS = 2_000_000_000  # a file changed this close to when it was recorded may change again unseen


def settled(mtime_ns: int, recorded_ns: int) -> bool:
    """Whether a file with this mtime was safely older than a read at ``recorded_ns``: a later
    change to it must show in its size or mtime ("racily clean" otherwise)."""
    return mtime_ns < recorded_ns - RACY_NS


@dataclass
class Snapshot:
    files: dict[str, tuple] = field(default_factory=dict)  # path → (size, mtime_ns[, "link"]); folders (-1, 0)
    folders: dict[str, tuple] = field(default_factory=dict)  # edition folder → (signature | None, newest_ns, files)

    def __bool__(self) -> bool:
        return bool(self.files or self.folders)

    def update(self, other: "Snapshot") -> None:
        self.files.update(other.files)
        self.folders.update(other.folders)

    def settled(self, recorded_ns: int) -> bool:
        return all(settled(v[1], recorded_ns) for v in self.files.values()) and \
            all(settled(v[1], recorded_ns) for v in self.folders.values())

    def digest(self) -> str:
        h = hashlib.sha1(repr(sorted(self.files.items())).encode("utf-8", "surrogatepass"))
        h.update(repr(sorted((k, v[0]) for k, v in self.folders.items())).encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def content_snapshot(content: Path, jobs: int = 2, since: "Snapshot | None" = None,
                     changed: frozenset | None = None) -> Snapshot:
    """The snapshot of ``content``; with ``since`` (the last build's) and ``changed`` (the names of
    the edition folders changed since it was taken), only the edition folders changed or new are
    walked."""
    snap = Snapshot()
    editions = os.path.join(str(content), "editions")
    dirs = []
    stack = [str(content)]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            if d == editions and e.is_dir(follow_symlinks=False):
                dirs.append(e.path)
            elif e.is_symlink():
                try:
                    st = e.stat()
                except OSError:
                    st = e.stat(follow_symlinks=False)
                snap.files[e.path] = (st.st_size, st.st_mtime_ns, "link")
            elif e.is_dir():
                snap.files[e.path] = (-1, 0)
                stack.append(e.path)
            else:
                try:
                    st = e.stat()
                except OSError:
                    continue
                snap.files[e.path] = (st.st_size, st.st_mtime_ns)
    dirs.sort()
    kept = {}
    if since is not None and changed is not None:
        kept = {d: since.folders[d] for d in dirs if d in since.folders and os.path.basename(d) not in changed}
        dirs = [d for d in dirs if d not in kept]
    if dirs and _gnu_find() and (since is None or len(dirs) > FEW):
        snap.folders = _walk_find(dirs, jobs)
    else:  # (a watched build's few folders: quicker than starting find)
        snap.folders = {d: _walk_python(d) for d in dirs}
    snap.folders.update(kept)
    return snap


FEW = 8  # edition folders walked here rather than by find


_FIND: list = []


def _gnu_find() -> str | None:
    if not _FIND:
        exe = shutil.which("find")
        ok = False
        if exe:
            try:
                ok = "GNU" in subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout
            except (OSError, subprocess.SubprocessError):
                ok = False
        _FIND.append(exe if ok else None)
    return _FIND[0]


def _walk_find(dirs: list[str], jobs: int) -> dict[str, tuple]:
    """Edition folders by ``find -printf``, in ``jobs`` parts side by side.  Per entry: depth, type,
    size, mtime (seconds with ten decimals: their strings sort as the times do) and the path."""
    n = max(1, min(jobs, len(dirs) // 50 or 1))
    parts = [dirs[k::n] for k in range(n)]
    procs = [subprocess.Popen([_gnu_find(), *part, "-printf", r"%d %y %s %T@ %p\0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL) for part in parts]
    out: dict[str, tuple] = {}
    for proc in procs:
        data, _ = proc.communicate()
        if proc.returncode != 0:  # a folder vanished mid-walk, …: the slow way, for exactly what is there
            return {d: _walk_python(d) for d in dirs}
        folder, rows = None, []
        for rec in data.split(b"\0"):
            if rec[:2] == b"0 ":  # a starting point: an edition folder
                if folder is not None:
                    out[folder] = _summed(rows)
                folder, rows = os.fsdecode(rec.split(b" ", 4)[4]), []
            elif rec:
                rows.append(rec)
        if folder is not None:
            out[folder] = _summed(rows)
    return out


def _summed(rows: list[bytes]) -> tuple:
    """(signature, newest mtime in ns, files) of one folder's ``find`` rows."""
    newest, linked, files = (0, b"0"), False, 0
    for rec in rows:
        _, kind, _, mtime, _ = rec.split(b" ", 4)
        if kind == b"l":
            linked = True
        elif kind == b"f":
            files += 1
            if (len(mtime), mtime) > newest:
                newest = (len(mtime), mtime)
    newest = newest[1]
    sec, _, frac = newest.decode().partition(".")
    ns = int(sec) * 10**9 + int((frac + "000000000")[:9])
    rows.sort()
    return (None if linked else hashlib.sha1(b"\0".join(rows)).hexdigest(), ns, files)


def _walk_python(folder: str) -> tuple:
    """The same as ``_walk_find`` for one folder, by ``os.scandir``."""
    rows, stack = [], [(folder, 1)]
    while stack:
        d, level = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            kind = b"l" if e.is_symlink() else b"d" if e.is_dir(follow_symlinks=False) else b"f"
            mtime = f"{st.st_mtime_ns // 10**9}.{st.st_mtime_ns % 10**9:09d}0".encode()
            rows.append(b"%d %s %d %s %s" % (level, kind, st.st_size, mtime, os.fsencode(e.path)))
            if kind == b"d":
                stack.append((e.path, level + 1))
    return _summed(rows)
