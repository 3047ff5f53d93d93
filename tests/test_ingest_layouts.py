"""Ingest on page layouts other than the seed, each with its expected structure, and on bad input."""
from __future__ import annotations

import random
import time

import pytest

from conftest import run_cli
from broadsheet.ingest import parse_page, read_page

MULTILINE_HEADLINE = """\
奋进新征程 建功新时代
全市重点项目建设跑出加速度
——一季度完成投资286亿元，同比增长12.5%

本报记者 王五 通讯员 赵六

今年以来，我市坚持项目为王，一季度全市重点项目完成投资286亿元，同比增长12.5%，为全年目标打下坚实基础。

市发展改革委有关负责人介绍，一批补短板、强弱项的重大项目集中开工，项目储备更加充足。

经济新闻
"""


def test_multiline_headline_with_kicker_and_subtitle():
    page = parse_page(MULTILINE_HEADLINE, "p.txt")
    [a] = page.items
    assert (a.kind, a.kicker, a.title) == ("article", "奋进新征程 建功新时代", "全市重点项目建设跑出加速度")
    assert a.subtitle == "——一季度完成投资286亿元，同比增长12.5%"
    assert a.authors == ("王五", "赵六")
    assert dict(a.author_roles) == {"王五": "本报记者", "赵六": "通讯员"}
    assert a.dateline == "本报记者 王五 通讯员 赵六"
    assert len(a.body) == 2 and page.section == "经济新闻"


BENBAO = """\
第3版 社会新闻

老旧小区改造惠及万户居民

本报记者 李明

本报讯(记者 李明)记者从市住建局获悉，今年我市将改造老旧小区120个，惠及居民1.2万户。

改造内容包括屋面防水、管网更新和加装电梯等，预计年底前全部完工。

一季度经济数据发布

新华社北京4月6日电(记者 张华)国家统计局今天发布数据，一季度国内生产总值同比增长。
"""


def test_benbao_bylines_datelines_and_page_header():
    page = parse_page(BENBAO, "p.txt")
    assert page.page_number == 3 and page.section == "社会新闻"
    a = page.items[0]
    assert a.title == "老旧小区改造惠及万户居民" and a.authors == ("李明",)
    assert dict(a.author_roles) == {"李明": "本报记者"}
    assert a.dateline == "本报记者 李明"
    assert [i.kind for i in page.items] == ["article", "article"]
    b = page.items[1]
    assert b.title == "一季度经济数据发布" and b.authors == ("张华",)
    assert b.dateline == "新华社北京4月6日电（记者 张华）"


PHOTOS = """\
春到公园

本报讯 连日来，市人民公园的樱花竞相开放，吸引众多市民前来观赏。

图为市民在樱花树下拍照留念。
本报记者 张三 摄

孩子们在草坪上放风筝。

李四 摄

3月28日，志愿者在公园内清理垃圾，倡导文明游园。
摄影：王五

城市生活
"""


def test_several_photos():
    page = parse_page(PHOTOS, "p.txt")
    kinds = [i.kind for i in page.items]
    assert kinds == ["article", "photo", "photo", "photo"]
    credits = [i.credit for i in page.items[1:]]
    assert credits == ["本报记者 张三", "李四", "王五"]
    assert page.items[2].body[0].text == "孩子们在草坪上放风筝。"


ADS_TOP = """\
春季家装节
全场五折起
详询热线 12345678

诚信经营 服务为本
某某家居有限公司

市场监管部门开展春季消费维权行动

本报讯 为维护消费者合法权益，市市场监管局近日开展春季消费维权专项行动。

行动期间，执法人员共检查经营户320家，责令整改问题18个。

消费
"""


def test_ads_at_the_top():
    page = parse_page(ADS_TOP, "p.txt")
    assert [i.kind for i in page.items] == ["advertisement", "advertisement", "article"]
    assert page.items[1].advertiser == "某某家居有限公司"
    assert page.items[2].title == "市场监管部门开展春季消费维权行动"


