"""Search: a Pagefind index of every article and photo page, built with Pagefind's *extended* binary.

Only the extended build segments Chinese (with jieba); the language is forced to
Chinese so a page with a missing or odd ``lang`` can never silently turn
segmentation off.  Pages mark their indexable part with ``data-pagefind-body``;
bylines, navigation, banners and ads are outside it or ignored.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .errors import BroadsheetError, Problem

LANGUAGE = "zh"


def executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BroadsheetError(Problem("requirements.txt", 0, "Pagefind's extended build is not installed "
                                      "(only it can segment Chinese)", "run `make build` to install the pinned "
                                      "requirements, or pass --no-search", "search")) from None
    return Path(get_executable())


def index_site(site_dir: Path) -> dict:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); return index statistics."""
    cmd = [str(executable()), "--site", str(site_dir), "--force-language", LANGUAGE, "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BroadsheetError(Problem(str(site_dir), 0, "Pagefind failed to index the site: " + " / ".join(detail),
                                      "run the build with --debug, or --no-search to publish without search",
                                      "search"))
    bundle = site_dir / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    pages = sum(lang.get("page_count", 0) for lang in entry.get("languages", {}).values())
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
    return {"pages": pages, "bytes": size, "languages": sorted(entry.get("languages", {}))}
