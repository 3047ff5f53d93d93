"""Typeset the sample 版面 (content/editions/2022-04-15/01) as its printed page, page.pdf, for the page view.

The items are set from their own text in seven columns, the way a broadsheet front page runs them
(headline, byline, text; the photo with its caption; the banners and the advertisement framed), and
printed with Chromium's print-to-PDF (tests/pdfpage.py does the same for the tests' pages).  Run it
again after changing the sample's items:  .venv/bin/python tools/make_sample_page.py
"""
from __future__ import annotations

import base64
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SECTION = ROOT / "content" / "editions" / "2022-04-15" / "01"
W, H = 1200, 1700  # CSS px: the PDF page is 900 × 1275 pt


def page_html() -> str:
    import pdfpage
    from broadsheet.content import load_site
    site = load_site(ROOT / "content")
    section = next(s for e in site.editions for s in e.sections if s.path.resolve() == SECTION.resolve())
    e = html.escape
    img = base64.b64encode(pdfpage.png(280, 180)).decode()
    blocks = []
    for it in section.items:
        if it.kind == "article":
            head = (f'<p class="kicker">{e(it.kicker)}</p>' if it.kicker else "") + f"<h2>{e(it.title)}</h2>"
            by = f'<p class="by">{e(" ".join(it.authors))}</p>' if it.authors else ""
            blocks.append(f'<div class="item">{head}{by}{it.html}</div>')
        elif it.kind == "photo":
            blocks.append(f'<div class="item photo"><img src="data:image/png;base64,{img}" alt="">{it.html}</div>')
        else:
            blocks.append(f'<div class="item framed">{it.html}</div>')
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: {W}px {H}px; margin: 0 }}
html, body {{ margin: 0 }}
body {{ width: {W}px; height: {H}px; font-family: 'Noto Sans CJK SC', sans-serif; font-size: 12px; line-height: 1.5 }}
.mast {{ height: 90px; margin: 0 40px; border-bottom: 3px double #b3121b; display: flex; align-items: end;
        justify-content: space-between; font-size: 14px }}
.mast b {{ font-size: 40px; color: #b3121b; letter-spacing: 8px }}
.page {{ margin: 16px 40px 0; height: {H - 150}px; columns: 7; column-gap: 16px; column-fill: auto }}
.item {{ margin: 0 0 10px }}
h2 {{ font-size: 21px; line-height: 1.3; margin: 0 0 4px }}
h2 + p.by, .by {{ text-indent: 0; font-size: 12px; margin: 0 0 4px }}
.kicker {{ text-indent: 0; font-size: 14px; margin: 0 0 2px }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}
h3, h4 {{ font-size: 14px; margin: 4px 0 }}
.photo img {{ width: 100%; height: auto; display: block; margin: 0 0 4px }}
.photo p {{ text-indent: 0; font-size: 11px }}
.framed {{ border: 2px solid #333; padding: 8px; text-align: center; break-inside: avoid }}
.framed p {{ text-indent: 0; font-size: 15px; text-align: center }}
</style></head><body>
<div class="mast"><b>闽南日报</b><span>2022年4月15日 星期五 第01版 {e(section.name)}</span></div>
<div class="page">{"".join(blocks)}</div>
</body></html>"""


def main() -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(page_html())
        data = page.pdf(width=f"{W}px", height=f"{H}px", print_background=True,
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
        browser.close()
    (SECTION / "page.pdf").write_bytes(data)
    print(f"wrote {SECTION / 'page.pdf'} ({len(data) // 1024} KB)")


if __name__ == "__main__":
    main()
