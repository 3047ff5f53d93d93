"""``broadsheet new DIR``: a new paper — commented site.yaml, one example edition, templates to override."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from .errors import BroadsheetError, Problem
from .schema import SITE_FIELDS, SITE_MANDATORY

EXAMPLE = {"title": None, "description": "一句话介绍本报。", "language": "zh-CN", "timezone": '"+08:00"',
           "publisher": None, "base_url": "https://example.com/paper/", "feed_editions": "7",
           "favicon": "favicon.svg"}
ACTIVE = {"title", "description", "language", "timezone", "publisher"}  # the rest start commented out

ARTICLE = """---
kind: article
title: 欢迎使用 Broadsheet
kicker: 示例版面
authors: [编辑部]
order: 1
---

这是示例版面的第一篇文章（头条）。把 `content/editions/` 下的日期文件夹换成真实的期数，
或用 `broadsheet ingest PAGE.txt --edition YYYY-MM-DD` 把版面文本切成稿件。

## 小标题

每篇稿件是一个 Markdown 文件，开头的 YAML 写标题、作者等信息。
"""

SECOND = """---
kind: article
title: 第二篇文章
order: 2
---

同一版面的其他文章按 `order` 排列。
"""


def site_yaml(title: str) -> str:
    """site.yaml with every setting, each with its meaning from the schema (schema.SITE_FIELDS)."""
    lines = ["# The paper's settings. Every key Broadsheet knows is listed; lines starting with # are off.",
             "# Unknown keys are errors (with a did-you-mean hint)."]
    for key, field in SITE_FIELDS.items():
        value = EXAMPLE.get(key) or title
        if key == "publisher" and EXAMPLE[key] is None:
            value = f"{title}社"
        required = " (required)" if key in SITE_MANDATORY else ""
        lines.append(f"\n# {field.help}{required}")
        lines.append(f"{'' if key in ACTIVE else '# '}{key}: {value}")
    return "\n".join(lines) + "\n"


README = """\
# {title}

这是用 Broadsheet 生成的电子报。A newspaper e-edition built with Broadsheet.

## 每晚出报 · The nightly routine

1. 切分版面 · Cut the night's pages into items:
   `broadsheet ingest pages/*.txt --edition YYYY-MM-DD` (page text or page PDFs; one folder per 版面
   appears under `content/editions/YYYY-MM-DD/`).
2. 审稿 · Review: read `ingest-report.json` in each 版面 folder — its "please check" list names the
   few decisions worth a look (file and line) — and edit the `.md` files. Re-running ingest never
   overwrites a file you changed.
   版面图 · The printed page: put each 版面's PDF (`page.pdf`, one page) or image (`page.jpg`) in its
   folder; readers then see the page with every article on it clickable, and can download the PDFs.
3. 生成 · Build: `broadsheet build`, then preview with `broadsheet serve` (http://127.0.0.1:8000/).
4. 发布 · Publish: copy `output/` to the web server (see Broadsheet's README, "Publishing").

## 这个文件夹 · This folder

- `content/site.yaml` — the paper's name, web address, time zone … (every setting is listed, with
  what it does; remove the `#` to use one).
- `content/editions/{today}/01/` — an example edition: replace it with your own, or delete it.
- `templates/` — how pages look (Jinja); change them freely, Broadsheet uses these instead of its own.

Problems are reported as `file:line: what is wrong — what to do`; nothing is published until a
build succeeds.
"""


def new_paper(target: Path, title: str) -> int:
    from .site import TEMPLATES
    if target.exists() and any(target.iterdir()):
        raise BroadsheetError(Problem(str(target), 0, "the folder exists and is not empty",
                                      "give a new folder name: broadsheet new DIR"))
    today = dt.date.today().isoformat()
    section = target / "content" / "editions" / today / "01"
    section.mkdir(parents=True)
    (target / "content" / "site.yaml").write_text(site_yaml(title), "utf-8")
    (section / "section.yaml").write_text("name: 要闻\npage: 1\n", "utf-8")
    (section / "01.md").write_text(ARTICLE, "utf-8")
    (section / "02.md").write_text(SECOND, "utf-8")
    shutil.copytree(TEMPLATES, target / "templates")
    (target / "README.md").write_text(README.format(title=title, today=today), "utf-8")
    print(f"created {target}/: README.md, content/site.yaml, content/editions/{today}/01/, templates/\n"
          f"next: cd {target} && broadsheet build && broadsheet serve\n"
          "edit templates/*.html to change how pages look; content/site.yaml for the paper's settings")
    return 0
