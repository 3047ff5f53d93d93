"""A change journal of ``content/``, so that a nightly build need not look at every file.

The public verb is :func:`watch` (``build.py watch``): a long-running process that follows every
folder under ``content/`` by Linux inotify (through ctypes: no dependency) and appends what changed
— the edition folder (``editions/YYYY-MM-DD``) or the top-level entry a change happened in — to a
journal beside the build state, ``.<output>.cache/watch/journal``.  Its companion :func:`changes`
is what the build's check stage asks: which edition folders changed since the last build, or None
when that is not known for certain — then the build walks everything, as without a watcher.

The contract (git's core.fsmonitor, Watchman, Bazel's --watchfs):

* **Liveness.** The watcher holds an exclusive lock on ``watch/lock`` for as long as it runs (the
  kernel drops it when the process dies, however it dies); a build that can take the lock knows no
  watcher is running.
* **Sessions.** Each start of a watcher writes a new journal whose header names a new session and
  the content folder it watches.  A build records (session, where its synchronisation ended) in
  the build state with the content snapshot it took; the next build trusts the journal only if it
  is of that same session — a restarted watcher may have missed changes meanwhile.
* **Synchronisation** (a cookie, as Watchman's).  Events still in flight must not be missed: the
  build creates a uniquely named file in ``watch/cookies/`` (watched by the same inotify instance,
  whose events are delivered in order) and waits, at most ``WAIT`` seconds, until the watcher has
  journalled it; everything changed before the cookie was created is then in the journal before it.
  No answer: the build walks everything.  Cookies live beside the journal, never in ``content/``.
* **Doubt.** A lost event (IN_Q_OVERFLOW), a watch that could not be added, an event of an
  unknown watch: the watcher journals ``!`` and the build that reads it walks everything (and
  synchronises again, so the next one may trust the journal from there on).

The journal is records ending in NUL (any file name can be written): a header
``broadsheet-watch 1 <session> <device:inode> <resolved content path>`` (of the folder watched), then ``+<path>`` (a change under that
path, relative to the content folder), ``?<cookie>`` (a build's cookie seen) and ``!<why>``.
A key is journalled once between two cookies.  Changes made through another path to the same
file (a hard link outside ``content/``) or by another machine (a network file system) are not
seen — the file system does not report them to inotify.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import signal
import struct
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .errors import BroadsheetError, Problem

WAIT = 2.0  # seconds a build waits for the watcher to journal its cookie
MAGIC = b"broadsheet-watch 1"

# inotify(7)
IN_MODIFY, IN_ATTRIB, IN_MOVED_FROM, IN_MOVED_TO = 0x2, 0x4, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF = 0x100, 0x200, 0x400, 0x800
IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED = 0x2000, 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK, IN_ISDIR = 0x01000000, 0x02000000, 0x04000000, 0x40000000
IN_CLOEXEC = os.O_CLOEXEC
CONTENT_MASK = (IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF
                | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
COOKIE_MASK = IN_CREATE | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len — then the name, NUL-padded to len
WATCHES = "/proc/sys/fs/inotify/max_user_watches"
INSTANCES = "/proc/sys/fs/inotify/max_user_instances"


def journal_dir(output: Path) -> Path:
    """Where the watcher of builds into ``output`` keeps its journal (beside the build state)."""
    output = Path(output).resolve()
    return output.parent / f".{output.name}.cache" / "watch"


# --------------------------------------------------------------------------- the build's side

@dataclass(frozen=True)
class Changes:
    """What a build learnt from the watcher's journal."""
    session: str | None = None  # the watcher session this build synchronised with; None: no live watcher
    offset: int = 0  # where this build's cookie ends in the journal (the next build reads on from here)
    editions: frozenset | None = None  # edition folder names journalled since the last build; None: not known
    why: str = ""  # why not known (no watcher, another session, overflow …)


