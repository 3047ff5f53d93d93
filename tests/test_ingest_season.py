"""Ingest on the layouts of a political-meeting season, each on a small page written here.

Found on more tuning pages (bench/rmrb_render.py: other dates of the dev set's source, never the
held-back editions); the texts below are our own: remarks signed with a dash under them, numbered
lists under their own headline, features whose parts open with a lead-in (某某代表团——), parts
signed alike by teams of reporters, wire stories closed by a bracketed dateline, chart sources.
"""
from __future__ import annotations

from broadsheet.ingest import parse_page


def _titles(page):
    return [i.title for i in page.items if i.kind == "article"]


def _article(page, title):
    [found] = [i for i in page.items if i.kind == "article" and i.title == title]
    return found


def _texts(item):
    return [e.text for e in item.body]


REMARKS = """\


以实干担当推动乡村振兴

春耕时节，几位代表委员谈起各自的调研，话题都落在乡村的人和产业上。

建议把农村寄递物流纳入县域商业体系统筹建设，让山货出得去、网购进得来，农民少跑路、多增收。

——王海燕代表（某某县某某村党支部书记）

建议加强对农村留守老人的关爱服务，推广互助养老，让老人在家门口就能吃上热饭、看上小病。

——全国政协委员，某某医科大学教授陈立新

建议完善高标准农田建后管护机制，明确管护主体和资金来源，让良田长久发挥效益。

——某某农业合作社理事长刘春生代表

第6版
"""


def test_a_dash_line_signs_the_remark_above_it_and_heads_nothing():
    """——王某代表（某某村党支部书记）: who said the paragraph above, not a headline with a column tag
    (a headline never opens with a dash); the remarks stay one article with their signatures as text."""
    page = parse_page(REMARKS, "p.txt")
    assert _titles(page) == ["以实干担当推动乡村振兴"]
    texts = _texts(page.items[0])
    assert "——王海燕代表（某某县某某村党支部书记）" in texts and "——全国政协委员，某某医科大学教授陈立新" in texts
    assert texts[-1] == "——某某农业合作社理事长刘春生代表"


HONOURS = """\


某某部门命名第五批社区服务标兵

本报北京3月4日电  （记者周  敏）某某部门近日命名第五批社区服务标兵，号召各地学习他们扎根基层、热心服务的事迹。

某某部门要求，各地要做好标兵事迹的宣传，让身边榜样可亲可学。

第五批社区服务标兵名单

（共8个）

1.某某市东城区某某街道便民服务站

2.某某县第一中学志愿服务队

3.某某市人民医院急诊科护理组

4.某某区某某社区老年食堂

5.某某镇卫生院家庭医生团队

6.某某市图书馆流动服务小组

7.某某县供电所抢修班

8.某某市公交集团爱心车队

第4版
"""


def test_a_numbered_list_has_its_own_headline_and_no_entry_heads_a_story():
    """名单 / （共8个） / 1.… 2.…: under a finished news story, the unnumbered line over numbered
    entries is the list's headline; the entries are its lines, none a headline."""
    page = parse_page(HONOURS, "p.txt")
    assert _titles(page) == ["某某部门命名第五批社区服务标兵", "第五批社区服务标兵名单"]
    news, honours = [i for i in page.items if i.kind == "article"]
    assert len(news.body) == 2
    assert _texts(honours)[0] == "（共8个）" and _texts(honours)[-1] == "8.某某市公交集团爱心车队"
    assert len(honours.body) == 9


LEAD_INS = """\


在代表团驻地听发展心声

某某省代表团——

让老工业基地焕发新活力

本报记者  张  华  李  明

“这两年，我们厂的生产线全部完成了智能化改造。”来自老工业基地的代表说，改造后产品合格率明显提高。

谈到今后的打算，他说，要继续在技术创新上下功夫，让老厂房里长出新产业。

某某自治区代表团——

把生态优势转化为发展优势

本报记者  王  强  赵  敏

草原上的风电场一座连着一座。代表们说，守好生态底线，绿色能源就是群众增收的新路子。

“牧民当上了风电场的运维工，收入比过去翻了一番。”一位代表说。

第5版
"""


