"""Render: the loaded site → HTML pages via Jinja templates.

The public verb is :func:`render_site`.  URLs (all documented in the README)::

    index.html                      home: the latest edition
    2022-04-15/index.html           an edition: its 版面 with headlines
    2022-04-15/01/index.html        a section (版面) page: its items in page order
    2022-04-15/01/03.html           an article or photo page
    archive/index.html              往期回顾: every edition, by year and month
    search/index.html               search
    404.html

Every internal link is relative, so the site works under any sub-path; only the 404 page, served at
any missing URL, links by absolute path under base_url's path (when there is a base_url).
"""
from __future__ import annotations

import calendar
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import struct
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .byline import credit_line
from .cache import digest, page_fingerprint
from .content import Edition, Item, Section, Site, item_html
from .errors import BroadsheetError, Problem
from .files import write_file
from .markup import plain_text

WEEKDAYS = "一二三四五六日"
KIND_LABELS = {"article": "文章", "photo": "图片", "banner": "专栏", "advertisement": "广告"}


# --------------------------------------------------------------------------- views

@dataclass
class ItemView:
    item: Item
    url: str | None
    _body: str | None  # the item's HTML; None for an item of an unchanged edition (read when shown)
    description: str
    edition: "EditionView"
    section: "SectionView"
    image: dict | None = None
    prev: "ItemView | None" = None
    next: "ItemView | None" = None

    def __getattr__(self, name):  # kind, title, kicker … straight from the item
        return getattr(self.item, name)

    @property
    def body_html(self) -> str:
        if self._body is None:
            self._body = item_html(self.item)
        return self._body

    @cached_property
    def kind_label(self) -> str:
        return KIND_LABELS[self.item.kind]

    @cached_property
    def display_title(self) -> str:
        if self.item.title:
            return self.item.title
        text = plain_text(self.body_html).strip()
        first = text.split("。")[0]
        return (first[:30] + "…") if len(first) > 30 else (first or KIND_LABELS[self.item.kind])

    @cached_property
    def credit_line(self) -> str:
        """The credit as it reads under a photo: 张三 摄, 熊平祥 摄（影像中国）."""
        return credit_line(self.item.credit, self.item.credit_marker) if self.item.credit else ""

    @property
    def byline(self) -> list[tuple[str, str]]:
        """[(role, name)], with a role shown only where it changes: 本报记者 张三 李四."""
        out, last = [], None
        for name in self.item.authors:
            role = self.item.role_of(name)
            out.append((role if role != last else "", name))
            last = role
        return out


@dataclass
class SectionView:
    section: Section
    url: str
    edition: "EditionView"
    items: list[ItemView] = field(default_factory=list)
    prev: "SectionView | None" = None
    next: "SectionView | None" = None
    page_views: object = field(default=None, repr=False)  # pageview.PageViews of the build

    @cached_property
    def pageview(self):
        """The printed page (pageview.PageView), if the 版面 has a page file: made when first shown."""
        return self.page_views.view(str(self.section.path)) if self.page_views is not None else None

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def page(self) -> int:
        return self.section.page

    @cached_property
    def label(self) -> str:
        return f"第{self.section.page:02d}版"

    @property
    def slug(self) -> str:
        return self.section.slug

    @property
    def headlines(self) -> list[ItemView]:
        return [i for i in self.items if i.url]


