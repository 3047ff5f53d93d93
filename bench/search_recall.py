#!/usr/bin/env python3
"""Search recall: plain Pagefind-extended vs Broadsheet's substring index, in a real browser.

Builds a multi-edition synthetic archive (bench/corpus.py), samples many 2–4 character
Chinese strings that occur inside article text (many of them cut across jieba's words),
and checks with Debian's Chromium whether the article containing each string is among
the results: once against plain Pagefind-extended (article pages indexed as they are,
query typed as is) and once against ours (index records + the query encoding that
assets/search.js applies).  Also reports index size per article and the bytes a reader
downloads for the first query on the search page.

Usage: python bench/search_recall.py [ARTICLES] [SAMPLES]   (defaults 400 and 600)
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import random
import re
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

HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}/", srv


def samples(site, n: int, rnd: random.Random) -> list[tuple[str, str]]:
    """(string, url of an article containing it)."""
    from broadsheet.markup import plain_text
    from broadsheet.render import build_views
    views = build_views(site)
    articles = [(iv.url, plain_text(iv.body_html)) for ev in views for sv in ev.sections for iv in sv.items
                if iv.url and iv.kind == "article"]
    out = []
    while len(out) < n:
        url, text = rnd.choice(articles)
        runs = HAN.findall(text)
        run = rnd.choice(runs)
        size = rnd.randint(2, min(4, len(run)))
        at = rnd.randint(0, len(run) - size)
        out.append((run[at:at + size], url))
    return out


JS_CHECK = """async ([queries, urls, bundles]) => {
  const pf = await import('/' + bundles[0] + 'pagefind.js');
  await pf.options({ baseUrl: '/' });
  for (const b of bundles.slice(1)) { await pf.mergeIndex('/' + b); }  // the other search shards
  await pf.init();
  // Map every page's result id to its URL once, then test membership without loading fragments.
  const all = await pf.search(null, { filters: {} });
  const idOf = {};
  for (const res of all.results) {
    const d = await res.data();
    const url = (d.meta && d.meta.url) ? '/' + d.meta.url : d.url;
    idOf[url] = res.id;
  }
  const found = [];
  for (let i = 0; i < queries.length; i++) {
    const r = await pf.search(queries[i]);
    const want = idOf['/' + urls[i]];
    found.push(r.results.some(x => x.id === want));
  }
  return found;
}"""


def bundles(directory: Path) -> list[str]:
    """Pagefind bundles to load: ours are shards listed in pagefind/shards.json, plain is one."""
    listing = directory / "pagefind" / "shards.json"
    if listing.exists():
        return [f"pagefind/{s}/" for s in json.loads(listing.read_text("utf-8"))]
    return ["pagefind/"]


def recall(browser, base: str, directory: Path, queries: list[str], urls: list[str]) -> list[bool]:
    page = browser.new_page()
    page.goto(base + "404.html")
    found = page.evaluate(JS_CHECK, [queries, urls, bundles(directory)])
    page.close()
    return found


COMPRESSIBLE = (".js", ".css", ".html", ".json", "/")


def first_query_bytes(browser, base: str, query: str) -> tuple[int, int]:
    """(raw bytes, bytes transferred by a static host that gzips text) for one search-page visit.
    Pagefind's index, fragment, filter and wasm files are gzip files already."""
    page = browser.new_page()
    sizes: dict[str, tuple[int, int]] = {}

    def on_response(resp):
        try:
            body = resp.body()
        except Exception:  # noqa: BLE001 — redirects and aborted requests have no body
            return
        path = resp.url.split("?")[0]
        sent = len(gzip.compress(body, 6)) if path.endswith(COMPRESSIBLE) else len(body)
        sizes[resp.url] = (len(body), sent)
    page.on("response", on_response)
    page.goto(base + "search/?q=" + query)
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && !m.textContent.includes('正在搜索'); }")
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(r for r, _ in sizes.values()), sum(t for _, t in sizes.values())


def main() -> None:
    n_articles = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    n_samples = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    rnd = random.Random(42)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        info = write_archive(tmp / "content", n_articles)
        t = time.perf_counter()
        result = build(tmp / "content", tmp / "ours", quiet=True)
        t_ours = time.perf_counter() - t
        site = result["site"]
        plain = tmp / "plain"
        build(tmp / "content", plain, search=False, quiet=True)
        t = time.perf_counter()
        search_mod.run_pagefind(plain)
        t_plain = time.perf_counter() - t
        pairs = samples(site, n_samples, rnd)
        queries = [q for q, _ in pairs]
        urls = [u for _, u in pairs]
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, directory, qs in (("plain Pagefind-extended", plain, queries),
                                        ("Broadsheet", tmp / "ours", [search_mod.gram_query(q) for q in queries])):
                base, srv = serve(directory)
                found = recall(browser, base, directory, qs, urls)
                first = first_query_bytes(browser, base, "街巷长") if name == "Broadsheet" else None
                srv.shutdown()
                bundle = directory / "pagefind"
                index_bytes = sum(f.stat().st_size for f in bundle.rglob("*.pf_index"))
                total = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
                by_len = {k: [f for q, f in zip(queries, found) if len(q) == k] for k in (2, 3, 4)}
                rows.append((name, sum(found) / len(found), by_len, index_bytes, total, first,
                             [q for q, f in zip(queries, found) if not f][:12]))
            browser.close()
        print(f"archive: {info['articles']} articles in {info['editions']} editions "
              f"({len(bundles(tmp / 'ours'))} search shards); {n_samples} sampled strings "
              f"of 2–4 characters; indexing took {t_plain:.1f}s plain, build with our index {t_ours:.1f}s")
        for name, r, by_len, index_bytes, total, first, misses in rows:
            lens = ", ".join(f"{k} chars {sum(v) / len(v):.3f}" for k, v in by_len.items() if v)
            print(f"{name:24s} recall {r:.3f} ({lens})")
            print(f"{'':24s} index {index_bytes / info['articles'] / 1024:.1f} KB/article (index chunks), "
                  f"whole bundle {total / 2**20:.1f} MB")
            if first is not None:
                print(f"{'':24s} first query on the search page: {first[1] / 1024:.0f} KB transferred with gzip "
                      f"({first[0] / 1024:.0f} KB uncompressed), page, styles, scripts and index included")
            if misses:
                print(f"{'':24s} misses e.g. {' '.join(misses)}")


if __name__ == "__main__":
    main()