def test_parts_that_open_with_a_lead_in_are_one_feature_even_right_under_the_headline():
    """Headline, then at once 某某代表团—— / part title / reporters' byline, twice: one feature (the
    paper lists it as one story), each lead-in and part title a sub-head, all reporters its authors."""
    page = parse_page(LEAD_INS, "p.txt")
    assert _titles(page) == ["在代表团驻地听发展心声"]
    feature = page.items[0]
    assert [e.text for e in feature.body if e.kind == "h"] == [
        "某某省代表团——", "让老工业基地焕发新活力", "某某自治区代表团——", "把生态优势转化为发展优势"]
    assert feature.authors == ("张华", "李明", "王强", "赵敏")


NOTED_PARTS = """\


代表委员谈基层减负

基层减负，减的是形式主义的负担，增的是干事创业的动力。几位代表委员结合履职调研谈了看法。

陈  伟代表——

少填表格多办实事

“过去一个村要应付几十种报表，现在通过数据共享，很多表格系统自动生成。”陈伟说，减下来的时间，干部都用在了走访群众上。

（本报记者刘  洋整理）

林  静委员——

把考核的尺子交给群众

林静说，考核要看实绩，更要听群众怎么说。群众满意不满意，应当成为衡量工作的重要标准。

（本报记者孙  悦整理）

第7版
"""


def test_a_lead_in_after_an_earlier_parts_lead_in_goes_on_with_the_feature():
    """Parts signed at their end by a note in brackets: the next part's lead-in (林静委员——) follows
    a note, yet continues the feature whose earlier part opened the same way."""
    page = parse_page(NOTED_PARTS, "p.txt")
    assert _titles(page) == ["代表委员谈基层减负"]
    heads = ["".join(e.text.split()) for e in page.items[0].body if e.kind == "h"]
    assert heads == ["陈伟代表——", "少填表格多办实事", "林静委员——", "把考核的尺子交给群众"]
    assert "".join(_texts(page.items[0])[-1].split()) == "（本报记者孙悦整理）"


TEAMS = """\


一线观察：实干托起新答卷

春天的田野、车间和社区里，处处是忙碌的身影。本报记者走进田间地头和工厂车间，记下一个个普通劳动者干事创业的故事。

田间地头的新农人

本报记者  吴  迪  郑  楠  高  远

清晨六点，合作社的无人机已经飞上麦田。年轻的社长说，种地靠的是科技，也靠对土地的感情。

合作社去年的亩均收益比前年提高了两成，周边农户纷纷要求入社。

车间里的工匠梦

本报记者  宋  佳  彭  程  马  骁

焊花飞溅，一位老师傅正手把手教徒弟。他说，手艺要传下去，还要在新设备上练出新本事。

今年，车间又有十几名年轻人考取了高级技工证书。

第8版
"""


def test_parts_signed_alike_by_teams_of_reporters_are_one_feature():
    """After its first part (taken in under an unsigned introduction), a part signed the same way —
    the paper's reporters, three of them — is a further part, not a story of its own."""
    page = parse_page(TEAMS, "p.txt")
    assert _titles(page) == ["一线观察：实干托起新答卷"]
    assert [e.text for e in page.items[0].body if e.kind == "h"] == ["田间地头的新农人", "车间里的工匠梦"]


WIRE = """\


某某资源保护条例

第一章  总  则

第一条  为了加强某某资源保护，规范某某资源开发利用，促进某某资源可持续利用，制定本条例。

第二条  在本行政区域内从事某某资源保护、开发利用及其监督管理活动，适用本条例。

第二章  保护和利用

第三条  县级以上人民政府应当将某某资源保护纳入国民经济和社会发展规划，建立某某资源保护协调机制。

第四条  开发利用某某资源应当坚持保护优先、合理利用的原则，不得破坏某某资源的完整性。

第三章  附  则

第五条  本条例自2026年5月1日起施行。

（新华社北京3月12日电）

把某某资源保护条例落到实处

某某资源保护条例的公布施行，为某某资源保护和开发利用提供了法治保障。保护某某资源，既要有制度，也要有落实。

各地要把某某资源保护纳入发展规划，健全保护协调机制，坚持保护优先、合理利用，让条例的各项规定落到实处。

第3版
"""