@dataclass
class EditionView:
    edition: Edition
    url: str
    sections: list[SectionView] = field(default_factory=list)
    prev: "EditionView | None" = None
    next: "EditionView | None" = None

    @property
    def date(self) -> dt.date:
        return self.edition.date

    @cached_property
    def iso(self) -> str:
        return self.edition.date.isoformat()

    @cached_property
    def label(self) -> str:
        d = self.edition.date
        return f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}"

    @cached_property
    def short_label(self) -> str:
        d = self.edition.date
        return f"{d.year}年{d.month}月{d.day}日"

    @property
    def title(self) -> str:
        return self.edition.title

    @property
    def number(self):
        return self.edition.number

    @property
    def articles(self) -> list[ItemView]:
        return [i for s in self.sections for i in s.items if i.url]


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP file, read from its header."""
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        chunk = head[12:16]
        if chunk == b"VP8X":
            w = int.from_bytes(head[24:27], "little") + 1
            h = int.from_bytes(head[27:30], "little") + 1
            return w, h
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if chunk == b"VP8L":
            b = head[21:25]
            w = 1 + (((b[1] & 0x3F) << 8) | b[0])
            h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
            return w, h
    if head[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                i += 1
                continue
            marker = head[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", head[i + 5:i + 9])
                return w, h
            length = struct.unpack(">H", head[i + 2:i + 4])[0]
            i += 2 + length
    return None


def build_views(site: Site, eds: list[Edition] | None = None, pageviews=None) -> list[EditionView]:
    """Plain view objects for the templates (of ``eds``, default the site's editions; a stub —
    an unchanged edition not read, see ``summary`` — has a view without sections), with the page
    views (``pageview.PageViews``)."""
    editions: list[EditionView] = []
    for ed in site.editions if eds is None else eds:
        ev = EditionView(ed, f"{ed.date.isoformat()}/")
        if pageviews is not None:
            pageviews.add(ed)  # a stub promoted to its whole edition (a neighbour changed) included
        for sec in ed.sections:
            sv = SectionView(sec, f"{ev.url}{sec.page:02d}/", ev)
            sv.page_views = pageviews
            for it in sec.items:
                url = f"{sv.url}{it.name}.html" if it.has_page else None
                image = None
                if it.image is not None:
                    size = image_size(it.image)
                    image = {"url": f"{sv.url}{it.image.name}", "src": it.image, "alt": it.image_alt or
                             plain_text(item_html(it))[:80], "width": size[0] if size else None,
                             "height": size[1] if size else None}
                sv.items.append(ItemView(it, url, it.html, it.summary, ev, sv, image))
            ev.sections.append(sv)
        for a, b in zip(ev.sections, ev.sections[1:]):
            a.next, b.prev = b, a
        pages = ev.articles
        for a, b in zip(pages, pages[1:]):
            a.next, b.prev = b, a
        editions.append(ev)
    for a, b in zip(editions, editions[1:]):
        a.next, b.prev = b, a
    return editions


# --------------------------------------------------------------------------- environment

def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["jsonld"] = jsonld
    return env


def jsonld(data) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def relative(from_path: str, to_path: str) -> str:
    """Relative URL from the page at ``from_path`` to ``to_path`` (both site-root relative,
    without '..'; a path ending in '/' is a folder).  Equivalent to posixpath.relpath for
    such paths, and about ten times faster — it runs for every link of every page."""
    base = from_path.split("/")[:-1]
    target = to_path.split("/")
    i, n = 0, min(len(base), len(target) - 1)
    while i < n and base[i] == target[i]:
        i += 1
    return ("../" * (len(base) - i) + "/".join(target[i:])) or "./"


@dataclass
class Asset:
    name: str  # logical name, e.g. style.css
    path: str  # output path, e.g. assets/style.3f2a9c1b.css
    data: bytes


def collect_assets(assets_dir: Path) -> dict[str, Asset]:
    out = {}
    for f in sorted(assets_dir.rglob("*")):
        if f.is_file() and not f.name.startswith("."):
            data = f.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            rel = f.relative_to(assets_dir).as_posix()
            stem, dot, ext = rel.rpartition(".")
            out[rel] = Asset(rel, f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{rel}.{digest}", data)
    return out


def favicon_asset(site: Site) -> Asset:
    """The paper's icon: the file named by ``favicon:`` in site.yaml, else an SVG made from the
    first character of the title (white on the paper's red), content-hashed like the assets."""
    if site.config.favicon:
        data = (site.root / site.config.favicon).read_bytes()
        ext = Path(site.config.favicon).suffix.lower()
    else:
        from html import escape
        mark = escape(site.config.title.strip()[:1] or "报")
        data = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
                '<rect width="64" height="64" rx="12" fill="#b3121b"/>'
                '<text x="32" y="46" font-size="40" font-weight="700" text-anchor="middle" fill="#fff" '
                'font-family="Noto Serif CJK SC,Source Han Serif SC,Songti SC,SimSun,serif">'
                f'{mark}</text></svg>\n').encode("utf-8")
        ext = ".svg"
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Asset(f"favicon{ext}", f"assets/favicon.{digest}{ext}", data)


