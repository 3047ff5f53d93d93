"""Test PDFs typeset by the tests themselves: a multi-column Chinese page of known items, laid out in
HTML and printed with Chromium's print-to-PDF.  Every item is an absolutely placed box whose
rectangle (in CSS px, 96 per inch; PDF points are 0.75 px) is known, so areas can be checked."""
from __future__ import annotations

import base64
import html
import struct
import zlib

PAGE_W, PAGE_H = 800, 1100  # CSS px; the PDF page is 600 × 825 pt

HEADER = "第3版 城市新闻 2024年3月1日 星期五"

A_KICKER = "春风行动送岗位上门"
A_TITLE = "全市新增就业岗位一万二千个"
A_BYLINE = "本报记者 林晓 通讯员 陈方"
A_PARAS = [
    "本报讯（记者 林晓）三月以来，我市各级人力资源部门走进社区、园区和乡村，把招聘会开到群众家门口，"
    "一个月里共发布就业岗位一万二千多个，帮助三千多名求职者找到了满意的工作，用工企业和求职群众都说好。",
    "在城东产业园的招聘现场，前来应聘的年轻人排起了长队。一家电子企业的负责人告诉记者，今年企业订单饱满，"
    "需要招聘操作工和技术员两百多人，通过这次活动已经签下了一百二十人，其余岗位也有了合适的人选，"
    "企业将为新员工提供免费培训和宿舍，让他们安心在这里工作和生活，和企业一起成长进步。",
    "市人力资源和社会保障局有关负责人介绍，下一步将继续组织线上线下招聘活动，重点帮助高校毕业生、"
    "农村转移劳动力和就业困难人员实现就业，同时加强职业技能培训，让更多劳动者掌握一技之长。",
]

B_TITLE = "老街改造留住城市记忆"
B_BYLINE = "本报记者 黄丽"
B_PARAS = [
    "本报讯 位于老城区的骑楼街改造工程日前完工，修缮一新的街巷保留了原有的建筑风貌，吸引了不少市民前来游览。",
    "改造中，施工单位坚持修旧如旧，对临街立面、门窗和屋顶进行了加固和修复，并对地下管网进行了全面更新。",
    "不少老街坊说，走在熟悉的街道上，仿佛回到了小时候，老街既有了新面貌，又留住了老味道。",
]

P_CAPTION = "二月二十八日，市民在修缮一新的骑楼街上参观游览。"
P_CREDIT = "本报记者 黄丽 摄"

AD_LINES = ["春季家电节 全场八折起", "以旧换新 送货上门", "福新电器有限公司"]

FOOTER = "责任编辑：王敏"

# Boxes of the items on the page (CSS px: left, top, width, height).
BOX_A = (40, 90, 460, 640)
BOX_B = (540, 90, 220, 620)
BOX_PHOTO = (40, 750, 460, 210)
BOX_AD = (540, 760, 220, 200)


def png(width: int = 120, height: int = 80) -> bytes:
    """A small generated PNG: a red and blue gradient (no file needed)."""
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (200, (x * 2) % 256, (y * 3) % 256))
                    for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# The page both typeset pages share: a fixed sheet with absolutely placed boxes of body text.
PAGE_CSS = f"""@page {{ size: {PAGE_W}px {PAGE_H}px; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ width: {PAGE_W}px; height: {PAGE_H}px; position: relative; font-family: 'Noto Serif CJK SC', serif;
       font-size: 14px; line-height: 1.6 }}
.box {{ position: absolute }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}"""


def _box(b) -> str:
    return f"left:{b[0]}px;top:{b[1]}px;width:{b[2]}px;height:{b[3]}px"


