"""Command line: ``build`` (default), ``ingest``, ``serve``, ``watch`` and ``new``."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import traceback
from pathlib import Path

from .errors import BroadsheetError, Problem

COMMANDS = ("build", "ingest", "serve", "watch", "new")


def _parser(prog: str = "build.py") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Broadsheet: digital newspaper editions.")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    sub = p.add_subparsers(dest="command")

    b = sub.add_parser("build", help="build content/ into output/ (the default command)")
    b.add_argument("--content", default="content", help="content directory (default: content/)")
    b.add_argument("--output", default="output", help="output directory (default: output/)")
    b.add_argument("--base-url", default=None, help="absolute URL the site is published at, e.g. https://host/paper/")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    b.add_argument("--templates", default=None,
                   help="template directory (default: templates/ beside the content folder if there is one, "
                        "else Broadsheet's own)")
    b.add_argument("--jobs", type=int, default=0, help="rendering processes (default: all cores)")
    g = b.add_mutually_exclusive_group()
    g.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    g.add_argument("--verbose", "-v", action="store_true", help="print every file written")
    b.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    i = sub.add_parser("ingest", help="cut raw page text (or a one-page PDF) into Markdown items under content/")
    i.add_argument("pages", nargs="+", metavar="PAGE.txt|PAGE.pdf")
    i.add_argument("--edition", required=True, help="edition date, YYYY-MM-DD")
    i.add_argument("--page", type=int, default=None, help="page (版次) number; default: the number in the file name")
    i.add_argument("--content", default="content", help="content directory (default: content/)")
    i.add_argument("--keep-punctuation", action="store_true",
                   help="keep half-width punctuation as in the source (default: convert to full-width)")
    i.add_argument("--force", action="store_true", help="overwrite items an editor has changed")
    i.add_argument("--quiet", "-q", action="store_true")
    i.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    s = sub.add_parser("serve", help="serve output/ locally for preview, rebuilding on change")
    s.add_argument("--output", default="output")
    s.add_argument("--content", default="content")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--bind", default="127.0.0.1")
    s.add_argument("--no-rebuild", action="store_true", help="do not rebuild when content changes")
    s.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    w = sub.add_parser("watch", help="journal changes to content/ as they happen (inotify), so that builds into "
                                     "output/ look only at what changed; runs until stopped")
    w.add_argument("--content", default="content", help="content directory (default: content/)")
    w.add_argument("--output", default="output", help="the output directory of the builds it serves (default: output/)")
    w.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    w.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    n = sub.add_parser("new", help="scaffold a new paper: DIR/content (site.yaml, one example edition) and DIR/templates")
    n.add_argument("dir", metavar="DIR")
    n.add_argument("--title", default="示例日报", help="the paper's name (default: 示例日报)")
    n.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    return p


def entry() -> None:
    """The installed ``broadsheet`` command."""
    sys.exit(main(sys.argv[1:], prog="broadsheet"))


def main(argv: list[str], prog: str = "build.py") -> int:
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        rest = [a for a in argv if a != "--debug"]
        argv = (["--debug"] if "--debug" in argv else []) + ["build"] + rest
    args = _parser(prog).parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        if args.command == "ingest":
            return ingest_command(args)
        if args.command == "serve":
            from .serve import serve
            return serve(args)
        if args.command == "watch":
            from .watch import watch_command
            return watch_command(args)
        if args.command == "new":
            from .scaffold import new_paper
            return new_paper(Path(args.dir), args.title)
        from .site import build_command
        return build_command(args)
    except BroadsheetError as e:
        if debug:
            traceback.print_exc()
        print(e.report(), file=sys.stderr)
        n = len(e.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was changed.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug in Broadsheet, not a content problem
        if debug:
            raise
        print(f"internal error: {type(e).__name__}: {e} — run again with --debug and report the traceback",
              file=sys.stderr)
        return 2


# --------------------------------------------------------------------------- ingest

def _check_edition(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BroadsheetError(Problem("--edition", 0, f"'{value}' is not a date written YYYY-MM-DD",
                                      "give the edition date like 2022-04-15"))
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise BroadsheetError(Problem("--edition", 0, f"'{value}' is not a real date",
                                      "check the month and day")) from None
    return value


def _number_in_name(path: Path) -> int | None:
    m = re.search(r"\d+", path.stem)
    if m and 1 <= int(m.group(0)) <= 999:
        return int(m.group(0))
    return None


def _is_pdf(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with open(path, "rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False


def _read(path: Path, keep_punctuation: bool):
    """A page's text file, or its printed page as a one-page PDF."""
    if _is_pdf(path):
        from .ingest.pdf import read_pdf_page
        return read_pdf_page(path, keep_punctuation=keep_punctuation)
    from .ingest import read_page
    return read_page(path, keep_punctuation=keep_punctuation)


