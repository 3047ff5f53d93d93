#!/usr/bin/env python3
"""Lighthouse scores of the sample edition: performance, accessibility, best practices and SEO.

Builds content/ with its base_url set to the local server's address (Lighthouse fails a canonical
link that points to another domain), serves it under /paper/ with Broadsheet's own preview handler
(gzip, MIME types, 404 page), and runs Lighthouse 12.2.3 from npm (pinned in
bench/lighthouse/package-lock.json; installed there with `npm ci` on first use, not a test
dependency) with its default mobile profile and simulated throttling in Debian's Chromium, on the
home, 版面, article, archive and search pages.  Writes bench/LIGHTHOUSE.md.

Usage: python bench/lighthouse.py [--runs N]   (default 1; with N > 1 each page's median is reported)
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
WORK = ROOT / "bench" / "out" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {"home": "", "版面": "2022-04-15/01/", "article": "2022-04-15/01/02.html", "archive": "archive/",
         "search": "search/?q=街巷长"}
sys.path.insert(0, str(ROOT))


def ensure_lighthouse() -> str:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)], check=True)
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    from broadsheet.serve import Handler
    mount = WORK / "mount"
    shutil.rmtree(mount, ignore_errors=True)
    mount.mkdir(parents=True)
    (mount / "paper").symlink_to(site.resolve())
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(mount)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def run(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                           f"--only-categories={','.join(CATEGORIES)}",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    return json.loads(out.read_text("utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    version = ensure_lighthouse()
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}/paper/"
    site = WORK / "site"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(ROOT / "content"),
                           "--output", str(site), "--base-url", base, "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    srv = serve(site, port)
    rows, failing = [], {}
    try:
        for name, path in PAGES.items():
            reports = [run(base + path, WORK / f"{name}-{i}.json") for i in range(args.runs)]
            scores = {c: statistics.median(round(r["categories"][c]["score"] * 100) for r in reports)
                      for c in CATEGORIES}
            last = reports[-1]
            metrics = {k: last["audits"][k]["displayValue"] for k in
                       ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                        "cumulative-layout-shift")}
            runs = " ".join(str(round(r["categories"]["performance"]["score"] * 100)) for r in reports)
            rows.append((name, path, scores, metrics, runs))
            for c in CATEGORIES:
                for ref in last["categories"][c]["auditRefs"]:
                    audit = last["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        failing.setdefault(name, []).append(f"{c}: {audit['id']} ({audit['score']})")
            print(name, scores, metrics, failing.get(name, ""), flush=True)
    finally:
        srv.shutdown()
    lines = ["# Lighthouse", "",
             f"`python bench/lighthouse.py` — Lighthouse {version} (npm, `bench/lighthouse/package-lock.json`), "
             f"default mobile profile (Moto G Power emulation, simulated slow 4G and 4× CPU slowdown), "
             f"{chromium} headless, on this project's 2-core machine; the sample edition (`content/`) served under "
             "`/paper/` by Broadsheet's preview handler (gzip). "
             + (f"Median of {args.runs} runs per page." if args.runs > 1 else "One run per page."), "",
             "Scores are medians; the metrics are those of the last run; *performance runs* lists every run's.", "",
             "| page | URL | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS "
             "| performance runs |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, path, s, m, runs in rows:
        lines.append(f"| {name} | `/paper/{path}` | {s['performance']:g} | {s['accessibility']:g} | "
                     f"{s['best-practices']:g} | {s['seo']:g} | {m['first-contentful-paint']} | "
                     f"{m['largest-contentful-paint']} | {m['total-blocking-time']} | {m['cumulative-layout-shift']} | {runs} |")
    lines.append("")
    if failing:
        lines += ["Audits that did not pass (scored, last run):", ""]
        lines += [f"- {name}: " + "; ".join(items) for name, items in failing.items()]
    else:
        lines.append("Every scored audit passed on every page (last run).")
    (ROOT / "bench" / "LIGHTHOUSE.md").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {ROOT / 'bench' / 'LIGHTHOUSE.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
