"""The shapes of lines on a page: what a headline, a closing line, a half paragraph, a sub-head look like.

Each predicate looks at one line's form (length, punctuation, brackets, marks), never at
particular words of a particular paper."""
from __future__ import annotations

import re

from .. import byline as bl
from ..punct import ends_clause, ends_sentence, is_han, join_halves as _join, units
from .model import _Block

MAX_HEADLINE_UNITS = 40
MAX_TITLE_UNITS = 80  # 第十四届全国人民代表大会…关于…的报告: long titles carry no punctuation at all
MIN_REPEAT_CHARS = 16
PARALLEL_LOOKAHEAD = 200  # blocks searched for sub-heads of the same form below a candidate
REPEAT_WINDOW = 3  # a layout repeat follows its source within this many blocks
INTRO_PARAGRAPHS = 2  # an unsigned introduction of at most this many paragraphs heads a feature of signed parts
LIST_RUN = 6  # this many short lines in a row, bylines and bracketed notes among them, are a table or list
MIN_VERSE_UNITS = 10  # a line this short ending in a comma is verse or a list item, not a cut paragraph
MIN_OPEN_UNITS = 24  # a column break never cuts a paragraph after fewer characters than this

_SUBHEAD_MARK = re.compile(r"^(?:[◆◇■□●○▲△▶►★☆◎※▌▍]|【[^】]{1,20}】)")
# 一、 / （一） / 第一章  总  则: the numbered heads of a report's or a document's sections.
_SUBHEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|"
                          r"第[一二三四五六七八九十]{1,3}(?:章|节|部分|编)(?:\s|$))")
_WIDE = re.compile(r"(?<=\S)(?: {2,}|\u3000+|\t+)(?=\S)")
_EDITOR_NOTE = re.compile(r"——\s*编\s*者\s*$")
_DASH = re.compile(r"^(?:——|—|－－|--|─)")
_BANNER_WORDS = re.compile(
    r"协办|主办|承办|联办|协作|支持单位|冠名|赞助|征文|专栏|特刊|专版|联合推出|"
    r"[Ss]ponsor|[Pp]resented by|[Ii]n association with")
_SPONSOR_WORD = re.compile(r"\s*(?:协办|主办|承办|联办|冠名|赞助|支持)(?:单位)?\s*[:：]?\s*")
_COMPANY = re.compile(
    r"(?:有限公司|有限责任公司|股份公司|集团|公司|银行|药业|酒业|酒厂|商场|医院|"
    r"Ltd\.?|Inc\.?|Co\.|Corporation|Company|Group)\)?）?$")
_PAGE_NO = re.compile(r"第\s*([0-9０-９]{1,3})\s*版|^([0-9]{1,3})\s+(?=\S)|(?<=\S)\s+([0-9]{1,3})$|^[Pp]age\s+([0-9]{1,3})\b")
# Page furniture: who edited, laid out and proofread the page (not part of any item).
_FURNITURE = re.compile(r"^(?:本版)?(?:责任编辑|责编|编辑|美编|美术编辑|版式设计|版式|组版|校对|审核|审校|值班编辑|制版|照排|"
                        r"主编|图片编辑|视觉|邮箱|电子邮箱|统筹|制图)\s*[:：]|^本版(?:邮箱|电子邮箱|热线)\s")
# Marks of advertising copy that a poem's stanza never has.
_AD_HINT = re.compile(r"^[\d\s.·-]+$|\d{3,4}-?\d{7,8}|\d{11}|电话|热线|地址|网址|www\.|\.com|\.cn|[￥¥$]|元起|"
                      r"优惠|广告|招商|订购|咨询|专卖|旗舰店")
_HEADER_HINT = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]")



# （作者为…） / （本报记者 张三整理）: a note closing an article, not a column tag like （人民论坛）.
_NOTE = re.compile(r"^[（(](?=[^（）()]*[，,、：:]|[^（）()]{13,})[^（）()]+[)）]$")


