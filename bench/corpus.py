"""Synthetic archives for benchmarks: realistic Chinese text recombined from the seed page's sentences."""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
SEED = _ROOT.parent / "shared" / "seed" / "000_352236b12fad6df2.txt"
if not SEED.exists():
    SEED = _ROOT / "tests" / "fixtures" / "seed" / "000_352236b12fad6df2.txt"
SECTIONS = ["要闻", "综合新闻", "经济", "社会", "文化", "体育", "理论", "副刊"]


def sentences() -> list[str]:
    text = SEED.read_text("utf-8")
    parts = re.split(r"(?<=[。！？])", text.replace("\n", ""))
    return [p.strip() for p in parts if len(p.strip()) > 12]


def paragraph(rnd: random.Random, pool: list[str], chars: int) -> str:
    out = ""
    while len(out) < chars:
        out += rnd.choice(pool)
    return out


def write_archive(content: Path, articles: int, *, chars: int = 1500, per_page: int = 6, pages: int = 8,
                  seed: int = 1, start: dt.date = dt.date(2024, 1, 1)) -> dict:
    """Write ``articles`` articles as editions × 版面 × items through our own content format."""
    rnd = random.Random(seed)
    pool = sentences()
    content.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        'title: 基准日报\nlanguage: zh-CN\ntimezone: "+08:00"\npublisher: 基准日报社\n'
        "base_url: https://example.com/paper/\n", "utf-8")
    n = 0
    day = start
    editions = 0
    while n < articles:
        ed = content / "editions" / day.isoformat()
        ed.mkdir(parents=True, exist_ok=True)
        (ed / "edition.yaml").write_text(f"date: {day.isoformat()}\n", "utf-8")
        editions += 1
        for p in range(1, pages + 1):
            if n >= articles:
                break
            sec = ed / f"{p:02d}"
            sec.mkdir(exist_ok=True)
            (sec / "section.yaml").write_text(f"name: {SECTIONS[(p - 1) % len(SECTIONS)]}\npage: {p}\n", "utf-8")
            for k in range(1, per_page + 1):
                if n >= articles:
                    break
                n += 1
                title = rnd.choice(pool)[:rnd.randint(8, 20)].rstrip("，、。")
                paras = [paragraph(rnd, pool, chars // 4) for _ in range(4)]
                body = "\n\n".join(paras)
                (sec / f"{k:02d}.md").write_text(
                    f"---\nkind: article\ntitle: {json.dumps(title, ensure_ascii=False)}\nauthors: [记者{n % 97}]\norder: {k}\n---\n\n{body}\n",
                    "utf-8")
            (sec / f"{per_page + 1:02d}.md").write_text(
                f"---\nkind: photo\ncredit: 摄影{p}\norder: {per_page + 1}\n---\n\n{rnd.choice(pool)}\n", "utf-8")
            (sec / f"{per_page + 2:02d}.md").write_text(
                f"---\nkind: advertisement\norder: {per_page + 2}\n---\n\n广告一\n\n广告二\n", "utf-8")
        day += dt.timedelta(days=1)
    return {"articles": n, "editions": editions}
