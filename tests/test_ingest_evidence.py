"""Ingest on the failure modes of real daily pages (issue 12), each on a small page written here.

The texts are our own; the forms are those a national daily prints: commentaries with no byline,
double headlines set apart by a wide space, column tags, quoted sub-heads, whole paragraphs
printed twice, credits with agencies, wide-spaced names, multi-part features.
"""
from __future__ import annotations

from broadsheet.ingest import parse_page

STORY = """\


小城夜市点亮烟火气

本报杭州3月2日电  （记者林  涛）入夜，城南老街的夜市准时开张，摊主们支起灯箱，叫卖声此起彼伏。

今年以来，当地统一规划摊位、完善水电设施，夜市从最初的二十几个摊位发展到三百余个，带动周边商户营业额明显增长。

“我们在夜市卖了十年小吃，现在环境好了，回头客越来越多。”摊主周红梅说。

让夜市既有烟火气又有秩序（人民论坛）

夜市是城市的毛细血管，连着商户的生计，也连着居民的生活。管理得好，夜市就是一张名片；管理不好，就会成为扰民的噪声源。

让夜市有序，关键在于细。划线定位、错峰收摊、垃圾即产即清，这些看似琐碎的办法，考验的是管理者的耐心和诚意。

让夜市有温度，关键在于听。多听摊主和居民的意见，才能找到两全的办法。

第3版
"""


def _titles(page):
    return [i.title for i in page.items if i.kind == "article"]


def test_commentary_without_byline_starts_a_new_article():
    page = parse_page(STORY, "p.txt")
    assert _titles(page) == ["小城夜市点亮烟火气", "让夜市既有烟火气又有秩序（人民论坛）"]
    first, second = [i for i in page.items if i.kind == "article"]
    assert len(first.body) == 3 and len(second.body) == 3
    assert first.authors == ("林涛",)  # the wide space inside a two-character name is not part of it


DOUBLE = """\


春耕备耕忙  田间处处新

本报合肥3月5日电  （记者许  静）连日来，各地农民抢抓农时，田间地头一派繁忙景象。

农技人员深入田间指导，帮助农户科学施肥、合理用药，确保春耕生产顺利开展。

第5版
"""


def test_double_headline_with_a_wide_space_is_one_title():
    page = parse_page(DOUBLE, "p.txt")
    [a] = page.items
    assert a.title == "春耕备耕忙  田间处处新" and a.kicker == ""
    assert a.dateline.startswith("本报合肥3月5日电")


QUOTED = """\


社区里的“老娘舅”

本报上海3月6日电  （记者陆  远）在南京路街道，有一支由退休居民组成的调解队，专门化解邻里纠纷，已调解矛盾两百余起。

“把群众的事当自家事”

调解队队长黄建国今年六十八岁，退休前是一名中学教师。他说，调解最要紧的是耐心，先听完双方的话再开口。

去年冬天，两户人家因为晾衣服的事争执不下，黄建国上门三次，终于让双方握手言和。

第6版
"""


def test_quoted_subhead_is_not_joined_to_the_next_paragraph():
    page = parse_page(QUOTED, "p.txt")
    [a] = page.items
    texts = [e.text for e in a.body]
    assert "“把群众的事当自家事”" in texts
    assert any(t.startswith("调解队队长黄建国") for t in texts)
    assert not any(n.kind == "join" for n in page.repairs)


REPEATS = """\


河湖治理见成效

本报南昌3月8日电  （记者江  帆）记者从省水利厅获悉，全省河湖水质持续向好，优良水体比例达到百分之九十五以上，比上年提高两个百分点，创历史最好水平。

这一成绩来之不易。近年来，各地推行河湖长制，建立巡河、护河、治河长效机制，一批黑臭水体得到根治，不少河段重现鱼翔浅底的景象。

一批黑臭水体得到根治，不少河段重现鱼翔浅底的景象。

下一步，全省将继续推进流域综合治理，巩固治理成果。

各地还将完善河湖管护队伍，让群众参与监督。

一些地方探索生态补偿机制，上下游共同出资治水。

“全省河湖水质持续向好，优良水体比例达到百分之九十五以上。”省水利厅负责人在会上再次强调了这一点，并要求各地不松劲。

记者从省水利厅获悉，全省河湖水质持续向好，优良水体比例达到百分之九十五以上，比上年提高两个百分点，创历史最好水平。

第7版
"""


def test_only_fragments_next_to_their_source_are_dropped():
    page = parse_page(REPEATS, "p.txt")
    assert [n.lines[0] for n in page.dropped] == [9]  # the tail of line 7, set again right after it
    [a] = page.items
    texts = [e.text for e in a.body]
    # A whole paragraph printed twice, far from its source, is content: kept and listed.
    assert texts[-1].startswith("记者从省水利厅获悉")
    assert any(n.kind == "repeat" and n.lines[0] == 19 for n in page.uncertain)


PHOTOS = """\


古镇迎来踏青客

3月9日，游客在古镇石桥上拍照留念。

近日，随着气温回升，各地游客纷纷走出家门踏青赏花。
图为游客在花海中游玩。
李  明 摄（影像中国）

3月8日，工人在装配车间内作业。
本报记者  王  强 摄

港口码头一派繁忙。
新华社记者  陈  晨 摄

第9版
"""


