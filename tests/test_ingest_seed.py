"""The seed page, ingested, gives exactly what a careful editor makes of it (shared/seed/expected.yaml)."""
from __future__ import annotations

import shutil
import unicodedata

import pytest
import yaml

from conftest import ROOT, SEED, run_cli
from broadsheet.ingest import read_page

SEED_PAGE = SEED / "000_352236b12fad6df2.txt"


def norm(text: str) -> str:
    """Compare punctuation-insensitively: full-width conversion is a documented default repair."""
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def expected():
    return yaml.safe_load((SEED / "expected.yaml").read_text("utf-8"))


@pytest.fixture(scope="module", params=[False, True], ids=["default", "keep-punctuation"])
def page(request):
    return read_page(SEED_PAGE, keep_punctuation=request.param)


def test_same_kinds_in_same_order(page, expected):
    assert [i.kind for i in page.items] == [e["kind"] for e in expected["items"]]


def test_headline_parts_and_authors(page, expected):
    for item, exp in zip(page.items, expected["items"]):
        for key in ("title", "kicker"):
            if key in exp:
                assert norm(getattr(item, key)) == norm(exp[key]), (item.order, key)
        if "authors" in exp:
            assert list(item.authors) == exp["authors"]
        if "author_roles" in exp:
            assert dict(item.author_roles) == exp["author_roles"]
        if "dateline" in exp:
            assert norm(item.dateline) == norm(exp["dateline"])
        if "credit" in exp:
            assert item.credit == exp["credit"]
        if "sponsor" in exp:
            assert norm(item.sponsor) == norm(exp["sponsor"])


def test_keep_punctuation_keeps_source_exactly(expected):
    page = read_page(SEED_PAGE, keep_punctuation=True)
    assert page.items[1].kicker == expected["items"][1]["kicker"]
    assert page.items[0].dateline == "本报讯(漳文)"


def test_paragraphs_joined_where_expected(page, expected):
    lines = SEED_PAGE.read_text("utf-8").split("\n")
    for item, exp in zip(page.items, expected["items"]):
        if "paragraphs" not in exp:
            continue
        want = [norm("".join(lines[n - 1].strip() for n in group)) for group in exp["paragraphs"]]
        got = [norm(e.text) for e in item.body]
        assert got == want, item.order
        heads = [norm(lines[n - 1].strip()) for n in exp.get("subheads", [])]
        assert [norm(e.text) for e in item.body if e.kind == "h"] == heads


def test_line_9_dropped_and_reported(page, expected):
    assert [d.lines[0] for d in page.dropped] == [d["line"] for d in expected["dropped"]]
    assert "line 5" in page.dropped[0].message
    assert all(9 not in i.lines for i in page.items)


def test_footer_names_the_section(page, expected):
    assert page.section == expected["page"]["section"]
    assert page.footer[0] == expected["page"]["footer_line"]


def test_photo_and_banner_lines(page, expected):
    for item, exp in zip(page.items, expected["items"]):
        if "lines" in exp:
            assert list(item.lines) == exp["lines"]
        if "caption_lines" in exp:
            assert list(item.lines) == exp["caption_lines"] + [exp["caption_lines"][-1] + 1]


def test_ingesting_the_seed_reproduces_committed_content(tmp_path):
    """content/ ships the seed ingested; the same command in a fresh folder gives the same bytes."""
    content = tmp_path / "content"
    proc = run_cli("ingest", SEED_PAGE, "--edition", "2022-04-15", "--content", content)
    assert proc.returncode == 0, proc.stderr
    page_dir = content / "editions" / "2022-04-15" / "01"
    committed = ROOT / "content" / "editions" / "2022-04-15" / "01"
    # page.pdf, the printed page, is not ingest's: tools/make_sample_page.py typesets it for the page view
    names = sorted(p.name for p in committed.iterdir() if p.name != "page.pdf")
    assert names == sorted(p.name for p in page_dir.iterdir())
    for name in names:
        assert (page_dir / name).read_bytes() == (committed / name).read_bytes(), name


def test_reingesting_in_place_changes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    proc = run_cli("ingest", SEED_PAGE, "--edition", "2022-04-15", "--content", content)
    assert proc.returncode == 0, proc.stderr
    assert "0 written, 10 unchanged" in proc.stdout
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
