"""Ingest: raw print-page text → items (articles, photos, banners, advertisements).

The public verb is :func:`read_page`.  It reads a page file, cuts it into blocks
(runs of non-blank lines), drops verbatim repeats left by the layout, and walks
the blocks with a small state machine that recognises what a reader sees on a
page: headline stacks (kicker / title / subtitle), bylines, datelines, body
paragraphs split by column breaks, sub-heads, photo captions with credits, and
runs of short lines (banners and advertisements).  Every source line ends up in
exactly one item, in the page header/footer, or in the list of dropped repeats.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import byline as bl
from . import evidence as ev
from .dedupe import RepeatFinder, fingerprints
from .errors import BroadsheetError, Problem
from .punct import ends_clause, ends_sentence, is_han, to_fullwidth, units
from .textio import decode

KINDS = ("article", "photo", "banner", "advertisement")
MAX_HEADLINE_UNITS = 40
MAX_TITLE_UNITS = 80  # 第十四届全国人民代表大会…关于…的报告: long titles carry no punctuation at all
MIN_REPEAT_CHARS = 16
PARALLEL_LOOKAHEAD = 30  # blocks searched for sub-heads of the same form below a candidate
REPEAT_WINDOW = 3  # a layout repeat follows its source within this many blocks
MAX_SUBHEAD_UNITS = 20
MIN_OPEN_UNITS = 24  # a column break never cuts a paragraph after fewer characters than this

_SUBHEAD_MARK = re.compile(r"^(?:[◆◇■□●○▲△▶►★☆◎※▌▍]|【[^】]{1,20}】)")
_SUBHEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
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


@dataclass(frozen=True)
class Element:
    """One piece of an item's body: a paragraph, a sub-heading or a printed line."""

    kind: str  # "p" | "h" | "line"
    text: str


@dataclass(frozen=True)
class Item:
    kind: str
    order: int
    lines: tuple[int, ...]
    body: tuple[Element, ...] = ()
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    author_roles: tuple[tuple[str, str], ...] = ()
    dateline: str = ""
    credit: str = ""
    credit_marker: str = ""  # the words that said "photographed by" (摄)
    sponsor: str = ""
    advertiser: str = ""


@dataclass(frozen=True)
class Note:
    """A decision the editor should be able to check: a repair or an uncertainty."""

    kind: str  # join | drop | repeat | punctuation | headline | subhead | title | advertiser | section | page
    lines: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class Page:
    source: str
    encoding: str
    items: tuple[Item, ...]
    repairs: tuple[Note, ...]
    uncertain: tuple[Note, ...]
    dropped: tuple[Note, ...]
    section: str = ""
    page_number: int | None = None
    header: tuple[int, str] | None = None
    footer: tuple[int, str] | None = None
    furniture: tuple[tuple[int, str], ...] = ()
    punctuation_converted: int = 0


@dataclass
class _Block:
    lines: list[tuple[int, str]]

    @property
    def single(self) -> bool:
        return len(self.lines) == 1

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.lines)

    @property
    def nos(self) -> list[int]:
        return [n for n, _ in self.lines]


# --------------------------------------------------------------------------- shapes

# （作者为…） / （本报记者 张三整理）: a note closing an article, not a column tag like （人民论坛）.
_NOTE = re.compile(r"^[（(](?=[^（）()]*[，,、：:]|[^（）()]{13,})[^（）()]+[)）]$")

_PUNCTUATED = re.compile(r"[，。、；：！？,.;:!?—…]")

# 干在前与马上干（评论员观察）: the column tag that closes a headline (alone: a kicker).
_TAGGED = re.compile(r"[（(][^（）()，。,；;]{2,30}[）)]$")

# ——编  者 / ——摘自《…》: a signature or source line closing a text.
_SIGNATURE = re.compile(r"^(?:——|—)\s*(?:编\s*者|摘自|摘编自|选自|据|转自)")

# 上接第1版 / 下转第3版: where an article continues on another page — part of its text.
_CONTINUATION = re.compile(r"^[（(]?\s*(?:上接|下转|转第|接第|转下|接上)[^）)]{0,12}[）)]?$")


