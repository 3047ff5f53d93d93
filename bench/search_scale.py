#!/usr/bin/env python3
"""Search on long archives: first results, bytes, requests and recall, in headless Chromium.

Builds simulated archives of 1, 5 and 10 years of daily editions (bench/corpus.py: the seed page's
sentences recombined; six shorter articles and two photos a day, so a month shard indexes ~240
pages, as a real paper's would) with the real build, then for each of ~20 queries of 1–6
characters — plus exact headlines of old articles and Traditional-character queries — opens the
site's own search page (`search/?q=…`) in a fresh headless Chromium profile, served from
127.0.0.1, and measures:

- time from navigation to the first result on screen, and bytes (as a static host that gzips text
  would send them; Pagefind's own files are gzip already) and requests made before it;
- whether the expected article is first (exact headlines) and what the first page shows;
- recall once every shard is searched: every shard's Pagefind index queried with the page's query
  encoding, against a brute-force scan of the folded text of every article and photo.

Also the cost of the nightly rebuild on the longest archive: one more edition, and one that opens a
new month.  Results are written to bench/SEARCH.md (with --write) and printed.

Usage: python bench/search_scale.py [--years 1,5,10] [--per-day 6] [--write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_archive  # noqa: E402

from broadsheet import search as search_mod  # noqa: E402
from broadsheet.site import build  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ["城", "网", "丰顺", "文明", "社区", "铜仁", "茫崖", "干部", "街巷长", "精细化", "志愿者", "文明城市",
           "城市管理", "创建工作", "服务群众", "全国文明城市", "新时代文明实践"]
TRADITIONAL = {"豐順": "丰顺", "網絡": "网络", "創建": "创建", "幹部": "干部"}
END = dt.date(2026, 11, 30)
COMPRESSIBLE = (".js", ".css", ".html", ".json", "/")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".pagefind": "application/octet-stream"}

    def log_message(self, *args):
        pass


def serve(directory: Path):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}/", srv


def make_archive(content: Path, years: int, per_day: int) -> dict:
    days = round(years * 365.25)
    start = END - dt.timedelta(days=days - 1)
    pages = 2
    info = write_archive(content, days * per_day, chars=360, per_page=per_day // pages, pages=pages, start=start)
    # The corpus's titles are prefixes of its ~100 sentences, so few are unique; a paper's headlines
    # mostly are: each article's title becomes two fragments of different sentences.
    from corpus import sentences
    pool = [x.rstrip("，、。；：") for x in sentences()]
    rnd = random.Random(years)
    for md in sorted(content.glob("editions/*/*/*.md")):
        text = md.read_text("utf-8")
        if "\nkind: article\n" in text:
            a, b = rnd.sample(pool, 2)
            title = a[:rnd.randint(5, 10)] + "　" + b[rnd.randint(0, 4):][:rnd.randint(5, 10)]
            head, _, rest = text.partition("\ntitle: ")
            md.write_text(head + "\ntitle: " + json.dumps(title, ensure_ascii=False) + "\n" +
                          rest.partition("\n")[2], "utf-8")
    return info


def corpus_texts(site) -> list[tuple[str, str, str]]:
    """(url, folded headline lines, folded whole text) of every indexed page."""
    from broadsheet.markup import plain_text
    from broadsheet.render import build_views
    out = []
    for ev in build_views(site):
        for sv in ev.sections:
            for iv in sv.items:
                if not iv.url:
                    continue
                it = iv.item
                head = "\n".join(x for x in (iv.display_title, it.kicker, it.subtitle) if x)
                body = " ".join((plain_text(iv.body_html), *it.authors, it.credit or ""))
                out.append((iv.url, search_mod.fold(head), search_mod.fold(head + "\n" + body)))
    return out


INIT = """
(() => {
  let first = false;
  const seen = () => {
    if (!first && document.querySelector('.pagefind-ui__result-link')) { first = true; window.__bsFirst(); }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
})();
"""


def visit(browser, base: str, query: str, extra: str = "") -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    events: list[tuple[float, object]] = []
    marks: dict[str, float] = {}
    ctx.expose_binding("__bsFirst", lambda source: marks.setdefault("first", time.perf_counter()))
    ctx.add_init_script(INIT)
    ctx.on("response", lambda r: events.append((time.perf_counter(), r)))
    t0 = time.perf_counter()
    page.goto(base + "search/?q=" + query + extra)
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && m.textContent && !m.textContent.includes('正在搜索'); }", timeout=120000)
    marks["page"] = time.perf_counter()
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    msg = page.locator(".pagefind-ui__message").inner_text()
    first = marks.get("first", marks["page"])
    sent = raw = n = 0
    urls = []
    for t, resp in events:
        if t > first:
            continue
        try:
            body = resp.body()
        except Exception:  # noqa: BLE001 — redirects
            continue
        path = resp.url.split("?")[0]
        raw += len(body)
        sent += len(gzip.compress(body, 6)) if path.endswith(COMPRESSIBLE) else len(body)
        n += 1
        urls.append(path.replace(base, ""))
    ctx.close()
    return {"first_s": first - t0, "page_s": marks["page"] - t0, "kb": sent / 1024, "raw_kb": raw / 1024,
            "requests": n, "links": links, "message": msg, "urls": urls}


RECALL_JS = """async ([bundles, queries]) => {
  const pf = await import('/pagefind/' + bundles[0] + '/pagefind.js');
  await pf.options({ baseUrl: '/' });
  for (const b of bundles.slice(1)) { await pf.mergeIndex('/pagefind/' + b + '/'); }
  const out = [];
  for (const q of queries) {
    const r = await pf.search(q);
    const urls = [];
    if (r.results.length <= 400) {
      for (const x of r.results) { const d = await x.data(); urls.push(d.meta.url); }
    }
    out.push([r.results.length, urls]);
  }
  return out;
}"""


def recall(browser, base: str, shards: list[str], queries: list[str], texts) -> dict:
    page = browser.new_page()
    page.goto(base + "404.html")
    found = page.evaluate(RECALL_JS, [shards, [search_mod.gram_query(q) for q in queries]])
    page.close()
    out = {}
    for q, (count, urls) in zip(queries, found):
        fq = search_mod.fold(q)
        truth = {u for u, _, text in texts if fq in text}
        if urls:
            hit = len(truth & set(urls))
            out[q] = (hit / len(truth) if truth else 1.0, len(truth), count, len(set(urls) - truth))
        else:
            out[q] = (min(count, len(truth)) / len(truth) if truth else 1.0, len(truth), count, None)
    return out


def headline_queries(texts, rnd: random.Random, n: int) -> list[tuple[str, str]]:
    """Exact headlines of articles in the older half of the archive, each in no other headline (so
    'first' is well defined: the corpus's titles are prefixes of its sentences, so most are not)."""
    heads = [(u, h.split("\n")[0]) for u, h, _ in texts if h and not h.startswith(("图", "照片"))]
    counts: dict[str, int] = {}
    for _, h in heads:
        counts[h] = counts.get(h, 0) + 1
    titles = sorted(counts)
    unique = set()
    for t in titles:  # in no other headline: not a prefix of a longer one (titles are sentence prefixes)
        if counts[t] == 1 and len(t) >= 8:
            unique.add(t)
    for a, b in zip(titles, titles[1:]):
        if b.startswith(a):
            unique.discard(a)
    old = [(t, u) for u, t in heads[: len(heads) // 2] if t in unique]
    rnd.shuffle(old)
    picked = []
    for t, u in old:
        if len(picked) == n:
            break
        if sum(1 for _, h in heads if t in h) == 1:
            picked.append((t, u))
    return picked


def nightly(content: Path, out: Path) -> dict:
    """An edition opening a new month, then the next day's: the rebuild times (total, search stage)."""
    eds = sorted(p.name for p in (content / "editions").iterdir())
    last = dt.date.fromisoformat(eds[-1])
    times = {}
    opening = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    for label, day in (("first edition of a month", opening), ("the next day's edition", opening + dt.timedelta(days=1))):
        src = content / "editions" / eds[-1]
        dst = content / "editions" / day.isoformat()
        shutil.copytree(src, dst)
        (dst / "edition.yaml").write_text(f"date: {day.isoformat()}\n", "utf-8")
        t = time.perf_counter()
        t_search = [0.0]
        real = search_mod.index_site

        def timed(*a, **k):
            t1 = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                t_search[0] = time.perf_counter() - t1
        search_mod.index_site = timed
        try:
            result = build(content, out, quiet=True)
        finally:
            search_mod.index_site = real
        times[label] = (time.perf_counter() - t, t_search[0])
        assert result["pages"] > 0
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", default="1,5,10")
    ap.add_argument("--per-day", type=int, default=6)
    ap.add_argument("--write", action="store_true", help="write bench/SEARCH.md")
    ap.add_argument("--keep", help="build archives under this folder and keep them (reused when present)")
    args = ap.parse_args()
    rnd = random.Random(7)
    from playwright.sync_api import sync_playwright
    report = []
    tmp_ctx = tempfile.TemporaryDirectory()
    work = Path(args.keep) if args.keep else Path(tmp_ctx.name)
    years_list = [int(y) for y in args.years.split(",")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for years in years_list:
            content, out = work / f"y{years}" / "content", work / f"y{years}" / "out"
            if not (out / "pagefind" / "shards.json").is_file():
                shutil.rmtree(work / f"y{years}", ignore_errors=True)
                info = make_archive(content, years, args.per_day)
                t = time.perf_counter()
                result = build(content, out, quiet=True)
                build_s = time.perf_counter() - t
            else:
                info = {"articles": None, "editions": len(list((content / "editions").iterdir()))}
                build_s = None
                result = build(content, out, quiet=True)
            site = result["site"]
            texts = corpus_texts(site)
            shards = json.loads((out / "pagefind" / "shards.json").read_text("utf-8"))
            heads = headline_queries(texts, rnd, 5)
            base, srv = serve(out)
            rows = []
            for q in QUERIES + list(TRADITIONAL) + [h for h, _ in heads]:
                r = visit(browser, base, q)
                r["query"] = q
                rows.append(r)
            year = int(shards[-1][:4]) + 1  # the archive's first whole year
            scoped = visit(browser, base, "文明", f"&from={year}-01&to={year}-06")
            rec = recall(browser, base, shards, QUERIES + list(TRADITIONAL), texts)
            srv.shutdown()
            idx = out / "pagefind"
            shard_bytes = [sum(f.stat().st_size for f in (idx / s).rglob("*.pf_index")) for s in shards]
            hl = idx / "headlines"
            report.append({"years": years, "editions": info["editions"], "pages": len(texts), "shards": len(shards),
                           "build_s": build_s, "rows": rows, "recall": rec, "heads": heads, "scoped": scoped,
                           "index_kb_per_shard": sum(shard_bytes) / len(shards) / 1024,
                           "headline_kb": sum(f.stat().st_size for f in hl.iterdir()) / 1024,
                           "headline_files": len(list(hl.iterdir()))})
            print(summary(report[-1]), flush=True)
        browser.close()
    if years_list and max(years_list) >= 5:
        years = max(years_list)
        report[-1]["nightly"] = nightly(work / f"y{years}" / "content", work / f"y{years}" / "out")
        print("nightly (total, search stage):", report[-1]["nightly"], flush=True)
    if args.write:
        (ROOT / "bench" / "SEARCH.md").write_text(markdown(report), "utf-8")
        print("wrote bench/SEARCH.md")


def summary(r: dict) -> str:
    lines = [f"{r['years']} years: {r['editions']} editions, {r['pages']} indexed pages, {r['shards']} shards"
             + (f", built in {r['build_s']:.0f}s" if r["build_s"] else "")]
    for row in r["rows"]:
        lines.append(f"  {row['query']:10s} first {row['first_s']:.2f}s {row['kb']:.0f} KB {row['requests']} req;"
                     f" page {row['page_s']:.2f}s; {row['message'][:40]}")
    for q, (rc, truth, count, extra) in r["recall"].items():
        lines.append(f"  recall {q}: {rc:.3f} of {truth} (pagefind {count}, false {extra})")
    for title, url in r["heads"]:
        row = next(x for x in r["rows"] if x["query"] == title)
        lines.append(f"  headline {title}: first={row['links'][:1]} expected {url}")
    return "\n".join(lines)


def markdown(report: list[dict]) -> str:
    out = ["# Search on long archives (`bench/search_scale.py`)", "",
           "Simulated archives of daily editions (bench/corpus.py: the seed page's sentences recombined; six",
           "articles of ~360 characters and two photos a day), built with the real build, searched on the",
           "site's own search page in a fresh headless Chromium profile from 127.0.0.1. *First results*: from",
           "navigation to the first result on screen; bytes as a static host that gzips text would send them",
           "(Pagefind's index files are gzip already), and requests, counted up to that moment (page, styles,",
           "scripts, wasm and index included). Recall: every shard searched (Pagefind's API, the page's query",
           "encoding) against a brute-force scan of the folded text: by the set of pages where the matches",
           "are 400 or fewer, by their number above that (loading 20,000 fragments would take minutes).", "",
           "How the first results stay constant: the page searches the newest body shard first and shows",
           "results as they come; older shards are searched only to fill the first ten results (at most",
           "twelve shards) or when the reader asks for more. Headline matches come from the headline index",
           "of the whole archive (a few buckets and month tables), so an old article's exact headline is",
           "first without its shard. The served files are not compressed by the bench's server; the KB",
           "column is what gzip would send. *First page complete*: the status line is final (ten results,",
           "or every shard in reach searched).", ""]
    for r in report:
        out += [f"## {r['years']} year{'s' if r['years'] > 1 else ''}: {r['editions']:,} editions, "
                f"{r['pages']:,} indexed pages, {r['shards']} shards", ""]
        if r["build_s"]:
            out.append(f"Full build (pages, feeds, index) {r['build_s']:.0f} s. ")
        out += [f"Body index {r['index_kb_per_shard']:.0f} KB per shard (index chunks); headline index "
                f"{r['headline_kb']:.0f} KB in {r['headline_files']} files.", "",
                "| query | first results after | transferred | requests | first page complete | shown |",
                "|---|---:|---:|---:|---:|---|"]
        for row in r["rows"]:
            out.append(f"| {row['query']} | {row['first_s']:.2f} s | {row['kb']:.0f} KB | {row['requests']} | "
                       f"{row['page_s']:.2f} s | {row['message']} |")
        s = r["scoped"]
        out += ["", f"Scoped link `search/?q=文明&from=…-01&to=…-06` (the first half of the archive's first whole year): first results "
                f"{s['first_s']:.2f} s, {s['kb']:.0f} KB, {s['requests']} requests — {s['message']}.", "",
                "| query | recall (all shards) | matching pages | Pagefind results | false matches |", "|---|---:|---:|---:|---:|"]
        for q, (rc, truth, count, extra) in r["recall"].items():
            out.append(f"| {q} | {rc:.3f} | {truth} | {count} | {'—' if extra is None else extra} |")
        out += ["", "Exact headlines of older articles (each in no other headline), 按相关度:", "",
                "| headline | expected first | first shown |", "|---|---|---|"]
        for title, url in r["heads"]:
            row = next(x for x in r["rows"] if x["query"] == title)
            first = (row["links"][:1] or ["—"])[0]
            out.append(f"| {title} | {url} | {'✓' if first.endswith(url) else first} |")
        if "nightly" in r:
            out += ["", "Nightly rebuild of this archive: " +
                    "; ".join(f"{k} {v[0]:.1f} s in all, of which the search stage {v[1]:.1f} s"
                              for k, v in r["nightly"].items()) +
                    " (the rest is loading content and rendering, outside search)."]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