NO_FOOTER = """\
乡村振兴看今朝

村里修了新路，建了文化广场，村民的日子越过越红火。

今年，村里还将发展特色种植，带动更多村民增收致富。
"""


def test_page_with_no_footer():
    page = parse_page(NO_FOOTER, "p.txt")
    assert page.footer is None and page.section == ""
    [a] = page.items
    assert a.title == "乡村振兴看今朝" and len(a.body) == 2
    assert any(n.kind == "section" for n in page.uncertain)


def test_gbk_file_is_detected_and_decoded(tmp_path):
    f = tmp_path / "page-2.txt"
    f.write_bytes(MULTILINE_HEADLINE.replace("\n", "\r\n").encode("gbk"))
    page = read_page(f)
    assert page.encoding == "gb18030"
    assert page.items[0].title == "全市重点项目建设跑出加速度"
    assert page.items[0].subtitle.startswith("——一季度")


def test_utf8_bom_and_crlf(tmp_path):
    f = tmp_path / "p.txt"
    f.write_bytes(b"\xef\xbb\xbf" + MULTILINE_HEADLINE.replace("\n", "\r\n").encode("utf-8"))
    assert read_page(f).items[0].kicker == "奋进新征程 建功新时代"


ENGLISH = """\
City opens new riverside park

By Jane Doe and John Roe

The city opened its new riverside park on Saturday, drawing thousands of visitors.

Officials said the park would

be expanded next year, adding a cycle path along the river.

Volunteers plant trees on Arbor Day.
Photo: Mary Major

Local News
"""


def test_english_page():
    page = parse_page(ENGLISH, "p.txt")
    assert [i.kind for i in page.items] == ["article", "photo"]
    a = page.items[0]
    assert a.title == "City opens new riverside park"
    assert a.authors == ("Jane Doe", "John Roe")
    assert [e.text for e in a.body] == [
        "The city opened its new riverside park on Saturday, drawing thousands of visitors.",
        "Officials said the park would be expanded next year, adding a cycle path along the river."]
    assert page.items[1].credit == "Mary Major"
    assert page.section == "Local News"
    assert page.punctuation_converted == 0


def test_only_ads_page():
    page = parse_page("某某银行\n存款利率优惠\n\n某某酒业\n百年佳酿\n", "ads.txt")
    assert [i.kind for i in page.items] == ["advertisement", "advertisement"]