def test_a_bracketed_wire_dateline_closes_the_story_above():
    """（新华社北京3月12日电） under a document: it is complete, so the headline after it starts an
    article of its own, though the commentary speaks of the same 条例 in the same words."""
    page = parse_page(WIRE, "p.txt")
    assert _titles(page) == ["某某资源保护条例", "把某某资源保护条例落到实处"]
    assert _texts(page.items[0])[-1] == "（新华社北京3月12日电）"


CHART = """\


居民收入稳步增长

本报北京1月18日电  （记者何  平）国家统计局数据显示，去年全国居民人均可支配收入实际增长5%以上，城乡居民收入差距继续缩小。

农村居民收入增速快于城镇居民，工资性收入和经营净收入都有增长。

数据来源：国家统计局

春节假期出游人数创新高

本报北京1月18日电  （记者常  青）春节假期，各地文旅市场人气旺盛，出游人数和花费均创历史新高。

第2版
"""


def test_a_chart_source_line_stays_with_the_story_above():
    page = parse_page(CHART, "p.txt")
    assert _titles(page) == ["居民收入稳步增长", "春节假期出游人数创新高"]
    assert _texts(page.items[0])[-1] == "数据来源：国家统计局"


WISH = """\


开好大会  共创未来（社论）

春风浩荡，万象更新。全国两会今天开幕，代表委员们肩负人民重托，共商国是。

让我们更加紧密地团结起来，为实现新的目标任务而努力奋斗。

预祝大会圆满成功！

某某会议今日下午开幕

新华社北京3月4日电  某某会议今天下午在北京开幕，会期六天半。

第1版
"""


def test_a_closing_wish_ends_the_editorial_and_is_no_kicker():
    """预祝大会圆满成功！ under an editorial, right above the next story's headline: the editorial's
    last line (an exclamation closes a text; a kicker over a dated story does not shout)."""
    page = parse_page(WISH, "p.txt")
    assert _titles(page) == ["开好大会  共创未来（社论）", "某某会议今日下午开幕"] or \
        _titles(page) == ["开好大会 共创未来（社论）", "某某会议今日下午开幕"]
    editorial, news = [i for i in page.items if i.kind == "article"]
    assert _texts(editorial)[-1] == "预祝大会圆满成功！" and not news.kicker


