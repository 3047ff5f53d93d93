"""Publishing a build: staging → ``output/``, atomic, without linking the whole output.

The public verb is :func:`publish`.  A build writes into a staging folder beside ``output/``
only the files it produced this time (all of them on a clean build), and a journal
(``.journal.json``: the token of the build state it goes with, the files of ``output/`` it no
longer produces, the folders it replaces whole — the search bundles re-indexed, ``pagefind/<shard>``).

* A **clean** build (no journal of changes: ``whole``) swaps folders: ``output/`` is renamed
  away (and deleted in the background), staging is renamed into its place.
* A **nightly** build renames staging to ``.<output>.commit`` — *the commit point* — then moves
  its files into ``output/`` one by one (``os.replace``: a reader sees the old file or the new,
  never half of one), swaps the replaced folders, deletes the stale files and the folders they
  leave empty, and writes the marker last.

The marker (``.<output>.cache/published``) names the token of the build state and the inode of
``output/``: the state is trusted only while both match (``cache.Store.describes``).  A build
that fails or is killed before the commit point leaves ``output/`` as it was (its staging folder
is discarded by the next build, which, finding the marker older than the state, starts afresh);
one killed after it is completed by the next build (``finish``) before anything else — the
commit folder holds every file still to move and the journal.  All of it runs under the build
lock (``site.build_lock``): a second build refuses.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

JOURNAL = ".journal.json"


def commit_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.commit"


def marker(output: Path) -> Path:
    return output.parent / f".{output.name}.cache" / "published"


def published_token(output: Path) -> str | None:
    """The token of the build state whose publishing last completed into ``output``, if it is still
    that folder (a clean build swaps in a new folder: a new inode)."""
    try:
        token, dev, ino = marker(output).read_text("utf-8").split()
        st = os.stat(output)
    except (OSError, ValueError):
        return None
    return token if (st.st_dev, st.st_ino) == (int(dev), int(ino)) else None


def write_journal(staging: Path, *, token: str, whole: bool, remove: list[str] = (), swap: list[str] = ()) -> None:
    (staging / JOURNAL).write_text(json.dumps({"token": token, "whole": whole, "remove": sorted(remove),
                                               "swap": sorted(swap)}), "utf-8")


def publish(staging: Path, output: Path) -> None:
    """Publish the finished staging folder (see the module docstring)."""
    journal = json.loads((staging / JOURNAL).read_text("utf-8"))
    if journal["whole"] or not output.is_dir():
        os.unlink(staging / JOURNAL)
        old = output.parent / f".{output.name}.old.{os.getpid()}"
        if output.exists():
            os.rename(output, old)
        os.rename(staging, output)
        _mark(output, journal["token"])
        if old.exists():
            discard(old, output)
        return
    os.rename(staging, commit_folder(output))  # the commit point
    finish(output)


def finish(output: Path) -> bool:
    """Move a committed build's files into ``output`` (idempotent: a killed run is taken up where it
    stopped); False if there was none."""
    commit = commit_folder(output)
    try:
        journal = json.loads((commit / JOURNAL).read_text("utf-8"))
    except FileNotFoundError:
        if commit.is_dir():  # the journal is removed last: only empty folders are left
            shutil.rmtree(commit, ignore_errors=True)
        return False
    for name in journal["swap"]:  # whole folders (the search bundles re-indexed: pagefind/<shard>)
        if (commit / name).is_dir():
            if (output / name).exists():
                discard(output / name, output)
            (output / name).parent.mkdir(parents=True, exist_ok=True)
            os.rename(commit / name, output / name)
    swapped = set(journal["swap"])
    for dirpath, dirnames, filenames in os.walk(commit):
        rel = os.path.relpath(dirpath, commit)
        dirnames[:] = [d for d in dirnames if os.path.normpath(os.path.join(rel, d)) not in swapped]
        for name in filenames:
            if rel == "." and name == JOURNAL:
                continue
            target = output / rel / name
            try:
                os.replace(os.path.join(dirpath, name), target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(os.path.join(dirpath, name), target)
    folders = set()
    for rel in journal["remove"]:
        path = output / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        folders.add(os.path.dirname(rel))
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(output / folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
    _mark(output, journal["token"])
    os.unlink(commit / JOURNAL)
    shutil.rmtree(commit, ignore_errors=True)
    return True


def _mark(output: Path, token: str) -> None:
    st = os.stat(output)
    path = marker(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{token} {st.st_dev} {st.st_ino}\n", "utf-8")
    os.replace(tmp, path)


def discard(path: Path, output: Path) -> None:
    """Move a folder out of the way at once and delete it in a detached process."""
    trash = output.parent / f".{output.name}.trash.{os.getpid()}.{time.time_ns()}"
    os.rename(path, trash)
    if shutil.which("rm"):
        subprocess.Popen(["rm", "-rf", str(trash)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(trash, ignore_errors=True)


def cleanup(output: Path) -> None:
    """Before a build: complete a committed build's publishing, then clear what killed or finished
    builds left behind (staging, superseded and trash folders)."""
    finish(output)
    for p in output.parent.glob(f".{output.name}.*"):
        if not p.is_dir():
            continue
        if ".staging." in p.name or ".old." in p.name:
            discard(p, output)
        elif ".trash." in p.name and time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)  # a background delete that did not finish


def stale_files(output: Path, stale: list[str], site_files: set[str], units: dict, search: bool,
                is_edition) -> list[str]:
    """What ``output`` holds that this build no longer produces: the files the previous build produced
    and this one did not (``stale``: pages of deleted items and editions, old assets …), anything else
    at the top level, and anything else in the folders of the editions it rendered.  Untouched
    editions' folders are not walked."""
    out = set(stale)
    top = {f.split("/", 1)[0] for f in site_files} | {os.path.basename(p) for p in units} | \
        ({"pagefind"} if search else set())
    editions = {os.path.basename(p): files for p, (_, _, files) in units.items()}
    for entry in os.scandir(output):
        if entry.name in editions:
            produced = set(editions[entry.name])
            for dirpath, _, filenames in os.walk(entry.path):
                rel = os.path.relpath(dirpath, output).replace(os.sep, "/")
                out.update(f"{rel}/{name}" for name in filenames if f"{rel}/{name}" not in produced)
        elif entry.name not in top and not is_edition(entry.name):
            out.add(entry.name)
    produced = set(site_files).union(*(files for _, _, files in units.values()))
    return sorted(out - produced)  # never a file this build wrote, whatever the state said
