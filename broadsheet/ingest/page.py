"""A page: decoding, header/footer and furniture, layout repeats, then the segmenter."""
from __future__ import annotations

import re
from pathlib import Path

from .. import byline as bl
from ..dedupe import RepeatFinder, fingerprints
from ..errors import BroadsheetError, Problem
from ..punct import to_fullwidth, units
from ..textio import decode
from .model import Note, Page, _Block
from .shapes import (
    MIN_REPEAT_CHARS, REPEAT_WINDOW, _CONTINUATION, _FURNITURE, _HEADER_HINT, _PAGE_NO, _WIDE,
    _is_headlinish, _is_subhead, _join,
)
from .segment import _Segmenter


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
            if host is not None and _is_headlinish(host.text):
                host = None  # 附件：某某目录 … 某某目录: a heading set again is text, not a column's overflow
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
    for k, b in enumerate(blocks):
        # Furniture lines, or the page's last block when it opens with them (本版邮箱：… 欢迎来稿…).
        if all(_FURNITURE.match(t) for _, t in b.lines) or (
                k == len(blocks) - 1 and len(b.lines) > 1 and _FURNITURE.match(b.lines[0][1])):
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
