"""Stub editions: what an unchanged edition gives the rest of the site, kept in the build state.

A nightly build does not read an edition whose files are those of the last build: it stands in
as a *stub* — an ``Edition`` without sections whose ``stored`` field holds the few things the
other pages need of it: its 版面 (page, name, slug) for its unit digest (``render.render_site``),
and its page and item counts (its rows of the sitemap are kept beside it, read only when its month's
sitemap is written again: ``feeds.write_feeds``).  Its neighbours' 上一期/下一期
links and the archive calendar need only its date, which the folder name gives.

A stub whose unit digest changed, or that the home page, the feeds or the search index show
(``render.needs_full``), is replaced by the edition's light copy from the state (``promote``)
before views are built.  The public verb is :func:`summarize` (a rendered edition → its summary);
``stub`` and ``promote`` are its two small companions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Stored:
    title: str
    number: int | None
    sections: tuple[tuple[int, str, str], ...]  # (page, name, slug) of each 版面
    pages: int  # pages it renders (its edition page, 版面 pages, article and photo pages)
    items: int
    search: str  # what it gives its search shard's index records (``search.edition_digest``)


def summarize(ev) -> Stored:
    """The summary of a rendered edition (a ``render.EditionView``)."""
    from .search import edition_digest
    ed = ev.edition
    return Stored(title=ed.title, number=ed.number,
                  sections=tuple((s.page, s.name, s.slug) for s in ed.sections),
                  pages=1 + sum(1 + sum(1 for it in s.items if it.has_page) for s in ed.sections),
                  items=sum(len(s.items) for s in ed.sections), search=edition_digest(ev))


def stub(path: Path, stored: Stored):
    """The stand-in Edition of an unchanged edition folder (no sections: see ``Edition.stored``)."""
    from .content import Edition
    return Edition(path=path, date=dt.date.fromisoformat(path.name), sections=(), title=stored.title,
                   number=stored.number, stored=stored)


def promote(edition, store):
    """The whole (light) edition in place of a stub, from the build state; an edition is itself."""
    if edition.stored is None:
        return edition
    full = store.light_edition(str(edition.path))
    if full is None:
        raise RuntimeError(f"the build state has no copy of {edition.path}")
    return replace(full, stored=None)