def test_photo_credits_agencies_two_line_captions_and_photo_headlines():
    page = parse_page(PHOTOS, "p.txt")
    kinds = [i.kind for i in page.items]
    assert kinds.count("photo") == 3 and "article" in kinds
    photos = [i for i in page.items if i.kind == "photo"]
    assert photos[0].title == "古镇迎来踏青客" or any(
        i.kind == "article" and i.title == "古镇迎来踏青客" for i in page.items)
    two_line = next(p for p in photos if any("花海" in e.text for e in p.body))
    assert [e.text for e in two_line.body] == ["近日，随着气温回升，各地游客纷纷走出家门踏青赏花。", "图为游客在花海中游玩。"]
    assert two_line.credit == "李明（影像中国）"
    assert photos[1].credit == "本报记者 王强" or photos[1].credit.replace(" ", "") == "本报记者王强"
    assert photos[2].credit.replace(" ", "") == "新华社记者陈晨"


SIGNOFF = """\


让老工艺焕发新活力（记者手记）

走进传统竹编工坊，记者看到的不只是手艺，更是一代代匠人的坚守。他们把竹子劈成细如发丝的篾片，编出一件件精美的器物。

守艺不易，创新更难。年轻一代把竹编和现代设计结合起来，让老手艺走进了千家万户。

（本报记者许  晴整理）

海岛开通直达航线

本报海口3月10日电  （记者符  宁）海口至三沙的直达航线今天正式开通，每周往返两班。

航线开通后，岛上居民出行时间将缩短一半以上。

第10版
"""


def test_a_closing_note_stays_with_its_article_and_the_next_headline_starts_one():
    page = parse_page(SIGNOFF, "p.txt")
    assert _titles(page) == ["让老工艺焕发新活力（记者手记）", "海岛开通直达航线"]
    first = page.items[0]
    assert first.body[-1].text == "（本报记者许 晴整理）"


FEATURE = """\


我们的春天故事

春天是播种的季节。本期邀请三位基层工作者，讲述他们的春天。

——编  者

田埂上的新农人

某县农业农村局农技推广站站长  赵立新

清明前后，我每天都在田里转。今年推广的新品种出苗整齐，农户们的脸上都有了笑容。

教室里的春风

某县实验小学教师  孙晓梅

开学第一课，我带着孩子们在校园里种下一棵树，告诉他们春天要做春天的事。

第11版
"""


def test_multi_part_feature_with_an_editors_note_is_one_article():
    page = parse_page(FEATURE, "p.txt")
    assert _titles(page) == ["我们的春天故事"]
    texts = [e.text for e in page.items[0].body]
    assert "田埂上的新农人" in texts and "教室里的春风" in texts
    assert page.items[0].authors == ("赵立新", "孙晓梅")


def test_low_margin_decisions_are_listed_with_the_other_reading():
    page = parse_page(STORY, "p.txt")
    for note in page.uncertain:
        if note.kind in ("headline", "subhead"):
            assert "% sure" in note.message and ("if it is" in note.message)


LEDE = """\


冬日里的暖心驿站（民生一线）

一间小屋、一杯热茶、一个充电口，让户外劳动者在寒风中有了歇脚的地方

“以前送外卖冷了只能躲在楼道里，现在有了驿站，随时能进来暖和暖和。”外卖骑手小刘说。

今年入冬以来，全市新建和改造户外劳动者服务站点一百二十个，配备热水、微波炉和应急药品。

■各地各部门要把服务站点建在劳动者最需要的地方，做到就近、方便、实用，让关爱看得见、摸得着

第12版
"""


def test_a_paragraph_without_a_final_mark_is_not_joined_to_a_quote_or_a_marked_line():
    page = parse_page(LEDE, "p.txt")
    [a] = page.items
    texts = [e.text for e in a.body]
    assert texts[0] == "一间小屋、一杯热茶、一个充电口，让户外劳动者在寒风中有了歇脚的地方"
    assert texts[1].startswith("“以前送外卖")
    assert texts[-1].startswith("■各地各部门")
    assert not any(n.kind == "join" for n in page.repairs)


TABLE = """\


全市表彰一批优秀志愿者

本报南京4月9日电  （记者韩  梅）日前，市志愿服务联合会公布年度优秀志愿者名单，以下志愿者获得表彰。

周  宁

鼓楼区宁海路街道

陈  立

秦淮区环保协会

孙晓燕

玄武区教育志愿者队

郑  浩

市交通志愿服务队

获得表彰的志愿者将被推荐参加全省评选，他们的事迹也将在全市宣传推广，激励更多市民参与志愿服务。

第6版
"""


def test_a_table_of_names_and_units_stays_in_its_article():
    # Each name under a short line looks like a headline over its byline; six short lines in a row
    # are a table, not three articles.
    page = parse_page(TABLE, "p.txt")
    assert _titles(page) == ["全市表彰一批优秀志愿者"]
    (article,) = [i for i in page.items if i.kind == "article"]
    assert article.authors == ("韩梅",)
    texts = [e.text for e in article.body]
    assert texts[1:9] == ["周 宁", "鼓楼区宁海路街道", "陈 立", "秦淮区环保协会", "孙晓燕",
                          "玄武区教育志愿者队", "郑 浩", "市交通志愿服务队"]
    assert texts[-1].startswith("获得表彰的志愿者")


CUT_QUOTE = """\


老街坊的新客厅

本报苏州5月6日电  （记者吴  桐）社区活动中心开放以来，每天都有上百位居民来这里读书、下棋、学手艺。

“过去大家各忙各的，现在有了这个地方，邻里之间走动多了，有事也愿意互相

帮一把。”居民沈阿姨说，她每周都来参加书法班，结识了不少新朋友。

活动中心还开设了老年人智能手机课程，志愿者手把手教大家挂号、缴费和视频通话。

第7版
"""


