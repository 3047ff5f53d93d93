"""Broadsheet: a static site generator for digital newspaper editions (电子报).

One module per job:
  ingest   — raw page text → items (``ingest.read_page``)
  writer   — items → reviewable Markdown files (``writer.write_page``)
  content  — ``content/`` → read-only dataclasses (``content.load_site``)
  render   — dataclasses → HTML pages (``render.render_site``)
  feeds    — Atom feeds, sitemaps, robots.txt (``feeds.write_feeds``)
  search   — Pagefind index (``search.index_site``)
  site     — the build: stages, atomic publish, lock (``site.build``)
"""

__version__ = "0.1.0"
