#!/usr/bin/env python3
"""Write assets/s2t.js: the Simplified → Traditional dictionary of the 简/繁 switch, from OpenCC.

OpenCC (opencc-js 1.4.2 from npm, pinned in package-lock.json: run `npm ci` first) converts
Simplified to Traditional Chinese by longest match over STPhrases (49,000 phrases) and
STCharacters (3,900 characters): 1.0 MB of dictionaries, 424 KB gzipped.  Four phrases in five say
only what their characters already say (一丝不挂 → 一絲不掛 is 一 丝 不 挂 converted one by one), but
they still steer the longest match (管理体系: 管理 | 体系 keeps 系为 from matching), so they cannot
simply be dropped (dropping them changes the text of the sample edition).  They are written as the
phrase alone, without its conversion, which assets/reader.js makes from the characters: the same
conversion as OpenCC's for any text (tests/test_reading.py checks it against opencc-js on the sample
edition) in 632 KB, 279 KB gzipped, fetched only when a reader asks for 繁體.

Usage: python tools/make_s2t.py [--check]   (--check: exit 1 if assets/s2t.js is out of date)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generated import write_or_check  # noqa: E402 (tools/ is on the path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
DICT = ROOT / "node_modules" / "opencc-js" / "dist" / "esm-lib" / "dict"
OUT = ROOT / "assets" / "s2t.js"


def read_dict(name: str) -> dict[str, str]:
    path = DICT / f"{name}.js"
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run `npm ci` in {ROOT}")
    text = path.read_text("utf-8")
    data = json.loads(text[text.index('"'):text.rindex('"') + 1])
    out = {}
    for entry in data.split("|"):
        key, value = entry.split(" ")[:2]  # the first candidate, as OpenCC
        out[key] = value
    return out


def convert(text: str, table: dict[str, str], longest: int) -> str:
    out, i = [], 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            value = table.get(text[i:i + n])
            if value is not None:
                out.append(value)
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def entries() -> list[str]:
    """'简 繁' for characters and phrases that convert otherwise than their characters; the phrase
    alone for the rest."""
    chars = read_dict("STCharacters")
    full = read_dict("STPhrases")
    full.update(chars)  # later dictionaries win, as in opencc-js's trie
    return [k if len(k) > 1 and convert(k, chars, 1) == v else f"{k} {v}" for k, v in sorted(full.items())]


def render(items: list[str]) -> str:
    pairs = "|".join(items)
    return ("/* Simplified → Traditional Chinese for the 简/繁 switch: OpenCC's STPhrases and STCharacters\n"
            "   (opencc-js 1.4.2, Apache-2.0); a phrase without its conversion converts as its characters.\n"
            "   Written by tools/make_s2t.py: do not edit. */\n"
            f"window.BroadsheetS2T = {json.dumps(pairs, ensure_ascii=False)};\n")


def main(argv: list[str]) -> int:
    return write_or_check(OUT, render(entries()), "make_s2t.py", argv)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
