"""The build: named stages (load → pages → render → feeds → search → publish), atomic publish, one build at a time.

The files a build writes go into a staging directory beside ``output/`` and are published only
when every stage succeeded (``publish``: a clean build swaps whole folders, a nightly one moves its
files in after a commit point); on any failure the previous ``output/`` is untouched.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .content import load_site
from .errors import BroadsheetError, Problem
from .publish import cleanup, publish, stale_files, write_journal
from .summary import promote

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
    Otherwise only the editions whose files or surroundings changed are read and rendered into
    staging (with the search shards they change), the state of what changed is saved, and
    staging's files are published into the output."""
    from . import content as content_mod
    from .cache import Store, code_digest, digest, tree_digest
    from .snapshot import Snapshot, content_snapshot
    from .content import ItemCache
    from .watch import changes, journal_dir

    log = Log(quiet, verbose)
    templates = templates or TEMPLATES
    jobs = jobs or os.cpu_count() or 1
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output):
        cleanup(output)  # first, complete a build killed after its commit point
        store = Store(output.parent / f".{output.name}.cache" / "state.sqlite")
        started_ns = time.time_ns()
        with log.stage("check"):
            # The content folder as given, too: the state names edition folders by paths under it.
            options = (str(Path(content).resolve()), str(content), base_url, search, str(templates.resolve()))
            stamp = digest(code_digest(), tree_digest(templates), tree_digest(ASSETS), options)
            trusted = incremental and output.is_dir() and store.describes(output, stamp)
            # What a watcher (`build.py watch`) journalled since the last build: only those edition
            # folders are walked again. No watcher, or any doubt: everything (journal.editions None).
            journal = changes(Path(content), journal_dir(output), store.get("watch") if trusted else None)
            since = Snapshot(*store.get("snapshot")) if trusted and journal.editions is not None else None
            if verbose and trusted:
                log.say(f"  check: {len(journal.editions)} edition folder(s) named by the watcher's journal"
                        if since else f"  check: every edition folder looked at ({journal.why})")
            # The (size, mtime) of every content file: read now if there is a previous build to
            # compare with, else while the load workers read (files changed meanwhile are newer
            # than started_ns, so the next build will not trust them: see ItemCache.settled).
            snapshot = content_snapshot(Path(content), jobs, since, journal.editions) if trusted else Snapshot()
            settled = snapshot.settled(store.get("recorded_ns", 0))
        if trusted and settled and store.get("content") == snapshot.digest() and \
                store.get("build_date") == build_date_in(store.get("timezone", "+08:00")):
            if journal.session is not None and (store.get("watch") or (None,))[0] != journal.session:
                store.remember(watched(journal, snapshot))  # a new watcher: the next night walks less
            store.close()
            log.say(f"nothing changed since the last build; {output} is up to date "
                    f"({time.perf_counter() - log.started:.2f}s)")
            return {"pages": 0, "rendered": 0, "site": None, "unchanged": True}
        staging = output.parent / f".{output.name}.staging.{os.getpid()}"
        try:
            staging.mkdir()  # this build's files only (a clean build: all of them)
            with log.stage("load"):
                cache = ItemCache(store if trusted else None, store.get("recorded_ns", 0), snapshot,
                                  store.editions() if trusted else {})

                def meanwhile():  # while the workers read content
                    if not trusted:
                        cache.snapshot.update(content_snapshot(Path(content), jobs))
                    _import_later_stages()  # the render stage's modules (Jinja …)

                site = load_site(content, base_url=base_url, cache=cache, jobs=jobs, meanwhile=meanwhile)
                content_mod.HTML_SOURCE = store.html  # the text of items of editions taken from the state
                from . import feeds, render
                from . import search as search_mod
                today = site.config.today()  # once: a build that runs past midnight keeps one date
                # Everything that shapes every page: code, templates, assets, options (the stamp) and
                # the site settings.  Not the build date: it shapes the news sitemap alone (feeds),
                # and a nightly build runs on a new date every night.
                global_digest = digest(stamp, site.config)
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

            with log.stage("render"):
                result = render.render_site(site, staging, templates, ASSETS, search=search, progress=progress,
                                            jobs=jobs, previous=store if trusted else None, reused=cache.reused,
                                            global_digest=global_digest, today=today,
                                            published=output if trusted else None, pageviews=pageviews)
            with log.stage("feeds"):  # the newest editions' feeds; the sitemaps of the months that changed
                months = changed_months(result["units"], cache.stored, site.editions, output) if trusted else None
                feed_files = feeds.write_feeds(site, result["editions"], staging, today, months=months,
                                               stored_rows=store.sitemap)
            written = len(feed_files)
            if not site.config.base_url:
                log.warn("feeds, sitemaps and canonical links need an absolute address and were skipped — "
                         "set base_url in content/site.yaml or pass --base-url https://example.com/paper/")
            shards = {}
            if search:
                with log.stage("search"):  # the shards re-indexed, and the headline index's changed files
                    index = search_mod.index_site(staging, result["editions"], previous=output if trusted else None,
                                                  old_shards=store.get("shards") if trusted else None,
                                                  full=lambda evs: render.build_views(site, [
                                                      promote(ev.edition, store) for ev in evs]),
                                                  headlines=store.headlines, old_editions=list(cache.stored))
                    shards = index["shards"]
            site_files = set(result["site_files"]) | set(feed_files)
            stale = result["stale"] + sorted(set(store.get("site_files", ())) - site_files) if trusted else []
            token = f"{os.getpid()}.{time.time_ns()}"
            with log.stage("save"):
                save_state(store, site, cache, result, trusted=trusted, stamp=stamp, recorded_ns=started_ns,
                           shards=shards, site_files=site_files, build_date=today.isoformat(), token=token,
                           search=search, journal=journal)
            with log.stage("publish"):
                if trusted:
                    remove = stale_files(output, stale, site_files, result["units"], search, _DATE.match)
                    write_journal(staging, token=token, whole=False,
                                  swap=[f"pagefind/{name}" for name in index["indexed"]] if search else [],
                                  remove=remove + (index["remove"] if search else []))
                else:
                    write_journal(staging, token=token, whole=True)
                publish(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            content_mod.HTML_SOURCE = None
            store.close()
    eds = site.editions
    n_sections = sum(e.counts[0] for e in eds)
    n_items = sum(e.counts[1] for e in eds)
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


def changed_months(units: dict, stored: dict, editions, output: Path) -> set[str]:
    """The months whose sitemap is made again: those of the editions rendered or deleted, and any
    whose sitemap is not in the published output."""
    current = {str(e.path) for e in editions}
    months = {os.path.basename(p)[:7] for p in units} | {os.path.basename(p)[:7] for p in stored.keys() - current}
    return months | {m for m in {e.date.isoformat()[:7] for e in editions}
                     if not os.path.isfile(output / "sitemaps" / f"{m}.xml")}


def save_state(store, site, cache, result: dict, *, trusted: bool, stamp: str, recorded_ns: int,
               shards: dict, site_files: set[str], build_date: str, token: str, search: bool,
               journal=None) -> None:
    """Write what changed into the build state, in one transaction, before publishing: the rows
    of the editions rendered (their light copy, fingerprints and files), the items read, the
    editions deleted, and the state of the whole (it names the staging folder's inode, so a
    build killed before its rename is not mistaken for the output that is there) and, when a
    watcher was synchronised with, where in its journal this build's snapshot was taken, with the
    snapshot (the next build walks only the folders journalled after it)."""
    from .feeds import edition_rows
    from .search import edition_headlines
    from .summary import summarize
    by_path = {str(e.path): e for e in site.editions}
    views = {str(ev.edition.path): ev for ev in result["editions"]}
    base = site.config.base_url

    def signature(path: str) -> str | None:
        return cache.editions[path][0] if path in cache.editions else \
            cache.stored.get(path, (None,))[0] if path in cache.reused else None
    editions = ((path, signature(path), unit, views[path].edition, summarize(views[path]),
                 tuple(edition_rows(base, views[path])) if base else (),
                 tuple(edition_headlines(views[path])) if search else (), fps, files)
                for path, (unit, fps, files) in result["units"].items())
    items: dict[str, list] = {str(e.path): [] for e in site.editions if str(e.path) not in cache.reused}
    for path, (key, item) in cache.current.items():
        folder = os.path.dirname(os.path.dirname(path))
        if folder in items:
            items[folder].append((path, key, item))
    store.save(dict(stamp=stamp, recorded_ns=recorded_ns, content=cache.snapshot.digest(),
                    build_date=build_date, timezone=site.config.timezone, shards=shards,
                    site_pages=result["site_pages"], site_files=sorted(site_files),
                    token=token, **watched(journal, cache.snapshot)),
               editions, items, removed=sorted(cache.stored.keys() - by_path.keys()), fresh=not trusted)


def watched(journal, snapshot) -> dict:
    """The state's ``watch`` (session, journal offset) and ``snapshot`` (its files and folders), or None."""
    if journal is None or journal.session is None:
        return {"watch": None, "snapshot": None}
    return {"watch": (journal.session, journal.offset), "snapshot": (snapshot.files, snapshot.folders)}


def build_command(args) -> int:
    templates = Path(args.templates) if args.templates else None
    beside = Path(args.content).resolve().parent / "templates"
    if templates is None and (beside / "base.html").is_file():  # a paper made by `broadsheet new`
        templates = beside
    build(Path(args.content), Path(args.output), base_url=args.base_url, search=not args.no_search,
          quiet=args.quiet, verbose=args.verbose, jobs=args.jobs, templates=templates)
    return 0
