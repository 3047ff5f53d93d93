"""The build: named stages (load → render → feeds → search → publish), atomic publish, one build at a time.

The site is built into a staging directory beside ``output/`` and swapped in only
when every stage succeeded; on any failure the previous ``output/`` is untouched.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .content import load_site
from .errors import BroadsheetError, Problem

ROOT = Path(__file__).resolve().parent.parent
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


def prune(staging: Path, produced: set[str], keep_dirs: tuple[str, ...]) -> None:
    """Remove what this build did not produce (pages of deleted items, old assets …)."""
    root = str(staging)
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in filenames:
            rel = prefix + name
            if rel not in produced and not rel.startswith(keep_dirs):
                os.unlink(os.path.join(dirpath, name))
        if prefix and not os.listdir(dirpath):
            os.rmdir(dirpath)


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
    from .cache import Manifest, code_digest, content_snapshot, digest, tree_digest
    from .content import ItemCache

    log = Log(quiet, verbose)
    templates = templates or TEMPLATES
    jobs = jobs or os.cpu_count() or 1
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output):
        _cleanup_stale(output)
        cache_dir = output.parent / f".{output.name}.cache"
        state = Manifest(cache_dir / "state.pickle")  # small: enough to see that nothing changed
        usable = incremental and output.is_dir()
        started_ns = time.time_ns()
        with log.stage("check"):
            options = (str(Path(content).resolve()), base_url, search, str(templates.resolve()))
            stamp = digest(code_digest(), tree_digest(templates), tree_digest(ASSETS), options)
            seed = usable and state.get("stamp") == stamp  # the previous build can be built upon
            # The (size, mtime) of every content file: read now if there is a previous build to
            # compare with, else while the load workers read (files changed meanwhile are newer
            # than started_ns, so the next build will not trust them: see ItemCache.settled).
            snapshot = content_snapshot(Path(content)) if seed else {}
            fresh = all(ItemCache.settled(v[1], state.get("recorded_ns", 0)) for v in snapshot.values())
        if seed and fresh and state.get("content") == snapshot and \
                state.get("build_date") == build_date_in(state.get("timezone", "+08:00")):
            log.say(f"nothing changed since the last build; {output} is up to date "
                    f"({time.perf_counter() - log.started:.2f}s)")
            return {"pages": 0, "rendered": 0, "site": None, "unchanged": True}
        staging = output.parent / f".{output.name}.staging.{os.getpid()}"
        seeding = None
        try:
            staging.mkdir()
            if seed:  # link the published files into staging in the background while content loads
                seeding = start_seeding(output, staging)
            with log.stage("load"):
                # The previous build's manifest (its writer may still be at work: wait for it).
                manifest = Manifest(cache_dir / f"manifest-{state.get('recorded_ns', 0)}.pickle", wait=True)
                if not usable or manifest.get("stamp") != state.get("stamp") or \
                        manifest.get("recorded_ns") != state.get("recorded_ns"):  # saved together; else start afresh
                    manifest.data = {}
                cache = ItemCache(manifest.get("items"), manifest.get("recorded_ns", 0), snapshot,
                                  manifest.get("editions"))

                def meanwhile():  # while the workers read content
                    if not seed:
                        cache.snapshot.update(content_snapshot(Path(content)))
                    _import_later_stages()  # the render stage's modules (Jinja …)

                site = load_site(content, base_url=base_url, cache=cache, jobs=jobs, meanwhile=meanwhile)
                from . import feeds, render
                from . import search as search_mod
                today = site.config.today()  # once: a build that runs past midnight keeps one date
                # Everything that shapes every page: code, templates, assets, options (the stamp),
                # the site settings and the build date (news sitemap).
                global_digest = digest(stamp, site.config, today.isoformat())
            previous = output if manifest.data and seed else None
            if seed:
                with log.stage("stage"):
                    finish_seeding(seeding, output, staging)
                    seeding = None
            last = [0.0]

            def progress(n, total):
                now = time.perf_counter()
                if not quiet and total > 2000 and (now - last[0] > 2 or n == total):
                    last[0] = now
                    print(f"  rendering {n}/{total} pages", flush=True)

            def write_feeds(views):  # while the pages render
                with log.stage("feeds"):
                    return feeds.write_feeds(site, views, staging, today)

            with log.stage("render"):
                result = render.render_site(site, staging, templates, ASSETS, search=search, progress=progress,
                                            jobs=jobs, previous=previous,
                                            old_pages=manifest.get("pages") if previous else None,
                                            global_digest=global_digest, meanwhile=write_feeds)
                # The cache for the next build, written in the background (not waited for).
                manifest.start_save(cache_dir / f"manifest-{started_ns}.pickle", stamp=stamp, items=cache.current,
                                    editions=cache.editions, pages=result["fingerprints"], recorded_ns=started_ns)
            feed_files = result["meanwhile"]
            written = len(feed_files)
            if not site.config.base_url:
                log.warn("feeds, sitemaps and canonical links need an absolute address and were skipped — "
                         "set base_url in content/site.yaml or pass --base-url https://example.com/paper/")
            shards = {}
            if search:
                with log.stage("search"):
                    index = search_mod.index_site(staging, result["editions"], previous=previous,
                                                  old_shards=state.get("shards") if previous else None)
                    shards = index["shards"]
            with log.stage("publish"):
                prune(staging, result["produced"] | set(feed_files),
                      ("pagefind/",) if search else ())
                publish(staging, output)
        except BaseException:
            for proc in seeding or ():
                proc.kill()
                proc.wait()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        state.save(stamp=stamp, content=cache.snapshot, recorded_ns=started_ns, shards=shards,
                   timezone=site.config.timezone, build_date=today.isoformat())
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


def build_command(args) -> int:
    templates = Path(args.templates) if args.templates else None
    beside = Path(args.content).resolve().parent / "templates"
    if templates is None and (beside / "base.html").is_file():  # a paper made by `broadsheet new`
        templates = beside
    build(Path(args.content), Path(args.output), base_url=args.base_url, search=not args.no_search,
          quiet=args.quiet, verbose=args.verbose, jobs=args.jobs, templates=templates)
    return 0
