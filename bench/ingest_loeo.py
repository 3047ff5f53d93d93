#!/usr/bin/env python3
"""Leave one edition out, for the whole pipeline: how ingest does on an edition its weights never saw.

For each tuning edition, the headline weights are fitted (bench/train_ingest.py) on the other three
tuning editions only, and that edition's pages are ingested with those weights and measured as
bench/ingest_accuracy.py measures them.  The plain tuning figures score editions the weights were
fitted on; these do not, so they are the nearer guess of how ingest does on pages nobody has
looked at.  (The cues and rules were still written while looking at all four: this checks the fit,
not the author.)  Held-back editions are never read.

Usage: python bench/ingest_loeo.py [--verbose]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ingest_accuracy as acc  # noqa: E402
import train_ingest as tr  # noqa: E402

KEYS = (("titles", "titles"), ("para_right", "right article"), ("para_any", "anywhere"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="print each held-out edition's misses")
    ap.add_argument("--constructed", action="store_true", help="fit on the constructed pages too (a trial)")
    args = ap.parse_args(argv)
    tr.WITH_CONSTRUCTED = args.constructed or tr.WITH_CONSTRUCTED
    mods = acc.load_code(ROOT)
    total, rows = acc.Result(), []
    for ed in tr.TUNE:
        w, _ = tr.train(tuple(e for e in tr.TUNE if e != ed))
        cases = [c for c in acc.load_cases("tune", None) if c.edition == ed]
        r = acc.Result()
        for one in acc.run(cases, mods, w):
            r.merge(one)
        total.merge(r)
        rows.append((ed, r))
        if args.verbose:
            print("".join(f"  {m}\n" for m in r.misses), end="")
    rows.append(("total", total))
    print("leave one edition out (weights fitted on the other three tuning editions)")
    print(f"{'edition':12s}" + "".join(f"{label:>24s}" for _, label in KEYS) + f"{'Han lost':>10s}")
    for name, r in rows:
        print(f"{name:12s}" + "".join(f"{acc.cell(r, k):>24s}" for k, _ in KEYS) + f"{r.han_lost:>10d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
