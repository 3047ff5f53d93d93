"""Atom feeds, sitemaps, the Google News sitemap and robots.txt (all need ``base_url``).

The public verb is :func:`write_feeds`.  Times are in the paper's time zone.  The
news sitemap holds articles of the last two days before the build date; the build
date is today in the paper's time zone, or ``SOURCE_DATE_EPOCH`` when set, so a
rebuild on the same day is byte-identical.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from .content import Site
from .files import write_file
from .render import EditionView, ItemView

SITEMAP_LIMIT = 50_000


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Escape for XML text, dropping characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its double quotes (forbidden characters dropped; quotes and
    white space other than spaces escaped, so a parser gives back exactly the text)."""
    return '"' + _x(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace(
        "\t", "&#9;") + '"'


def feed_name(section_name: str, slug: str) -> str:
    if slug and not slug.startswith("page-"):
        return slug
    if section_name.isascii():
        s = re.sub(r"[^a-z0-9]+", "-", section_name.lower()).strip("-")
        if s:
            return s
    return "s-" + hashlib.sha1(section_name.encode("utf-8")).hexdigest()[:10]


def published(ev: EditionView, site: Site) -> dt.datetime:
    return dt.datetime.combine(ev.date, dt.time(0, 0), tzinfo=site.config.tzinfo)


def item_updated(iv: ItemView, site: Site) -> dt.datetime:
    if iv.item.updated:
        return dt.datetime.combine(iv.item.updated, dt.time(0, 0), tzinfo=site.config.tzinfo)
    return published(iv.edition, site)


def _atom(site: Site, title: str, self_path: str, items: list[ItemView]) -> str:
    base = site.config.base_url
    updated = max((item_updated(i, site) for i in items), default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.config.language)}>',
           f"<title>{_x(title)}</title>",
           f"<id>{_x(base + self_path)}</id>",
           f'<link rel="self" type="application/atom+xml" href={quoteattr(base + self_path)}/>',
           f'<link rel="alternate" type="text/html" href={quoteattr(base)}/>',
           f"<updated>{updated.isoformat()}</updated>",
           f"<author><name>{_x(site.config.publisher or site.config.title)}</name></author>",
           "<generator>Broadsheet</generator>"]
    for iv in items:
        url = base + iv.url
        entry = ["<entry>", f"<title>{_x(iv.display_title)}</title>", f"<id>{_x(url)}</id>",
                 f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                 f"<published>{published(iv.edition, site).isoformat()}</published>",
                 f"<updated>{item_updated(iv, site).isoformat()}</updated>"]
        for name in iv.item.authors or ((iv.item.credit,) if iv.item.credit else ()):
            entry.append(f"<author><name>{_x(name)}</name></author>")
        entry.append(f'<category term={quoteattr(iv.section.name)}/>')
        if iv.description:
            entry.append(f"<summary>{_x(iv.description)}</summary>")
        content = iv.body_html
        if iv.image:
            content = f'<p><img src={quoteattr(base + iv.image["url"])} alt={quoteattr(iv.image["alt"])}></p>' + content
        entry.append(f'<content type="html">{_x(content)}</content>')
        entry.append("</entry>")
        out.append("".join(entry))
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _url_row(base: str, path: str, lastmod: dt.date | None) -> str:
    row = f"<url><loc>{_x(base + path)}</loc>"
    if lastmod:
        row += f"<lastmod>{lastmod.isoformat()}</lastmod>"
    return row + "</url>"


def edition_rows(base: str, ev: EditionView) -> list[str]:
    """An edition's rows of the sitemap: its page, its 版面 pages, its article and photo pages (as
    many as ``summary.Stored.pages``)."""
    rows = [_url_row(base, ev.url, ev.date)]
    for sv in ev.sections:
        rows.append(_url_row(base, sv.url, ev.date))
        rows.extend(_url_row(base, iv.url, iv.item.updated or ev.date) for iv in sv.items if iv.url)
    return rows


