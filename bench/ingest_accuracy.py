#!/usr/bin/env python3
"""Ingest accuracy: what ``ingest`` writes for real pages, against an editor's truth.

Usage: python bench/ingest_accuracy.py [--set tune|held|seed|all] [--pages GLOB] [--verbose]
                                       [--write] [--code DIR] [--weights FILE]

Each page of the development set (/work/shared/devset/rmrb) and the seed page is read with
``read_page`` and written with ``write_page`` into a temporary content directory, exactly as
``build.py ingest`` does; the written Markdown files and section.yaml are then parsed back and
compared with the truth.  Text is compared after NFKC, straight quotes and no whitespace.

Measures (per page, summed over pages): titles found (and kickers of matched titles),
paragraphs in the right article, paragraphs anywhere on the page, column breaks rejoined,
repeats dropped, photos (and their credits), advertisements, authors right, and Han characters
lost (page text less footer and dropped repeats, minus everything written, as multisets).

The full list of misses goes to bench/ingest_misses.txt; ``--write`` also writes bench/INGEST.md.
``--code DIR`` measures the ``broadsheet`` package found in DIR instead of this checkout's;
``--weights FILE`` decides headlines with the weights in FILE (as bench/train_ingest.py writes
them) instead of the shipped ``ingest_weights.json`` (bench/ingest_loeo.py uses it).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fnmatch
import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEVSET = Path("/work/shared/devset/rmrb")
SEED_PAGE = Path("/work/shared/seed/000_352236b12fad6df2.txt")
SEED_TRUTH = Path("/work/shared/seed/expected.yaml")
SEED_EDITION = "2022-04-15"
TUNE = ("2026-01-12", "2026-01-21", "2026-01-28", "2026-02-03")
HELD = ("2026-03-03", "2026-03-11", "2026-03-25", "2026-04-08")
SETS = {"tune": "tune", "held": "held back", "seed": "seed", "extra": "extra tune"}
MEASURES = (  # key, label
    ("titles", "titles found"), ("kickers", "kickers (matched titles)"),
    ("para_right", "paragraphs in the right article"), ("para_any", "paragraphs anywhere"),
    ("col_breaks", "column breaks rejoined"), ("repeats", "repeats dropped"),
    ("photos", "photos"), ("credits", "photo credits (info)"), ("ads", "advertisements"),
    ("authors", "authors right"),
)


# --------------------------------------------------------------------------- text

def norm(text: str | None) -> str:
    """NFKC, curly quotes made straight, all whitespace removed."""
    t = unicodedata.normalize("NFKC", text or "")
    t = t.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return re.sub(r"\s+", "", t)


def is_han(ch: str) -> bool:
    """A CJK Unified Ideograph (any block or extension; not compatibility ideographs)."""
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def han_count(text: str) -> Counter:
    return Counter(c for c in text if is_han(c))


def strings(value) -> list[str]:
    """Every string in a parsed YAML value (dict keys and values, list members, scalars)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return [] if value is None else [str(value)]


def credit_name(credit: str) -> str:
    """The name part of a printed credit: ``本报记者  张三 摄（人民视觉）`` → ``张三``."""
    t = re.sub(r"[（(][^（）()]*[）)]\s*$", "", credit.strip())
    t = re.sub(r"\s*摄影?\s*$", "", t)
    t = re.sub(r"^.*?(记者|通讯员|均为|摄影)[:：]?", "", t)
    return norm(t)


# --------------------------------------------------------------------------- cases and truth

@dataclass
class Case:
    """One page to measure: its source file, its truth and where it belongs."""

    set: str  # tune | held | seed
    edition: str
    path: Path
    truth: dict

    @property
    def name(self) -> str:
        return self.path.stem


def seed_truth() -> dict:
    """Convert the seed's line-number based expected.yaml to the dev set's truth shape."""
    lines = SEED_PAGE.read_text("utf-8-sig").splitlines()
    exp = yaml.safe_load(SEED_TRUTH.read_text("utf-8"))
    items = []
    for it in exp["items"]:
        if it["kind"] == "article":
            art = {"kind": "article", "title": it["title"], "authors": list(it.get("authors") or []),
                   "paragraphs": ["".join(lines[n - 1] for n in group) for group in it["paragraphs"]]}
            if it.get("kicker"):
                art["kicker"] = it["kicker"]
            items.append(art)
        elif it["kind"] == "photo":
            items.append({"kind": "photo", "title": it.get("title"),
                          "caption": "\n".join(lines[n - 1] for n in it["caption_lines"]),
                          "credit": it["credit"]})
        elif it["kind"] == "advertisement":
            items.append({"kind": "advertisement"})
    return {"section": exp["page"]["section"], "items": items,
            "dropped_fragments": [lines[d["line"] - 1] for d in exp.get("dropped") or []]}