def changes(content: Path, where: Path, since: tuple | None, wait: float | None = None) -> Changes:
    """Synchronise with the watcher of ``content`` journalling into ``where`` (``journal_dir``) and
    return the edition folders it journalled since ``since`` — the (session, offset) the last build
    recorded — or ``editions=None`` when that is not known for certain."""
    try:
        lock = os.open(where / "lock", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return Changes(why="no watcher")
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return Changes(why="no watcher running")  # nobody holds it: the watcher is gone
        except BlockingIOError:
            pass  # held: a watcher is running
        try:
            journal = open(where / "journal", "rb")
        except OSError:
            return Changes(why="the watcher is still starting")
        with journal:
            head = journal.read(4096)
            end = head.find(b"\0")
            parts = head[:end].split(b" ", 4) if end > 0 else []
            if len(parts) != 5 or b" ".join(parts[:2]) != MAGIC or parts[3] != _identity(content) or \
                    os.fsdecode(parts[4]) != str(Path(content).resolve()):
                return Changes(why="the watcher watches another content folder")
            session = parts[2].decode()
            start = end + 1
            if since is not None and since[0] == session and since[1] >= start:
                start = since[1]
            name = f"{os.getpid()}-{time.time_ns()}-{uuid.uuid4().hex[:8]}"
            mark = b"?" + name.encode() + b"\0"
            cookie = where / "cookies" / name
            try:
                os.close(os.open(cookie, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except OSError:
                return Changes(why="no cookie could be made")
            try:
                journal.seek(start)
                data, found = b"\0", -1  # records from ``start``, each after a NUL
                deadline, pause = time.monotonic() + (WAIT if wait is None else wait), 0.0002
                while True:
                    data += journal.read()
                    found = data.find(b"\0" + mark)
                    if found >= 0:
                        break
                    if time.monotonic() > deadline:
                        return Changes(why="the watcher did not answer")
                    time.sleep(pause)
                    pause = min(pause * 2, 0.02)
            finally:
                os.unlink(cookie)
    finally:
        os.close(lock)
    offset = start + found + len(mark)  # data[0] is the NUL before ``start``
    if since is None or since[0] != session:
        return Changes(session, offset, why="the last build was not synchronised with this watcher")
    names = set()
    for rec in data[1:found + 1].split(b"\0"):
        if rec[:1] == b"!":
            return Changes(session, offset, why=f"the watcher journalled a doubt ({rec[1:].decode(errors='replace')})")
        if rec == b"+editions":  # the folder of all editions itself: made, moved, replaced …
            return Changes(session, offset, why="the editions folder itself changed")
        if rec[:10] == b"+editions/":
            names.add(os.fsdecode(rec[10:]))
    return Changes(session, offset, frozenset(names))


# --------------------------------------------------------------------------- the watcher

class _Inotify:
    def __init__(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add, self._rm = libc.inotify_add_watch, libc.inotify_rm_watch
        self._add.argtypes, self._add.restype = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32], ctypes.c_int
        self._rm.argtypes, self._rm.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        libc.inotify_init1.argtypes, libc.inotify_init1.restype = [ctypes.c_int], ctypes.c_int
        self.fd = libc.inotify_init1(IN_CLOEXEC)
        if self.fd < 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))

    def add(self, path: bytes, mask: int) -> int:
        wd = self._add(self.fd, path, mask)
        if wd < 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), os.fsdecode(path))
        return wd

    def read(self) -> list[tuple[int, int, bytes]]:
        """The next events, (wd, mask, name); blocks until there is one."""
        data = os.read(self.fd, 1 << 20)
        out, pos = [], 0
        while pos < len(data):
            wd, mask, _cookie, size = _EVENT.unpack_from(data, pos)
            pos += _EVENT.size
            out.append((wd, mask, data[pos:pos + size].rstrip(b"\0")))
            pos += size
        return out


class _Limit(Exception):
    pass


class _Watcher:
    def __init__(self, root: bytes, where: Path):
        self.root, self.where = root, where
        self.ino = _Inotify()
        self.paths: dict[int, bytes] = {}  # watch → the folder it watches (relative to root; b"" the root)
        self.seen: set[bytes] = set()  # keys journalled since the last cookie
        self.cookies = self.ino.add(os.fsencode(where / "cookies"), COOKIE_MASK)

    def watch_tree(self, rel: bytes) -> None:
        """Watch a folder and everything under it: each folder is watched before it is listed, so a
        folder made meanwhile shows either in the listing or as an event."""
        stack = [rel]
        while stack:
            d = stack.pop()
            full = self.root + b"/" + d if d else self.root
            try:
                wd = self.ino.add(full, CONTENT_MASK)
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    raise _Limit from None
                if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.ELOOP):
                    continue  # gone again, or not a folder we can follow: a change journalled by its parent
                raise
            self.paths[wd] = d
            try:
                with os.scandir(full) as it:
                    for e in it:
                        if e.is_dir(follow_symlinks=False):
                            stack.append(d + b"/" + e.name if d else e.name)
            except OSError:
                continue

    @staticmethod
    def key(rel: bytes) -> bytes:
        """The edition folder (``editions/X``) or the top-level entry a path is in."""
        parts = rel.split(b"/", 2)
        return b"/".join(parts[:2]) if parts[0] == b"editions" and len(parts) > 1 else parts[0]

    def handle(self, events) -> tuple[list[bytes], str | None]:
        """Journal records for a batch of events, and why to stop (None: go on)."""
        out: list[bytes] = []
        for wd, mask, name in events:
            if mask & IN_Q_OVERFLOW:
                out.append(b"!overflow: events were lost")
                continue
            if wd == self.cookies:
                if mask & IN_IGNORED:
                    return out + [b"!the journal folder was removed"], "its folder was removed"
                if name:
                    out.append(b"?" + name)
                    self.seen.clear()
                continue
            d = self.paths.get(wd)
            if mask & IN_IGNORED:  # a folder deleted or moved out (the event after IN_DELETE_SELF)
                self.paths.pop(wd, None)
                if d == b"":
                    return out + [b"!the content folder was removed"], "the content folder was removed"
                continue
            if d is None:
                out.append(b"!an event of a folder not watched")
                continue
            if d == b"" and mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT):
                return out + [b"!the content folder was moved or removed"], "the content folder was moved or removed"
            if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                continue  # its parent reported it
            rel = d + b"/" + name if d and name else d or name
            if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
                try:  # before journalling it: a change in it after this line is an event
                    self.watch_tree(rel)
                except _Limit:
                    return out + [b"!a new folder could not be watched (inotify limit)"], "limit"
            k = self.key(rel)
            if k not in self.seen:
                self.seen.add(k)
                out.append(b"+" + k)
        return out, None