def _is_headlinish(text: str) -> bool:
    """Short, not a sentence: could be a headline, sub-head, label or byline."""
    t = text.strip()
    if not t or "\n" in t or _CONTINUATION.match(t):
        return False
    n = units(_TAGGED.sub("", t))
    if n > MAX_HEADLINE_UNITS and (n > MAX_TITLE_UNITS or _PUNCTUATED.search(t)):
        return False  # long and punctuated: prose; long without a single mark: an official title
    if bl.parse_dateline(t) or _NOTE.match(t) or _SIGNATURE.match(t):
        return False
    if ends_clause(t) or re.search(r"[。；;]|[.?!]\s", t[:-1]):
        return False
    if ends_sentence(t):
        # 再出发！ / Why now? may be headlines; a full stop never ends one.
        return t.rstrip("”’」』）)》\"'")[-1:] in "！？!?" and units(t) <= 24
    return any(is_han(c) or c.isalpha() for c in t)


_LABELLED = re.compile(r"^[^，,：:（(]{2,8}[：:]\s*(?P<names>[^，,：:]{2,24})$")


def _closing(text: str) -> bool:
    """A line that closes an article rather than heads one: a note in brackets （本报记者张三整理）,
    a byline or credit (李四 王五摄影报道), a labelled name (本期统筹：韩文榕)."""
    t = text.strip()
    if re.fullmatch(r"[（(][^（）()]+[)）]", t):
        return True
    if bl.parse_byline(t) or bl.parse_credit(t) or re.search(r"(?:摄影?|供图)(?:报道)?$", t):
        return True
    m = _LABELLED.match(t)
    return bool(m) and bl.parse_byline(m.group("names")) is not None


def _open(text: str) -> bool:
    """A paragraph a column break may have cut: no sentence-final mark, and either a mark that
    visibly continues (，、) or the length of a filled column line.  A short line without a final
    mark is a sub-head or label (“把群众的事当自家事”), not half a paragraph."""
    if ends_sentence(text) or _CONTINUATION.match(text) or text.endswith("——"):
        return False  # 向全党发出号召——: a dash that introduces the next paragraph
    # Latin text: the follower decides (it continues only if it starts mid-sentence).
    return ends_clause(text) or units(text) > MIN_OPEN_UNITS or not any(is_han(c) for c in text)


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


def _join(a: str, b: str) -> str:
    """Join two halves of a paragraph split by a column break."""
    if not a or not b:
        return a + b
    if is_han(a[-1]) or is_han(b[0]) or not a[-1].isalnum() and not b[0].isalnum():
        return a + b
    if a.endswith("-"):
        return a + b
    return a + " " + b


# --------------------------------------------------------------------------- drafts

@dataclass
class _Draft:
    kind: str
    lines: list[int] = field(default_factory=list)
    body: list[Element] = field(default_factory=list)
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    dateline: str = ""
    credit: str = ""
    credit_marker: str = ""
    sponsor: str = ""
    advertiser: str = ""
    open_para: bool = False  # last paragraph ended without sentence-final punctuation
    poem: bool = False  # the body is set in short lines (verse)

    def para(self, no: int, text: str) -> None:
        self.lines.append(no)
        self.body.append(Element("p", text))
        self.open_para = _open(text)

    def freeze(self, order: int) -> Item:
        return Item(
            kind=self.kind, order=order, lines=tuple(sorted(self.lines)), body=tuple(self.body),
            title=self.title, kicker=self.kicker, subtitle=self.subtitle, authors=tuple(self.authors),
            author_roles=tuple((a, self.roles[a]) for a in self.authors if a in self.roles),
            dateline=self.dateline, credit=self.credit, credit_marker=self.credit_marker,
            sponsor=self.sponsor, advertiser=self.advertiser)