def load_cases(which: str, pages_glob: str | None, extra: Path | None = None) -> list[Case]:
    """The pages of the chosen set(s), restricted to file names matching ``pages_glob``.

    ``extra``: a directory of more tuning pages in the dev set's layout (``pages/``, ``truth/``,
    as bench/rmrb_render.py writes them); its pages are the set ``extra``."""
    cases = []
    for path in sorted((DEVSET / "pages").glob("*.txt")):
        edition = path.stem.split("_")[0]
        kind = "tune" if edition in TUNE else "held" if edition in HELD else None
        if kind and which in (kind, "all"):
            truth = json.loads((DEVSET / "truth" / f"{path.stem}.json").read_text("utf-8"))
            cases.append(Case(kind, edition, path, truth))
    if which in ("seed", "all"):
        cases.append(Case("seed", SEED_EDITION, SEED_PAGE, seed_truth()))
    if extra and which in ("extra", "all"):
        for path in sorted((extra / "pages").glob("*.txt")):
            truth = json.loads((extra / "truth" / f"{path.stem}.json").read_text("utf-8"))
            cases.append(Case("extra", path.stem.split("_")[0], path, truth))
    if pages_glob:
        cases = [c for c in cases if fnmatch.fnmatch(c.path.name, pages_glob) or fnmatch.fnmatch(c.name, pages_glob)]
    return cases


# --------------------------------------------------------------------------- ingest and read back

@dataclass
class Written:
    """One written item, read back from its Markdown file."""

    file: str
    fm: dict
    paragraphs: list[str]  # body blocks, Markdown escaping undone, heading marks taken off
    lines: frozenset[int] = frozenset()  # source lines, from ingest-report.json

    @property
    def kind(self) -> str:
        return self.fm.get("kind", "")

    def get(self, key: str) -> str:
        return str(self.fm.get(key) or "")


def load_code(code_dir: Path):
    """Import ``broadsheet`` (ingest, writer, cli) from ``code_dir``."""
    sys.path.insert(0, str(code_dir))
    mods = [importlib.import_module(f"broadsheet.{m}") for m in ("ingest", "writer", "cli")]
    where = Path(importlib.import_module("broadsheet").__file__).resolve().parent.parent
    if where != code_dir.resolve():
        sys.exit(f"broadsheet was imported from {where}, not {code_dir}")
    return mods


