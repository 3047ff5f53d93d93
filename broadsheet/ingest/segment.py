"""Walking a page's blocks into items: the segmenter and the drafts it fills."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import byline as bl
from . import evidence as ev
from ..punct import ends_clause, ends_sentence, is_han, units
from .model import Element, Item, Note, _Block
from .shapes import (
    INTRO_PARAGRAPHS, LIST_RUN, MAX_TITLE_UNITS, MIN_OPEN_UNITS, PARALLEL_LOOKAHEAD, _may_continue, _AD_HINT,
    _BANNER_WORDS, _COMPANY, _DASH, _EDITOR_NOTE, _SPONSOR_WORD,
    _LIST_ITEM, _SUBHEAD_NUM, _TAGGED, _closing, _continues, _ends_in_dash, _quote_open, _invented_title,
    _is_headlinish, _is_prose, _is_subhead, _join, _open, _short_lines,
)


def _form(stack: list[tuple[int, str]]) -> tuple:
    """How a head is set, line by line: opening quote, closing dash (马拉维中非科技小院—— / “…”)."""
    if _ends_in_dash(stack[0][1]):
        return ("lead-in", len(stack))  # 山西代表团—— / title: the parts' lead-ins make the form, not their words
    if len(stack) > 1:  # 建设强大国内市场 / 文旅融合新业态: a section's name over the part's title
        return ("stack", len(stack))
    form = tuple((t[:1] in "“「\"", _ends_in_dash(t)) for _, t in stack)
    return form if any(form[0]) else None  # a plain one-line head is no distinct form


# How many blocks of a remark's text may stand over its dash signature (——某某代表).
REMARK_LOOKAHEAD = 8
# How many blocks below a round-up's first brief its second brief's head may be.
ROUNDUP_LOOKAHEAD = 12
# The longest sub-head read as such when it holds a comma (longer: a paragraph a column break cut).
_SUBHEAD_MAX_UNITS = 40
# The date under a document's signature: 2026年1月22日, 二〇二六年一月二十二日 (nothing else on the line).
_SIGNATURE_DATE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                             r"\s*[\d一二三四五六七八九十]{1,3}\s*日")


# 关于…的决议 / 关于…的通知: an official document's title, ending in its kind (the kinds of 党政机关公文).
_DOC_TITLE = re.compile(r"关于.{2,}的(?:决议|决定|命令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要)$")
# 第七十二号: an order's or a notice's number under its name (中华人民共和国主席令 / 第七十二号).
_DOC_NUMBER = re.compile(r"[（(]?第\s*[0-9一二三四五六七八九十百千零〇]+\s*号[）)]?")


def _quoted(text: str) -> bool:
    """A line that is one quotation (“以天下之利为利”), as a feature's quoted sub-heads are set."""
    t = text.strip()
    return len(t) > 2 and t[0] == "“" and t[-1] == "”" and "“" not in t[1:-1]


def _same_form(head: str, text: str) -> bool:
    """Set as the same series of sub-heads: both one quotation, or both short heads of one length in
    Chinese characters only (春天的路 / 秋天的山, six at most; not 【点评】)."""
    if _quoted(head) and _quoted(text):
        return True
    a, b = head.strip(), text.strip()
    return len(a) == len(b) <= 6 and all(is_han(ch) for ch in a + b)


def _byline_form(byline) -> tuple | None:
    """How a part's byline is set, when it is a team's (本报记者  张三  李四  王五): its roles and how
    many names.  The parts of one feature are signed alike; one name alone is no distinct form."""
    if len(byline.authors) < 2:
        return None
    return tuple(sorted(set(byline.roles.get(a, "") for a in byline.authors))), len(byline.authors)