def page_html() -> str:
    e = html.escape
    img = base64.b64encode(png()).decode()
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
{PAGE_CSS}
.kicker {{ font-size: 18px; margin: 0 0 6px }}
h1 {{ font-size: 30px; margin: 0 0 10px; line-height: 1.3 }}
h2 {{ font-size: 24px; margin: 0 0 10px; line-height: 1.3 }}
.byline {{ font-size: 14px; margin: 0 0 12px; text-indent: 0 }}
.cols {{ columns: 2; column-gap: 28px; column-fill: auto; height: 460px }}
.caption {{ font-size: 12px; text-indent: 0 }}
.ad {{ border: 2px solid #333; text-align: center; padding-top: 40px; box-sizing: border-box }}
.ad div {{ font-size: 16px; line-height: 1.8 }}
.head, .foot {{ position: absolute; left: 40px; font-size: 13px }}
</style></head><body>
<div class="head" style="top:40px">{e(HEADER)}</div>
<div class="box" id="a" style="{_box(BOX_A)}">
<div class="kicker">{e(A_KICKER)}</div>
<h1>{e(A_TITLE)}</h1>
<p class="byline">{e(A_BYLINE)}</p>
<div class="cols">{''.join(f'<p>{e(t)}</p>' for t in A_PARAS)}</div>
</div>
<div class="box" id="b" style="{_box(BOX_B)}">
<h2>{e(B_TITLE)}</h2>
<p class="byline">{e(B_BYLINE)}</p>
{''.join(f'<p>{e(t)}</p>' for t in B_PARAS)}
</div>
<div class="box" id="photo" style="{_box(BOX_PHOTO)}">
<img src="data:image/png;base64,{img}" width="240" height="160" alt="">
<p class="caption">{e(P_CAPTION)}</p>
<p class="caption" style="text-align:right">{e(P_CREDIT)}</p>
</div>
<div class="box ad" id="ad" style="{_box(BOX_AD)}">{''.join(f'<div>{e(t)}</div>' for t in AD_LINES)}</div>
<div class="foot" style="top:1040px">{e(FOOTER)}</div>
</body></html>"""


def print_pdf(browser, markup: str) -> bytes:
    page = browser.new_page()
    try:
        page.set_content(markup)
        return page.pdf(width=f"{PAGE_W}px", height=f"{PAGE_H}px", print_background=True,
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    finally:
        page.close()


# A second page: a lead story over three columns with a sub-head, two stories side by side below.
C_KICKER = "一季度全市经济运行开局良好"
C_TITLE = "重点项目跑出加速度"
C_SUBTITLE = "——完成投资286亿元，同比增长12.5%"
C_BYLINE = "本报记者 王五 通讯员 赵六"
C_PARAS = [
    "今年以来，我市坚持项目为王，一季度全市重点项目完成投资二百八十六亿元，同比增长百分之十二点五，"
    "为全年目标打下坚实基础。市发展改革委有关负责人介绍，一批补短板、强弱项的重大项目集中开工，项目储备更加充足。",
    "在港口物流园，十多台塔吊同时作业，工人们正在抓紧浇筑仓库基础。项目负责人说，园区建成后将新增泊位四个，"
    "年吞吐能力提高三百万吨，带动周边就业两千多人，为港口城市发展注入新的活力。",
    "◆服务更贴心",
    "为了让项目早落地、早开工，各级部门推行“拿地即开工”审批模式，把审批时间压缩了一半以上，"
    "并组织干部深入企业，帮助解决用地、用工和融资等方面的困难，让企业安心投资、放心发展。",
    "下一步，我市将继续优化营商环境，加快推进在建项目建设进度，确保全年目标任务顺利完成。",
]
D_TITLE = "社区食堂开进老街巷"
D_PARAS = [
    "本报讯（记者 刘青）家门口就能吃上热乎饭菜，这是老城区居民的新期待。上周，第一家社区食堂在南门街道开门迎客，"
    "每天供应早中晚三餐，老年人就餐还能享受优惠。",
    "街道负责人表示，今年将在辖区再建五家社区食堂，让更多老年人在家门口享受便利，吃得放心、吃得舒心。",
]
E_TITLE = "春季植树活动启动"
E_PARAS = [
    "本报讯 三月十二日，全市春季义务植树活动在西山公园启动，三千多名干部群众参加植树，共栽下樟树、桂花等苗木一万多株。",
]

BOX_C = (40, 60, 720, 520)
BOX_D = (40, 620, 460, 330)
BOX_E = (540, 620, 220, 330)


def page_html_2() -> str:
    e = html.escape
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
{PAGE_CSS}
p.sub {{ text-indent: 0; font-weight: bold; margin: 4px 0 }}
.kicker {{ font-size: 18px; text-align: center }}
h1 {{ font-size: 34px; margin: 0; line-height: 1.3; text-align: center }}
.subtitle {{ font-size: 18px; text-align: center; margin: 4px 0 }}
h2 {{ font-size: 24px; margin: 0 0 10px; line-height: 1.3 }}
.byline {{ text-indent: 0; text-align: center; margin: 0 0 12px }}
.cols3 {{ columns: 3; column-gap: 28px }}
.cols2 {{ columns: 2; column-gap: 28px }}
.foot {{ position: absolute; left: 40px; top: 1040px; font-size: 13px }}
</style></head><body>
<div class="box" id="c" style="{_box(BOX_C)}">
<div class="kicker">{e(C_KICKER)}</div>
<h1>{e(C_TITLE)}</h1>
<div class="subtitle">{e(C_SUBTITLE)}</div>
<p class="byline">{e(C_BYLINE)}</p>
<div class="cols3">{''.join(f'<p class="sub">{e(t)}</p>' if t.startswith('◆') else f'<p>{e(t)}</p>' for t in C_PARAS)}</div>
</div>
<div class="box" id="d" style="{_box(BOX_D)}">
<h2>{e(D_TITLE)}</h2>
<div class="cols2">{''.join(f'<p>{e(t)}</p>' for t in D_PARAS)}</div>
</div>
<div class="box" id="e" style="{_box(BOX_E)}">
<h2>{e(E_TITLE)}</h2>
{''.join(f'<p>{e(t)}</p>' for t in E_PARAS)}
</div>
<div class="foot">第5版 要闻</div>
</body></html>"""


# A headline-like line inside a story: a sub-head by its words, a new story when set large.
S_P1 = "本报讯 我市今年将改造老旧小区一百二十个，惠及居民一万二千户，改造内容包括屋面防水、管网更新和加装电梯等。"
S_P2 = "老旧小区改造中，各社区广泛听取居民意见，把居民最关心的停车、绿化和照明问题列入改造清单。"
S_H2 = "加装电梯惠及居民"
S_P3 = "今年我市老旧小区加装电梯一百部，居民上下楼更方便了，改造小区的老年居民纷纷点赞。"


def page_html_sizes(size: int) -> str:
    """One column: a story, then S_H2 set at ``size`` px (the body is 14 px), then text."""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: 400px 600px; margin: 0 }}