def _urlset(rows: list[str]) -> str:
    return "\n".join(['<?xml version="1.0" encoding="utf-8"?>',
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', *rows, "</urlset>"]) + "\n"


def _pages(ev: EditionView) -> int:
    stored = ev.edition.stored
    return stored.pages if stored is not None else 1 + sum(1 + len(sv.headlines) for sv in ev.sections)


def _sitemaps(base: str, editions: list[EditionView], months: set[str] | None, stored_rows) -> dict[str, str | None]:
    """``sitemap.xml``, an index of ``sitemaps/site.xml`` (home, archive) and one sitemap a month
    (``sitemaps/2024-05.xml``; a month of more than SITEMAP_LIMIT pages continues in
    ``2024-05-2.xml`` …).  Only the ``months`` given are made again (None: all); the others map to
    None — their files are those already published.  The rows of a stub come from ``stored_rows``."""
    latest = editions[-1].date if editions else None
    files: dict[str, str | None] = {"sitemaps/site.xml": _urlset([_url_row(base, "", latest),
                                                                  _url_row(base, "archive/", latest)])}
    by_month: dict[str, list[EditionView]] = {}
    for ev in editions:
        by_month.setdefault(ev.iso[:7], []).append(ev)
    for month, evs in by_month.items():
        if months is None or month in months:
            rows = [row for ev in evs for row in (stored_rows(str(ev.edition.path)) if ev.edition.stored is not None
                                                  else edition_rows(base, ev))]
            n = len(rows)
        else:
            rows, n = None, sum(_pages(ev) for ev in evs)
        for k in range(0, max(n, 1), SITEMAP_LIMIT):
            name = f"sitemaps/{month}.xml" if k == 0 else f"sitemaps/{month}-{k // SITEMAP_LIMIT + 1}.xml"
            files[name] = None if rows is None else _urlset(rows[k:k + SITEMAP_LIMIT])
    files["sitemap.xml"] = "\n".join(
        ['<?xml version="1.0" encoding="utf-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        + [f"<sitemap><loc>{_x(base + p)}</loc></sitemap>" for p in files] + ["</sitemapindex>"]) + "\n"
    return files


def _news_sitemap(site: Site, editions: list[EditionView], today: dt.date) -> str:
    rows = ['<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for ev in editions:
        if not (today - dt.timedelta(days=2) <= ev.date <= today):
            continue
        for iv in ev.articles:
            if iv.item.kind != "article":
                continue
            rows.append(
                f"<url><loc>{_x(site.config.base_url + iv.url)}</loc><news:news><news:publication>"
                f"<news:name>{_x(site.config.title)}</news:name><news:language>{_x(site.config.language.lower())}"
                f"</news:language></news:publication><news:publication_date>{published(ev, site).isoformat()}"
                f"</news:publication_date><news:title>{_x(iv.display_title)}</news:title></news:news></url>")
    rows.append("</urlset>")
    return "\n".join(rows) + "\n"


def write_feeds(site: Site, editions: list[EditionView], out: Path, today: dt.date | None = None, *,
                months: set[str] | None = None, stored_rows=None) -> list[str]:
    """Write feeds and sitemaps into ``out``; return the paths they make (robots.txt only without
    base_url).  ``today`` is the build date (default: ``SiteConfig.today``); the news sitemap holds
    its last two days.  The feeds show the newest editions only; of the monthly sitemaps only
    ``months`` are written (None: all; see ``_sitemaps``)."""
    base = site.config.base_url
    if not base:
        write_file(out / "robots.txt", "User-agent: *\nAllow: /\n")
        return ["robots.txt"]
    files: dict[str, str] = {}
    recent = editions[-site.config.feed_editions:]
    items = [iv for ev in reversed(recent) for iv in ev.articles]
    files["feed.xml"] = _atom(site, site.config.title, "feed.xml", items)
    by_name: dict[str, list[ItemView]] = {}
    slugs: dict[str, str] = {}
    for ev in reversed(recent):
        for sv in ev.sections:
            by_name.setdefault(sv.name, []).extend(i for i in sv.items if i.url)
            slugs.setdefault(sv.name, sv.slug)
    for name, its in by_name.items():
        path = f"feeds/{feed_name(name, slugs[name])}.xml"
        files[path] = _atom(site, f"{site.config.title} · {name}", path, its)
    files.update(_sitemaps(base, editions, months, stored_rows))
    files["news-sitemap.xml"] = _news_sitemap(site, editions, today or site.config.today())
    files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\nSitemap: {base}news-sitemap.xml\n"
    for rel, text in files.items():
        if text is not None:
            write_file(out / rel, text)
    return sorted(files)


def section_feeds(site: Site, editions: list[EditionView]) -> dict[str, str]:
    """Section name → feed path, for <link rel=alternate> in pages."""
    if not site.config.base_url:
        return {}
    out = {}
    for ev in reversed(editions[-site.config.feed_editions:]):
        for sv in ev.sections:
            out.setdefault(sv.name, f"feeds/{feed_name(sv.name, sv.slug)}.xml")
    return out