def _essay() -> str:
    """A long essay with no byline: three sections headed by quotations, the last over text on
    another subject (what the world says), as such essays end."""
    return """\


长风万里  步履铿锵

这是一个关于奋斗的故事。回望来路，每一步都走得踏实；眺望前方，每一程都充满希望。

时代的答卷，要靠每一个人用实干来书写。

“一张蓝图绘到底”

在西部山区，一条新修的公路改变了许多人的生活。当地干部介绍，一条新修的公路投用以来，让群众的日子越过越红火。西部山区的变化，是千千万万个地方变化的缩影。

在东部沿海，一座智能工厂改变了许多人的生活。当地干部介绍，一座智能工厂投用以来，让产业的链条越拉越长。东部沿海的变化，是千千万万个地方变化的缩影。

在北方草原，一家直播小店改变了许多人的生活。当地干部介绍，一家直播小店投用以来，让年轻人愿意留下来。北方草原的变化，是千千万万个地方变化的缩影。

在南方水乡，一片高标准农田改变了许多人的生活。当地干部介绍，一片高标准农田投用以来，让老人们的笑容多了起来。南方水乡的变化，是千千万万个地方变化的缩影。

在中部平原，一所乡村学校改变了许多人的生活。当地干部介绍，一所乡村学校投用以来，让生态的底色更加鲜亮。中部平原的变化，是千千万万个地方变化的缩影。

在东北林区，一个社区食堂改变了许多人的生活。当地干部介绍，一个社区食堂投用以来，让城市的脉搏更加有力。东北林区的变化，是千千万万个地方变化的缩影。

在西南边陲，一座光伏电站改变了许多人的生活。当地干部介绍，一座光伏电站投用以来，让乡村的面貌焕然一新。西南边陲的变化，是千千万万个地方变化的缩影。

在黄河岸边，一条冷链物流线改变了许多人的生活。当地干部介绍，一条冷链物流线投用以来，让创新的火花竞相迸发。黄河岸边的变化，是千千万万个地方变化的缩影。

在长江之滨，一家科技企业改变了许多人的生活。当地干部介绍，一家科技企业投用以来，让开放的大门越开越大。长江之滨的变化，是千千万万个地方变化的缩影。

在高原牧场，一座文化礼堂改变了许多人的生活。当地干部介绍，一座文化礼堂投用以来，让群众的日子越过越红火。高原牧场的变化，是千千万万个地方变化的缩影。

“把人民放在心上”

在海岛渔村，一个数字档案馆改变了许多人的生活。当地干部介绍，一个数字档案馆投用以来，让产业的链条越拉越长。海岛渔村的变化，是千千万万个地方变化的缩影。

在大漠绿洲，一处生态湿地改变了许多人的生活。当地干部介绍，一处生态湿地投用以来，让年轻人愿意留下来。大漠绿洲的变化，是千千万万个地方变化的缩影。

在丘陵茶园，一支志愿服务队改变了许多人的生活。当地干部介绍，一支志愿服务队投用以来，让老人们的笑容多了起来。丘陵茶园的变化，是千千万万个地方变化的缩影。

在江南古镇，一个养老驿站改变了许多人的生活。当地干部介绍，一个养老驿站投用以来，让生态的底色更加鲜亮。江南古镇的变化，是千千万万个地方变化的缩影。

在边境口岸，一座现代化港口改变了许多人的生活。当地干部介绍，一座现代化港口投用以来，让城市的脉搏更加有力。边境口岸的变化，是千千万万个地方变化的缩影。

在老工业区，一家研发中心改变了许多人的生活。当地干部介绍，一家研发中心投用以来，让乡村的面貌焕然一新。老工业区的变化，是千千万万个地方变化的缩影。

在新兴城区，一处非遗工坊改变了许多人的生活。当地干部介绍，一处非遗工坊投用以来，让创新的火花竞相迸发。新兴城区的变化，是千千万万个地方变化的缩影。

在革命老区，一个创业孵化园改变了许多人的生活。当地干部介绍，一个创业孵化园投用以来，让开放的大门越开越大。革命老区的变化，是千千万万个地方变化的缩影。

在黔北山村，一座跨江大桥改变了许多人的生活。当地干部介绍，一座跨江大桥投用以来，让群众的日子越过越红火。黔北山村的变化，是千千万万个地方变化的缩影。

在川西高原，一个智慧牧场改变了许多人的生活。当地干部介绍，一个智慧牧场投用以来，让产业的链条越拉越长。川西高原的变化，是千千万万个地方变化的缩影。

“以天下之利为利”

国际观察人士认为，这样的发展道路为世界提供了新的选择。一位来自非洲的学者说，他在访问中看到了减贫的真实成效。

一位欧洲企业家表示，开放的市场和完善的产业链，是他们持续加大投资的重要原因。

多国媒体刊文指出，共同发展的理念正在得到越来越多国家的认同。

第1版
"""


def test_quoted_sub_heads_of_a_long_unsigned_essay_go_on_as_its_sub_heads():
    """Once the essay has a quotation for a sub-head, a further one-quotation line with no dateline
    under it is its next sub-head — even after twenty paragraphs and a change of subject."""
    page = parse_page(_essay(), "p.txt")
    assert _titles(page) == ["长风万里  步履铿锵"] or _titles(page) == ["长风万里 步履铿锵"]
    assert [e.text for e in page.items[0].body if e.kind == "h"] == [
        "“一张蓝图绘到底”", "“把人民放在心上”", "“以天下之利为利”"]