def _bracketed(text: str) -> str | None:
    """What a line set wholly in one pair of brackets holds, brackets inside it kept
    (（作者为某某大学（研究院）教授）); None when the line is not one bracketed unit."""
    t = text.strip()
    if t[:1] not in "（(" or t[-1:] not in "）)":
        return None
    depth = 0
    for k, ch in enumerate(t):
        depth += ch in "（("
        depth -= ch in "）)"
        if depth == 0:
            return t[1:-1] if k == len(t) - 1 else None
    return None


def _note(text: str) -> bool:
    """A note closing an article (（作者为…）), also when it names an institution in brackets of its own."""
    if _NOTE.match(text.strip()):
        return True
    inner = _bracketed(text)
    return inner is not None and bool(re.search(r"[（(]", inner)) and bool(
        re.search(r"[，,、：:]", inner) or len(re.sub(r"[（()）]", "", inner)) >= 13)

_PUNCTUATED = re.compile(r"[，。、；：！？,.;:!?—…]")

# 干在前与马上干（评论员观察）: the column tag that closes a headline (alone: a kicker).  A tag may
# name a series in two short phrases with a comma (（走基层，看变化）), never a sentence or a source.
_TAGGED = re.compile(r"[（(](?:[^（）()，。,；;]{2,30}|[^（）()，。,；;：:]{2,12}[，,][^（）()，。,；;：:]{2,12})[）)]$")

# 8.张三  某某站站长 / 12．李四: an entry of a numbered list (a headline is not numbered so).
_LIST_ITEM = re.compile(r"^\d{1,3}[.．]\s*[^\d\s.．]")
_SOURCE = re.compile(r"^(?:数据|资料|信息|图表|图片)?来源[:：]")  # 数据来源：国家统计局: under a chart
# 山西代表团—— / 某某市推进老旧住房更新改造——: a short phrase closed by a dash, set over a title (a
# paragraph that introduces the next one with a dash is a sentence: it has its commas).
_LEAD_IN = re.compile(r"^[^，,。；;：:！？!?]{2,30}——$")
# ——编  者 / ——摘自《…》: a signature or source line closing a text.
_SIGNATURE = re.compile(r"^(?:——|—)\s*(?:编\s*者|摘自|摘编自|选自|据|转自)")

# 上接第1版 / 下转第3版: where an article continues on another page — part of its text.
_CONTINUATION = re.compile(r"^[（(]?\s*(?:上接|下转|转第|接第|转下|接上)[^）)]{0,12}[）)]?$")


def _ends_in_dash(text: str) -> bool:
    """A head closed by a dash: a lead-in over a part's title (山西代表团——)."""
    return text.rstrip().endswith("——")


def _is_headlinish(text: str) -> bool:
    """Short, not a sentence: could be a headline, sub-head, label or byline."""
    t = text.strip()
    if not t or "\n" in t or _CONTINUATION.match(t):
        return False
    n = units(_TAGGED.sub("", t))
    if n > MAX_HEADLINE_UNITS and (n > MAX_TITLE_UNITS or _PUNCTUATED.search(t)):
        return False  # long and punctuated: prose; long without a single mark: an official title
    if bl.parse_dateline(t) or _note(t) or _SIGNATURE.match(t):
        return False
    if _LEAD_IN.match(t):
        return True  # 山西代表团—— / 某某市推进老旧住房更新改造——: a lead-in set over a part's title
    if ends_clause(t) or re.search(r"[。；;]|[.?!]\s", t[:-1]):
        return False
    if ends_sentence(t):
        # 再出发！ / Why now? may be headlines; a full stop never ends one.
        return t.rstrip("”’」』）)》\"'")[-1:] in "！？!?" and units(t) <= 24
    return any(is_han(c) or c.isalpha() for c in t)


# A place named down to its administrative unit (某某省, 某某市, 某某县, 某某区, 某某镇, 某某村 …).
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,10}(?:省|市|县|区|州|盟|旗|镇|乡|村)")
_LABELLED = re.compile(r"^[^，,：:（(]{2,8}[：:]\s*(?P<names>[^，,：:]{2,24})$")


