"""Stories the paper prints as one though they look like several: round-ups of briefs under a label,
features of signed parts under an introduction or an editor's note, panels of contributors' remarks,
documents' titles over their notes.  A mixin of the segmenter (see segment.py)."""
from __future__ import annotations

import re

from .. import byline as bl
from . import evidence as ev
from ..punct import is_han, units
from .shapes import INTRO_PARAGRAPHS, MIN_OPEN_UNITS, _closing, _is_headlinish, _is_prose


def _form(stack: list[tuple[int, str]]) -> tuple:
    """How a head is set, line by line: opening quote, closing dash (马拉维中非科技小院—— / “…”)."""
    form = tuple((t[:1] in "“「\"", t.rstrip().endswith("——")) for _, t in stack)
    return form if len(form) > 1 or any(form[0]) else None  # a plain one-line head is no distinct form


# The most paragraphs of an introduction over a round-up of contributors' pieces (evidence: a second piece below).
PANEL_INTRO = 4
# The most paragraphs of a brief signed at its end (（本报记者  张三）) in a round-up.
BRIEF_PARAGRAPHS = 3
# How many blocks below a round-up's first brief its second brief's head may be.
ROUNDUP_LOOKAHEAD = 12


def _contributor(byline) -> bool:
    """A byline of one contributor with a role of their own (全国人大代表、某某县县长  李明 / 某某大学教授
    王芳), not the paper's staff (本报记者 / 通讯员): how a feature's parts are signed."""
    if len(byline.authors) != 1:
        return False
    role = byline.roles.get(byline.authors[0], "")
    return bool(role) and not re.search(r"记者|通讯员|特约|编辑|评论员", role)


class _Groups:
    """The segmenter's reading of stories printed as one (it provides blocks, cur and _subheads)."""

    def _speaker(self, i: int) -> bool:
        """Block ``i`` names one contributor with a role of their own (not staff) over prose, inside an
        article that already took such a name or has another below: a round-up of what several
        people said, each under a line with their role and name (no sub-head of their own)."""
        found = bl.parse_byline(self.blocks[i].lines[0][1])
        if found is None or not _contributor(found) or any(a in self.cur.authors for a in found.authors):
            return False
        nxt = self._single_text(i + 1)
        if nxt is None or not _is_prose(nxt):
            return False
        if self.cur.contributors:
            return True
        for k in range(i + 2, min(len(self.blocks) - 1, i + 2 + ROUNDUP_LOOKAHEAD)):
            t, under = self._single_text(k), self._single_text(k + 1)
            if t is None or under is None or not _is_prose(under):
                continue
            if self._single_text(k - 1) is not None and _is_headlinish(self._single_text(k - 1)):
                continue  # a name under a head: the next piece's byline, not a speaker's line
            other = bl.parse_byline(t)
            if other is not None and _contributor(other):
                return True
        return False

    def _noted(self, j: int) -> bool:
        """Block ``j`` is a note in brackets right under the head, over prose — when and by whom a
        document was adopted (（2026年3月11日…会议通过）), where a story comes from (（上接第1版）):
        what a title carries, never a sub-head."""
        t, after = self._single_text(j), self._single_text(j + 1)
        return t is not None and after is not None and bool(re.fullmatch(r"[（(][^（）()]{4,}[)）]", t.strip())) \
            and _is_prose(after)

    def _dateline_at(self, j: int) -> bool:
        t = self._single_text(j)
        return t is not None and bl.parse_dateline(t) is not None

    def _roundup(self, stack: list[tuple[int, str]], j: int) -> bool:
        """A short label set apart above a headline whose story opens with a dateline (or is signed at its
        end in brackets), and more headlines over such briefs close below: a round-up of briefs, which the paper lists as one
        story under the label.  (A kicker is set in the headline's own block.)"""
        if len(stack) != 2 or not self._brief_at(j):
            return False
        if not self._label_at(stack[0][1]):
            return False
        for k in range(j + 1, min(len(self.blocks) - 1, j + 1 + ROUNDUP_LOOKAHEAD)):
            t = self._single_text(k)
            if t is not None and _is_headlinish(t) and not _closing(t) and self._brief_at(k + 1):
                # The next brief has no label of its own (stories that each carry a kicker are
                # separate stories).
                return not self._label_at(self._single_text(k - 1) or "")
        return False

    def _brief_at(self, j: int) -> bool:
        """A brief starts at block ``j``: a dateline (本报北京3月3日电…), or a paragraph or two closed by
        a note in brackets that signs it (（本报记者  张三）)."""
        if self._dateline_at(j):
            return True
        for k in range(j, j + BRIEF_PARAGRAPHS + 1):
            t = self._single_text(k)
            if t is None or (k > j and _is_headlinish(t) and not _closing(t)):
                return False
            if k > j and re.fullmatch(r"[（(][^（）()]+[)）]", t.strip()) and bl.parse_byline(t.strip()[1:-1]):
                return True
            if k == j and not _is_prose(t):
                return False
        return False

    @staticmethod
    def _label_at(text: str) -> bool:
        t = text.strip()
        return 2 <= len(t) <= 8 and all(is_han(ch) for ch in t)

    @staticmethod
    def _unsigned_intro(cur) -> bool:
        """An article that so far is a headline over a short introduction nobody signs: what follows
        with bylines of its own are the feature's parts (the paper prints them as one story)."""
        return not cur.attributed and not cur.credit \
            and 1 <= len(cur.body) <= INTRO_PARAGRAPHS and all(e.kind == "p" for e in cur.body) \
            and units("".join(e.text for e in cur.body)) >= 2 * MIN_OPEN_UNITS and not ev.signed(cur.body[-1].text)

    def _panel(self, cur, j: int, byline) -> bool:
        """A short introduction the paper's reporter signed (or nobody), over pieces each signed by one contributor
        with a role of their own, the next such piece close below: a round-up of what several people
        said (代表委员热议…), which the paper prints as one story.  One contributor's piece after a
        report is a story of its own; so are pieces under a contributor's own text."""
        if not _contributor(byline) or not 1 <= len(cur.body) <= PANEL_INTRO \
                or any(e.kind != "p" for e in cur.body) or ev.signed(cur.body[-1].text):
            return False
        if cur.authors and not cur.dateline and not any(re.search(r"记者|通讯员", cur.roles.get(a, ""))
                                                         for a in cur.authors):
            return False  # the text above is a contributor's own: the next contributor's piece is another
        for k in range(j + 1, min(len(self.blocks) - 1, j + 1 + ROUNDUP_LOOKAHEAD)):
            t, under = self._single_text(k), self._single_text(k + 1)
            if t is not None and under is not None and _is_headlinish(t) and not _closing(t):
                found = bl.parse_byline(under)
                if found is not None:
                    return _contributor(found)
        return False

    def _feature_part(self, stack: list[tuple[int, str]], j: int, byline) -> int:
        """After an editor's note (——编者) or an unsigned introduction, each signed piece is a part of
        the feature — as are the next pieces whose heads are set the same way: its title a
        sub-head, its contributor one more author."""
        cur = self.cur
        form = _form(stack)
        if form is not None:
            cur.part_forms.add(form)
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