def test_a_line_that_leaves_a_quotation_open_is_half_a_paragraph_not_a_headline():
    page = parse_page(CUT_QUOTE, "p.txt")
    assert _titles(page) == ["老街坊的新客厅"]
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert any(t.startswith("“过去大家各忙各的") and "互相帮一把。”居民沈阿姨说" in t for t in texts)


SIGNED_PARTS = """\


海外工地上的中国老师

一批中国企业在海外项目所在地开设技能课堂，把技术和经验教给当地青年，帮助他们走上稳定的工作岗位。

东非某输电线路项目——

“我们学会了自己检修线路”

本报记者  顾  远

清晨，项目营地的培训教室里坐满了学员，中方工程师正在讲解线路巡检的要点。

两年来，这个课堂已培训当地电工三百多名，不少人成为项目骨干。

南美某港口项目——

“港口的吊车我也能开了”

本报记者  方  晴

在港区的模拟操作室里，学员们轮流练习集装箱吊装，中方教练在一旁逐项点评。

项目负责人说，培训合格的学员将优先进入港口工作。

社区图书馆延长开放时间

本报记者  叶  舟

记者从市文化部门获悉，全市社区图书馆从下月起每天开放到晚上九点，方便居民下班后阅读。

第9版
"""


def test_an_unsigned_introduction_and_its_signed_parts_are_one_feature():
    page = parse_page(SIGNED_PARTS, "p.txt")
    assert _titles(page) == ["海外工地上的中国老师", "社区图书馆延长开放时间"]
    feature, news = [i for i in page.items if i.kind == "article"]
    assert feature.authors == ("顾远", "方晴") and news.authors == ("叶舟",)
    # each part's head: the lead-in that introduces it (…项目——) and its title, as sub-heads
    assert [e.text for e in feature.body if e.kind == "h"] == [
        "东非某输电线路项目——", "“我们学会了自己检修线路”", "南美某港口项目——", "“港口的吊车我也能开了”"]


SIGNED_DOCUMENT = """\


国务院关于同意设立某某示范区的批复

某某省人民政府：

你省关于设立某某示范区的请示收悉。现批复如下：

一、同意设立某某示范区。示范区建设要坚持生态优先、绿色发展，探索可复制可推广的经验。

二、某某省人民政府要切实加强组织领导，落实主体责任，按程序报批相关事项。

国 务 院

2026年3月2日

（新华社北京3月5日电）

山里的冬天不再冷

入冬以来，山区各地提前储备燃料、检修供暖管线，确保群众温暖过冬。

村里新建的集中供暖站让老人们不用再烧煤炉，屋里干净又暖和。

第1版
"""


def test_a_documents_signature_and_date_close_it():
    """The issuer and date under a document (落款) are its last lines, not a new headline."""
    page = parse_page(SIGNED_DOCUMENT, "p.txt")
    assert _titles(page) == ["国务院关于同意设立某某示范区的批复", "山里的冬天不再冷"]
    doc = page.items[0]
    assert [e.text for e in doc.body[-3:]] == ["国 务 院", "2026年3月2日", "（新华社北京3月5日电）"]
    assert all(e.kind == "p" for e in doc.body)


PHRASE_HEADS = """\


社区食堂里的民生温度

家门口的社区食堂开张半年，每天有三百多位老人来这里吃饭，价格实惠、菜品丰富，子女也放心。

食堂由街道牵头、企业运营，政府对高龄和困难老人给予补贴，运营方靠团餐和外卖维持收支平衡。

盘活闲置  提升效率

城东一座闲置多年的仓库被改造成共享办公空间，吸引了二十多家小微企业入驻，每年为园区增加租金收入上百万元。

改造过程中，园区坚持节约原则，能用的设施尽量保留，只对水电和消防进行了升级。

第6版
"""


def test_two_four_character_phrases_are_a_headline_not_two_names():
    """盘活闲置  提升效率 reads like two bare names by shape, but names are two or three characters."""
    page = parse_page(PHRASE_HEADS, "p.txt")
    assert "盘活闲置  提升效率" in _titles(page) or "盘活闲置 提升效率" in _titles(page)
    assert all(not it.authors for it in page.items)


COMMA_SUBHEADS = """\


让老旧小区焕发新活力

本报南京4月2日电  （记者吕  萌）今年以来，全市启动新一轮老旧小区改造，惠及居民三万余户。

老旧小区改造是民生工程，也是民心工程。全市老旧小区改造坚持居民自愿、因地制宜，改造清单由居民提出，改造进度由居民监督。

把居民的急难愁盼作为改造的出发点，让每一分钱都花在刀刃上

改造前，街道挨家挨户上门征求意见，把加装电梯、修缮屋面、增设停车位列入清单，按轻重缓急排序。

改造中，居民代表全程参与监督，施工方每周公开进度，遇到分歧及时协商解决，改造工作有序推进。

社区书记说，改造后的小区环境整洁，老人们上下楼也方便了，居民们纷纷点赞。这次改造共投入资金两千

万元，其中居民自筹部分由业主大会讨论决定。

第9版
"""


