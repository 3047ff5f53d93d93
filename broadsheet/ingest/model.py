"""What ingest produces: items with their body elements, notes for the editor, and the page."""
from __future__ import annotations

from dataclasses import dataclass

KINDS = ("article", "photo", "banner", "advertisement")


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
    # From a PDF page: where the item is printed (page fractions [x0, y0, x1, y1] from the top-left,
    # one rectangle per column; the same in PDF points), and its photo's image.
    area: tuple[tuple[float, float, float, float], ...] = ()
    area_points: tuple[tuple[float, float, float, float], ...] = ()
    image_data: bytes = b""
    image_ext: str = ""


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
    page_size: tuple[float, float] | None = None  # a PDF page: width and height in points
    unplaced: tuple[Note, ...] = ()  # a PDF page: items whose area could not be found


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
