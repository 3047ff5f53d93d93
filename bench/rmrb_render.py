#!/usr/bin/env python3
"""More tuning pages: render edition files of the dev set's source into pages and truth.

The development set (/work/shared/devset/rmrb) was cut from the public edition files of the GitHub
repository ihmsje/rmrb-dashboard (``data/edition_DATE.json``: a list of ``{title, page, content}``,
content lines joined by ``\\n``).  This script renders *other* dates of the same files into the same
shape — ``pages/DATE_pNN.txt`` and ``truth/DATE_pNN.json`` — so that ingest can be tuned on more
editions than the four tuning editions, and the held-back four stay unseen.

How a page is laid out was read off the *tuning* pages only (their blocks aligned with their
truth), never off the held-back ones:
- two blank lines, then one block per title and per content line, blank line between blocks;
- a headline's trailing column tag ``（…）`` is printed as a line of its own above it about half
  of the time (truth: ``kicker`` = the tag, ``title`` = the rest), otherwise kept in the title;
- a photo (an item whose last line is a credit ``名字 摄…``, a space before 摄): its headline as a block of
  its own unless it is ``图片报道``, then one block of the caption lines and the credit; now and
  then an empty block (three blank lines) before it;
- byline lines (``本报记者  张三``, a bare name line at the start) are blocks; in the truth they are
  authors, not paragraphs;
- page furniture (``本版责编：…`` and the like; the edition files list it as an item with that
  title) goes to one block before the footer ``第N版``;
- column breaks: about 1.6 a page, a paragraph of 122+ characters split at 20–80 % of its length;
- layout repeats: about one a page, the last 60–117 characters of a paragraph repeated as the
  next block (truth: ``dropped_fragments``).
Faults are drawn from a random generator seeded with the page's name: the same input renders the
same pages.  Known differences: an item titled 广告 is rendered as an article (the dev set sets ads
as short ad blocks); bare name lines without a wide space stay paragraphs in the truth.

Usage: python bench/rmrb_render.py RAW_DIR OUT_DIR
  RAW_DIR holds ``DATE.json`` files (or ``DATE.partNN`` chunks, joined in order);
  OUT_DIR gets ``pages/`` and ``truth/``.
"""
from __future__ import annotations

import glob
import json
import random
import re
import sys
from pathlib import Path

CREDIT = re.compile(r"\S\s*摄\s*(（[^（）]*）)?\s*$")
TAG = re.compile(r"^(.+?)（([^（）]+)）$")
FURNITURE = re.compile(r"^(本版责编|版式设计|本版邮箱|制图|本版统筹|[一二三四五六七八九十]+版责编)")
ROLE = re.compile(r"^(本报记者|新华社记者|本报特约记者|本报通讯员|通讯员|记者|人民日报记者)\s+")
NAME_TOKEN = re.compile(r"^[\u4e00-\u9fff·]{1,4}$")


def load(raw: Path, date: str) -> list[dict]:
    whole = raw / f"{date}.json"
    if whole.exists():
        return json.loads(whole.read_text("utf-8"))
    parts = sorted(glob.glob(str(raw / f"{date}.part*")))
    text = "".join(Path(p).read_text("utf-8")[:-1] for p in parts)
    try:
        return json.loads(text)
    except ValueError:  # a copy still under way: its whole items, less the last page's
        cut = text.rfind("\n  }")
        if cut < 0:
            raise
        items = json.loads(text[:cut + 4] + "\n]")
        last = items[-1]["page"] if items else None
        return [it for it in items if it["page"] != last]


def names(line: str) -> list[str] | None:
    """The names of a byline line (``本报记者  张  三  李四`` → [张三, 李四]), or None."""
    rest = ROLE.sub("", line.strip())
    toks = [t for t in re.split(r"\s{2,}|\u3000", rest) if t]
    if not toks or not all(NAME_TOKEN.match(t) for t in toks):
        return None
    out, i = [], 0
    while i < len(toks):  # a one-character token followed by another: one name printed wide
        if len(toks[i]) == 1 and i + 1 < len(toks) and len(toks[i + 1]) == 1:
            out.append(toks[i] + toks[i + 1])
            i += 2
        else:
            out.append(toks[i])
            i += 1
    if any(len(n) < 2 for n in out):
        return None
    return out