def web_manifest(site: Site, icon: Asset) -> bytes:
    """manifest.webmanifest at the site root; its URLs are relative to it (any sub-path works)."""
    from .schema import FAVICON_TYPES
    ext = "." + icon.path.rpartition(".")[2]
    c = site.config
    data = {"name": c.title, "short_name": c.title, "description": c.description or None, "lang": c.language,
            "start_url": "./", "scope": "./", "display": "standalone",
            "background_color": "#fbf9f4", "theme_color": "#fbf9f4",
            "icons": [{"src": icon.path, "sizes": "any", "type": FAVICON_TYPES[ext]}]}
    return (json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, indent=1)
            + "\n").encode("utf-8")


def head_script(templates: Path) -> str:
    """The inline <head> script (templates/_head.js) that applies the reader's theme and text size
    before the first paint; the built-in one when a custom templates folder has none."""
    from .site import TEMPLATES
    for folder in (templates, TEMPLATES):
        if (folder / "_head.js").is_file():
            return (folder / "_head.js").read_text("utf-8").strip()
    return ""


def content_security_policy(script: str, wasm: bool = False) -> str:
    """The policy every page carries (<meta http-equiv>): only this site's own files and the inline
    head script, by its hash; with ``wasm`` (the search page) also WebAssembly, for Pagefind."""
    import base64
    WASM = " 'wasm-unsafe-eval'"
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'self'; "
            f"script-src 'self' 'sha256-{digest}'{WASM if wasm else ''}; "
            "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'")


@dataclass
class PageSpec:
    path: str  # output path relative to site root
    template: str
    context: dict


def page_specs(site: Site, editions: list[EditionView]) -> list[PageSpec]:
    """Every page, in a fixed order: home, each edition's pages, archive, search, 404."""
    head, tail = site_specs(site, editions)
    return head + [spec for ev in editions for spec in edition_specs(ev)] + tail


def site_specs(site: Site, editions: list[EditionView]) -> tuple[list[PageSpec], list[PageSpec]]:
    """The pages that are not an edition's: those before the editions (home), and after."""
    from .search import shard_names
    latest = editions[-1] if editions else None
    head = [PageSpec("index.html", "home.html", {"edition": latest, "page_kind": "home"})]
    tail = [PageSpec("archive/index.html", "archive.html", {"years": archive(editions), "page_kind": "archive"}),
            PageSpec("search/index.html", "search.html", {"page_kind": "search", "shards": shard_names(editions)}),
            PageSpec("404.html", "404.html", {"page_kind": "404"})]
    return head, tail


def edition_specs(ev: EditionView) -> list[PageSpec]:
    """An edition's page, its 版面 pages and its article pages."""
    specs = [PageSpec(ev.url + "index.html", "edition.html", {"edition": ev, "page_kind": "edition"})]
    for sv in ev.sections:
        specs.append(PageSpec(sv.url + "index.html", "section.html", {"edition": ev, "section": sv,
                                                                      "page_kind": "section"}))
        for iv in sv.items:
            if iv.url:
                specs.append(PageSpec(iv.url, "article.html", {"edition": ev, "section": sv, "item": iv,
                                                               "page_kind": "article"}))
    return specs