def unescape(text: str) -> str:
    """Undo writer.escape_markdown: it backslash-escapes every backslash, so ``\\x`` → ``x``."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def read_item(path: Path) -> Written:
    """Parse one written item: YAML front-matter and body paragraphs (blank-line separated)."""
    text = path.read_text("utf-8")
    m = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    fm = yaml.safe_load(m.group(1)) or {}
    paras = []
    for block in re.split(r"\n[ \t]*\n", m.group(2).strip("\n")):
        if block.strip():
            paras.append(unescape(re.sub(r"^#+[ \t]*", "", block)))
    return Written(path.name, fm, paras)


def ingest(case: Case, content: Path, mods) -> tuple[list[Written], dict, float]:
    """Run read_page + write_page as the CLI does; return the written items, section.yaml, ms."""
    ingest_mod, writer, cli = mods
    t = time.perf_counter()
    page = ingest_mod.read_page(case.path)
    number = cli._number_in_name(case.path) or page.page_number or 1
    result = writer.write_page(page, content, edition=case.edition, page_number=number)
    ms = (time.perf_counter() - t) * 1000
    items = [read_item(p) for p in sorted(result.directory.glob("*.md"))]
    report = json.loads((result.directory / writer.REPORT).read_text("utf-8"))
    lines = {entry["file"]: frozenset(entry["lines"]) for entry in report.get("items", [])}
    for it in items:
        it.lines = lines.get(it.file, frozenset())
    section = yaml.safe_load((result.directory / "section.yaml").read_text("utf-8")) or {}
    return items, section, ms


# --------------------------------------------------------------------------- measuring one page

@dataclass
class Result:
    """Hits and totals per measure for a set of pages, the misses, and timings."""

    hits: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)
    han_lost: int = 0
    han_credit: int = 0  # of han_lost: 摄 of photo credits, whose meaning is the ``credit:`` field
    extra_ads: int = 0
    ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, key: str, hit: bool) -> bool:
        self.totals[key] += 1
        self.hits[key] += bool(hit)
        return bool(hit)

    def merge(self, other: "Result") -> None:
        self.hits.update(other.hits)
        self.totals.update(other.totals)
        self.han_lost += other.han_lost
        self.han_credit += other.han_credit
        self.extra_ads += other.extra_ads
        self.ms.extend(other.ms)
        self.misses.extend(other.misses)


def find_line(normed: list[str], text: str) -> int | None:
    """1-based line of the (normalised) page that is ``text``, contains it, or begins it."""
    t = norm(text)
    if not t:
        return None
    for test in (lambda n: n == t, lambda n: t in n, lambda n: len(n) >= 8 and t.startswith(n)):
        for i, n in enumerate(normed):
            if n and test(n):
                return i + 1
    return None


def label(it: Written) -> str:
    """``01.md article 'title or first words'``."""
    text = it.get("title") or (it.paragraphs[0] if it.paragraphs else it.get("credit"))
    return f"{it.file} {it.kind} {text[:30]!r}"


def covering(items: list[Written], line: int | None) -> str:
    """What ingest made of a source line: the item that holds it."""
    it = next((it for it in items if line in it.lines), None)
    return label(it) if it else "no item"


def dateline_forms(para: str, datelines: list[str]) -> set[str]:
    """The normalised paragraph, and the same with any of ``datelines`` taken off its start."""
    p = norm(para)
    forms = {p}
    for d in datelines:
        if d and p.startswith(d):
            forms.add(p[len(d):])
    return forms


def moved_dateline(it: Written) -> str:
    """The item's normalised ``dateline:`` if its first paragraph no longer starts with it."""
    d = norm(it.get("dateline"))
    if d and not (it.paragraphs and norm(it.paragraphs[0]).startswith(d)):
        return d
    return ""


@dataclass
class PageView:
    """One page as the measures see it: source text, truth and the written items."""

    case: Case
    items: list[Written]
    section: dict

    def __post_init__(self) -> None:
        self.where = self.case.path.name
        self.page_lines = self.case.path.read_text("utf-8-sig").splitlines()
        self.normed = [norm(x) for x in self.page_lines]
        self.truth = self.case.truth["items"]
        # normalised paragraph → the first item holding it
        self.paras = {norm(p): it for it in reversed(self.items) for p in it.paragraphs}
        self.datelines = [d for d in map(moved_dateline, self.items) if d]

    def line(self, text: str) -> int | None:
        return find_line(self.normed, text)


def match_titles(v: PageView, r: Result) -> list[tuple[dict, Written | None]]:
    """Titles and kickers; pair truth articles with ingested ones (greedy, in page order)."""
    arts = [it for it in v.items if it.kind == "article"]
    used: set[int] = set()
    pairs = []
    for ta in (it for it in v.truth if it["kind"] == "article"):
        k = next((k for k, a in enumerate(arts) if k not in used and norm(a.get("title")) == norm(ta["title"])), None)
        got = None if k is None else arts[k]
        used.add(-1 if k is None else k)
        pairs.append((ta, got))
        if not r.add("titles", got is not None):
            line = v.line(ta["title"])
            r.misses.append(f"title    {v.where}:{line}: {ta['title']!r} — got {covering(v.items, line)}")
        elif ta.get("kicker") and not r.add("kickers", norm(got.get("kicker")) == norm(ta["kicker"])):
            r.misses.append(f"kicker   {v.where}: {ta['title']!r}: truth {ta['kicker']!r}, got {got.get('kicker')!r}")
    return pairs


def measure_paragraphs(v: PageView, r: Result, ta: dict, got: Written | None) -> None:
    """Paragraphs in the right article, anywhere, and column breaks rejoined, for one truth article."""
    own = {norm(p) for p in got.paragraphs} if got else set()
    own_dl = [moved_dateline(got)] if got else []
    lines = set(v.normed)
    for k, para in enumerate(ta["paragraphs"]):
        right = bool(own & dateline_forms(para, own_dl if k == 0 else []))
        holder = next((v.paras[f] for f in dateline_forms(para, v.datelines if k == 0 else []) if f in v.paras), None)
        r.add("para_right", right)
        r.add("para_any", holder is not None)
        if norm(para) not in lines:  # not one source line: split by a column break
            r.add("col_breaks", holder is not None)
        if not right:
            line = v.line(para)
            how = f"found in {label(holder)}" if holder else f"not found; line is in {covering(v.items, line)}"
            r.misses.append(f"para     {v.where}:{line}: {para[:40]!r} — article "
                            f"{label(got) if got else 'title missed'}; {how}")