def _contributor(byline) -> bool:
    """A byline of one contributor with a role of their own (全国人大代表、某某县县长  李明 / 某某大学教授
    王芳), not the paper's staff (本报记者 / 通讯员): how a feature's parts are signed."""
    if len(byline.authors) != 1:
        return False
    role = byline.roles.get(byline.authors[0], "")
    return bool(role) and not re.search(r"记者|通讯员|特约|编辑|评论员", role)


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
    part_forms: set = field(default_factory=set)  # the forms of a feature's signed parts' heads (_form)
    part_bylines: set = field(default_factory=set)  # … and of their bylines (_byline_form)
    roundup: bool = False  # a round-up: a short label over several brief news items, each with its dateline
    contributors: bool = False  # a feature that took in a part signed by one contributor with a role (not staff)

    @property
    def attributed(self) -> bool:
        """Signed so far: a byline, a dateline or an author."""
        return bool(self.authors or self.dateline)

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
        self._text: str | None = None  # the page's text, for _cut_before

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
        """Text follows block ``j - 1``: a byline, prose, a sub-head — or a few more headline-like
        lines (a subtitle, a first sub-head) and then prose."""
        nb = self._block(j)
        if nb is None or not nb.single:
            return False
        if bl.parse_byline(nb.text) or _is_prose(nb.text) or _is_subhead(nb.text):
            return True
        for k in (j + 1, j + 2):  # up to two more headline-like lines (a subtitle, a sub-head, a question)
            after = self._single_text(k)
            if after is None or bl.parse_credit(after):
                return False
            if _is_prose(after) or bl.parse_byline(after):  # …a part's lead-in and title, then its byline
                return True
        return False

    def _single(self, i: int) -> int:
        no, t = self.blocks[i].lines[0]
        cur = self.cur
        nxt = self._single_text(i + 1)
        # A paragraph broken by a column break continues here.
        if cur and cur.body and cur.open_para and cur.body[-1].kind == "p" and (
                _is_prose(t) or ends_clause(cur.body[-1].text) or _continues(t)) and not _is_subhead(t) \
                and _may_continue(cur.body[-1].text, t) and self._cut_before(cur.body[-1].text, i):
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
        if nxt is not None and (bl.parse_dateline(nxt) or bl.parse_byline(nxt)) and self._long_headline(t):
            return self._headline([(no, t)], i + 1)  # 某某、某某、某某等领导同志分别参加…: over a dateline
        credit = bl.caption_credit(t)
        if credit:
            self._photo([(no, t)], None, credit)  # the caption keeps its credit, as printed
            return i + 1
        self._prose(no, t)
        return i + 1

    @staticmethod
    def _long_headline(t: str) -> bool:
        """A line too long or too punctuated for a headline on its own, that still reads as one right
        above a dateline or a byline: no sentence-final or clause mark at its end, no full stop inside,
        one line of at most MAX_TITLE_UNITS (an official headline that lists who took part)."""
        return "\n" not in t and units(t) <= MAX_TITLE_UNITS and not ends_sentence(t) and not ends_clause(t) \
            and not re.search(r"[。；;！？!?]", t) and not bl.parse_dateline(t)

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
            if last is not None and last.open_para and last.body and last.body[-1].kind == "p" \
                    and _may_continue(last.body[-1].text, t):
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
        if cur is not None and cur.body and (_DASH.match(t) or _LIST_ITEM.match(t)):
            # ——全国人大代表、某某公司董事长张三: who said it, under what they said; 8.张三  某某站站长:
            # an entry of a numbered list.  A headline opens with neither.
            self._prose(no, t)
            return i + 1
        if cur is not None and cur.body and self._last_word(i):
            cur.para(no, t)  # 读罢，我对他说：写下去吧！ over the next story's headline: this story's end
            return i + 1
        run = self._list_run(i)
        if len(run) >= LIST_RUN:
            end = i + len(run)
            if self._list_title(run):
                # 某某名单 / 1.张三 / 2.李四 …: under a finished story, an unnumbered line over numbered
                # entries is the list's own headline
                no, t = run[0]
                draft = self._emit(_Draft("article"))
                draft.lines.append(no)
                draft.title = self.wide.get(no, t)
                return self._short_run(run[1:], end)
            after = self._single_text(end)
            last = run[-1][1]
            if after is not None and _is_prose(after) and units(after) > MIN_OPEN_UNITS and not _closing(last) \
                    and not any(bl.parse_byline(t) or _TAGGED.search(t) for _, t in run):  # names: a table
                # A run with no names in it (verse, not a table) whose last line stands over a
                # paragraph: that line may head the text (the next piece's headline) — it is weighed
                # as a headline of its own.
                return self._short_run(run[:-1], end - 1)
            return self._short_run(run, end)  # a table or list: 姓名 / 单位 / 奖项, line after line
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
        if len(stack) > 1 and cur is not None and cur.body and _SIGNATURE_DATE.fullmatch(stack[0][1].strip()) \
                and not _DOC_NUMBER.fullmatch(stack[1][1].strip()):
            cur.para(*stack[0])  # 2026年3月12日 / 下一篇的标题: the date closes the document; the rest is read again
            return i + 1
        if stack and cur is not None and cur.body and _SIGNATURE_DATE.fullmatch(stack[-1][1].strip()):
            for no, t in stack:  # 中共中央 / 国务院 / 2026年1月22日: a document's signature (落款), its end
                cur.para(no, t)
            return j
        if not stack:  # a caption line handled by _single
            no, t = self.blocks[i].lines[0]
            self._prose(no, t)
            return i + 1
        if len(stack) > 3:
            return self._short_run(stack, j)
        return self._headline(stack, j)

    def _list_title(self, run: list[tuple[int, str]]) -> bool:
        """The run's first line heads the numbered list below it (名单 / 集体 / （50个） / 1.… / 2.…):
        it is not numbered itself, entries numbered in order follow within a few lines, and the
        open article has finished its last sentence."""
        cur = self.cur
        if cur is None or not cur.body or cur.body[-1].kind != "p" or not ends_sentence(cur.body[-1].text):
            return False
        first = run[0][1]
        if _LIST_ITEM.match(first) or _closing(first) or _TAGGED.search(first):
            return False
        numbers = [int(m.group(1)) for _, t in run[1:LIST_RUN + 2] if (m := re.match(r"^(\d{1,3})[.．]", t))]
        return len(numbers) >= 2 and numbers[:2] == [1, 2]

    def _last_word(self, i: int) -> bool:
        """Block ``i`` is a sentence that closes the open text — a clause, then an exclamation or a
        question (读罢，我对他说：写下去吧！ / 此刻，你在哪里？) — set right above another headline-like line
        over text: that line is the next story's headline, and a headline never sits over a kicker
        that speaks in sentences."""
        t = self.blocks[i].lines[0][1].strip()
        body = t.rstrip("”’」』）)\"'")[:-1]  # without its final mark
        wish = t.endswith(("！", "!")) and units(body) >= 6  # 预祝大会圆满成功！: a closing wish, no clause needed
        if not (ends_sentence(t) and (re.search(r"[，,：:！？!?]", body) or wish)):
            return False
        nxt = self._single_text(i + 1)
        return nxt is not None and _is_headlinish(nxt) and not _closing(nxt) and self._body_follows(i + 2)

    def _list_run(self, i: int) -> list[tuple[int, str]]:
        """The short lines from block ``i`` on, up to the first line of prose (or a photo caption)."""
        run: list[tuple[int, str]] = []
        j = i
        while j < len(self.blocks) and self.blocks[j].single:
            no, t = self.blocks[j].lines[0]
            nxt = self._single_text(j + 1)
            if not _is_headlinish(t) or bl.parse_credit(t) or (nxt is not None and bl.parse_credit(nxt)):
                break
            run.append((no, t))
            j += 1
        return run

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
            if cur.body and byline is not None and (any(_EDITOR_NOTE.search(e.text) for e in cur.body)
                                                    or self._unsigned_intro(cur) or _form(stack) in cur.part_forms
                                                    or _byline_form(byline) in cur.part_bylines
                                                    or (cur.contributors and len(stack) == 1 and _contributor(byline))):
                return self._feature_part(stack, j, byline)
            if not cur.body and not cur.attributed and byline is not None and _form(stack) == ("lead-in", len(stack)):
                # 真抓实干（在代表团开放日上） / 山西代表团—— / 重焕好风光 / 本报记者  张三: the feature's first
                # part, right under its headline
                return self._feature_part(stack, j, byline)
            if cur.body and byline is None and _form(stack) == ("lead-in", len(stack)) and any(
                    e.kind == "h" and _ends_in_dash(e.text) for e in cur.body):
                return self._subheads(stack, j)  # 李四代表—— after 张三代表——: the feature's next part
            if not self._starts_article(stack, j, one_block, byline):
                return self._subheads(stack, j)
        if not one_block and self._roundup(stack, j):
            draft = self._emit(_Draft("article", roundup=True))  # 新闻速览 / item head / 本报…电: one story
            draft.lines.extend(n for n, _ in stack)
            draft.title = self.wide.get(stack[0][0], stack[0][1])
            draft.body.append(Element("h", self.wide.get(stack[1][0], stack[1][1])))
            return j
        draft = self._emit(_Draft("article"))
        draft.lines.extend(n for n, _ in stack)
        self._headline_parts(draft, stack)
        if byline is not None:
            bno = self.blocks[j].lines[0][0]
            draft.lines.append(bno)
            draft.authors, draft.roles = list(byline.authors), dict(byline.roles)
            if draft.part_forms and _byline_form(byline) is not None:
                draft.part_bylines.add(_byline_form(byline))  # the first part's byline, under its lead-in
            if re.match(r"^(本报|本刊|新华社|记者)", after.strip()) or byline.trailing:
                draft.dateline = after.strip()
            return j + 1
        return j

    def _starts_article(self, stack: list[tuple[int, str]], j: int, one_block: bool, byline) -> bool:
        """Does this headline-like stack inside the open article start a new one?  Decided by the
        weighted evidence (listed for review when unsure), except where one cue settles it."""
        if not self.cur.body:
            return False  # an article with no text yet does not end here
        if self.cur.body[-1].kind == "h":
            return False  # right under a sub-head (■延伸阅读) with no text yet: a head of the same story
        if self.cur.roundup:  # a round-up's briefs each open with a dateline; other text is another story
            return not (len(stack) == 1 and self._dateline_at(j))
        if byline is not None or self._dateline_at(j):
            return True  # a headline with its byline or its dateline under it starts a story
        last = self.cur.body[-1].text.strip()
        if last[:1] in "（(" and last[-1:] in "）)" and bl.parse_dateline(last[1:-1]):
            return True  # （新华社北京3月12日电）: the wire story above is complete
        if _DASH.match(last) and not _TAGGED.search(stack[-1][1]) and (
                not _EDITOR_NOTE.search(last) or self._signed_by_dash(j)):
            # ——某某代表: a signed remark; the next head without a signature is the next remark (also
            # the first, right under the editor's note, when a dash signs its text too)
            return False
        if len(stack) == 1 and _DOC_TITLE.search(stack[0][1].strip()):
            return True  # 某某会议关于某某报告的决议: a document's title (关于…的 + its kind) heads its own text
        if len(stack) == 1 and any(e.kind == "h" and _same_form(e.text, stack[0][1]) for e in self.cur.body):
            return False  # “…” after “…”, 秋天的山 after 春天的路: the article's sub-heads go on
        if len(stack) == 1 and _quote_open(stack[0][1]) and _open(stack[0][1]):
            return False  # a paragraph cut inside a quotation: the sub-head path keeps it as text
        ctx = self._context(stack, j, one_block)
        p = ev.new_article_probability(ctx)
        if ev.signed_series(ctx):
            if p >= 0.5:  # the weights alone would have split the report here: say so
                nos = tuple(n for n, _ in stack)
                self.uncertain.append(Note("subhead", nos, (
                    f"line {nos[0]} \"{' / '.join(t for _, t in stack)}\" was read as a sub-heading of the signed "
                    f"report above (set like its other heads, no signature under it, the same subject), though "
                    f"the weights alone read a new article ({round(100 * p)} %); if it is the headline of a new "
                    "article, move it and the text below it to a file of its own")))
            return False
        verdict = self.oracle(stack, ctx) if self.oracle is not None else None
        new = p >= 0.5 if verdict is None else verdict
        if abs(p - 0.5) < ev.REVIEW_MARGIN:
            self._review(stack, new, p)
        return new

    def _signed_by_dash(self, j: int) -> bool:
        """The text from block ``j`` on ends in a remark's signature (——某某委员) before any head."""
        for k in range(j, min(len(self.blocks), j + REMARK_LOOKAHEAD)):
            t = self._single_text(k)
            if t is None:
                return False
            if _DASH.match(t):
                return not _EDITOR_NOTE.search(t)
            if _is_headlinish(t):
                return False
        return False

    def _dateline_at(self, j: int) -> bool:
        t = self._single_text(j)
        return t is not None and bl.parse_dateline(t) is not None

    def _roundup(self, stack: list[tuple[int, str]], j: int) -> bool:
        """A short label set apart above a headline whose story opens with a dateline, and more
        headlines over datelines close below: a round-up of briefs, which the paper lists as one
        story under the label.  (A kicker is set in the headline's own block.)"""
        if len(stack) != 2 or not self._dateline_at(j):
            return False
        if not self._label_at(stack[0][1]):
            return False
        for k in range(j + 1, min(len(self.blocks) - 1, j + 1 + ROUNDUP_LOOKAHEAD)):
            t = self._single_text(k)
            if t is not None and _is_headlinish(t) and not _closing(t) and self._dateline_at(k + 1):
                # The next brief has no label of its own (stories that each carry a kicker are
                # separate stories).
                return not self._label_at(self._single_text(k - 1) or "")
        return False

    @staticmethod
    def _label_at(text: str) -> bool:
        t = text.strip()
        return 2 <= len(t) <= 6 and all(is_han(ch) for ch in t)

    @staticmethod
    def _unsigned_intro(cur) -> bool:
        """An article that so far is a headline over a short introduction nobody signs: what follows
        with bylines of its own are the feature's parts (the paper prints them as one story)."""
        return not cur.attributed and not cur.credit \
            and 1 <= len(cur.body) <= INTRO_PARAGRAPHS and all(e.kind == "p" for e in cur.body) \
            and units("".join(e.text for e in cur.body)) >= 2 * MIN_OPEN_UNITS and not ev.signed(cur.body[-1].text)

    def _feature_part(self, stack: list[tuple[int, str]], j: int, byline) -> int:
        """After an editor's note (——编者) or an unsigned introduction, each signed piece is a part of
        the feature — as are the next pieces whose heads are set the same way: its title a
        sub-head, its contributor one more author."""
        cur = self.cur
        form = _form(stack)
        if form is not None:
            cur.part_forms.add(form)
        if _byline_form(byline) is not None:
            cur.part_bylines.add(_byline_form(byline))
        self._subheads(stack, j)
        bno, btext = self.blocks[j].lines[0]
        names = byline.authors
        if any(a in cur.authors for a in names) or len(set(names)) < len(names) or byline.trailing:
            cur.para(bno, btext)  # a contributor named twice, or 张三 报道: keep the line as printed
        else:
            cur.lines.append(bno)
        cur.authors.extend(a for a in dict.fromkeys(names) if a not in cur.authors)
        cur.roles.update(byline.roles)
        cur.contributors = cur.contributors or _contributor(byline)
        return j + 1

    def _subheads(self, stack: list[tuple[int, str]], j: int) -> int:
        """Headline-like lines inside an article: its sub-heads (a long one, a paragraph)."""
        cur = self.cur
        for k, (no, t) in enumerate(stack):
            if (_open(t) and (k < len(stack) - 1 or self._cut_before(t, j))) or re.search(r"[。；;]", t):
                cur.para(no, t)
                continue
            cur.lines.append(no)
            cur.body.append(Element("h", t))
            cur.open_para = False
        return j

    def _cut_before(self, text: str, j: int) -> bool:
        """Is this short line with a comma, and no sentence-final mark, the start of a paragraph a
        column break cut before block ``j`` — or a sub-head (把依规治党作为基本方式，永葆先进性)?
        A cut falls anywhere: after a comma, inside a number, inside a word.  A sub-head ends where
        a phrase ends, so the two characters around the gap do not make a word the page uses."""
        b = self._block(j)
        deck = self.cur is not None and self._in_deck() and not ev.tells_when(text)
        numbered = bool(_SUBHEAD_NUM.match(text.strip()))  # （一）编纂某某法典是……的必然要求: a long numbered head
        if b is None or ends_clause(text) or (units(text) > _SUBHEAD_MAX_UNITS and not deck and not numbered) \
                or ev.opens_like_prose(text) \
                or _quote_open(text) or (re.search(r"[。！？；;!?]", text) and not deck):  # a sub-head holds no full stop
            return True
        a, c = text.rstrip()[-1:], b.lines[0][1].lstrip()[:1]
        if a in "”’」』》":
            return False  # a line closing its quotation (……“双到位”) ends a phrase: a sub-head or deck line
        if not (a and c and is_han(a) and (is_han(c) or c.isdigit())):
            return True  # 产量2 / .16亿吨: a number or a Latin word cut in two
        if self._text is None:
            self._text = "\n".join(t for blk in self.blocks for _, t in blk.lines)
        return a + c in self._text  # 强 / 调 where the page says 强调 elsewhere

    def _in_deck(self) -> bool:
        """The open article's text so far is only lines without a final mark right under its headline:
        the deck (summary lines a commentary opens with), where a line ends where a phrase ends."""
        body = self.cur.body
        return bool(body) and len(body) <= 3 and not self.cur.dateline \
            and not any(ends_sentence(e.text) or bl.parse_dateline(e.text) for e in body)

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
        ahead = []  # headline-like lines further down the same run of text (a series of sub-heads?)
        ahead_signed: list[bool] = []  # … and whether a dateline or byline stands right under each
        for k in range(j, min(len(self.blocks), j + PARALLEL_LOOKAHEAD)):
            b = self.blocks[k]
            if not b.single:
                break
            if _is_headlinish(b.text) and not _closing(b.text):
                ahead.append(self.wide.get(b.lines[0][0], b.text))
                under = self._single_text(k + 1) or ""
                ahead_signed.append(bool(bl.parse_dateline(under) or bl.parse_byline(under)))
        return ev.Context(
            lines=tuple(self.wide.get(n, t) for n, t in stack), one_block=one_block,
            next_text=self._block(j).text.split("\n")[0] if self._block(j) else "",
            prev_text=texts[-1],
            paragraphs=sum(1 for e in cur.body if e.kind == "p"),
            subheads=sum(1 for e in cur.body if e.kind == "h"),
            article_text=article, after_text="".join(after),
            has_editor_note=any(_EDITOR_NOTE.search(t) for t in texts),
            subhead_texts=tuple(e.text for e in cur.body if e.kind == "h"),
            below=tuple(b.lines[0][1] for b in self.blocks[j:j + 4]),
            later_heads=tuple(ahead), later_signed=tuple(ahead_signed), attributed=cur.attributed,
            heading="" if cur.title.endswith("…") else f"{cur.kicker} {cur.title} {cur.subtitle}",
            length=sum(units(t) for t in texts))

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
        lead = next((k for k, (_, t) in enumerate(stack) if k and _ends_in_dash(t)), None)
        if lead is not None:  # 某某大家谈 / 张三委员—— / part title: the lead-in opens the first part
            for no, t in stack[lead:]:
                draft.body.append(Element("h", self.wide.get(no, t)))
            draft.part_forms.add(_form(stack[lead:]))
            stack = stack[:lead]
        texts = [self.wide.get(n, t) for n, t in stack]
        if len(texts) == 3 and _DOC_NUMBER.fullmatch(texts[2].strip()) and not _DASH.match(texts[1]):
            # 某某法 / 中华人民共和国主席令 / 第七十二号: a law printed under its own title, the order that
            # promulgates it (its name and number) the first lines of its text
            draft.title = texts[0]
            draft.body.extend(Element("p", t) for t in texts[1:])
            return
        subs = [t for t in texts[1:] if _DASH.match(t) or _DOC_NUMBER.fullmatch(t.strip())]
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
        if m and not _quote_open(m.group(1)):  # “百花迎春——…联欢”在京举行: a dash inside a quotation
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