def _closing(text: str) -> bool:
    """A line that closes an article rather than heads one: a note in brackets （本报记者张三整理）,
    a byline or credit (李四 王五摄影报道), a labelled name (本期统筹：韩文榕)."""
    t = text.strip()
    if re.fullmatch(r"[（(][^（）()]+[)）]", t) or _note(t) or _SOURCE.match(t):
        return True
    if bl.parse_byline(t) or bl.parse_credit(t) or re.search(r"(?:摄影?|供图)(?:报道)?$", t):
        return True
    parts = t.split()
    if len(parts) == 2 and _PLACE.fullmatch(parts[0]) and bl.parse_byline(parts[1]) is not None:
        return True  # 河北某某县  张三: a reader signs a letter with where they live and their name
    if _roles_then_name(t):
        return True
    m = _LABELLED.match(t)
    return bool(m) and bl.parse_byline(m.group("names")) is not None


def _roles_then_name(text: str) -> bool:
    """Several roles and a name set close (某某村党支部书记、村委会主任张三): who spoke, signing a
    statement — a closing line.  One role alone is not enough (追记优秀党员王某 is a headline)."""
    t = text.strip()
    if "、" not in t or units(t) > 40:
        return False
    for n in (2, 3):
        role, name = t[:-n], t[-n:]
        if bl.parse_byline(name) is not None and "、" in role and bl._is_role(role):
            return True
    return False


def _open(text: str) -> bool:
    """A paragraph a column break may have cut: no sentence-final mark, and either a mark that
    visibly continues (，、) or the length of a filled column line.  A short line without a final
    mark is a sub-head or label (“把群众的事当自家事”), not half a paragraph."""
    if ends_sentence(text) or _CONTINUATION.match(text) or text.endswith(("——", "）", ")")):
        return False  # 向全党发出号召——: a dash introduces the next paragraph; a bracket closes a note
    # Latin text: the follower decides (it continues only if it starts mid-sentence).
    # A line of verse ends in a comma too (渠水潺潺入良田，): a column is wider than that.
    return (ends_clause(text) and units(text) > MIN_VERSE_UNITS) or units(text) > MIN_OPEN_UNITS \
        or not any(is_han(c) for c in text)


def _quote_open(text: str) -> bool:
    """A quotation opened and not closed: a headline closes its quotes, a paragraph a column break
    cut may not (“…我们都应当向 / 他们学习。”)."""
    return text.count("“") > text.count("”") or text.count("「") > text.count("」")


def _may_continue(before: str, text: str) -> bool:
    """``text`` can be the rest of a paragraph cut after ``before``: it does not open with what only
    starts a paragraph — a dateline, a sub-head mark (■◆), an opening quote after a complete phrase."""
    t = text.lstrip()
    if bl.parse_dateline(t) or _SUBHEAD_MARK.match(t) or _LIST_ITEM.match(t):
        return False
    return not (t.startswith(("“", "「")) and not ends_clause(before))


def _continues(text: str) -> bool:
    """Text that starts mid-sentence: a lowercase Latin word (…would / be expanded…)."""
    return bool(text) and text[0].isalpha() and text[0].islower()


def _is_prose(text: str) -> bool:
    return not _is_headlinish(text)


def _is_subhead(text: str) -> bool:
    t = text.strip()
    if units(t) > MAX_HEADLINE_UNITS or re.search(r"[。；;]", t):
        return False
    return bool(_SUBHEAD_MARK.match(t) or (_SUBHEAD_NUM.match(t) and _is_headlinish(t)))


def _short_lines(block: _Block) -> bool:
    """A run of short, unpunctuated lines, as banners, ads and headline stacks are set."""
    return all(units(t) <= 30 and not ends_clause(t) and not re.search(r"[。；;]", t)
               for _, t in block.lines)


def _invented_title(text: str) -> str:
    first = re.split(r"[。！？!?；;]", text, maxsplit=1)[0]
    out = ""
    for ch in first:
        if units(out + ch) > 20:
            return out.rstrip("，,、 ") + "…"
        out += ch
    return out