def _edition_pages(ev: EditionView) -> int:
    if ev.edition.stored is not None:
        return ev.edition.stored.pages
    return 1 + sum(1 + sum(1 for iv in sv.items if iv.url) for sv in ev.sections)


def archive(editions: list[EditionView]) -> list[dict]:
    """Years (newest first) → months → calendar weeks of days, each linking its edition if any."""
    by_day = {ev.date: ev for ev in editions}
    months = sorted({(ev.date.year, ev.date.month) for ev in editions}, reverse=True)
    years: dict[int, list] = {}
    cal = calendar.Calendar(firstweekday=0)
    for y, m in months:
        weeks = [[(d, by_day.get(d)) if d.month == m else (None, None) for d in week]
                 for week in cal.monthdatescalendar(y, m)]
        years.setdefault(y, []).append({"year": y, "month": m, "weeks": weeks,
                                        "count": sum(1 for d in by_day if d.year == y and d.month == m)})
    return [{"year": y, "months": ms} for y, ms in years.items()]


def needs_full(eds: list[Edition], config, today: dt.date) -> list[int]:
    """The editions whose pages' data other pages show: the latest (home), those of the feeds, those
    of the news sitemap (the last two days).  (The search stage reads those of the shards it
    re-indexes itself: ``search.plan_shards``.)"""
    n = config.feed_editions
    recent = set(range(max(0, len(eds) - n) if n > 0 else 0, len(eds))) | ({len(eds) - 1} if eds else set())
    news = {i for i, ed in enumerate(eds) if today - dt.timedelta(days=2) <= ed.date <= today}
    return sorted(recent | news)


class PageRenderer:
    """Renders PageSpecs with one Environment; safe to create once per process."""

    def __init__(self, site: Site, templates: Path, assets: dict[str, Asset], search: bool,
                 section_feeds: dict[str, str] | None = None):
        self.site = site
        self.section_feeds = section_feeds or {}
        self.templates = templates
        self.env = make_environment(templates)
        self.env.auto_reload = False  # templates do not change during a build: no stat per page
        self.assets = assets
        self.search = search
        self.path = ""  # the page being rendered: what the href and asset filters are relative to
        # Filters, not context functions: Jinja calls filters directly, a function from the
        # context through Context.call — a real cost at ~20 links per page and 30,000 pages.
        # pass_context only stops Jinja from folding ''|href into a constant at compile time.
        self.env.filters["href"] = jinja2.pass_context(lambda _, target: self._href(target))
        self.env.filters["asset"] = jinja2.pass_context(lambda _, name: self._asset(name))
        self._folder, self._links = "", {}
        # The 404 page is served at any missing URL, however deep: its links are absolute paths
        # under base_url's path (e.g. /paper/assets/…) when a base_url is set; every other link is
        # relative, so output/ works under any sub-path.
        self._site_root = urlsplit(site.config.base_url).path if site.config.base_url else ""
        self._root = ""  # _site_root while the 404 page renders, else ""
        self.env.filters["switcher"] = self._switcher
        self._switchers: tuple = (None, None)
        # The same for every page (href and asset also as functions, for templates that call href(…)).
        script = head_script(templates)
        icon = assets.get("favicon")
        from .schema import FAVICON_TYPES
        self._globals = dict(site=site.config, href=self._href, asset=self._asset, absolute=self._absolute,
                             news_article=self._news_article, section_feed=self._section_feed,
                             search_enabled=search, weekdays=WEEKDAYS,
                             head_script=Markup(script), csp=Markup(content_security_policy(script)),
                             search_csp=Markup(content_security_policy(script, wasm=True)),
                             favicon={"path": icon.path if icon else "",
                                      "type": FAVICON_TYPES["." + icon.path.rpartition(".")[2]] if icon else ""})

    def _href(self, target: str) -> str:
        """``relative(self.path, target)``, memoised while pages of one folder are rendered
        (they come in folder order, and share their masthead, crumbs and switcher links)."""
        link = self._links.get(target)
        if link is None:
            link = self._links[target] = self._root + target if self._root else relative(self.path, target)
        return link

    def _asset(self, name: str) -> str:
        return self._href(self.assets[name].path)

    def _absolute(self, target: str) -> str:
        return self.site.config.base_url + target if self.site.config.base_url else ""

    def _news_article(self, iv: ItemView) -> dict:
        return news_article_ld(iv, self.site.config, self._absolute)

    def _section_feed(self, sv) -> str:
        return self.section_feeds.get(sv.name, "")

    def _switcher(self, edition, section=None):
        """``{{ edition|switcher(section) }}``: the 版面 switcher macro of _macros.html, rendered
        once per folder and 版面 — every page of a 版面 sits in one folder, so its relative
        links, and the switcher, are the same on all of them."""
        key = (self._folder, edition.url, section.page if section else None)
        if self._switchers[0] != key:
            macro = self.env.get_template("_macros.html").module.section_switcher
            self._switchers = (key, macro(edition, section))
        return self._switchers[1]

    def render(self, spec: PageSpec) -> bytes:
        path = self.path = spec.path
        self._root = self._site_root if spec.context.get("page_kind") == "404" else ""
        folder = self._root or path.rpartition("/")[0]  # "/…" is no output folder: memo of its own
        if folder != self._folder:
            self._folder, self._links = folder, {}
        ctx = dict(spec.context, **self._globals, page_path=path)
        try:
            template = self.env.get_template(spec.template)
            return template.render(ctx).encode("utf-8")
        except jinja2.TemplateSyntaxError as e:
            where = e.filename or str(self.templates / (e.name or spec.template))
            raise BroadsheetError(Problem(where, e.lineno or 0, f"template syntax error: {e.message}",
                                          "fix the template tag on this line", "render")) from None
        except jinja2.TemplateError as e:
            line, where = _template_position(e, str(self.templates / spec.template))
            raise BroadsheetError(Problem(where, line, f"template error while rendering {path}: {e}",
                                          "fix the template on this line", "render")) from None