SECTIONS = """\


走在高质量发展的路上

新春伊始，本报记者分赴各地，走进车间、市场和村庄，记录各地因地制宜推进高质量发展的新探索、新实践和新成效。

建设现代化产业体系

老厂区里长出新产业

本报记者  江  涛

一座建于上世纪的老厂区，如今成了新材料企业的聚集地。企业负责人说，老厂房改造后，研发和生产都在这里完成。

园区还引进了检测、金融等配套服务，入驻企业一年比一年多。

扩大国内需求

“夜经济”点亮消费新场景

本报记者  陆  洋

夜幕降临，步行街上人流如织。小吃摊、文创店、演出舞台前都挤满了人，不少商户的营业额比去年同期明显增长。

当地商务部门说，下一步还将延长公共交通运营时间，方便市民夜间出行。

第6版
"""


def test_parts_headed_by_a_section_name_over_their_title_are_one_feature():
    """Each part: the section it reports on, its title, one reporter: set the same way as the first
    part, a quoted title or not, the second part is the feature's too."""
    page = parse_page(SECTIONS, "p.txt")
    assert _titles(page) == ["走在高质量发展的路上"]
    assert page.items[0].authors == ("江涛", "陆洋")


LONG_HEAD = """\


某某部门和某某委员会领导同志分别到各省区市代表团驻地看望代表、听取意见建议、共商发展大计、了解基层情况

新华社北京3月5日电  某某部门领导同志5日分别到各代表团驻地，看望代表，听取对政府工作报告的意见和建议。

代表们结合本地实际，就稳就业、促消费、强创新等话题踊跃发言。

第3版
"""


def test_a_long_listing_headline_over_a_dateline_is_the_title():
    """A headline of more than forty characters, punctuated with 、 as it lists what was done, is
    still the headline when a dateline stands right under it (no title is invented from the text)."""
    page = parse_page(LONG_HEAD, "p.txt")
    assert _titles(page) == ["某某部门和某某委员会领导同志分别到各省区市代表团驻地看望代表、听取意见建议、共商发展大计、了解基层情况"]
    assert not [n for n in page.uncertain if n.kind == "title"]


def test_a_long_listing_headline_over_a_byline_is_the_title_too():
    page = parse_page(LONG_HEAD.replace("新华社北京3月5日电  某某部门", "本报记者  方  舟\n\n某某部门"), "p.txt")
    assert _titles(page) == ["某某部门和某某委员会领导同志分别到各省区市代表团驻地看望代表、听取意见建议、共商发展大计、了解基层情况"]
    assert page.items[0].authors == ("方舟",)


REPORT = """\


关于某某条例草案的说明

某某委员会副主任  齐  明

各位代表：

我受某某委员会委托，现对某某条例草案作说明。

一、制定条例的必要性

（一）制定条例是贯彻落实党中央关于加强某某资源保护决策部署，推进资源节约集约利用的重要举措

党中央高度重视某某资源保护工作，作出一系列决策部署。制定条例，有利于把这些部署转化为法律制度。

（二）制定条例是回应人民群众关切，解决某某资源保护领域突出问题的现实需要

近年来，一些地方某某资源遭到破坏，群众反映强烈。制定条例，有利于压实责任、堵塞漏洞。

第5版
"""


def test_a_long_numbered_sub_head_is_not_half_a_paragraph():
    """（一）制定条例是……的重要举措: longer than any sub-head and with no final mark, but numbered as a
    section of the report and ending where a phrase ends — the paragraph under it is not joined."""
    page = parse_page(REPORT, "p.txt")
    texts = _texts(page.items[0])
    assert "（一）制定条例是贯彻落实党中央关于加强某某资源保护决策部署，推进资源节约集约利用的重要举措" in texts
    assert texts[-1] == "近年来，一些地方某某资源遭到破坏，群众反映强烈。制定条例，有利于压实责任、堵塞漏洞。"