def measure_authors(v: PageView, r: Result, ta: dict, got: Written) -> None:
    """Sorted author lists equal, names found in either dateline ignored."""
    ignore = (norm(ta["paragraphs"][0][:60]) if ta["paragraphs"] else "") + norm(got.get("dateline"))

    def names(lst) -> list[str]:
        return sorted(n for n in map(norm, lst or []) if n and n not in ignore)

    want, have = names(ta["authors"]), names(got.fm.get("authors"))
    if not r.add("authors", want == have):
        r.misses.append(f"authors  {v.where}: {ta['title'][:30]!r}: truth {want}, got {have}")


def measure_others(v: PageView, r: Result) -> None:
    """Repeats dropped, photos and their credits, advertisements."""
    kept = set(v.paras) | {norm(x) for it in v.items for p in it.paragraphs for x in p.split("\n")}
    for frag in v.case.truth.get("dropped_fragments", []):
        if not r.add("repeats", norm(frag) not in kept):
            r.misses.append(f"repeat   {v.where}:{v.line(frag)}: kept {frag[:40]!r}")

    photos = [it for it in v.items if it.kind == "photo"]
    for tp in (it for it in v.truth if it["kind"] == "photo"):
        cap = norm(tp["caption"])
        got = next((p for p in photos if cap in norm("".join(p.paragraphs) + p.get("title"))), None)
        if not r.add("photos", got is not None):
            line = v.line(tp["caption"].split("\n")[0])
            r.misses.append(f"photo    {v.where}:{line}: {tp['caption'][:40]!r} — got {covering(v.items, line)}")
        elif not r.add("credits", credit_name(tp["credit"]) in norm(got.get("credit"))):
            r.misses.append(f"credit   {v.where}: truth {tp['credit']!r}, got {got.get('credit')!r}")

    want = sum(it["kind"] == "advertisement" for it in v.truth)
    have = sum(it.kind == "advertisement" for it in v.items)
    r.totals["ads"] += want
    r.hits["ads"] += min(want, have)
    r.extra_ads = max(0, have - want)
    if want != have:
        r.misses.append(f"ads      {v.where}: truth {want}, got {have}")


def measure_han(v: PageView, r: Result) -> None:
    """Han characters of the page (less footer and dropped repeats) found in nothing written."""
    footer = max((i for i, x in enumerate(v.page_lines) if x.strip()), default=-1)
    source = han_count("\n".join(v.page_lines[:footer]))
    source.subtract(han_count("".join(v.case.truth.get("dropped_fragments", []))))
    written = han_count("".join(s for it in v.items for s in strings(it.fm) + it.paragraphs)
                        + "".join(strings(v.section)))
    lost = {c: n - written[c] for c, n in source.items() if n > written[c]}
    r.han_lost = sum(lost.values())
    r.han_credit = min(lost.get("摄", 0), sum(bool(it.get("credit")) for it in v.items))
    if lost:
        chars = " ".join(f"{c}×{n}" if n > 1 else c for c, n in sorted(lost.items(), key=lambda x: (-x[1], x[0])))
        r.misses.append(f"han lost {v.where}: {r.han_lost}: {chars}")


def measure(case: Case, items: list[Written], section: dict, ms: float) -> Result:
    """All measures for one page."""
    r = Result(ms=[ms])
    v = PageView(case, items, section)
    for ta, got in match_titles(v, r):
        measure_paragraphs(v, r, ta, got)
        if got:
            measure_authors(v, r, ta, got)
    measure_others(v, r)
    measure_han(v, r)
    return r


# --------------------------------------------------------------------------- report

def cell(r: Result, key: str) -> str:
    n, d = r.hits[key], r.totals[key]
    return f"{n}/{d} = {100 * n / d:.1f} %" if d else "–"


def table(columns: list[tuple[str, Result]]) -> list[list[str]]:
    """Rows of a table: one per measure, one column per (name, result)."""
    rows = [["measure"] + [name for name, _ in columns]]
    for key, label in MEASURES:
        rows.append([label] + [cell(r, key) for _, r in columns])
    rows.append(["advertisements not in truth (info)"] + [str(r.extra_ads) for _, r in columns])
    rows.append(["Han characters lost"] + [str(r.han_lost) for _, r in columns])
    rows.append(["  of which 摄 of a credit: line"] + [str(r.han_credit) for _, r in columns])
    rows.append(["pages"] + [str(len(r.ms)) for _, r in columns])
    rows.append(["ingest ms/page mean"] + [f"{sum(r.ms) / len(r.ms):.1f}" if r.ms else "–" for _, r in columns])
    rows.append(["ingest ms/page max"] + [f"{max(r.ms):.1f}" if r.ms else "–" for _, r in columns])
    return rows