def news_article_ld(iv: ItemView, config, absolute) -> dict:
    """schema.org NewsArticle for an article page (None values are left out)."""
    it, ev, sv = iv.item, iv.edition, iv.section
    tz = config.timezone
    published = f"{ev.iso}T00:00:00{tz}"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": iv.display_title,
        "alternativeHeadline": it.subtitle or it.kicker or None,
        "description": iv.description,
        "datePublished": published,
        "dateModified": f"{it.updated.isoformat()}T00:00:00{tz}" if it.updated else published,
        "author": [{"@type": "Person", "name": a, **({"jobTitle": it.role_of(a)} if it.role_of(a) else {})}
                   for a in it.authors] or None,
        "publisher": {"@type": "Organization", "name": config.publisher or config.title},
        "printEdition": ev.iso,
        "printPage": str(sv.page),
        "printSection": sv.name,
        "dateline": it.dateline or None,
        "inLanguage": config.language,
        "url": absolute(iv.url) or None,
        "mainEntityOfPage": absolute(iv.url) or None,
        "image": absolute(iv.image["url"]) if iv.image and config.base_url else None,
    }
    return {k: v for k, v in ld.items() if v is not None}


def _template_position(exc: BaseException, default: str) -> tuple[int, str]:
    tb = exc.__traceback__
    line, name = 0, default
    while tb is not None:
        fname = tb.tb_frame.f_code.co_filename
        if fname.endswith(".html") or fname.endswith(".xml"):
            line, name = tb.tb_lineno, fname
        tb = tb.tb_next
    return line, name


_WORK: tuple | None = None  # (PageRenderer, specs, editions, out) inherited by forked workers


