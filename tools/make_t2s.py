#!/usr/bin/env python3
"""Write assets/t2s.js: the Traditional → Simplified character table search normalises with, from OpenCC.

Search folds both the indexed text (broadsheet/search.py, at build time) and the reader's query
(assets/search.js, in the browser) to Simplified characters, one character for one, with OpenCC's
TSCharacters (opencc-js 1.4.2 from npm, pinned in package-lock.json: run `npm ci` first; the first
candidate of each entry, as OpenCC).  A reader typing 豐順 or 網絡 then finds 丰顺 / 网络, and a
paper printed in Traditional characters is found by a Simplified query.  One character for one keeps
the text's length, so the excerpt can mark the reader's words in the text as printed.  OpenCC's
TSPhrases only choose among Simplified characters where a Traditional one has several; for matching,
the same choice on both sides is what counts, so they are not needed.  About 3,200 pairs: 22 KB,
13 KB gzipped, fetched with the search page.

Usage: python tools/make_t2s.py [--check]   (--check: exit 1 if assets/t2s.js is out of date)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generated import write_or_check  # noqa: E402 (tools/ is on the path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
DICT = ROOT / "node_modules" / "opencc-js" / "dist" / "esm-lib" / "dict" / "TSCharacters.js"
OUT = ROOT / "assets" / "t2s.js"


def pairs() -> list[tuple[str, str]]:
    if not DICT.is_file():
        raise SystemExit(f"{DICT} is missing: run `npm ci` in {ROOT}")
    text = DICT.read_text("utf-8")
    data = json.loads(text[text.index('"'):text.rindex('"') + 1])
    out = {}
    for entry in data.split("|"):
        key, value = entry.split(" ")[:2]  # the first candidate, as OpenCC
        if len(key) == 1 and len(value) == 1 and key != value:
            out[key] = value
    return sorted(out.items())


def render(items: list[tuple[str, str]]) -> str:
    return ("/* Traditional → Simplified characters, one for one, that search folds queries and text with:\n"
            "   OpenCC's TSCharacters (opencc-js 1.4.2, Apache-2.0), as pairs.  Written by tools/make_t2s.py:\n"
            "   do not edit (broadsheet/search.py reads this file too). */\n"
            f"window.BroadsheetT2S = {json.dumps(''.join(a + b for a, b in items), ensure_ascii=False)};\n")


def main(argv: list[str]) -> int:
    return write_or_check(OUT, render(pairs()), "make_t2s.py", argv)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