class _Segmenter:
    def __init__(self, blocks: list[_Block], wide: dict[int, str] | None = None, oracle=None):
        self.blocks = blocks
        self.wide = wide or {}  # lines as printed, with their wide spaces (two-phrase headlines)
        self.oracle = oracle  # training: called at each headline decision, may impose the answer
        self.photo_title: tuple[int, str] | None = None
        self.items: list[_Draft] = []
        self.cur: _Draft | None = None  # the open article
        self.last_article: _Draft | None = None
        self.resume: _Draft | None = None  # the article a photo interrupted
        self.repairs: list[Note] = []
        self.uncertain: list[Note] = []

    # ---- helpers
    def _emit(self, draft: _Draft) -> _Draft:
        self.items.append(draft)
        if draft.kind == "article":
            self.cur = self.last_article = draft
        else:
            self.cur = None
        if draft.kind != "photo":
            self.resume = None
        return draft

    def _block(self, i: int) -> _Block | None:
        return self.blocks[i] if 0 <= i < len(self.blocks) else None

    def _single_text(self, i: int) -> str | None:
        b = self._block(i)
        return b.text if b is not None and b.single else None

    def _join_into(self, draft: _Draft, no: int, text: str) -> None:
        prev = draft.body[-1]
        prev_lines = [n for n in draft.lines if n < no]
        self.repairs.append(Note("join", (prev_lines[-1] if prev_lines else no, no),
                                 f"joined line {no} to the paragraph before it (split by a column break)"))
        draft.body[-1] = Element("p", _join(prev.text, text))
        draft.lines.append(no)
        draft.open_para = _open(draft.body[-1].text)

    # ---- main loop
    def run(self) -> list[_Draft]:
        i = 0
        while i < len(self.blocks):
            b = self.blocks[i]
            if not b.single:
                i = self._multi(i)
            else:
                i = self._single(i)
        return self.items

    def _multi(self, i: int) -> int:
        b = self.blocks[i]
        last_no, last = b.lines[-1]
        credit = bl.parse_credit(last)
        if credit and len(b.lines) >= 2:
            self._photo(b.lines[:-1], (last_no, last), credit)
            return i + 1
        if _short_lines(b):
            cur = self.cur
            if cur is not None and (not cur.body or cur.poem) and not _BANNER_WORDS.search(b.text) \
                    and not any(_AD_HINT.search(t) or _COMPANY.search(t) for _, t in b.lines):
                # Verse: stanzas right under a headline and byline, or after another stanza.
                for no, t in b.lines:
                    cur.lines.append(no)
                    cur.body.append(Element("line", t))
                cur.poem, cur.open_para = True, False
                return i + 1
            if len(b.lines) <= 3 and self._body_follows(i + 1) and not _BANNER_WORDS.search(b.text) \
                    and not any(_COMPANY.search(t) for _, t in b.lines):
                return self._headline([(n, t) for n, t in b.lines], i + 1, one_block=True)
            self._banner_or_ad(b)
            return i + 1
        # Prose set with single newlines: treat every line as a block of its own.
        self.blocks[i:i + 1] = [_Block([ln]) for ln in b.lines]
        return i

    def _body_follows(self, j: int) -> bool:
        """Text follows block ``j - 1``: a byline, prose, a sub-head — or one more headline-like
        line (a subtitle, a first sub-head) and then prose."""
        nb = self._block(j)
        if nb is None or not nb.single:
            return False
        if bl.parse_byline(nb.text) or _is_prose(nb.text) or _is_subhead(nb.text):
            return True
        after = self._single_text(j + 1)
        return after is not None and _is_prose(after) and not bl.parse_credit(after)

    def _single(self, i: int) -> int:
        no, t = self.blocks[i].lines[0]
        cur = self.cur
        nxt = self._single_text(i + 1)
        # A paragraph broken by a column break continues here.
        if cur and cur.body and cur.open_para and cur.body[-1].kind == "p" and (
                _is_prose(t) or ends_clause(cur.body[-1].text) or _continues(t)) and not _is_subhead(t):
            self._join_into(cur, no, t)
            return i + 1
        next_credit = bl.parse_credit(nxt) if nxt is not None else None
        credit = bl.parse_credit(t)
        if next_credit and not credit and not _is_subhead(t):
            self._photo([(no, t)], self.blocks[i + 1].lines[0], next_credit)
            return i + 2
        if credit and self._lone_credit(t):
            self._photo([], (no, t), credit)
            return i + 1
        if cur and _is_subhead(t):
            cur.lines.append(no)
            cur.body.append(Element("h", t))
            cur.open_para = False
            return i + 1
        if _is_headlinish(t):
            return self._headline_run(i)
        credit = bl.caption_credit(t)
        if credit:
            self._photo([(no, t)], None, credit)  # the caption keeps its credit, as printed
            return i + 1
        self._prose(no, t)
        return i + 1

    def _lone_credit(self, t: str) -> bool:
        """A credit line standing alone is a photo without caption — unless, inside an article's
        text, it reads as a sentence or as a byline that does not say 摄."""
        cur = self.cur
        if cur is not None and cur.body:
            if _is_headlinish(t) and units(t) > 12:
                return False
            if bl.parse_byline(t) and not t.rstrip().endswith(("摄", "摄影")):
                return False
        return True

    def _prose(self, no: int, t: str) -> None:
        if self.cur is None:
            last = self.last_article
            if last is not None and last.open_para and last.body and last.body[-1].kind == "p":
                # The paragraph continues after a photo or banner set into the column.
                self.cur = last
                self._join_into(last, no, t)
                return
            if self.resume is not None:
                # Text after a photo set into an article continues that article.
                self.cur = self.resume
                self.resume = None
                self.cur.para(no, t)
                return
            draft = self._emit(_Draft("article"))
            draft.title = _invented_title(t)
            self.uncertain.append(Note("title", (no,), f"line {no} starts text with no headline above it; "
                                       f"the title \"{draft.title}\" was made from its first words — replace it"))
            self._dateline(draft, t)
        elif not self.cur.body:
            self._dateline(self.cur, t)
        self.cur.para(no, t)

    def _dateline(self, draft: _Draft, text: str) -> None:
        found = bl.parse_dateline(text)
        if found:
            dateline, authors, roles = found
            draft.dateline = draft.dateline or dateline
            if not draft.authors:
                draft.authors, draft.roles = list(authors), dict(roles)

    def _headline_run(self, i: int) -> int:
        """Gather up to three consecutive headline-like lines and decide what they are."""
        cur = self.cur
        no, t = self.blocks[i].lines[0]
        if cur is not None and cur.body and _closing(t):
            cur.para(no, t)  # （本报记者张三整理） / 本期统筹：李四 / 辽宁义县 王五: the article's last line
            return i + 1
        j = i
        stack: list[tuple[int, str]] = []
        while j < len(self.blocks) and self.blocks[j].single:
            no, t = self.blocks[j].lines[0]
            if not _is_headlinish(t) or (stack and (bl.parse_byline(t) or _is_subhead(t) or _closing(t))):
                break
            nxt = self._single_text(j + 1)
            if nxt is not None and bl.parse_credit(nxt):
                break  # this line is a photo caption
            stack.append((no, t))
            j += 1
            if _TAGGED.search(t) and not _TAGGED.fullmatch(t):
                break  # a column tag closes the headline: 干在前与马上干（评论员观察）
        if not stack:  # a caption line handled by _single
            no, t = self.blocks[i].lines[0]
            self._prose(no, t)
            return i + 1
        if len(stack) > 3:
            return self._short_run(stack, j)
        return self._headline(stack, j)

    def _headline(self, stack: list[tuple[int, str]], j: int, one_block: bool = False) -> int:
        after = self._single_text(j)
        if after is None and self._caption_block(j) and len(stack) == 1:
            self.photo_title = stack[0]  # the headline of the photo below
            return j
        byline = bl.parse_byline(after) if after is not None else None
        body = after is not None and (_is_prose(after) or _is_subhead(after) or self._body_follows(j))
        if not byline and not body:
            return self._short_run(stack, j)
        cur = self.cur
        if cur is not None and cur.body and len(stack) == 1 and _continues(after or ""):
            self._prose(*stack[0])  # …the park would / be expanded…: a paragraph a column break cut
            return j
        if cur is not None:
            if not cur.body:
                new = False  # an article with no text yet does not end here
            elif byline is not None:
                if any(_EDITOR_NOTE.search(e.text) for e in cur.body):
                    # After an editor's note (——编者), each contributor's piece is a part of the feature.
                    self._subheads(stack, j)
                    bno, btext = self.blocks[j].lines[0]
                    if any(a in cur.authors for a in byline.authors):
                        cur.para(bno, btext)  # a contributor named twice: keep the line as printed
                    else:
                        cur.lines.append(bno)
                        cur.authors.extend(byline.authors)
                        cur.roles.update(byline.roles)
                    return j + 1
                new = True  # a headline with its byline under it starts a story
            else:
                ctx = self._context(stack, j, one_block)
                p = ev.new_article_probability(ctx)
                if self.oracle is not None:
                    verdict = self.oracle(stack, ctx)
                    new = p >= 0.5 if verdict is None else verdict
                else:
                    new = p >= 0.5
                if abs(p - 0.5) < ev.REVIEW_MARGIN:
                    self._review(stack, new, p)
            if not new:
                return self._subheads(stack, j)
        draft = self._emit(_Draft("article"))
        draft.lines.extend(n for n, _ in stack)
        self._headline_parts(draft, stack)
        if byline is not None:
            bno = self.blocks[j].lines[0][0]
            draft.lines.append(bno)
            draft.authors, draft.roles = list(byline.authors), dict(byline.roles)
            if re.match(r"^(本报|本刊|新华社|记者)", after.strip()) or byline.trailing:
                draft.dateline = after.strip()
            return j + 1
        return j

    def _subheads(self, stack: list[tuple[int, str]], j: int) -> int:
        """Headline-like lines inside an article: its sub-heads (a long one, a paragraph)."""
        cur = self.cur
        for no, t in stack:
            if _open(t) or re.search(r"[。；;]", t):
                cur.para(no, t)
                continue
            cur.lines.append(no)
            cur.body.append(Element("h", t))
            cur.open_para = False
        return j

    def _review(self, stack: list[tuple[int, str]], new: bool, p: float) -> None:
        nos = tuple(n for n, _ in stack)
        text = " / ".join(t for _, t in stack)
        reading, other = ("the headline of a new article", "a sub-heading of the article above") if new \
            else ("a sub-heading of the article above", "the headline of a new article")
        sure = round(100 * max(p, 1 - p))
        self.uncertain.append(Note("headline" if new else "subhead", nos,
                                   f"line {nos[0]} \"{text}\" was read as {reading} ({sure} % sure); "
                                   f"if it is {other}, {'merge the two files' if new else 'move it and the text below it to a file of its own'}"))

    def _context(self, stack: list[tuple[int, str]], j: int, one_block: bool) -> ev.Context:
        cur = self.cur
        texts = [e.text for e in cur.body]
        article = "".join(texts)[-1500:]
        after: list[str] = []
        k = j
        while k < len(self.blocks) and sum(len(a) for a in after) < 300:
            b = self.blocks[k]
            if b.single and _is_headlinish(b.text) and after:
                break
            after.append(b.text)
            k += 1
        nb = self._block(j + 1)
        ahead = []  # headline-like lines further down the same run of text (a series of sub-heads?)
        for b in self.blocks[j:j + PARALLEL_LOOKAHEAD]:
            if not b.single:
                break
            if _is_headlinish(b.text) and not _closing(b.text):
                ahead.append(self.wide.get(b.lines[0][0], b.text))
        return ev.Context(
            lines=tuple(self.wide.get(n, t) for n, t in stack), one_block=one_block,
            next_text=self._block(j).text.split("\n")[0] if self._block(j) else "",
            next_next_text=nb.text.split("\n")[0] if nb else "",
            prev_text=texts[-1], prev_kind="article",
            paragraphs=sum(1 for e in cur.body if e.kind == "p"),
            subheads=sum(1 for e in cur.body if e.kind == "h"),
            article_text=article, after_text="".join(after),
            has_editor_note=any(_EDITOR_NOTE.search(t) for t in texts),
            subhead_texts=tuple(e.text for e in cur.body if e.kind == "h"),
            below=tuple(b.lines[0][1] for b in self.blocks[j:j + 4]),
            later_heads=tuple(ahead))

    def _caption_block(self, j: int) -> bool:
        """Block ``j`` is a photo's caption: lines ending in a credit, or a caption with its credit."""
        b = self._block(j)
        if b is None:
            return False
        if not b.single:
            return len(b.lines) >= 2 and bl.parse_credit(b.lines[-1][1]) is not None
        nxt = self._single_text(j + 1)
        return bl.caption_credit(b.text) is not None or (nxt is not None and bl.parse_credit(nxt) is not None
                                                          and not _is_headlinish(b.text))

    def _headline_parts(self, draft: _Draft, stack: list[tuple[int, str]]) -> None:
        texts = [self.wide.get(n, t) for n, t in stack]
        subs = [t for t in texts[1:] if _DASH.match(t)]
        main = [t for t in texts if t not in subs]
        nos = tuple(n for n, _ in stack)
        if len(main) == 1:
            draft.title = main[0]
            self._split_single_headline(draft, nos)
        elif len(main) == 2:
            draft.kicker, draft.title = main
            self.uncertain.append(Note("headline", nos, f"two headline lines: read line {nos[0]} as the kicker "
                                       "(引题) and the next as the title (主题); swap them if the first is the title"))
        else:
            draft.kicker, draft.title = main[0], main[1]
            if not subs:
                subs = main[2:]
        if subs:
            draft.subtitle = " ".join(subs)

    def _split_single_headline(self, draft: _Draft, nos: tuple[int, ...]) -> None:
        t = draft.title
        m = re.match(r"^(.{4,}?)\s*(——.{4,})$", t)
        if m:
            draft.title, draft.subtitle = m.group(1).strip(), m.group(2)
            return
        if "  " in t:
            return  # phrases set apart by a wide space are one headline (对仗: 绿色生活  渐成风尚)
        parts = t.split()
        clause = re.compile(r"[，,、；;：:]")
        if len(parts) >= 2 and clause.search(parts[0]) and units(parts[0]) >= 8 and \
                not any(clause.search(p) for p in parts[1:]):
            draft.kicker, draft.title = parts[0], " ".join(parts[1:])
            self.uncertain.append(Note("headline", nos, f"line {nos[0]} holds two headline parts: kicker "
                                       f"\"{draft.kicker}\" and title \"{draft.title}\" — check the split"))

    def _short_run(self, stack: list[tuple[int, str]], j: int) -> int:
        """Short lines not followed by a story: body lines of the open article, or a banner."""
        if self.cur is not None:
            for no, t in stack:
                self.cur.para(no, t)
        else:
            self._banner_or_ad(_Block(stack))
        return j

    def _photo(self, caption: list[tuple[int, str]], credit_line: tuple[int, str] | None, credit: str) -> None:
        """A photo: its caption lines and credit (``credit_line`` None: the credit is printed
        inside the caption).  Text that follows continues the article it interrupted."""
        keep = self.cur
        d = self._emit(_Draft("photo"))
        if self.photo_title is not None:
            no, t = self.photo_title
            d.title = self.wide.get(no, t)
            d.lines.append(no)
            self.photo_title = None
        text = ""
        for _, t in caption:
            if text and not _open(text):
                d.body.append(Element("p", text))  # a caption of several sentences, line by line
                text = t
            else:
                text = _join(text, t)
        if text:
            d.body.append(Element("p", text))
        d.lines.extend(n for n, _ in caption)
        d.credit = credit
        if credit_line is not None:
            d.lines.append(credit_line[0])
            d.credit_marker = bl.credit_marker(credit_line[1], credit)
        self.resume = keep or self.resume

    def _banner_or_ad(self, b: _Block) -> None:
        kind = "banner" if _BANNER_WORDS.search(b.text) else "advertisement"
        d = self._emit(_Draft(kind))
        for no, t in b.lines:
            d.lines.append(no)
            d.body.append(Element("line", t))
        if kind == "banner":
            for _, t in b.lines:
                if _SPONSOR_WORD.search(t) and re.search(r"协办|主办|承办|联办|冠名|赞助|支持", t):
                    d.sponsor = _SPONSOR_WORD.sub(" ", t).strip()
                    break
        else:
            for _, t in b.lines:
                if _COMPANY.search(t.strip()):
                    d.advertiser = t.strip()
                    break
            if not d.advertiser:
                self.uncertain.append(Note("advertiser", tuple(b.nos), f"advertisement at lines {b.nos[0]}–"
                                           f"{b.nos[-1]}: the advertiser's name was not recognised — add "
                                           "`advertiser:` to its front-matter"))


