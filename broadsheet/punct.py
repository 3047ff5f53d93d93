"""Character classes and punctuation rules for Chinese (and English) page text.

Half-width ``, : ; ? ! ( )`` written between Chinese characters are converted to
their full-width forms, following GB/T 15834 practice.  The rules look only at the
neighbouring characters, never at particular words.
"""
from __future__ import annotations

import re

_CJK_RANGES = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F),
)
# CJK punctuation and full-width forms count as "Chinese context" for conversion.
_CJK_PUNCT_RANGES = ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2018, 0x201F), (0x2014, 0x2026))


def _char_class(ranges) -> re.Pattern:
    return re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]")


_HAN = _char_class(_CJK_RANGES)
_CJK_CONTEXT = _char_class(_CJK_RANGES + _CJK_PUNCT_RANGES)
_SPACE = re.compile(r"\s")


def is_han(ch: str) -> bool:
    return _HAN.match(ch) is not None


def han_chars(text: str) -> list[str]:
    """The Chinese characters of ``text``, in order."""
    return _HAN.findall(text)


def is_cjk_context(ch: str) -> bool:
    return _CJK_CONTEXT.match(ch) is not None


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def units(text: str) -> float:
    """Visual length: a Chinese character is 1, any other non-space character 0.5."""
    spaces = _SPACE.findall(text)
    full = len(_CJK_CONTEXT.findall(text)) - sum(1 for ch in spaces if _CJK_CONTEXT.match(ch))
    return full + (len(text) - len(spaces) - full) / 2


# Closing marks that may follow the sentence-final mark: 。” 。） 。」 ."
_CLOSERS = "”’」』）)》〕】\"'〉"
# Marks that end a sentence (or a list clause, which also ends a paragraph).
_FINAL = set("。！？!?…；;：:.．")


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
    return bool(t) and t[-1] in _FINAL


def ends_clause(text: str) -> bool:
    """True when the text visibly continues: it ends with a comma-like mark."""
    t = text.rstrip()
    return bool(t) and t[-1] in "，、,—-("


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_SIMPLE = re.compile(r"[,:;?!]")


def _ctx_before(text: str, i: int) -> bool:
    return i > 0 and is_cjk_context(text[i - 1])


def _ctx_after(text: str, i: int) -> bool:
    if i + 1 >= len(text):
        return True  # end of line after a Chinese character: 再出发!
    nxt = text[i + 1]
    return is_cjk_context(nxt) or nxt.isdigit() or nxt in "“‘《(（「"


def to_fullwidth(text: str) -> tuple[str, int]:
    """Convert half-width punctuation in Chinese context; return (text, count)."""
    if not text:
        return text, 0
    chars = list(text)
    count = 0
    for m in _SIMPLE.finditer(text):
        i = m.start()
        if _ctx_before(text, i) and _ctx_after(text, i):
            chars[i] = _HALF_TO_FULL[text[i]]
            count += 1
    # Parentheses are converted as a pair when they hold Chinese or touch it.
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            inner = text[j + 1:i]
            touches = (j > 0 and is_han(text[j - 1])) or (i + 1 < len(text) and is_han(text[i + 1]))
            if inner and any(is_han(c) for c in inner) and (touches or all(is_han(c) or c.isspace() for c in inner)):
                chars[j], chars[i] = "（", "）"
                count += 2
    return "".join(chars), count


def join_halves(a: str, b: str) -> str:
    """Join two halves of a paragraph split by a column break."""
    if not a or not b:
        return a + b
    if is_han(a[-1]) or is_han(b[0]) or not a[-1].isalnum() and not b[0].isalnum():
        return a + b
    if a.endswith("-"):
        return a + b
    return a + " " + b
