"""Weighing the evidence for one decision of ingest: does a headline-like line start a new
article, or is it a sub-head of the article above?

Nothing here is a first-matching rule.  :func:`headline_features` turns what surrounds the
line into numbers (what follows it: a dateline, a byline, prose; what precedes it: a sign-off,
a photo, the page's top; its own form: a column tag, two phrases, a stack of lines; and how
much the text after it shares the vocabulary of the article above — a new story changes the
subject, a sub-head does not).  :func:`new_article_probability` combines them with weights
fitted on real pages by ``bench/train_ingest.py`` and shipped as data
(``ingest_weights.json``); the probability and its runner-up reading go to the report when the
margin is small.
"""
from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import byline as bl
from ..punct import ends_sentence, han_chars, is_han, units
from .shapes import _TAGGED as _TAG  # the column tag the segmenter knows
from .shapes import _ends_in_dash

WEIGHTS_FILE = Path(__file__).with_name("ingest_weights.json")
# Below this distance from 0.5 a decision is listed for the editor to check.
REVIEW_MARGIN = 0.25

_SIGNOFF = re.compile(r"^[（(][^（）()]{4,}[）)]$|——\s*\S{1,4}\s*\S{0,4}$")
# A news lede opens with when or whence: 近日，… / 1月20日，… / 当地时间… / 记者从…获悉
_LEDE = re.compile(r"^(?:近日|日前|近期|连日来|当地时间|今年以来|\d{1,2}月\d{1,2}日|记者从|记者近日|"
                   r"(?:\d{4}年)?\d{1,2}月(?:上旬|中旬|下旬|初|底)?，)")
_EDITOR_NOTE = re.compile(r"——\s*编\s*者\s*$")
# A news report says when, anywhere in its first sentences (…近日，… / …1月20日，…); a deck does not.
_WHEN = re.compile(r"(?:近日|日前|近期|连日来|当地时间|今年以来|\d{1,2}月\d{1,2}日|记者从|记者近日)")
_ANSWER = re.compile(r"^[问答][：:]")  # 问：… / 答：… in an interview


def tells_when(text: str) -> bool:
    """A line that dates what it reports (…近日，… / 1月20日…): news prose, not a deck line."""
    return bool(_WHEN.search(text))


def opens_like_prose(text: str) -> bool:
    """A line that opens the way paragraphs do, not headings: a news lede (近日，… / 7月，…) or an
    interview's 问：/答：."""
    return bool(_LEDE.match(text) or _ANSWER.match(text))


@dataclass(frozen=True)
class Context:
    """What a headline-like line inside an article with text stands among (texts only: easy to build
    in tests and training)."""

    lines: tuple[str, ...]  # the candidate headline line(s)
    one_block: bool  # the lines were printed as one block (a stack), not separate blocks
    next_text: str  # the block right after the candidate ("" at the end of the page)
    prev_text: str  # the last body element of the open article
    paragraphs: int  # paragraphs of the open article so far
    subheads: int  # sub-heads of the open article so far
    article_text: str  # the open article's text, its end (for vocabulary)
    after_text: str  # the prose that follows the candidate (for vocabulary)
    has_editor_note: bool  # the open article carries an editor's note (——编者): a multi-part feature
    subhead_texts: tuple[str, ...] = ()  # the open article's sub-heads so far
    below: tuple[str, ...] = ()  # the next blocks' first lines
    later_heads: tuple[str, ...] = ()  # headline-like lines further down, before the next multi-line block
    later_signed: tuple[bool, ...] = ()  # for each of later_heads: a dateline or byline right under it
    attributed: bool = False  # the open article already has its byline, dateline or author
    heading: str = ""  # the open article's kicker, title and subtitle ("" when it has no headline)
    length: float = 0.0  # the open article's text so far, in units (a Han character is one)


def _bigrams(text: str) -> set[str]:
    han = han_chars(text)
    return {han[k] + han[k + 1] for k in range(len(han) - 1)}