def test_a_sub_head_with_a_comma_is_not_half_a_paragraph():
    """A short line with a comma and no full stop is a sub-head when the gap after it ends a phrase;
    the same shape cut inside a word (两千 / 万元, where the page writes 万元 elsewhere) is rejoined.
    (Whether the line starts a new article is the evidence model's call, tested above: here it is
    told "not a new article", as training does.)"""
    page = parse_page(COMMA_SUBHEADS, "p.txt", oracle=lambda stack, ctx: False)
    (article,) = [i for i in page.items if i.kind == "article"]
    kinds = [(e.kind, e.text[:8]) for e in article.body]
    assert ("h", "把居民的急难愁盼") in kinds
    assert any(e.kind == "p" and e.text.startswith("改造前") for e in article.body)
    assert any(e.text.endswith("两千万元，其中居民自筹部分由业主大会讨论决定。") for e in article.body)


DEPUTY = """\


把好事办到群众心坎上

全国人大代表、某某县某某村党支部书记  郑  红

这几年，村里修通了产业路，建起了冷库，乡亲们种的果子不愁卖了。

今年我带来了关于完善农村冷链物流的建议，希望让更多农产品走出大山。

第4版
"""


def test_a_byline_whose_role_joins_several_titles():
    """全国人大代表、某某村党支部书记  姓名: roles joined by 、 are one role, the name the author."""
    page = parse_page(DEPUTY, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    assert article.title == "把好事办到群众心坎上" and article.authors == ("郑红",)
    assert dict(article.author_roles)["郑红"] == "全国人大代表、某某县某某村党支部书记"
    assert len(article.body) == 2


def _column_tag(line: str) -> float:
    """The column_tag cue of a one-line head over body text."""
    from broadsheet.ingest import evidence as ev
    ctx = ev.Context(lines=(line,), one_block=False, next_text="正文。", prev_text="上文。", paragraphs=3,
                     subheads=0, article_text="上文。", after_text="正文。", has_editor_note=False)
    return ev.headline_features(ctx)["column_tag"]


def test_a_role_in_brackets_after_a_name_is_no_column_tag():
    """（人民论坛） after a headline marks a column; （某某研究院院长） after a name is who speaks."""
    assert _column_tag("让夜市既有烟火气又有秩序（人民论坛）") == 1.0
    assert _column_tag("春耕备耕忙  田间处处新（记者手记）") == 1.0
    assert _column_tag("王  强（某某研究院院长）") == 0.0
    assert _column_tag("陈明远（某某大学经济学教授）") == 0.0
    assert _column_tag("安娜·伊万诺娃（某某研究所主任）") == 0.0


def test_a_dash_inside_a_quoted_name_does_not_split_the_headline():
    page = parse_page("\n\n“春风行动——百城千校就业服务周”在京启动\n\n本报北京2月3日电  （记者许  静）"
                      "一年一度的“春风行动”今天启动，各地将举办招聘活动上万场。\n\n第6版\n", "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    assert article.title == "“春风行动——百城千校就业服务周”在京启动" and not article.subtitle


SUMMARY_LINES = """\


冬训场上的年轻人

本报记者  吕  萌

天刚亮，训练馆里已经响起了哨声。队员们分组进行力量和耐力训练，教练在一旁记录每个人的数据。

从清晨到黄昏，从训练馆到体能房，训练一刻不停，为的是赛场上的每一秒

2025年，这支队伍在全国比赛中拿下三枚金牌，队员们把奖牌挂在训练馆的墙上，提醒自己不要松懈。

第8版
"""


def test_a_summary_line_before_a_year_lede_stays_its_own_paragraph():
    """A short line with a comma and no full stop, then a paragraph opening with a year: the gap
    (秒 / 2025) is no number cut in two and no word of the page, so nothing is joined."""
    page = parse_page(SUMMARY_LINES, "p.txt", oracle=lambda stack, ctx: False)
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert "从清晨到黄昏，从训练馆到体能房，训练一刻不停，为的是赛场上的每一秒" in texts
    assert any(t.startswith("2025年，这支队伍") for t in texts)


VERSE_CAPTION = """\


春到田间

本报记者  郑  红

村里的老人写了一首诗，贴在新修的文化墙上：

新渠引水润千畦，

稻浪翻金映晚霞。

老人说，这是他这些年看到的变化，也是全村人的心里话。

第9版
"""


def test_verse_lines_ending_in_a_comma_are_not_joined():
    """A seven-character line ending in a comma is a line of verse; a column is wider than that."""
    page = parse_page(VERSE_CAPTION, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert "新渠引水润千畦，" in texts and "稻浪翻金映晚霞。" in texts


def test_a_column_tag_of_two_short_phrases_with_a_comma_is_a_column_tag():
    """A series tag may be two short phrases (（走乡村，看振兴）); a sentence or a source in brackets
    is no tag."""
    assert _column_tag("老街新铺迎来回头客（走乡村，看振兴）") == 1.0
    assert _column_tag("老街新铺迎来回头客（数据来源：某某统计局，2025年）") == 0.0
    assert _column_tag("老街新铺迎来回头客（这是一句很长的话，后面还有一句更长更长更长的话）") == 0.0


ESSAYS = """\


老屋的窗

老屋的窗朝南开，冬天的阳光从窗格里照进来，落在祖母的针线筐上。

后来我们搬进了城里，老屋空了，窗纸被风吹破，只剩下木格还立在那里。

去年回乡，我站在窗前，看见院里的柿子树又挂满了果。

临走时，我对父亲说：明年我们一起回来修窗吧！

雪落山村

一场大雪过后，山村安静下来，只有炊烟从屋顶慢慢升起，飘向远处的山梁。

孩子们在晒谷场上堆雪人，笑声传得很远，惊起了树上的几只喜鹊。

第8版
"""


def test_a_closing_exclamation_over_the_next_headline_ends_the_story_above():
    """A sentence (a clause, then ！ or ？) right above a headline is the last paragraph of the story
    above it, not a kicker over the next one."""
    page = parse_page(ESSAYS, "p.txt")
    assert _titles(page) == ["老屋的窗", "雪落山村"]
    first, second = [i for i in page.items if i.kind == "article"]
    assert first.body[-1].text == "临走时，我对父亲说：明年我们一起回来修窗吧！" and first.body[-1].kind == "p"
    assert not second.kicker and len(second.body) == 2


def test_text_that_returns_to_the_headlines_words_reads_as_a_section_of_that_story():
    """After a sub-head the story comes back to what its headline names; a new story does not."""
    from broadsheet.ingest import evidence as ev

    def ctx(after):
        return ev.Context(lines=("老手艺有了新传人",), one_block=False, next_text=after, prev_text="上文说完了。",
                          paragraphs=6, subheads=1, article_text="上文说完了。" * 5, after_text=after,
                          has_editor_note=False, heading="山村竹编走出大山（乡村振兴）")

    same = ctx("竹编合作社今年接到了更多订单，山村的竹编产品走出大山，卖到了海外。")
    other = ctx("海港码头的集装箱堆场上，吊车来回穿梭，一艘货轮正在装船。")
    assert ev.headline_features(same)["heading_overlap"] > 0.5
    assert ev.headline_features(other)["heading_overlap"] == 0.0
    assert ev.new_article_probability(same) < ev.new_article_probability(other)


VERSE_THEN_ESSAY = """\


江南春早

去年春天，我在江南的一座小镇住了半个月，每天清晨沿着河岸散步，写下了几行小诗。

柳枝抽出新芽

燕子掠过水面

石桥边的桃花

开在细雨里

船娘唱着旧歌

把春天摇进了小巷

灯下读书

冬夜漫长，我常在灯下读书，一盏台灯照亮书页，也照亮了窗外飘落的雪花。

小时候家里没有台灯，母亲就在煤油灯下缝补衣裳，我在一旁写作业，灯芯跳动的声音至今记得。

第8版
"""


def test_the_last_short_line_over_prose_after_a_poem_is_weighed_as_a_headline():
    """A run of short lines (a poem, a list) stays together, but its last line, set right over a
    paragraph, may be the next piece's headline: it is weighed as one, not swallowed by the run."""
    page = parse_page(VERSE_THEN_ESSAY, "p.txt")
    assert _titles(page) == ["江南春早", "灯下读书"]
    poem, essay = [i for i in page.items if i.kind == "article"]
    assert len(poem.body) == 7 and len(essay.body) == 2


DECK = """\


让老手艺走进新生活（人民时评）

守住手艺的根脉，也要找到今天的用处。老手艺只有走进日常，才能在一代代人手中传下去

传承不是简单的复制，而是在理解中再创造、在使用中见生命，让每一件手工制品都回到人们的日常生活里

走进城南的非遗工坊，竹编、木雕、蓝印花布摆满了展架，年轻的顾客拿着手机拍个不停。

让老手艺走进新生活，需要更多人的参与和更好的设计。

第5版
"""


DECK_QUOTE = DECK.replace("才能在一代代人手中传下去", "才能让老手艺“活起来”")


def test_a_deck_line_that_closes_a_quotation_ends_there():
    page = parse_page(DECK_QUOTE, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert len(texts) == 4 and texts[0].endswith("“活起来”")


def test_deck_lines_under_a_commentarys_headline_stay_apart():
    """Lines without a final mark right under a headline with no dateline are a deck, each ending
    where a phrase ends: they are not halves of one paragraph cut by a column break."""
    page = parse_page(DECK, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert len(texts) == 4
    assert texts[0].endswith("传下去") and texts[1].startswith("传承不是")
    assert not any(n.kind == "join" for n in page.repairs)


QUOTED_END = """\


家电以旧换新带动消费回暖

本报北京3月4日电  （记者何  平）记者从有关部门获悉，今年家电以旧换新政策继续实施，补贴范围进一步扩大。

今年安排专项资金两百亿元，重点支持“以旧换新”“设备更新”

2025年，全国家电以旧换新销售额同比增长三成以上，绿色智能家电成为消费热点。

第2版
"""


def test_a_sub_head_with_a_comma_that_closes_a_quotation_is_not_half_a_paragraph():
    page = parse_page(QUOTED_END, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    texts = [e.text for e in article.body]
    assert len(texts) == 3 and texts[1].endswith("“设备更新”")
    assert not any(n.kind == "join" for n in page.repairs)


ROUNDUP = """\


新闻速览

北方多地迎来今冬首场降雪

本报北京12月1日电  （记者杨  帆）受冷空气影响，北方多地迎来今冬首场降雪，气象部门提醒公众注意出行安全。

城市部门连夜清扫主干道积雪，公交地铁运行总体平稳。

南方港口货物吞吐量稳步增长

据新华社广州12月1日电  今年前十一个月，南方主要港口货物吞吐量稳步增长，集装箱航线持续加密。

老旧小区改造惠及更多居民

新华社成都12月1日电  （记者周  岚）今年以来，当地开工改造老旧小区三百余个，加装电梯两百多部。

冬季运动走进校园

冰雪课程在越来越多的学校开设，孩子们在操场上浇出的冰场上学习滑冰，体育老师说报名的学生比往年多了一倍。

学校还请来退役运动员担任教练，每周开设两次课。

第6版
"""


def test_a_round_up_of_dated_briefs_under_a_label_is_one_story():
    """A short label set apart above briefs that each open with a dateline is one story, listed
    under the label; a headline over undated text after them starts another story."""
    page = parse_page(ROUNDUP, "p.txt")
    assert _titles(page) == ["新闻速览", "冬季运动走进校园"]
    roundup = [i for i in page.items if i.kind == "article"][0]
    heads = [e.text for e in roundup.body if e.kind == "h"]
    assert heads == ["北方多地迎来今冬首场降雪", "南方港口货物吞吐量稳步增长", "老旧小区改造惠及更多居民"]
    assert len(roundup.body) == 7


def test_a_label_over_a_single_dated_story_is_no_round_up():
    one = ROUNDUP.split("南方港口")[0] + "第6版\n"
    page = parse_page(one, "p.txt")
    assert _titles(page) == ["北方多地迎来今冬首场降雪"]


FURTHER = """\


冰雪运动热在乡村

本报长春1月5日电  （记者齐  远）入冬以来，不少乡村建起了简易雪场，村民在家门口就能体验滑雪的乐趣。

村里的雪场由闲置的坡地改建而成，周末常常一票难求，带动了农家乐和土特产的销售。

■延伸阅读

古人冬天怎样玩冰

古人在冰面上的游戏花样繁多，有抽陀螺、拖冰床，还有在冰上表演的各种杂技，宫廷里也有专门的冰上表演。

第9版
"""


def test_a_line_right_under_a_sub_head_is_a_head_of_the_same_story():
    """A headline never stands right under a sub-head with no text between them (■延伸阅读 /
    古人冬天怎样玩冰): the line is a further head of the story above."""
    page = parse_page(FURTHER, "p.txt")
    assert _titles(page) == ["冰雪运动热在乡村"]
    (article,) = [i for i in page.items if i.kind == "article"]
    assert [e.kind for e in article.body] == ["p", "p", "h", "h", "p"]


def test_the_length_prior_saturates_and_weighs_text_as_well_as_paragraphs():
    """A long story makes a new story below more likely, up to a point: a report of forty
    paragraphs is no likelier to end at its next sub-head than one of sixteen.  And a story of one
    short paragraph is less likely to be over than one of the same paragraphs with more text."""
    from broadsheet.ingest import evidence as ev

    def ctx(paragraphs, text):
        return ev.Context(lines=("新的一年新的起点",), one_block=False, next_text="正文。", prev_text="上文。",
                          paragraphs=paragraphs, subheads=2, article_text=text[-1500:], after_text="正文。",
                          has_editor_note=False, length=len(text))

    long_text = "这是一段很长的正文。" * 200
    assert ev.headline_features(ctx(40, long_text))["paragraphs"] == ev.headline_features(ctx(16, long_text))["paragraphs"]
    assert ev.new_article_probability(ctx(40, long_text)) == ev.new_article_probability(ctx(16, long_text))
    assert ev.new_article_probability(ctx(1, "短讯一则。")) < ev.new_article_probability(ctx(1, "这是一段较长的正文。" * 30))


DATED_CUT = """\


校园安全不能有死角（身边事）

“消防通道为什么锁着？”“灭火器过期了吗？”……近日，市里组织的安全检查组走进多所学校，检查组一行先后走访

城东的三所寄宿制学校，发现问题隐患四十余处，已责令限期整改。

检查组负责人表示，学校人员密集，安全管理必须做到日常化、精细化。

第7版
"""


def test_a_dated_line_under_a_headline_is_a_lede_a_column_break_cut_not_a_deck():
    """Under a headline with no dateline, lines without a final mark may be a deck — but a line that
    says when (……近日，…) is the lede, and a column break that cut it is repaired."""
    page = parse_page(DATED_CUT, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    assert len(article.body) == 2
    assert article.body[0].text.endswith("已责令限期整改。")


CAPTION_STORY = """\


画里乡愁

水彩画《老街》，作者周明。

灯下读书

冬夜漫长，我常在灯下读书，一盏台灯照亮书页，也照亮了窗外飘落的雪花，屋里安静得能听见翻页的声音。

小时候家里没有台灯，母亲就在煤油灯下缝补衣裳，我在一旁写作业，灯芯跳动的声音至今记得。

如今灯光明亮了许多，可我最怀念的，还是那盏昏黄的煤油灯和灯下的母亲。

第20版
"""


def test_a_headline_after_a_story_of_one_short_unsigned_line_starts_a_story():
    """A story whose whole text is one short unsigned line (a picture's note) is complete: the
    headline below it heads a story of its own."""
    page = parse_page(CAPTION_STORY, "p.txt")
    assert _titles(page) == ["画里乡愁", "灯下读书"]


LETTER = """\


小区停车难题盼解决（来信）

我们小区建成已有二十年，车位只有一百个，住户的车却有三百多辆，每天晚上都为停车发愁，希望有关部门帮忙想想办法。

浙江临安区  王小明

老旧电梯加装有了新进展（回音）

上个月本版刊登读者来信反映老旧小区加装电梯难，当地街道随即召集居民协商，目前已有两个单元完成加装。

第7版
"""


def test_a_readers_place_and_name_close_the_letter():
    """浙江临安区  王小明 under a letter is its signature (where the reader lives, who they are), the
    letter's last line — not the kicker of the next headline."""
    page = parse_page(LETTER, "p.txt")
    first, second = [i for i in page.items if i.kind == "article"]
    assert first.body[-1].text.replace(" ", "") == "浙江临安区王小明"
    assert second.title == "老旧电梯加装有了新进展（回音）" and not second.kicker


SPEAKER = """\


乡村振兴要抓好产业

本报北京3月6日电  （记者韩  梅）如何让乡村产业兴旺起来？几位来自基层的同志谈了自己的看法。

“我们村靠种植中药材，去年集体收入翻了一番，关键是找准了适合本地的产业。”

某某省某某县某某村党支部书记、村委会主任李红梅

冬日的暖阳照进山村小学，孩子们在操场上做着课间操，新修的跑道格外显眼，老师说这是今年秋天刚刚铺好的。

第4版
"""


def test_roles_and_a_name_set_close_are_a_closing_line_not_a_headline():
    """某某村党支部书记、村委会主任李红梅 signs the words above it: it stays a line of that article
    and heads nothing."""
    page = parse_page(SPEAKER, "p.txt")
    (article,) = [i for i in page.items if i.kind == "article"]
    assert any(e.text.endswith("村委会主任李红梅") and e.kind == "p" for e in article.body)
    assert article.body[-1].text.startswith("冬日的暖阳")


def test_topic_overlap_is_a_share_and_a_line_over_almost_no_text_heads_nothing():
    """The share of the article's recurring words the text below reuses is at most 1 (a long text
    on the same subject does not outweigh every other cue); and a line with only a short line of
    text under it (a question inside a verse) is unlikely to head a story."""
    from broadsheet.ingest import evidence as ev

    words = "".join(chr(0x4E00 + 7 * k) + chr(0x4E00 + 7 * k + 3) for k in range(40))
    assert ev.topic_overlap(words * 2, words) == 1.0

    def ctx(after):
        return ev.Context(lines=("春风何时来？",), one_block=False, next_text=after, prev_text="田野一片新绿。",
                          paragraphs=3, subheads=0, article_text="田野一片新绿。" * 3, after_text=after,
                          has_editor_note=False)

    thin, full = ctx("燕子衔泥归。"), ctx("三月的江南，油菜花开得正盛，游客们沿着田埂拍照，村里的农家乐也热闹起来。" * 2)
    assert ev.headline_features(thin)["thin_after"] == 1.0 and ev.headline_features(full)["thin_after"] == 0.0
    assert ev.new_article_probability(thin) < ev.new_article_probability(full)


def test_stories_that_each_carry_a_label_are_no_round_up():
    labelled = ROUNDUP.replace("南方港口货物吞吐量稳步增长", "新闻速览\n\n南方港口货物吞吐量稳步增长")
    labelled = labelled.replace("老旧小区改造惠及更多居民", "新闻速览\n\n老旧小区改造惠及更多居民")
    titles = _titles(parse_page(labelled, "p.txt"))
    assert titles[:3] == ["北方多地迎来今冬首场降雪", "南方港口货物吞吐量稳步增长", "老旧小区改造惠及更多居民"]


LONG_REPORT = """\


冬季供暖保障有力有序

本报北京1月15日电  （记者周  明）入冬以来，各地多措并举做好供暖保障工作，确保群众温暖过冬。记者近日在多个城市走访了解到，今年供暖季总体平稳有序。

据介绍，今年各地提前部署，在供暖季到来之前完成了管网检修和设备调试，煤炭、天然气等能源储备充足。

燃气公司负责人表示，今年天然气储备比去年同期增加了一成以上，能够满足高峰时段的用气需求。

管网改造提升供暖质量

老旧管网是影响供暖效果的重要因素。近年来，不少城市加大老旧管网改造力度，供热质量明显提升。

在城北一个老旧小区，居民王大爷告诉记者，过去家里温度只有十六七度，管网改造后室温稳定在二十度以上。

供热企业工作人员介绍，改造后的管网热损失大幅下降，一个供暖季能节约大量燃煤。

智慧供热让服务更精准

走进供热企业的调度中心，大屏幕上实时显示着各个换热站的运行数据。

“哪里温度偏低，系统会自动报警，我们第一时间派人处理。”调度中心负责人说。

依托智慧供热平台，供热企业可以根据天气变化调整供热参数，既保证室温达标，又避免能源浪费。

图书馆里的寒假

本报济南1月15日电  （记者高  远）寒假伊始，市图书馆的阅览室里坐满了前来读书的学生。

第4版
"""


def test_a_dated_report_keeps_its_plain_sub_heads():
    """A long dated report with plain sub-heads (no numbers, no marks), each over text on the
    report's subject and none signed, is one story: its sections set alike are not new stories —
    while the next head with a dateline of its own still starts one.  The weights were fitted on
    pages where no signed story has a sub-head, so they alone would split it; the editor is told."""
    page = parse_page(LONG_REPORT, "p.txt")
    assert _titles(page) == ["冬季供暖保障有力有序", "图书馆里的寒假"]
    report = page.items[0]
    assert [e.text for e in report.body if e.kind == "h"] == ["管网改造提升供暖质量", "智慧供热让服务更精准"]
    assert any("signed report" in n.message for n in page.uncertain)


def test_an_unsigned_head_alike_but_on_another_subject_still_starts_a_story():
    """The series rule needs the text under a head to come back to the report's subject: a head set
    like one below it, over text on something else, is weighed as usual."""
    from broadsheet.ingest import evidence as ev

    def ctx(after, heads):
        return ev.Context(lines=("城乡公交更方便",), one_block=False, next_text=after, prev_text="这是报道的结尾。",
                          paragraphs=3, subheads=0, article_text="冬季供暖保障有力有序。供暖季供暖平稳。" * 3,
                          after_text=after, has_editor_note=False, later_heads=heads, later_signed=(False,),
                          attributed=True, heading="冬季供暖保障有力有序")

    same = "今年供暖季到来前，各地完成供暖管网检修，供暖保障有力有序。"
    other = "清晨六点，首班公交车从村口出发，沿途停靠十二个站点，村民进城办事更方便了。"
    assert ev.signed_series(ctx(same, ("乡村公路通到家门",)))
    assert not ev.signed_series(ctx(other, ("乡村公路通到家门",)))
    assert not ev.signed_series(ctx(same, ()))  # nothing below set alike, no sub-head above: weighed as usual


def test_a_sub_head_punctuated_otherwise_than_the_next_keeps_to_the_report_when_its_subject_returns():
    """“…、…” over 平平常常的一行: sections of one report need not carry as many commas, but then the
    text under the head must come back to the report both ways (its recurring words and its headline's);
    a head of two phrases set apart by a wide space is a headline's form and is left to the weights."""
    from broadsheet.ingest import evidence as ev

    report = "新建社区图书馆正式开放。社区图书馆藏书两万册，社区居民可免费借阅，图书馆每天开放十二小时。" * 2
    after = "社区图书馆开设少儿阅览区，社区居民带孩子来借阅图书，图书馆还定期举办读书会。"

    def ctx(line, heads):
        return ev.Context(lines=(line,), one_block=False, next_text=after, prev_text="这是报道的结尾。",
                          paragraphs=3, subheads=0, article_text=report, after_text=after, has_editor_note=False,
                          later_heads=heads, later_signed=(False,) * len(heads), attributed=True,
                          heading="社区图书馆正式开放")

    assert ev.signed_series(ctx("“借得方便、读得舒心”", ("阅读活动越办越丰富",)))
    assert not ev.signed_series(ctx("借得方便  读得舒心", ("阅读活动  丰富多彩",)))
    # The last section, under a first one punctuated otherwise, with nothing unsigned below it.
    last = ctx("阅读活动越办越丰富", ())
    assert not ev.signed_series(last)
    assert ev.signed_series(ev.Context(**{**last.__dict__, "subhead_texts": ("“借得方便、读得舒心”",)}))


def test_a_word_or_two_in_common_does_not_make_the_next_story_a_section():
    """Undated stories after a dated one, their heads about as long (an international page): the text
    under the next head shares a word with the report's headline by chance (天气) — not enough of the
    subject to call it the report's section; the weights decide."""
    from broadsheet.ingest import evidence as ev

    report = "受强冷空气影响，北方多地迎来强降雪，部分路段封闭，铁路部门加开临时列车。降雪导致部分航班延误。" * 2
    after = "当地时间周日，南美多国外长举行会谈，就地区贸易协定达成共识。会谈期间天气晴好，各方气氛融洽。"
    ctx = ev.Context(lines=("南美多国签署贸易协定",), one_block=False, next_text=after, prev_text="降雪导致部分航班延误。",
                     paragraphs=3, subheads=0, article_text=report, after_text=after, has_editor_note=False,
                     later_heads=("东非多地遭遇严重旱情",), later_signed=(False,), attributed=True,
                     heading="北方多地迎来强降雪天气")
    assert 0 < ev.heading_overlap(ctx.heading, after) < 0.15 and ev.topic_overlap(report, after) < 0.2
    assert not ev.signed_series(ctx)


PANEL = """\


代表委员谈乡村全面振兴

编者按：推进乡村全面振兴，是今年全国两会上代表委员热议的话题。本版今天刊发几位代表委员的发言，敬请关注。

让特色产业成为增收引擎

全国人大代表、某某省某某县县长  李  明

我们县地处山区，过去群众增收渠道少。近年来，我们因地制宜发展茶叶、中药材等特色产业，带动两万多户群众增收。

下一步，要继续延伸产业链，发展精深加工，让更多增值收益留在农村、留给农民。

把人才引回来留下来

全国政协委员、某某大学教授  王  芳

乡村振兴，关键在人。我在调研中发现，不少返乡创业青年有想法、有干劲，但在资金、技术等方面还面临不少困难。

建议加大对返乡创业人员的支持力度，完善培训、金融等配套服务，让人才回得来、留得住、干得好。

春季农资供应充足

本报记者  赵  亮

春耕时节，各地农资市场货足价稳，化肥、种子等农资储备充足。

第6版
"""


def test_the_next_contributors_piece_of_a_feature_is_a_part_of_it():
    """A feature whose first signed part was taken in (an unsigned introduction above it) goes on
    with the next piece signed the same way — one contributor with a role of their own; a story
    signed by the paper's reporter after it is a story of its own."""
    page = parse_page(PANEL, "p.txt")
    assert _titles(page) == ["代表委员谈乡村全面振兴", "春季农资供应充足"]
    feature = page.items[0]
    assert feature.authors == ("李明", "王芳")
    assert [e.text for e in feature.body if e.kind == "h"] == ["让特色产业成为增收引擎", "把人才引回来留下来"]
