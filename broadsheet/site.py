"""The build: named stages (load → pages → render → feeds → search → publish), atomic publish, one build at a time.

The site is built into a staging directory beside ``output/`` and swapped in only
when every stage succeeded; on any failure the previous ``output/`` is untouched.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .content import load_site
from .errors import BroadsheetError, Problem

ROOT = Path(__file__).resolve().parent.parent
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # an edition's folder
# In a checkout, templates/ and assets/ beside build.py; installed (pip install .), inside the package.
_HERE = Path(__file__).resolve().parent
TEMPLATES = ROOT / "templates" if (ROOT / "templates" / "base.html").is_file() else _HERE / "_templates"
ASSETS = ROOT / "assets" if (ROOT / "assets" / "style.css").is_file() else _HERE / "_assets"


@contextmanager
def build_lock(output: Path):
    lock_path = output.parent / f".{output.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BroadsheetError(Problem(str(output), 0, "another build is writing this output folder right now",
                                          "wait for it to finish, then build again", "publish")) from None
        yield
    finally:
        os.close(fd)


def publish(staging: Path, output: Path) -> None:
    """Swap the finished staging directory in place of ``output`` (two renames).

    The superseded output shares most of its files (hard links) with the new one, so
    deleting it frees little: it is removed in the background (see ``_discard``)."""
    old = output.parent / f".{output.name}.old.{os.getpid()}"
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    if old.exists():
        _discard(old, output)


def _discard(path: Path, output: Path) -> None:
    """Move a folder out of the way at once and delete it in a detached process."""
    trash = output.parent / f".{output.name}.trash.{os.getpid()}.{time.time_ns()}"
    os.rename(path, trash)
    if shutil.which("rm"):
        subprocess.Popen(["rm", "-rf", str(trash)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(trash, ignore_errors=True)


def start_seeding(output: Path, staging: Path) -> list[subprocess.Popen] | None:
    """Start filling the (empty) staging folder with hard links to the published output, in
    the background: unchanged files cost nothing, and every write replaces a file rather than
    changing it (files.write_file).  Two ``cp -al`` run side by side, the search bundles and
    the pages (about half the files each; linking is all system time, so two cores halve it).
    ``finish_seeding`` waits for them."""
    if not shutil.which("cp"):
        return None
    entries = sorted(os.listdir(output))
    halves = [[e for e in entries if e == "pagefind"], [e for e in entries if e != "pagefind"]]
    return [subprocess.Popen(["cp", "-al", *[str(output / e) for e in half], str(staging)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for half in halves if half]


def finish_seeding(procs: list[subprocess.Popen] | None, output: Path, staging: Path) -> None:
    if procs is not None and all(p.wait() == 0 for p in procs):
        return
    shutil.rmtree(staging, ignore_errors=True)  # no cp, or it failed: link file by file
    staging.mkdir()
    seed_staging(output, staging)


def seed_staging(output: Path, staging: Path) -> None:
    for f in output.rglob("*"):
        if f.is_file():
            target = staging / f.relative_to(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, target)


def _cleanup_stale(output: Path) -> None:
    """Clear what killed or finished builds left behind: staging, superseded and trash folders."""
    for p in output.parent.glob(f".{output.name}.*"):
        if not p.is_dir():
            continue
        if ".staging." in p.name or ".old." in p.name:
            _discard(p, output)
        elif ".trash." in p.name and time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)  # a background delete that did not finish


class Log:
    def __init__(self, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose
        self.started = time.perf_counter()
        self.stages: list[tuple[str, float, list]] = []  # name, seconds, stages run within it
        self._open: list[list] = []

    def say(self, msg: str) -> None:
        if not self.quiet:
            print(msg, flush=True)

    def warn(self, msg: str) -> None:
        print(f"warning: {msg}", file=sys.stderr, flush=True)

    @contextmanager
    def stage(self, name: str):
        t = time.perf_counter()
        inner: list = []
        self._open.append(inner)
        try:
            yield
        except BroadsheetError as e:
            e.stage = e.stage or name
            raise
        finally:
            self._open.pop()
        (self._open[-1] if self._open else self.stages).append((name, time.perf_counter() - t, inner))

    def times(self) -> str:
        """'check 0.10s, load 2.40s, render 3.60s (feeds 0.12s within it), …'"""
        def fmt(stages):
            return ", ".join(f"{name} {secs:.2f}s" + (f" ({fmt(inner)} within it)" if inner else "")
                             for name, secs, inner in stages)
        return fmt(self.stages)


def _import_later_stages() -> None:
    from . import feeds, render, search  # noqa: F401


def build_date_in(timezone: str) -> str:
    from .content import SiteConfig
    return SiteConfig(title="", timezone=timezone).today().isoformat()


def build(content: Path, output: Path, *, base_url: str | None = None, search: bool = True,
          quiet: bool = False, verbose: bool = False, jobs: int = 0, templates: Path | None = None,
          incremental: bool = True) -> dict:
    """check → load → pages → render (feeds while the pages render) → search → save → publish.

    ``check`` decides whether the build state (``cache.Store``) describes the published output
    and this configuration; if so, and no content file changed, there is nothing to do.
    Otherwise staging is seeded from the output (hard links, in the background while content
    loads), only the editions whose files or surroundings changed are read and rendered, the
    state of what changed is saved, and staging replaces the output."""
    from . import content as content_mod
    from .cache import Store, code_digest, content_snapshot, digest, snapshot_digest, tree_digest
    from .content import ItemCache

    log = Log(quiet, verbose)
    templates = templates or TEMPLATES
    jobs = jobs or os.cpu_count() or 1
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output):
        _cleanup_stale(output)
        store = Store(output.parent / f".{output.name}.cache" / "state.sqlite")
        started_ns = time.time_ns()
        with log.stage("check"):
            options = (str(Path(content).resolve()), base_url, search, str(templates.resolve()))
            stamp = digest(code_digest(), tree_digest(templates), tree_digest(ASSETS), options)
            trusted = incremental and output.is_dir() and store.describes(output, stamp)
            # The (size, mtime) of every content file: read now if there is a previous build to
            # compare with, else while the load workers read (files changed meanwhile are newer
            # than started_ns, so the next build will not trust them: see ItemCache.settled).
            snapshot = content_snapshot(Path(content)) if trusted else {}
            settled = all(ItemCache.settled(v[1], store.get("recorded_ns", 0)) for v in snapshot.values())
        if trusted and settled and store.get("content") == snapshot_digest(snapshot) and \
                store.get("build_date") == build_date_in(store.get("timezone", "+08:00")):
            log.say(f"nothing changed since the last build; {output} is up to date "
                    f"({time.perf_counter() - log.started:.2f}s)")
            return {"pages": 0, "rendered": 0, "site": None, "unchanged": True}
        staging = output.parent / f".{output.name}.staging.{os.getpid()}"
        seeding = None
        try:
            staging.mkdir()
            if trusted:  # link the published files into staging in the background while content loads
                seeding = start_seeding(output, staging)
            with log.stage("load"):
                cache = ItemCache(store if trusted else None, store.get("recorded_ns", 0), snapshot,
                                  store.editions() if trusted else {})

                def meanwhile():  # while the workers read content
                    if not trusted:
                        cache.snapshot.update(content_snapshot(Path(content)))
                    _import_later_stages()  # the render stage's modules (Jinja …)

                site = load_site(content, base_url=base_url, cache=cache, jobs=jobs, meanwhile=meanwhile)
                content_mod.HTML_SOURCE = store.html  # the text of items of editions taken from the state
                from . import feeds, render
                from . import search as search_mod
                today = site.config.today()  # once: a build that runs past midnight keeps one date
                # Everything that shapes every page: code, templates, assets, options (the stamp),
                # the site settings and the build date (news sitemap).
                global_digest = digest(stamp, site.config, today.isoformat())
            if trusted:
                with log.stage("stage"):
                    finish_seeding(seeding, output, staging)
                    seeding = None
            with log.stage("pages"):  # the printed pages: images, areas, PDFs (before the pages show them)
                from . import pageview
                pageviews = pageview.prepare(site, staging, output.parent / f".{output.name}.cache",
                                             fresh=lambda path: path not in cache.reused,
                                             published=output if trusted else None, jobs=jobs)
                for path in pageviews.unplaced:  # of the editions read again (warned once, not every night)
                    log.warn(f"{path}: not found on its printed page, so it is not clickable there — give it "
                             "'area: [[x0, y0, x1, y1]]' (fractions of the page) if it is printed on it")
            last = [0.0]

            def progress(n, total):
                now = time.perf_counter()
                if not quiet and total > 2000 and (now - last[0] > 2 or n == total):
                    last[0] = now
                    print(f"  rendering {n}/{total} pages", flush=True)

            def write_feeds(views):  # while the pages render (the one overlap of stages)
                with log.stage("feeds"):
                    return feeds.write_feeds(site, views, staging, today)

            with log.stage("render"):
                result = render.render_site(site, staging, templates, ASSETS, search=search, progress=progress,
                                            jobs=jobs, previous=store if trusted else None, reused=cache.reused,
                                            global_digest=global_digest, meanwhile=write_feeds,
                                            pageviews=pageviews)
            feed_files = result["meanwhile"]
            written = len(feed_files)
            if not site.config.base_url:
                log.warn("feeds, sitemaps and canonical links need an absolute address and were skipped — "
                         "set base_url in content/site.yaml or pass --base-url https://example.com/paper/")
            shards = {}
            if search:
                with log.stage("search"):
                    index = search_mod.index_site(staging, result["editions"], previous=output if trusted else None,
                                                  old_shards=store.get("shards") if trusted else None)
                    shards = index["shards"]
            site_files = set(result["site_files"]) | set(feed_files)
            stale = result["stale"] + sorted(set(store.get("site_files", ())) - site_files) if trusted else []
            with log.stage("save"):
                save_state(store, site, cache, result, staging, trusted=trusted, stamp=stamp, recorded_ns=started_ns,
                           shards=shards, site_files=site_files, build_date=today.isoformat())
            with log.stage("publish"):
                if trusted:
                    remove(staging, stale, site_files, result["units"], search)
                publish(staging, output)
        except BaseException:
            for proc in seeding or ():
                proc.kill()
                proc.wait()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            content_mod.HTML_SOURCE = None
            store.close()
    eds = site.editions
    n_sections = sum(len(e.sections) for e in eds)
    n_items = sum(len(s.items) for e in eds for s in e.sections)
    total = time.perf_counter() - log.started
    if verbose:
        for path in result["rendered_paths"] + feed_files:
            log.say(f"  wrote {output / path}")
        for name in index["indexed"] if search else ():
            log.say(f"  indexed {output / 'pagefind' / name}/")
    if not quiet:
        times = log.times()
        log.say(f"built {len(eds)} edition{'s' if len(eds) != 1 else ''}, {n_sections} 版面, {n_items} items → "
                f"{result['pages']} pages ({result['rendered']} rendered, {result['reused']} unchanged), "
                f"{written} feed/sitemap files"
                + (f", search index of {index['pages']} pages ({len(index['indexed'])} of {len(shards)} shards "
                   "re-indexed)" if search else "") + f" into {output}")
        log.say(f"  time: {times} (total {total:.2f}s)")
    return {"pages": result["pages"], "rendered": result["rendered"], "site": site, "unchanged": False}


def save_state(store, site, cache, result: dict, staging: Path, *, trusted: bool, stamp: str, recorded_ns: int,
               shards: dict, site_files: set[str], build_date: str) -> None:
    """Write what changed into the build state, in one transaction, before publishing: the rows
    of the editions rendered (their light copy, fingerprints and files), the items read, the
    editions deleted, and the state of the whole (it names the staging folder's inode, so a
    build killed before its rename is not mistaken for the output that is there)."""
    from .cache import snapshot_digest
    from .content import light
    by_path = {str(e.path): e for e in site.editions}

    def signature(path: str) -> str | None:
        return cache.editions[path][0] if path in cache.editions else \
            cache.stored.get(path, (None,))[0] if path in cache.reused else None
    editions = ((path, signature(path), unit, light(by_path[path]), fps, files)  # one at a time
                for path, (unit, fps, files) in result["units"].items())
    items: dict[str, list] = {str(e.path): [] for e in site.editions if str(e.path) not in cache.reused}
    for path, (key, item) in cache.current.items():
        folder = os.path.dirname(os.path.dirname(path))
        if folder in items:
            items[folder].append((path, key, item))
    st = os.stat(staging)
    store.save(dict(stamp=stamp, recorded_ns=recorded_ns, content=snapshot_digest(cache.snapshot),
                    build_date=build_date, timezone=site.config.timezone, shards=shards,
                    site_pages=result["site_pages"], site_files=sorted(site_files),
                    output_ino=(st.st_dev, st.st_ino)),
               editions, items, removed=sorted(cache.stored.keys() - by_path.keys()), fresh=not trusted)


def remove(staging: Path, stale: list[str], site_files: set[str], units: dict, search: bool) -> None:
    """Remove from staging (seeded from the output) the files this build no longer produces: those
    the previous build produced and this one did not (pages of deleted items and editions, old
    assets …), the folders they leave empty, and anything else found where this build looked —
    at the top level, and in the folders of the editions it rendered.  Untouched editions'
    folders are not walked."""
    top = {f.split("/", 1)[0] for f in site_files} | {os.path.basename(p) for p in units} | \
        ({"pagefind"} if search else set())
    editions = {os.path.basename(p): files for p, (_, _, files) in units.items()}
    for entry in os.scandir(staging):
        if entry.name in editions:
            produced = set(editions[entry.name])
            for dirpath, _, filenames in os.walk(entry.path):
                rel = os.path.relpath(dirpath, staging).replace(os.sep, "/")
                stale.extend(f"{rel}/{name}" for name in filenames if f"{rel}/{name}" not in produced)
        elif entry.name not in top and not _DATE.match(entry.name):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    folders = set()
    for rel in stale:
        try:
            os.unlink(staging / rel)
        except FileNotFoundError:
            pass
        folders.add(os.path.dirname(rel))
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(staging / folder)
            except OSError:
                break
            folder = os.path.dirname(folder)


def build_command(args) -> int:
    templates = Path(args.templates) if args.templates else None
    beside = Path(args.content).resolve().parent / "templates"
    if templates is None and (beside / "base.html").is_file():  # a paper made by `broadsheet new`
        templates = beside
    build(Path(args.content), Path(args.output), base_url=args.base_url, search=not args.no_search,
          quiet=args.quiet, verbose=args.verbose, jobs=args.jobs, templates=templates)
    return 0