def render_text(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
                     for row in rows)


def render_markdown(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" + "---:|" * (len(rows[0]) - 1)]
    out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(out)


def commit() -> str:
    """Short HEAD commit, with ``+dirty`` if the work tree has changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def tables(cases: list[Case], results: list[Result]) -> list[tuple[str, list[list[str]]]]:
    """(heading, rows): an overview across sets, then one table per set with its editions."""
    by_set: dict[str, Result] = {}
    by_edition: dict[tuple[str, str], Result] = {}
    for case, r in zip(cases, results):
        by_set.setdefault(case.set, Result()).merge(r)
        by_edition.setdefault((case.set, case.edition), Result()).merge(r)
    overview = [(SETS[s], by_set[s]) for s in SETS if s in by_set]
    if "tune" in by_set and "held" in by_set:
        dev = Result()
        dev.merge(by_set["tune"])
        dev.merge(by_set["held"])
        overview.insert(2, (f"dev set ({len(dev.ms)} pages)", dev))
    out = [("Overview", table(overview))]
    for s in ("tune", "held", "extra"):
        if s in by_set:
            cols = [("all", by_set[s])] + [(e, r) for (k, e), r in sorted(by_edition.items()) if k == s]
            out.append((f"{SETS[s]} set, by edition", table(cols)))
    return out


def run(cases: list[Case], mods, weights: dict[str, float] | None = None) -> list[Result]:
    """Ingest and measure every case (with ``weights`` instead of the shipped ones, if given)."""
    evidence = importlib.import_module("broadsheet.ingest.evidence")
    results = []
    with tempfile.TemporaryDirectory(prefix="ingest-accuracy-") as tmp, \
            (evidence.trial_weights(weights) if weights is not None else contextlib.nullcontext()):
        for case in cases:
            items, section, ms = ingest(case, Path(tmp) / case.set, mods)
            results.append(measure(case, items, section, ms))
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("tune", "held", "seed", "extra", "all"), default="all")
    ap.add_argument("--extra", type=Path, metavar="DIR",
                    help="more tuning pages (pages/, truth/) from bench/rmrb_render.py: the set 'extra'")
    ap.add_argument("--pages", metavar="GLOB", help="only pages whose file name matches, e.g. '2026-01-12_p0*'")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every miss (default: the first 30)")
    ap.add_argument("--write", action="store_true", help="also write bench/INGEST.md")
    ap.add_argument("--code", type=Path, default=ROOT, help="directory holding the broadsheet package to measure")
    ap.add_argument("--weights", type=Path, help="headline weights file to use instead of the shipped one")
    args = ap.parse_args(argv)

    mods = load_code(args.code)
    cases = load_cases(args.set, args.pages, args.extra)
    if not cases:
        print("no pages selected", file=sys.stderr)
        return 1
    weights = json.loads(args.weights.read_text("utf-8"))["weights"] if args.weights else None
    results = run(cases, mods, weights)

    sections = tables(cases, results)
    for heading, rows in sections:
        print(f"\n{heading}\n{render_text(rows)}")

    misses = [m for r in results for m in r.misses]
    kinds = Counter(m.split()[0] for m in misses)
    (ROOT / "bench" / "ingest_misses.txt").write_text("\n".join(misses) + "\n", "utf-8")
    print(f"\n{len(misses)} misses (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
          + ") — all in bench/ingest_misses.txt")
    for m in misses if args.verbose else misses[:30]:
        print("  " + m)

    if args.write:
        md = [f"# Ingest accuracy\n",
              f"Measured {dt.date.today().isoformat()} at commit `{commit()}` by `bench/ingest_accuracy.py`"
              f" (definitions in its docstring and code).\n",
              f"Split: tune = {', '.join(TUNE)}; held back = {', '.join(HELD)}; seed = {SEED_PAGE.name}.\n"]
        for heading, rows in sections:
            md.append(f"## {heading}\n\n{render_markdown(rows)}\n")
        (ROOT / "bench" / "INGEST.md").write_text("\n".join(md), "utf-8")
        print("wrote bench/INGEST.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