@pytest.mark.parametrize("data,message", [
    (b"", "the page is empty"),
    (b"\n \n\t\n", "the page is empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "binary file"),
    (b"abc \xff\xff\xff text", "cannot decode byte 0xff at byte offset 4"),
])
def test_bad_input_gets_a_clear_message_and_nothing_written(tmp_path, data, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    content = tmp_path / "content"
    proc = run_cli("ingest", f, "--edition", "2024-01-02", "--content", content)
    assert proc.returncode == 1
    assert message in proc.stderr and str(f) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not content.exists()


def test_bad_edition_date(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text(NO_FOOTER, "utf-8")
    proc = run_cli("ingest", f, "--edition", "2024-02-30", "--content", tmp_path / "c")
    assert proc.returncode == 1 and "--edition: '2024-02-30' is not a real date" in proc.stderr


def _big_page(target_bytes: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"
    parts, size, n = [], 0, 0
    while size < target_bytes:
        n += 1
        if n % 9 == 0:
            block = "".join(rnd.choice(chars) for _ in range(rnd.randint(8, 16)))
        else:
            block = "".join(rnd.choice(chars) for _ in range(rnd.randint(60, 300))) + "。"
        parts.append(block)
        size += len(block.encode()) + 2
    return "\n\n".join(parts)


def test_ten_megabyte_page_in_bounded_time(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(_big_page(10 * 2**20), "utf-8")
    t = time.perf_counter()
    page = read_page(f)
    elapsed = time.perf_counter() - t
    assert page.items and elapsed < 120, elapsed  # generous bound; bench/ingest_bench.py measures


FURNITURE = """\
2024年3月1日 星期五 第5版 责任编辑：张三 美术编辑：李四

城市更新提速

本报记者 王五 通讯员 赵六 报道

今年以来，我市城市更新项目全面提速，一批老旧街区焕发新颜。

校对：孙七

城市
"""


def test_page_furniture_and_byline_with_verb():
    page = parse_page(FURNITURE, "p.txt")
    [a] = page.items
    assert a.title == "城市更新提速" and a.authors == ("王五", "赵六")
    assert dict(a.author_roles) == {"王五": "本报记者", "赵六": "通讯员"}
    assert a.dateline == "本报记者 王五 通讯员 赵六 报道"
    assert [e.text for e in a.body] == ["今年以来，我市城市更新项目全面提速，一批老旧街区焕发新颜。"]
    assert page.page_number == 5 and page.section == "城市"
    assert [text for _, text in page.furniture] == ["校对：孙七"]


CAPTIONS = """\
春光里的城市

本报讯 连日来，我市各大公园游人如织。

市民在人民公园赏花拍照。（本报记者 张三 摄）

孩子们在草坪上放风筝。(李四 摄)

副刊
"""


def test_captions_with_credit_in_parentheses():
    page = parse_page(CAPTIONS, "p.txt", keep_punctuation=True)
    assert [i.kind for i in page.items] == ["article", "photo", "photo"]
    assert [i.credit for i in page.items[1:]] == ["本报记者 张三", "李四"]
    assert page.items[1].body[0].text == "市民在人民公园赏花拍照。（本报记者 张三 摄）"


POEM = """\
春天的约定

张三

春风吹过山岗
桃花开满枝头
我们约好
在花开的时候相见

燕子飞回屋檐
柳枝轻拂水面
你说春天
是一首写不完的诗

國窖
1573
天地同醉 人间共生

副刊
"""


def test_poem_stanzas_stay_in_the_poem_and_the_ad_after_it_does_not():
    page = parse_page(POEM, "p.txt")
    assert [i.kind for i in page.items] == ["article", "advertisement"]
    poem = page.items[0]
    assert poem.title == "春天的约定" and poem.authors == ("张三",)
    assert [e.text for e in poem.body][:4] == ["春风吹过山岗", "桃花开满枝头", "我们约好", "在花开的时候相见"]
    assert len(poem.body) == 8 and all(e.kind == "line" for e in poem.body)


CONTINUED = """\
（上接第1版）

各地还将加大投入，确保项目按期完工。

全市推进乡村振兴

本报北京4月6日电（记者 张三）全市乡村振兴工作会议今天召开。

会议要求，各地要压实责任。

（下转第3版）

要闻
"""


def test_continuation_markers_stay_in_the_text():
    page = parse_page(CONTINUED, "p.txt")
    first, second = page.items
    assert first.kind == "article" and first.body[0].text == "（上接第1版）"
    assert any(n.kind == "title" for n in page.uncertain)  # a continued article has no headline here
    assert second.title == "全市推进乡村振兴" and second.authors == ("张三",)
    assert second.dateline == "本报北京4月6日电（记者 张三）"
    assert second.body[-1].text == "（下转第3版）"


def test_caption_with_credit_on_the_same_line():
    text = ("校园安全\n\n本报讯 近日，各校开展安全教育活动。\n\n"
            "4月11日，文林小学开展安全教育活动。图为师生签名。 赵明明 摄\n\n"
            "会议要求，各校要落实责任，他说：“安全无小事。”\n\n教育\n")
    page = parse_page(text, "p.txt")
    assert [i.kind for i in page.items] == ["article", "photo"]
    assert page.items[0].body[-1].text.startswith("会议要求")  # text after an inset photo continues its article
    photo = page.items[1]
    assert photo.kind == "photo" and photo.credit == "赵明明"
    assert photo.body[0].text.endswith("赵明明 摄")
    # a paragraph ending in a quotation is not a caption
    assert all("安全无小事" not in i.body[0].text for i in page.items if i.kind == "photo")