DOCUMENTS = """\


某某市人民政府令

第十二号

《某某市公共场所控制吸烟规定》已经市人民政府常务会议通过，现予公布，自2026年6月1日起施行。

市长  高  峰

2026年3月12日

某某市人民代表大会闭幕

本报某某3月12日电  （记者易  平）某某市第十六届人民代表大会第五次会议今天闭幕。会议表决通过了各项决议。

某某市第十六届人民代表大会第五次会议关于政府工作报告的决议

某某市第十六届人民代表大会第五次会议听取和审议了市长所作的政府工作报告，决定批准这个报告。

某某市第十六届人民代表大会第五次会议关于市中级人民法院工作报告的决议

某某市第十六届人民代表大会第五次会议听取和审议了市中级人民法院院长所作的工作报告，决定批准这个报告。

第2版
"""


def test_an_orders_number_is_not_its_title_and_each_resolution_is_a_text_of_its_own():
    """某某令 / 第十二号: the number is the order's subtitle, its name the title; under a dated report of
    a session, each 关于…的决议 (an official document's title, ending in its kind) heads a text of its
    own, though set alike and on the same subject."""
    page = parse_page(DOCUMENTS, "p.txt")
    assert _titles(page) == [
        "某某市人民政府令", "某某市人民代表大会闭幕",
        "某某市第十六届人民代表大会第五次会议关于政府工作报告的决议",
        "某某市第十六届人民代表大会第五次会议关于市中级人民法院工作报告的决议"]
    assert page.items[0].subtitle == "第十二号"


AFTER_REPORT = """\


某某市召开城市更新工作会议

本报某某3月30日电  （记者石  磊）某某市近日召开城市更新工作会议，部署今年老旧小区改造、街区更新等重点任务。

会议提出，要坚持以人民为中心，让城市更新惠及更多居民。

让城市更新更有温度

春风拂面，老城焕新。走进某某市的老街区，青砖灰瓦依旧，街巷却干净整洁了许多。

新旧共融——

留住烟火气，老街更有人情味

改造中，当地保留了老街的格局和老字号店铺，居民们说，熟悉的味道还在，生活却方便多了。

内外兼修——

管好小区事，居民更有幸福感

不少小区成立了居民议事会，停车、加装电梯等难题大家商量着办，邻里关系也更加融洽了。

第5版
"""


def test_a_lead_in_below_does_not_make_a_headline_a_section_of_the_signed_report_above():
    """A dated report, then an unsigned article whose sections open with lead-ins (新旧共融——): the
    lead-ins are no section heads of the report, so the article's headline is not read as one."""
    page = parse_page(AFTER_REPORT, "p.txt")
    assert _titles(page) == ["某某市召开城市更新工作会议", "让城市更新更有温度"]


def test_short_sub_heads_of_one_length_are_a_series_of_sub_heads():
    """Four-character sub-heads (春天的路 / 夏天的河 / 秋天的山), each over several paragraphs of a story
    nobody signs: heads of one length set as a series are its sections, not new stories."""
    essay = _essay().replace("“一张蓝图绘到底”", "春天的路").replace("“把人民放在心上”", "夏天的河") \
        .replace("“以天下之利为利”", "秋天的山")
    page = parse_page(essay, "p.txt")
    assert len(_titles(page)) == 1
    assert [e.text for e in page.items[0].body if e.kind == "h"] == ["春天的路", "夏天的河", "秋天的山"]


ANNEX = """\


某某市人民代表大会常务委员会关于废止部分地方性法规的决定

某某市人民代表大会常务委员会决定：废止附件所列的地方性法规。本决定自公布之日起施行。

附件：失效和废止的地方性法规、有关法规问题的决定目录（3件）

附件：

失效和废止的地方性法规、有关法规问题的决定目录（3件）

1.某某市城市市容管理条例

2.某某市集贸市场管理条例

3.某某市公共汽车客运管理条例

第4版
"""


