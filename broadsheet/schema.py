"""Front-matter and settings schemas, as data (Pelican's ``mandatory_properties``, Zola's typed front-matter)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = ("article", "photo", "banner", "advertisement")


@dataclass(frozen=True)
class Field:
    type: str  # str | int | bool | date | list[str] | dict[str,str]
    help: str = ""


ITEM_FIELDS: dict[str, Field] = {
    "kind": Field("str", "article, photo, banner or advertisement"),
    "title": Field("str", "the headline (主题)"),
    "kicker": Field("str", "the line above the headline (引题)"),
    "subtitle": Field("str", "the line below the headline (副题)"),
    "authors": Field("list[str]", "a list of names, e.g. [张三, 李四]"),
    "author_roles": Field("dict[str,str]", "name: role, e.g. {张三: 本报记者}"),
    "dateline": Field("str", "e.g. 本报讯（记者 张三）"),
    "credit": Field("str", "the photographer of a photo"),
    "credit_marker": Field("str", "the words printed with the credit, e.g. 摄 (the default), 摄影： or /摄"),
    "sponsor": Field("str", "the sponsor named on a banner"),
    "advertiser": Field("str", "the advertiser of an advertisement"),
    "image": Field("str", "an image file in the same folder, e.g. photo.jpg"),
    "image_alt": Field("str", "a description of the image for readers who cannot see it"),
    "description": Field("str", "a one-sentence summary for search engines and shares"),
    "slug": Field("str", "the page's file name in the URL, letters, digits and - only"),
    "section": Field("str", "the section (版面) name; must match section.yaml"),
    "page": Field("int", "the page (版次) number; must match the folder"),
    "order": Field("int", "position on the page, 1 = first"),
    "edition": Field("date", "the edition date YYYY-MM-DD; must match the folder"),
    "source": Field("str", "where ingest took the text from"),
    "updated": Field("date", "the date of the last correction, YYYY-MM-DD"),
    "area": Field("area", "where the item is printed on its page: a list of rectangles [x0, y0, x1, y1] in "
                  "fractions of the page's width and height from its top-left corner, one per column, "
                  "e.g. [[0.05, 0.1, 0.5, 0.6]]"),
}

MANDATORY: dict[str, tuple[str, ...]] = {
    "article": ("kind", "title"),
    "photo": ("kind",),
    "banner": ("kind",),
    "advertisement": ("kind",),
}

SECTION_FIELDS: dict[str, Field] = {
    "name": Field("str", "the section (版面) name, e.g. 要闻"),
    "page": Field("int", "the page number; must match the folder name"),
    "slug": Field("str", "a short Latin name used for this section's feed"),
    "header": Field("str", "the page header line, as printed"),
    "footer": Field("str", "the page footer line, as printed"),
    "furniture": Field("list[str]", "printed page furniture such as 责任编辑：… lines"),
    "source": Field("str", "the page file ingest read"),
}
SECTION_MANDATORY = ("name",)

EDITION_FIELDS: dict[str, Field] = {
    "date": Field("date", "the edition date YYYY-MM-DD; must match the folder"),
    "title": Field("str", "a title for the edition, e.g. 国庆特刊"),
    "number": Field("int", "the issue number (期号)"),
}
EDITION_MANDATORY: tuple[str, ...] = ()

SITE_FIELDS: dict[str, Field] = {
    "title": Field("str", "the newspaper's name"),
    "description": Field("str", "one sentence about the paper"),
    "language": Field("str", "e.g. zh-CN"),
    "timezone": Field("str", "UTC offset such as +08:00"),
    "publisher": Field("str", "the publishing organisation"),
    "base_url": Field("str", "absolute URL of the published site, e.g. https://example.com/paper/"),
    "feed_editions": Field("int", "how many latest editions the feeds hold"),
    "favicon": Field("str", "the paper's icon, an .svg, .png or .ico file in the content folder, e.g. favicon.svg"),
}
FAVICON_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
SITE_MANDATORY = ("title",)


def check_type(value, ftype: str) -> str | None:
    """Return None if ``value`` fits ``ftype``, else what is wrong."""
    if ftype == "str":
        return None if isinstance(value, str) else f"should be text, not {_kind(value)}"
    if ftype == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"should be a whole number, not {_kind(value)}"
    if ftype == "bool":
        return None if isinstance(value, bool) else f"should be true or false, not {_kind(value)}"
    if ftype == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
                return None
            except ValueError:
                return f"'{value}' is not a date written YYYY-MM-DD"
        return f"should be a date YYYY-MM-DD, not {_kind(value)}"
    if ftype == "list[str]":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return f"should be a list in brackets, not {_kind(value)}"
    if ftype == "dict[str,str]":
        if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return None
        return f"should be name: role pairs in braces, not {_kind(value)}"
    if ftype == "area":
        return _area_problem(value)
    raise AssertionError(ftype)


def _area_problem(value) -> str | None:
    if not isinstance(value, list) or not value:
        return f"should be a list of rectangles [x0, y0, x1, y1], not {_kind(value)}"
    for k, r in enumerate(value, start=1):
        if not isinstance(r, list) or len(r) != 4 or \
                not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in r):
            return f"rectangle {k} should be four numbers [x0, y0, x1, y1], not {_kind(r) if not isinstance(r, list) else r}"
        if not all(0 <= v <= 1 for v in r):
            return f"rectangle {k} {r} leaves the page: its numbers are fractions of the page, from 0 to 1"
        if not (r[0] < r[2] and r[1] < r[3]):
            return f"rectangle {k} {r} is empty: x0 must be less than x1 and y0 less than y1"
    return None


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _kind(value) -> str:
    if value is None:
        return "empty"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping", dt.date: "a date", dt.datetime: "a date and time"}.get(type(value), type(value).__name__)