def _invented_title(text: str) -> str:
    first = re.split(r"[。！？!?；;]", text, maxsplit=1)[0]
    out = ""
    for ch in first:
        if units(out + ch) > 20:
            return out.rstrip("，,、 ") + "…"
        out += ch
    return out


# --------------------------------------------------------------------------- page

def _page_number(text: str) -> int | None:
    m = _PAGE_NO.search(text)
    if not m:
        return None
    digits = next(g for g in m.groups() if g)
    n = int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    return n if n >= 1 else None


def _section_name(text: str) -> str:
    t = re.sub(r"第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版", " ", text)
    t = re.sub(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]", " ", t)
    t = re.sub(r"^\s*[0-9]{1,3}\s+|\s+[0-9]{1,3}\s*$|^[Pp]age\s+[0-9]{1,3}\b", " ", t)
    t = re.split(r"责任编辑|责编|美术编辑|校对", t)[0]
    return " ".join(t.split())


def _tail_of(fragment: str, text: str) -> bool:
    """``fragment`` repeats the end of ``text`` (of one of its lines), and is shorter."""
    return any(len(fragment) < len(t) and t.endswith(fragment) for t in [text, *text.split("\n")])


def _drop_layout_repeats(blocks: list[_Block]) -> tuple[list[_Block], list[Note], list[Note]]:
    """Drop the layout's repeats: a block whose text repeats the end of one of the few blocks just
    before it (a column's last lines set again).  Any other repeat — a whole paragraph printed
    twice, a quote repeated far away — is content: it is kept and listed for the editor."""
    finder = RepeatFinder()
    kept: list[_Block] = []
    dropped: list[Note] = []
    noted: list[Note] = []
    for b in blocks:
        if b.single and len("".join(b.text.split())) >= MIN_REPEAT_CHARS:
            no = b.lines[0][0]
            near = kept[-REPEAT_WINDOW:]
            host = next((k for k in reversed(near) if _tail_of(b.text, k.text)), None)
            if host is None and len(near) >= 2 and _tail_of(b.text, _join(near[-2].text, near[-1].text)):
                host = near[-2]
            if host is not None:
                src_no = host.nos[0]
                dropped.append(Note("drop", (no, src_no),
                                    f"dropped line {no}: it repeats, verbatim, {len(b.text)} characters of line "
                                    f"{src_no} (a layout artefact)"))
                continue
            fps = fingerprints(b.text)
            hit = finder.find(b.text, fps)
            if hit is not None:
                src_no = kept[hit[0]].nos[0]
                noted.append(Note("repeat", (no, src_no), f"line {no} repeats text of line {src_no}; it was kept "
                                  "as text (a layout repeat is a fragment right after its source) — delete it "
                                  "if it is printed twice by mistake"))
            finder.add(b.text, fps)
        else:
            finder.add(b.text)
        kept.append(b)
    return kept, dropped, noted