def is_byline(lines: list[str], i: int) -> list[str] | None:
    line = lines[i].strip()
    if len(line) > 30:
        return None
    if ROLE.match(line):
        return names(line)
    if (i == 0 or len(lines[i - 1].strip()) <= 20) and "  " in line:
        found = names(line)
        if found and len(found) <= 3:
            return found
    return None


def render_page(date: str, number: int, items: list[dict]) -> tuple[str, dict]:
    rng = random.Random(f"{date}_p{number:02d}")
    blocks: list[tuple[str, int]] = []  # (text, blank lines before)
    truth_items, dropped, furniture = [], [], []
    long_paras: list[int] = []  # indexes in blocks of paragraphs that may take a fault
    for it in items:
        title = (it.get("title") or "").strip()
        lines = [ln for ln in (it.get("content") or "").split("\n") if ln.strip()]
        if FURNITURE.match(title):  # the page's furniture, listed as an item: 本版责编：… / 版式设计：…
            furniture += [title] + lines
            continue
        keep = []
        for ln in lines:
            (furniture if FURNITURE.match(ln.strip()) else keep).append(ln)
        lines = keep
        if lines and CREDIT.search(lines[-1]) and len(lines[-1]) <= 40:
            if rng.random() < 0.4:
                blocks.append(("", 1))
            if title and title != "图片报道":
                blocks.append((title, 1))
            blocks.append(("\n".join(lines), 1))
            truth_items.append({"kind": "photo", "title": None if title == "图片报道" else title,
                                "caption": "\n".join(lines[:-1]), "credit": lines[-1]})
            continue
        art: dict = {"kind": "article", "title": title, "authors": [], "paragraphs": []}
        m = TAG.match(title)
        if m and rng.random() < 0.47:
            art["title"], art["kicker"] = m.group(1), m.group(2)
            blocks.append((f"{m.group(2)}\n{m.group(1)}", 1))
        else:
            blocks.append((title, 1))
        for i, ln in enumerate(lines):
            who = is_byline(lines, i)
            blocks.append((ln, 1))
            if who:
                art["authors"].extend(who)
                continue
            art["paragraphs"].append(ln)
            if len(ln) >= 122:
                long_paras.append(len(blocks) - 1)
        truth_items.append(art)
    # faults: column breaks, then one layout repeat
    splits = set(rng.sample(long_paras, min(len(long_paras), max(0, round(rng.gauss(1.6, 1.0))))))
    repeat = rng.choice(long_paras) if long_paras and rng.random() < 0.95 else None
    out: list[tuple[str, int]] = []
    for k, (text, pre) in enumerate(blocks):
        if k in splits:
            at = int(len(text) * rng.uniform(0.2, 0.8))
            while at < len(text) - 1 and text[at - 1] in "，。；：、！？”":
                at += 1
            out += [(text[:at], pre), (text[at:], 1)]
        else:
            out.append((text, pre))
        if k == repeat:
            frag = text[-rng.randint(60, min(117, len(text) - 10)):]
            out.append((frag, 1))
            dropped.append(frag)
    if furniture:
        out.append(("\n".join(furniture), 1))
    out.append((f"第{number}版", 1))
    text = "\n"
    for block, pre in out:
        if block == "":
            text += "\n\n"
            continue
        text += "\n" * pre + block + "\n"
    return text, {"section": f"第{number}版", "dropped_fragments": dropped, "items": truth_items}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("Usage:")[1].strip(), file=sys.stderr)
        return 2
    raw, out = Path(argv[0]), Path(argv[1])
    dates = sorted({Path(p).name[:10] for p in glob.glob(str(raw / "20*"))})
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for date in dates:
        try:
            items = load(raw, date)
        except (ValueError, OSError) as exc:
            print(f"{date}: not read ({exc})", file=sys.stderr)
            continue
        pages: dict[int, list[dict]] = {}
        for it in items:
            pages.setdefault(int(it["page"]), []).append(it)
        for number, its in sorted(pages.items()):
            text, truth = render_page(date, number, its)
            (out / "pages" / f"{date}_p{number:02d}.txt").write_text(text, "utf-8")
            (out / "truth" / f"{date}_p{number:02d}.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
        print(f"{date}: {len(pages)} pages, {len(items)} items")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
