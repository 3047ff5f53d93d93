#!/usr/bin/env python3
"""Ingest throughput: read + segment + write N generated pages (default 100), and one 10 MB page.

Usage: python bench/ingest_bench.py [N]
Prints seconds per page; the target (issue #2) is well under one second per page.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from broadsheet.ingest import read_page  # noqa: E402
from broadsheet.writer import write_page  # noqa: E402

from corpus import SEED  # noqa: E402


def shuffled_page(rnd: random.Random) -> str:
    """A page with the seed's kinds of blocks in a different order, so no two pages are alike."""
    blocks = SEED.read_text("utf-8").strip().split("\n\n")
    body, footer = blocks[:-1], blocks[-1]
    rnd.shuffle(body)
    return "\n\n".join(body + [footer]) + "\n"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rnd = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = []
        for k in range(n):
            f = tmp / f"{k + 1:03d}.txt"
            f.write_text(shuffled_page(rnd), "utf-8")
            pages.append(f)
        t = time.perf_counter()
        items = 0
        for k, f in enumerate(pages, 1):
            page = read_page(f)
            write_page(page, tmp / "content", edition="2024-01-02", page_number=k)
            items += len(page.items)
        elapsed = time.perf_counter() - t
        print(f"ingest: {n} pages, {items} items in {elapsed:.2f}s = {elapsed / n * 1000:.1f} ms per page")

        from test_ingest_layouts import _big_page
        big = tmp / "big.txt"
        big.write_text(_big_page(10 * 2**20), "utf-8")
        t = time.perf_counter()
        page = read_page(big)
        elapsed = time.perf_counter() - t
        print(f"ingest: one 10 MB page ({len(page.items)} items, {len(page.dropped)} repeats dropped) "
              f"read and segmented in {elapsed:.2f}s")


if __name__ == "__main__":
    main()