def parse_page(text: str, source: str, *, keep_punctuation: bool = False, encoding: str = "utf-8",
               display: str | None = None, oracle=None) -> Page:
    """Segment decoded page text (see module docstring); ``display`` names the file in errors."""
    converted = 0
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    wide: dict[int, str] = {}  # lines with a wide space inside, as printed (one wide space kept)
    for no, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\u200b", "").replace("\ufeff", "")
        line = " ".join(raw.split())
        if not line:
            if current:
                blocks.append(_Block(current))
                current = []
            continue
        if not keep_punctuation:
            line, n = to_fullwidth(line)
            converted += n
        if _WIDE.search(raw.strip()):
            spaced = _WIDE.sub("  ", raw.strip())
            wide[no] = to_fullwidth(spaced)[0] if not keep_punctuation else spaced
        current.append((no, line))
    if current:
        blocks.append(_Block(current))
    if not blocks:
        raise BroadsheetError(Problem(display or source, 0, "the page is empty (no text at all)",
                                      "check that the right file was exported from the layout"))

    repairs: list[Note] = []
    uncertain: list[Note] = []
    header = footer = None
    if len(blocks) > 1 and blocks[0].single and _HEADER_HINT.search(blocks[0].text) and units(blocks[0].text) <= 40 \
            and not _CONTINUATION.match(blocks[0].text):
        header = blocks.pop(0).lines[0]
    if len(blocks) > 1 and blocks[-1].single and _is_headlinish(blocks[-1].text) \
            and not bl.parse_credit(blocks[-1].text) and units(blocks[-1].text) <= 30 \
            and not _is_subhead(blocks[-1].text):
        footer = blocks.pop().lines[0]

    furniture = []
    kept_blocks = []
    for b in blocks:
        if all(_FURNITURE.match(t) for _, t in b.lines):
            furniture.extend(b.lines)
        else:
            kept_blocks.append(b)
    blocks = kept_blocks

    kept, dropped, repeats = _drop_layout_repeats(blocks)
    uncertain.extend(repeats)

    seg = _Segmenter(kept, wide, oracle)
    drafts = seg.run()
    repairs.extend(seg.repairs)
    uncertain.extend(seg.uncertain)
    items = tuple(d.freeze(k) for k, d in enumerate(drafts, start=1))

    section = ""
    page_number = None
    for found in (footer, header):
        if found:
            section = section or _section_name(found[1])
            page_number = page_number or _page_number(found[1])
    if not section:
        uncertain.append(Note("section", (), "the page has no footer naming its section (版面); "
                              "set `name:` in the page's section.yaml"))
    for d in drafts:
        if d.kind == "article" and d.body and d.open_para and d.body[-1].kind == "p":
            last = max(d.lines)
            uncertain.append(Note("paragraph", (last,), f"line {last} ends an article without sentence-final "
                                  "punctuation — check whether text is missing"))
    if converted:
        repairs.append(Note("punctuation", (), f"converted {converted} half-width punctuation marks between "
                            "Chinese characters to full-width (use --keep-punctuation to keep them)"))
    return Page(source=source, encoding=encoding, items=items, repairs=tuple(repairs),
                uncertain=tuple(uncertain), dropped=tuple(dropped), section=section,
                page_number=page_number, header=header, footer=footer, furniture=tuple(furniture),
                punctuation_converted=converted)


MAX_PAGE_BYTES = 64 * 1024 * 1024


def read_page(path: str | Path, *, keep_punctuation: bool = False) -> Page:
    """Read and segment one page file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise BroadsheetError(Problem(str(p), 0, f"the page is {size // 2**20} MB, larger than any real page "
                                          f"({MAX_PAGE_BYTES // 2**20} MB limit)", "check that this is one page of text"))
        data = p.read_bytes()
    except OSError as e:
        raise BroadsheetError(Problem(str(p), 0, f"cannot read the page: {e.strerror}",
                                      "check the file name and permissions")) from None
    text, encoding = decode(data, str(p))
    return parse_page(text, p.name, keep_punctuation=keep_punctuation, encoding=encoding, display=str(p))