def watch(content: Path, output: Path, *, quiet: bool = False) -> int:
    """Follow ``content`` and journal its changes for builds into ``output``, until stopped."""
    root = Path(content).resolve()
    if not root.is_dir():
        raise BroadsheetError(Problem(str(content), 0, "the content folder does not exist",
                                      "create it, or pass --content DIR"))
    where = journal_dir(output)
    (where / "cookies").mkdir(parents=True, exist_ok=True)
    lock = os.open(where / "lock", os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise BroadsheetError(Problem(str(where / "lock"), 0, f"another watcher is already journalling {content} "
                                      f"for {output}", "stop it first, or leave it running")) from None
    journal = where / "journal"
    journal.unlink(missing_ok=True)  # a previous session's: no build may trust it any more
    for old in (where / "cookies").iterdir():
        old.unlink(missing_ok=True)
    signal.signal(signal.SIGTERM, _stop)
    fd = -1
    try:
        try:
            w = _Watcher(os.fsencode(root), where)
        except OSError as e:
            if e.errno == errno.EMFILE:
                raise _problem(INSTANCES, "no more inotify instances may be made by this user",
                               "stop other watchers, or raise it") from None
            raise
        started = time.perf_counter()
        try:
            w.watch_tree(b"")
        except _Limit:
            raise _problem(WATCHES, f"{content} has more folders than the {_read_int(WATCHES):,} inotify watches "
                           "this machine allows (all users together)", "raise it") from None
        session = f"{os.getpid()}.{time.time_ns()}.{uuid.uuid4().hex[:8]}"
        tmp = where / f"journal.{os.getpid()}"
        tmp.write_bytes(b" ".join((MAGIC, session.encode(), _identity(root), os.fsencode(root))) + b"\0")
        os.replace(tmp, journal)
        fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        if not quiet:
            print(f"watching {len(w.paths):,} folders under {content} ({time.perf_counter() - started:.1f}s); "
                  f"builds into {output} now look only at what changed — stop with Ctrl-C", flush=True)
        while True:
            records, stop = w.handle(w.ino.read())
            if records:
                os.write(fd, b"\0".join(records) + b"\0")
            if stop == "limit":
                raise _problem(WATCHES, f"a new folder under {content} could not be watched: the "
                               f"{_read_int(WATCHES):,} inotify watches this machine allows are in use", "raise it")
            if stop:
                raise BroadsheetError(Problem(str(content), 0, f"stopped watching: {stop}",
                                              "start the watcher again"))
    except KeyboardInterrupt:
        return 0
    finally:
        if fd >= 0:
            os.close(fd)
        journal.unlink(missing_ok=True)  # ours: the lock is still held
        os.close(lock)


def _identity(folder: Path) -> bytes:
    """The folder's device and inode: the same path may name another folder later (its parent
    moved away and a new one made), which the watcher, following the old one, would not see."""
    try:
        st = os.stat(folder)
    except OSError:
        return b"-"
    return b"%d:%d" % (st.st_dev, st.st_ino)


def _stop(*_) -> None:
    raise KeyboardInterrupt


def _read_int(path: str) -> int:
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return 0


def _problem(sysctl: str, what: str, fix: str) -> BroadsheetError:
    name = sysctl.removeprefix("/proc/sys/").replace("/", ".")
    now = _read_int(sysctl)
    return BroadsheetError(Problem(sysctl, 0, what, f"{fix}: sudo sysctl {name}={max(now * 4, 524288)} (and put "
                                   f"'{name} = …' in /etc/sysctl.d/ to keep it); until then every build walks "
                                   "all of content/, as without a watcher", "watch"))


def watch_command(args) -> int:
    return watch(Path(args.content), Path(args.output), quiet=args.quiet)