body {{ margin: 40px; width: 320px; font-family: 'Noto Serif CJK SC', serif; font-size: 14px; line-height: 1.6 }}
p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 28px; margin: 0 0 8px }}
h2 {{ font-size: {size}px; margin: 8px 0 }}
</style></head><body><h1>老旧小区改造提速</h1><p>{S_P1}</p><p>{S_P2}</p><h2>{S_H2}</h2><p>{S_P3}</p></body></html>"""


# A dense page: six columns of short stories, text set ragged (not justified), so lines end short
# where a comma may not start the next line.
_SENTENCES = ["居民们说，社区的变化看得见、摸得着", "工作人员介绍，这项服务已经覆盖全部街道",
              "下一步，还将继续听取群众意见，不断改进工作", "活动现场气氛热烈，不少市民带着孩子一起参加",
              "据统计，今年以来已累计服务群众五千多人次", "有关部门表示，将加强日常管理，确保设施正常使用"]


def dense_articles(n: int = 12) -> list[tuple[str, str, list[str]]]:
    """(title, byline, paragraphs) of ``n`` distinct short stories."""
    out = []
    for k in range(n):
        paras = []
        for j in range(3):
            s = [_SENTENCES[(k + j + i) % len(_SENTENCES)] for i in range(2 + (k + j) % 3)]
            paras.append(f"第{k + 1}篇第{j + 1}段，" + "；".join(s) + "。")
        out.append((f"第{k + 1}条消息的标题", f"本报记者 {'张王李赵刘陈'[k % 6]}{'一二三四五六七八九十甲乙'[k]}", paras))
    return out


def dense_html(articles) -> str:
    e = html.escape
    body = "".join(f"<h2>{e(t)}</h2><p class=b>{e(b)}</p>" + "".join(f"<p>{e(x)}</p>" for x in ps)
                   for t, b, ps in articles)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: 1100px 1500px; margin: 0 }}
body {{ margin: 40px; width: 1020px; height: 1400px; font-family: 'Noto Serif CJK SC', serif; font-size: 13px;
       line-height: 1.5; columns: 6; column-gap: 20px; column-fill: auto }}
p {{ margin: 0; text-indent: 2em }} p.b {{ text-indent: 0 }} h2 {{ font-size: 20px; margin: 8px 0 4px }}
</style></head><body>{body}</body></html>"""