def _render_chunk(units: list[tuple[str, int]]) -> int:
    """Render ("page", i): specs[i], or ("edition", i): all pages of editions[i] (whose specs
    the worker makes itself — in a clean build, the parent is not kept from forking by it)."""
    pages, specs, editions, out = _WORK
    n = 0
    for kind, i in units:
        for spec in (specs[i],) if kind == "page" else edition_specs(editions[i]):
            write_file(out / spec.path, pages.render(spec))
            n += 1
    return n


def render_site(site: Site, out: Path, templates: Path, assets_dir: Path, *, search: bool, progress=None,
                jobs: int = 1, previous=None, reused: set[str] = frozenset(), global_digest: str = "",
                today: dt.date | None = None, published: Path | None = None,
                pageviews=None) -> dict:
    """Write the pages of ``site`` into ``out`` (the staging directory).

    Without ``previous`` every page is rendered.  With it (a ``cache.Store`` describing the
    ``published`` output; ``out`` receives only the files written now), the archive is taken an edition at a
    time: an edition is a *unit* whose pages show its own files, its neighbours' dates and the
    section feeds, under ``global_digest``.  An edition that was not read again (``reused``:
    its files are those of the last build) and whose unit digest is unchanged is left alone —
    no views of its pages are fingerprinted, nothing is rendered or written.  In the other
    editions, and among the site's own pages (home, archive, search, 404), a page whose
    fingerprint equals the stored one is kept, the rest are rendered by ``jobs`` processes.
    Returns counts, the views, each rendered edition's fingerprints and files
    (``units``), the site pages' fingerprints and files, and the files no longer produced.
    ``pageviews`` is the page view stage's result (``pageview.prepare``): shown on the pages, its
    files counted among their editions'."""
    global _WORK
    from .feeds import section_feeds

    from .summary import promote
    assets = collect_assets(assets_dir)
    icon = assets["favicon"] = favicon_asset(site)
    global_digest = f"{global_digest}:{icon.path}"  # every page links the icon by its content-hashed name
    eds = list(site.editions)
    if previous is not None:  # the stubs the home page, the feeds and the search index show, read whole
        for i in needs_full(eds, site.config, today or site.config.today()):
            eds[i] = promote(eds[i], previous)
    feeds_of = section_feeds(site, eds)
    pages = PageRenderer(site, templates, assets, search, feeds_of)
    feed_of = lambda sv: feeds_of.get(sv.name, "")  # noqa: E731
    stored = previous.editions() if previous is not None else {}
    old_site = previous.get("site_pages", {}) if previous is not None else {}

    def unit_of(i: int) -> str:
        ed = eds[i]
        names = [name for _, name, _ in ed.stored.sections] if ed.stored is not None else \
            [sec.name for sec in ed.sections]
        return digest(global_digest, eds[i - 1].date.isoformat() if i else None,
                      eds[i + 1].date.isoformat() if i + 1 < len(eds) else None,
                      [(name, feeds_of.get(name, "")) for name in names])

    units: dict[str, tuple[str, dict, list]] = {}  # edition path → (unit, fingerprints, files) if rendered
    dirty = []
    for i, ed in enumerate(eds):
        key = str(ed.path)
        unit = unit_of(i)
        if previous is not None and key in reused and stored.get(key, (None, None))[1] == unit:
            continue
        dirty.append(i)
        units[key] = (unit, {}, [])
        if previous is not None:
            eds[i] = promote(ed, previous)
    editions = build_views(site, eds, pageviews)
    head, tail = site_specs(site, editions)
    site_list = head + tail
    site_fp = {spec.path: page_fingerprint(spec, global_digest, feed_of) for spec in site_list}

    def fingerprint(i: int, specs: list[PageSpec]) -> None:
        ev = editions[i]
        _, fps, files = units[str(ev.edition.path)]
        for spec in specs:
            fps[spec.path] = page_fingerprint(spec, global_digest, feed_of)
            files.append(spec.path)
        files.extend(iv.image["url"] for sv in ev.sections for iv in sv.items if iv.image)
        files.extend(pageviews.files(str(ev.edition.path)) if pageviews is not None else ())  # page images, PDFs

    stale: list[str] = []
    if previous is None:  # every page is rendered: fingerprints are only for the next build
        listed = site_list
        work = [("page", i) for i in range(len(listed))] + [("edition", i) for i in dirty]
        weights = [1] * len(listed) + [_edition_pages(editions[i]) for i in dirty]
        later = dirty
    else:
        there = published or out  # the published output: a page kept must be there
        listed = [spec for spec in site_list if old_site.get(spec.path) != site_fp[spec.path]
                  or not os.path.isfile(f"{there}/{spec.path}")]
        for i in dirty:
            key = str(editions[i].edition.path)
            old_fps, old_files = previous.pages(key) if key in stored else ({}, [])
            specs = edition_specs(editions[i])
            fingerprint(i, specs)
            fps = units[key][1]
            listed.extend(spec for spec in specs if old_fps.get(spec.path) != fps[spec.path]
                          or not os.path.isfile(f"{there}/{spec.path}"))
            stale.extend(set(old_files) - set(units[key][2]))
        for key in stored.keys() - {str(ev.edition.path) for ev in editions}:  # deleted editions
            stale.extend(previous.pages(key)[1])
        work = [("page", i) for i in range(len(listed))]
        weights = [1] * len(work)
        later = []
    total = sum(weights)
    if jobs > 1 and total > 200:
        _WORK = (pages, listed, editions, out)
        pages.env.get_template("article.html")  # compile before forking, not once per worker
        chunks: list[list] = [[]]
        size = 0
        for unit, weight in zip(work, weights):  # about 100 pages a task
            if size >= 100:
                chunks.append([])
                size = 0
            chunks[-1].append(unit)
            size += weight
        done = 0
        # Workers inherit the whole site; frozen, it is never traversed by their garbage
        # collector (which would cost CPU and copy every page of it: measured −15 % CPU).
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                rendered = pool.imap_unordered(_render_chunk, chunks)
                for i in later:  # fingerprints for the next build, while the workers render
                    fingerprint(i, edition_specs(editions[i]))
                for n in rendered:
                    done += n
                    if progress:
                        progress(done, total)
        finally:
            _WORK = None
            gc.unfreeze()
    else:
        _WORK = (pages, listed, editions, out)
        try:
            done = 0
            for unit in work:
                done += _render_chunk([unit])
                if progress:
                    progress(done, total)
        finally:
            _WORK = None
        for i in later:
            fingerprint(i, edition_specs(editions[i]))
    site_files = [spec.path for spec in site_list]
    for a in assets.values():
        if not ((published or out) / a.path).is_file():  # content-hashed names: an existing file is this file
            write_file(out / a.path, a.data)
        site_files.append(a.path)
    write_file(out / "manifest.webmanifest", web_manifest(site, icon))
    site_files.append("manifest.webmanifest")
    images = 0
    for i in dirty:
        for sv in editions[i].sections:
            for iv in sv.items:
                if iv.image:
                    write_file(out / iv.image["url"], Path(iv.image["src"]).read_bytes())  # never share an inode with content/
                    images += 1
    n_pages = len(site_list) + sum(_edition_pages(ev) for ev in editions)
    rendered_paths = [s.path for s in site_list] + [p for i in dirty for p in
                                                    units[str(editions[i].edition.path)][1]] \
        if previous is None else [s.path for s in listed]
    return {"pages": n_pages, "rendered": len(rendered_paths), "rendered_paths": rendered_paths,
            "reused": n_pages - len(rendered_paths), "assets": len(assets),
            "images": images, "editions": editions, "units": units, "site_pages": site_fp,
            "site_files": site_files, "stale": stale}