def ingest_command(args) -> int:
    from . import writer
    from .files import replace_file

    edition = _check_edition(args.edition)
    content = Path(args.content)
    paths = [Path(p) for p in args.pages]
    if args.page is not None and len(paths) > 1:
        raise BroadsheetError(Problem("--page", 0, "--page was given for several files",
                                      "ingest one file per --page, or name files by page number"))
    pages = [_read(p, args.keep_punctuation) for p in paths]  # all read before any write

    edition_dir = content / "editions" / edition
    previous = {}
    if edition_dir.is_dir():
        for d in sorted(edition_dir.iterdir()):
            rep = writer.read_report(d)
            if rep and "source" in rep and "page" in rep:
                previous[rep["source"]] = rep["page"]
    taken = {int(d.name) for d in edition_dir.iterdir() if d.is_dir() and d.name.isdigit()} if edition_dir.is_dir() else set()
    chosen: list[int | None] = []
    for path, page in zip(paths, pages):
        n = args.page or _number_in_name(path) or previous.get(page.source) or page.page_number
        chosen.append(n)
    claimed = {n for n in chosen if n}
    for k, n in enumerate(chosen):
        if n is None:
            n = 1
            while n in taken or n in claimed:
                n += 1
            chosen[k] = n
            claimed.add(n)

    if not (content / "site.yaml").exists():
        replace_file(content / "site.yaml", DEFAULT_SITE.encode("utf-8"))
    if not (edition_dir / "edition.yaml").exists():
        replace_file(edition_dir / "edition.yaml", writer.dump_yaml({"date": edition}).encode("utf-8"))

    kept_any = False
    for path, page, n in zip(paths, pages, chosen):
        printed = path.read_bytes() if page.page_size is not None else None  # a PDF page: the page view's too
        result = writer.write_page(page, content, edition=edition, page_number=n, force=args.force, printed=printed)
        kept_any |= bool(result.kept or result.stale_kept)
        if not args.quiet:
            print(_summary(path, page, n, result))
    return 0


DEFAULT_SITE = """\
# Site settings (see README: "Configuration").
title: 示例日报
description: 数字报示例站点
language: zh-CN
timezone: "+08:00"
publisher: 示例日报社
base_url: ""
"""


def _summary(path: Path, page, number: int, result) -> str:
    from .writer import REPORT
    counts: dict[str, int] = {}
    for it in page.items:
        counts[it.kind] = counts.get(it.kind, 0) + 1
    kinds = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in counts.items()) or "no items"
    joins = sum(1 for r in page.repairs if r.kind == "join")
    out = [f"{path} → {result.directory}/  (第{number}版 {page.section or '(no section name)'})",
           f"  items: {kinds}",
           f"  repairs: {joins} paragraph{'s' if joins != 1 else ''} rejoined after column breaks, "
           f"{page.punctuation_converted} punctuation marks made full-width, {len(page.dropped)} repeated "
           f"block{'s' if len(page.dropped) != 1 else ''} dropped"]
    for n in page.dropped:
        out.append(f"    {path}:{n.lines[0]}: {n.message}")
    if page.uncertain:
        out.append(f"  please check ({len(page.uncertain)}):")
        for n in page.uncertain:
            where = f"{path}:{n.lines[0]}" if n.lines else str(path)
            out.append(f"    {where}: {n.message}")
    if getattr(page, "page_size", None) is not None:
        placed = sum(1 for it in page.items if it.area)
        images = sum(1 for it in page.items if it.image_data)
        out.append(f"  areas: {placed} of {len(page.items)} item{'s' if len(page.items) != 1 else ''} placed on the page, "
                   f"{images} photo image{'s' if images != 1 else ''} written")
        for n in page.unplaced:
            out.append(f"    {path}:{n.lines[0] if n.lines else 0}: {n.message}")
    out.append(f"  files: {len(result.written)} written, {len(result.unchanged)} unchanged, "
               f"{len(result.removed)} removed")
    for name in result.kept:
        out.append(f"    {result.directory / name}: you changed this file since it was generated; kept it — "
                   "use --force to regenerate it")
    for name in result.stale_kept:
        out.append(f"    {result.directory / name}: no longer produced by ingest but you changed it; kept it — "
                   "delete it if it is not wanted")
    out.append(f"  report: {result.directory / REPORT}")
    return "\n".join(out)