def cohesion(before: str, after: str) -> float:
    """Share of the following text's character bigrams already used by the article above
    (0: a new subject; near 1: the same story goes on)."""
    a, b = _bigrams(before), _bigrams(after)
    if not a or not b:
        return 0.5
    return len(a & b) / min(len(a), len(b))


def topic_overlap(article: str, after: str) -> float:
    """Share of the article's recurring words (character bigrams used at least twice) that the
    following text uses too: a story's names and subjects come back after its sub-heads."""
    han = han_chars(article)
    counts: dict[str, int] = {}
    for k in range(len(han) - 1):
        g = han[k] + han[k + 1]
        counts[g] = counts.get(g, 0) + 1
    topic = {g for g, n in counts.items() if n >= 2}
    if not topic:
        return 0.0
    return min(1.0, len(topic & _bigrams(after)) / min(len(topic), 20))


def heading_overlap(heading: str, after: str) -> float:
    """Share of the open article's headline words (character bigrams, its column tag left out) that
    the text after the candidate uses: a story's sections come back to what its headline names."""
    head = _bigrams(_TAG.sub("", heading.strip()))
    if not head:
        return 0.0
    return len(head & _bigrams(after)) / len(head)


def signed(text: str) -> bool:
    """A line that closes a story: a byline, a photo credit, 张三 摄影报道."""
    t = text.strip()
    return units(t) <= 24 and (bl.parse_byline(t) is not None or bl.parse_credit(t) is not None
                               or bool(re.search(r"(?:摄影?|供图)(?:报道)?$", t)))


def _column_tag(text: str) -> bool:
    """A headline's trailing tag in brackets (…（人民论坛）), not a person's role after a name
    (王  强（某某研究院院长）): a name is no headline."""
    m = _TAG.search(text)
    if not m:
        return False
    before = "".join(text[: m.start()].split())
    return not (bl.parse_byline(before) or re.fullmatch(r"[^\s·]{1,8}(?:·[^\s·]{1,10})+", before))


def _shape(text: str) -> tuple[int, int]:
    return round(units(text)), sum(text.count(ch) for ch in "，,、")


def _parallel(a: str, b: str) -> bool:
    """Two lines set as a series (一次… / 一个…, “…” / “…”, 精神为核  … / 产业为根  …)."""
    if a[:1] == b[:1] and a[:1] in "“「\"":
        return True
    if a[:1] == b[:1] and a[:1].isalnum():
        return True
    (la, ca), (lb, cb) = _shape(a), _shape(b)
    if len(a) == len(b) <= 6 and all(is_han(ch) for ch in a + b):
        return True  # 春天的路 / 秋天的山: short heads of one length in characters only, set as a series
    return ("  " in a) == ("  " in b) and abs(la - lb) <= 1 and ca == cb and ("  " in a or ca > 0)


def _alike(a: str, b: str, within: int = 2) -> bool:
    """Two heads of about one length (``within`` units) with as many commas: set as one series."""
    (la, ca), (lb, cb) = _shape(a), _shape(b)
    return abs(la - lb) <= within and ca == cb