def test_a_headings_words_set_again_are_text_not_a_layout_repeat():
    """附件：某某目录 / 附件： / 某某目录: the list's title repeats the end of a heading two blocks up,
    but a heading is no paragraph whose column overflowed — the line is kept, nothing is lost."""
    page = parse_page(ANNEX, "p.txt")
    assert not page.dropped
    written = [t for it in page.items for t in [it.title, *_texts(it)]]
    assert "失效和废止的地方性法规、有关法规问题的决定目录（3件）" in written


ESSAYS = """\


把握高质量发展的辩证法

推动高质量发展，要处理好速度和质量、当前和长远、局部和全局的关系。

只有坚持系统观念，才能在变局中开新局，在发展中保持定力。

（作者为某某学院（某某研究院）马克思主义理论研究中心研究员）

在服务群众中践行初心（思想纵横）

群众利益无小事。把一件件小事办好，就是把初心落在实处。

第9版
"""


def test_an_authors_note_naming_an_institution_in_brackets_closes_the_essay_above():
    """（作者为某某学院（某某研究院）…研究员）: a note in brackets closes the essay, even with brackets of
    its own inside; it is no column tag over the next headline, which starts an article of its own."""
    page = parse_page(ESSAYS, "p.txt")
    assert _titles(page) == ["把握高质量发展的辩证法", "在服务群众中践行初心（思想纵横）"]
    assert _texts(page.items[0])[-1] == "（作者为某某学院（某某研究院）马克思主义理论研究中心研究员）"


VOICES = """\


把惠民生的实事办到群众心坎上（代表委员说）

今年的政府工作报告对保障和改善民生作出部署。几位代表委员结合各自调研，谈了他们的看法和建议。

——编  者

让老旧小区加装电梯更顺畅

政府工作报告提出，持续推进城市更新，加快老旧小区改造。

建议简化加装电梯的审批流程，由街道牵头协调低楼层住户的意见，让老人出行不再难。

——某某市某某区某某街道党工委书记赵明代表

把托育服务送到家门口

政府工作报告提出，发展普惠托育服务，减轻家庭养育负担。

建议利用社区闲置用房建设托育点，给予运营补贴，让年轻父母上班更安心。

——某某大学公共管理学院教授孙丽委员

某某铁路今日开通运营

本报某某3月8日电  （记者钱  进）某某铁路今天开通运营，沿线群众出行时间大幅缩短。

第4版
"""


def test_remarks_signed_with_a_dash_under_an_editors_note_are_one_feature():
    """An editor's note, then remarks each under a head of its own and signed ——某某代表: the paper
    prints them as one story; each head is a sub-head.  The dated story after them is an article."""
    page = parse_page(VOICES, "p.txt")
    assert _titles(page) == ["把惠民生的实事办到群众心坎上（代表委员说）", "某某铁路今日开通运营"]
    feature = page.items[0]
    heads = [e.text for e in feature.body if e.kind == "h"]
    assert heads == ["让老旧小区加装电梯更顺畅", "把托育服务送到家门口"]
    assert _texts(feature)[-1] == "——某某大学公共管理学院教授孙丽委员"


LAW = """\


某某省湿地保护条例

某某省人民代表大会常务委员会公告

第二十三号

《某某省湿地保护条例》已由某某省第十四届人民代表大会常务委员会第九次会议于2026年3月28日通过，现予公布，自2026年6月1日起施行。

某某省人民代表大会常务委员会

2026年3月28日

第一章  总  则

第一条  为了加强湿地保护，维护湿地生态功能和生物多样性，根据有关法律，结合本省实际，制定本条例。

第4版
"""


def test_a_law_under_its_own_title_begins_with_the_notice_that_promulgates_it():
    """某某条例 / 某某公告 / 第二十三号: the document's title heads it; the notice that promulgates it
    (its name and number) is its first text, not a headline over a kicker."""
    page = parse_page(LAW, "p.txt")
    assert _titles(page) == ["某某省湿地保护条例"]
    law = page.items[0]
    assert law.kicker == "" and law.subtitle == ""
    assert _texts(law)[:2] == ["某某省人民代表大会常务委员会公告", "第二十三号"]