def headline_features(c: Context) -> dict[str, float]:
    first = c.lines[0]
    last = c.lines[-1]
    nxt = c.next_text
    f = {
        "bias": 1.0,
        "next_dateline": float(bl.parse_dateline(nxt) is not None),
        "next_byline": float(bool(nxt) and bl.parse_byline(nxt) is not None),
        "stack": float(len(c.lines) > 1 and c.one_block),
        "separate_lines": float(len(c.lines) > 1 and not c.one_block),
        "column_tag": float(_column_tag(last) or bool(_TAG.fullmatch(first))),
        "two_phrases": float(any("  " in t for t in c.lines)),
        "after_signoff": float(bool(_SIGNOFF.search(c.prev_text)) or signed(c.prev_text)),
        "prev_open": float(not ends_sentence(c.prev_text)),
        "cohesion": cohesion(c.article_text, c.after_text),
        "paragraphs": math.log1p(min(c.paragraphs, 16)),
        "attributed": float(c.attributed),
        "lone_paragraph": float(c.paragraphs == 1 and c.subheads == 0),
        "has_subheads": float(c.subheads > 0),
        "long": max(0.0, units(last) - 12) / 10,
        "quoted": float(first.startswith(("“", "「", "\"", "‘"))),
        "comma": float(any(ch in last for ch in "，,")),
        "next_lede": float(bool(_LEDE.match(nxt))),
        "next_headline_like": float(bool(nxt) and units(nxt) <= 30 and not ends_sentence(nxt)),
        "editor_note": float(c.has_editor_note),
        "editor_note_below": float(any(_EDITOR_NOTE.search(t) for t in c.below[:4])),
        "question": float(last.rstrip("”’」』）)").endswith(("？", "?"))),
        "label_colon": float(bool(re.match(r"^[^，,：:]{1,6}[：:]", first))),
        "topic_overlap": topic_overlap(c.article_text, c.after_text),
        "series_below": min(2, sum(_parallel(last, h) for h in c.later_heads)) / 2,
        "heading_overlap": heading_overlap(c.heading, c.after_text),
        "length": math.log1p(min(c.length, 1500) / 100),
        "short_lone": float(c.paragraphs == 1 and c.subheads == 0 and c.length < 40 and not c.attributed),
        "thin_after": float(units(c.after_text) < 30),
        "like_subheads": float(any(abs(_shape(h)[0] - _shape(last)[0]) <= 2 and _shape(h)[1] == _shape(last)[1]
                                   for h in c.subhead_texts)),
    }
    return f


def signed_series(c: Context) -> bool:
    """A sub-head of a signed report: inside a story with its dateline or byline, one plain line (no
    column tag, no dateline under it, not two phrases set apart) set like the story's other heads
    that nobody signs — below it, or already read as its sub-heads — over text that keeps to the
    story's subject.  A new story opens with a signature, a tag or a subject of its own; unsigned
    heads set alike that keep to one subject are the report's sections.  The real pages the weights
    were fitted on hold no such report, so the model would only extrapolate here ("a signed story is
    complete"); this settles it.

    How alike, and how much subject: as long (±2 units) and as punctuated as a sub-head the story
    already has — the series goes on; as punctuated and about as long (±4) as such a head or an
    unsigned head below, over text that uses a sixth of the headline's words or a fifth of the
    story's recurring ones; about as long but punctuated otherwise (“看得更清、报得更准” / 数据开放惠及
    更多用户), over text that does both."""
    last = c.lines[0]
    if not c.attributed or len(c.lines) != 1 or bl.parse_dateline(c.next_text) or _column_tag(last) \
            or _TAG.fullmatch(last) or "  " in last:  # two phrases set apart: a headline's form, left to the weights
        return False
    if any(_alike(h, last) for h in c.subhead_texts):
        return True
    below = [h for k, (h, sg) in enumerate(zip(c.later_heads, c.later_signed))
             if not sg and not _ends_in_dash(h) and not (k and _ends_in_dash(c.later_heads[k - 1]))]
    heads = below + list(c.subhead_texts)  # a lead-in (某某共抓——) and the title under it open a part, no section
    topic, words = topic_overlap(c.article_text, c.after_text), heading_overlap(c.heading, c.after_text)
    if any(_alike(last, h, 4) for h in heads):
        return topic >= 0.2 or words >= 0.15
    return any(abs(units(last) - units(h)) <= 4 for h in heads) and topic >= 0.2 and words > 0


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    return json.loads(WEIGHTS_FILE.read_text("utf-8"))["weights"]


_trial: dict[str, float] | None = None  # weights being fitted (bench/train_ingest.py), else the file's


@contextmanager
def trial_weights(weights: dict[str, float]):
    """Decide with ``weights`` inside the block (training), without touching the shipped file."""
    global _trial
    _trial = weights
    try:
        yield
    finally:
        _trial = None


def new_article_probability(c: Context) -> float:
    """Probability that the candidate starts a new article (rather than being a sub-head)."""
    w = _trial if _trial is not None else _weights()
    z = sum(w.get(k, 0.0) * v for k, v in headline_features(c).items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
