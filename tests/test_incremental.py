"""Incremental builds equal clean builds, byte for byte, over random sequences of edits."""
from __future__ import annotations

import os
import random
import shutil
import sys
import time

import pytest

from conftest import ROOT, synthetic_archive
from test_build import tree
from broadsheet.site import build


def edit(rnd: random.Random, content, step: int, templates) -> str:
    """Apply one random edit of the kinds a newsroom makes; return what was done."""
    items = sorted(content.glob("editions/*/*/*.md"))
    sections = sorted(content.glob("editions/*/*/section.yaml"))
    editions = sorted(p for p in (content / "editions").iterdir() if p.is_dir())
    kind = rnd.choice(["title", "body", "add", "delete", "section", "edition", "drop-edition", "site",
                       "template", "order", "nothing", "old-body", "month", "page"])
    if kind == "title" and items:
        f = rnd.choice(items)
        f.write_text(f.read_text("utf-8").replace("title: ", f"title: 改{step}", 1), "utf-8")
    elif kind == "body" and items:
        f = rnd.choice(items)
        f.write_text(f.read_text("utf-8") + f"\n新增的一段{step}。\n", "utf-8")
    elif kind == "add" and sections:
        d = rnd.choice(sections).parent
        (d / f"9{step:02d}.md").write_text(f"---\nkind: article\ntitle: 新稿{step}\norder: {step}\n---\n\n新稿正文。\n", "utf-8")
    elif kind == "delete" and len(items) > 3:
        rnd.choice(items).unlink()
    elif kind == "section" and sections:
        f = rnd.choice(sections)
        f.write_text(f.read_text("utf-8").replace("name: ", f"name: 新{step}", 1), "utf-8")
    elif kind == "edition":
        d = content / "editions" / f"2024-03-{step % 28 + 1:02d}" / "01"
        d.mkdir(parents=True, exist_ok=True)
        (d / "section.yaml").write_text("name: 要闻\n", "utf-8")
        (d / "01.md").write_text(f"---\nkind: article\ntitle: 新一期{step}\n---\n\n芗城区街巷长{step}。\n", "utf-8")
    elif kind == "old-body" and items:  # an article of the oldest edition: a stub on most nights
        f = sorted(editions[0].glob("*/*.md"))[0] if editions and list(editions[0].glob("*/*.md")) else items[0]
        f.write_text(f.read_text("utf-8") + f"\n更正{step}。\n", "utf-8")
    elif kind == "month":  # the first edition of a new month
        d = content / "editions" / f"2024-{4 + step // 4:02d}-01" / "01"
        d.mkdir(parents=True, exist_ok=True)
        (d / "section.yaml").write_text(f"name: 新月{step}\n", "utf-8")
        (d / "01.md").write_text(f"---\nkind: article\ntitle: 新月{step}\n---\n\n新月正文{step}。\n", "utf-8")
    elif kind == "drop-edition" and len(editions) > 1:
        shutil.rmtree(rnd.choice(editions))
    elif kind == "site":
        f = content / "site.yaml"
        f.write_text(f.read_text("utf-8").replace("title: ", f"title: 第{step}", 1), "utf-8")
    elif kind == "template":
        f = templates / "article.html"
        f.write_text(f.read_text("utf-8").replace("<article ", f"<!-- {step} --><article ", 1), "utf-8")
    elif kind == "order" and items:
        f = rnd.choice(items)
        text = f.read_text("utf-8")
        f.write_text(text.replace("order: ", "order: 5", 1) if "order: " in text else text, "utf-8")
    elif kind == "page" and sections:  # the printed page (the page view) added, replaced or removed
        d = rnd.choice(sections).parent
        if (d / "page.png").exists() and rnd.random() < 0.4:
            (d / "page.png").unlink()
        else:
            import pdfpage
            (d / "page.png").write_bytes(pdfpage.png(320 + 8 * step, 450))
            f = next(iter(sorted(d.glob("*.md"))), None)
            if f is not None and "area:" not in f.read_text("utf-8"):
                f.write_text(f.read_text("utf-8").replace("---\n", f"---\narea: [[0.1, 0.1, 0.5, 0.{step + 2}]]\n", 1),
                             "utf-8")
    return kind


def age(content, seen: dict, step: int) -> None:
    """Give every file changed since the last call an mtime of its own, a day in the past, so
    that no build treats it as "racily clean" and the caches (items, whole editions) are used."""
    base = int((time.time() - 86400) * 1e9)
    for f in sorted(content.rglob("*")):
        if f.is_file():
            data = f.read_bytes()
            if seen.get(f) != data:
                seen[f] = data
                t = base + step * 1_000_000_000
                os.utime(f, ns=(t, t))


@pytest.mark.parametrize("seed,aged", [(1, False), (2, False), (3, False), (4, True), (5, True), (6, True), (7, False), (8, True)])
def test_random_edit_sequences(tmp_path, seed, aged, monkeypatch):
    from broadsheet import search
    rnd = random.Random(seed)
    with_search = seed in (1, 4, 7, 8)
    # Search windows (search.shard_map) of two editions (6 pages each) at most, so that a month has
    # several, and an edition that gains or loses pages moves the bounds of its month's later windows.
    monkeypatch.setattr(search, "WINDOW_PAGES", 12)
    # More editions than the feeds show (feed_editions: 1): the older ones are stubs on a nightly
    # build (summary.py) unless an edit touches them, their neighbours or (with search) their shard.
    content = synthetic_archive(tmp_path, editions=4 if with_search else 6, sections=2, items=2)
    if seed != 1:
        site_yaml = content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text("utf-8") + "feed_editions: 1\n", "utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    inc = tmp_path / "incremental"
    seen: dict = {}
    if aged:
        age(content, seen, 0)
    build(content, inc, quiet=True, search=with_search, templates=templates)
    done = []
    for step in range(10):
        done.append(edit(rnd, content, step, templates))
        if aged:
            age(content, seen, step + 1)
        result = build(content, inc, quiet=True, search=with_search, templates=templates)
        clean = tmp_path / f"clean{step}"
        build(content, clean, quiet=True, search=with_search, templates=templates, incremental=False)
        assert tree(inc) == tree(clean), f"after edits {done}"
        shutil.rmtree(clean)
    assert result["rendered"] < result["pages"] or done[-1] in ("template", "site", "drop-edition")


def test_one_new_edition_renders_only_what_depends_on_it(tmp_path):
    content = synthetic_archive(tmp_path, editions=4, sections=2, items=2)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    d = content / "editions" / "2024-02-09" / "01"  # same search shard (window) as 2024-02-07
    d.mkdir(parents=True)
    (d / "section.yaml").write_text("name: 要闻\n", "utf-8")
    (d / "01.md").write_text("---\nkind: article\ntitle: 新一期\n---\n\n正文。\n", "utf-8")
    result = build(content, out, quiet=True, search=False)
    # the new edition (home page, its edition, section and article pages), its predecessor's
    # edition page (下一期 link), the archive — and nothing else
    assert result["rendered"] == 1 + 1 + 1 + 1 + 1 + 1, result["rendered"]


def test_incremental_build_never_writes_into_published_files(tmp_path):
    """Staging starts as hard links to output/: every write must replace, never modify, a file."""
    import hashlib
    import os
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    out = tmp_path / "o"
    build(content, out, quiet=True)
    held = tmp_path / "held"
    before = {}
    for f in out.rglob("*"):
        if f.is_file():
            link = held / f.relative_to(out)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, link)
            before[link] = hashlib.sha256(f.read_bytes()).hexdigest()
    for f in sorted(content.glob("editions/*/*/*.md"))[:3]:
        f.write_text(f.read_text("utf-8") + "\n改动。\n", "utf-8")
    (content / "site.yaml").write_text((content / "site.yaml").read_text("utf-8").replace("测试日报", "改名日报"), "utf-8")
    result = build(content, out, quiet=True)
    assert result["rendered"] > 0
    changed = [str(p) for p, h in before.items() if hashlib.sha256(p.read_bytes()).hexdigest() != h]
    assert not changed, changed[:5]


def assert_equals_clean(tmp_path, content, out, search: bool = False) -> None:
    """``out`` is byte for byte what a clean build of ``content`` makes."""
    clean = tmp_path / "clean"
    build(content, clean, quiet=True, search=search, incremental=False)
    assert tree(out) == tree(clean)


def killed_before_publishing(monkeypatch, content, out) -> None:
    """Build ``content`` into ``out`` and die after the state is saved, before publishing."""
    from broadsheet import site

    def dies(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(site, "publish", dies)
    with pytest.raises(KeyboardInterrupt):
        build(content, out, quiet=True, search=False)
    monkeypatch.undo()


def test_a_build_killed_between_saving_its_state_and_publishing_makes_the_next_build_start_afresh(
        tmp_path, monkeypatch):
    """The build state is saved (one SQLite transaction) just before staging is renamed into place;
    if the build dies in between, the state describes an output that never appeared: the next
    build must see that (the output folder's inode) and not trust it."""
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    before = tree(out)
    for f in sorted(content.glob("editions/*/*/*.md"))[:2]:
        f.write_text(f.read_text("utf-8").replace("title: ", "title: 改", 1), "utf-8")
    killed_before_publishing(monkeypatch, content, out)
    assert tree(out) == before
    for f in sorted(content.glob("editions/*/*/*.md"))[:2]:  # back to what the output shows
        f.write_text(f.read_text("utf-8").replace("title: 改", "title: ", 1), "utf-8")
    result = build(content, out, quiet=True, search=False)
    assert result["rendered"] == result["pages"]  # afresh: nothing trusted
    assert_equals_clean(tmp_path, content, out)


def test_a_nightly_build_leaves_untouched_editions_alone(tmp_path, monkeypatch):
    """A new edition: only it and its predecessor (下一期) are fingerprinted and rendered; the
    other editions' fingerprints are not even read from the build state, and no item file of
    theirs is parsed again."""
    from broadsheet import cache
    content = synthetic_archive(tmp_path, editions=4, sections=2, items=2)
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    d = content / "editions" / "2024-02-09" / "01"
    d.mkdir(parents=True)
    (d / "section.yaml").write_text("name: 要闻\n", "utf-8")
    (d / "01.md").write_text("---\nkind: article\ntitle: 新一期\n---\n\n正文。\n", "utf-8")
    age(content, seen, 1)
    asked: dict[str, list] = {"pages": []}
    for name in asked:
        real = getattr(cache.Store, name)
        monkeypatch.setattr(cache.Store, name, lambda self, path, real=real, name=name: (asked[name].append(path),
                                                                                         real(self, path))[1])
    from broadsheet import content as content_mod
    parsed = []
    real_load = content_mod._load_item
    monkeypatch.setattr(content_mod, "_load_item", lambda path, *a: (parsed.append(path.parts[-3]),
                                                                     real_load(path, *a))[1])
    result = build(content, out, quiet=True, search=False, jobs=1)
    assert [os.path.basename(p) for p in asked["pages"]] == ["2024-02-07"], asked["pages"]
    assert set(parsed) == {"2024-02-09"}, parsed
    assert result["rendered"] == 6, result["rendered"]
    assert_equals_clean(tmp_path, content, out)


def test_the_check_stage_without_gnu_find_sees_the_same(tmp_path, monkeypatch):
    from broadsheet import snapshot
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    found = snapshot.content_snapshot(content)
    monkeypatch.setattr(snapshot, "_FIND", [None])  # as where there is no GNU find: os.scandir
    walked = snapshot.content_snapshot(content)
    assert walked.folders == found.folders and walked.files == found.files
    result = edit_one_and_rebuild(tmp_path, content, out)
    assert 0 < result["rendered"] < result["pages"]


def edit_one_and_rebuild(tmp_path, content, out) -> dict:
    """Change one article, rebuild ``out`` incrementally, check it equals a clean build."""
    f = sorted(content.glob("editions/*/*/*.md"))[0]
    f.write_text(f.read_text("utf-8") + "\n改动。\n", "utf-8")
    result = build(content, out, quiet=True, search=False)
    assert_equals_clean(tmp_path, content, out)
    return result


def test_parallel_builds_equal_serial_builds(tmp_path):
    """Reading and rendering in worker processes (clean builds hand whole editions to the
    workers; incremental ones, single pages) give exactly what one process gives."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_archive
    content = tmp_path / "c"
    write_archive(content, 1300, chars=200)  # enough files and pages for both worker pools
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    a = build(content, serial, quiet=True, search=False, jobs=1)
    b = build(content, parallel, quiet=True, search=False, jobs=2)
    assert a["rendered"] == b["rendered"] == a["pages"] > 1500
    assert tree(serial) == tree(parallel)
    site_yaml = content / "site.yaml"  # the paper's name is on every page: all re-rendered, page by page
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("title: ", "title: 新", 1), "utf-8")
    b = build(content, parallel, quiet=True, search=False, jobs=2)
    assert b["rendered"] == b["pages"]
    build(content, serial, quiet=True, search=False, jobs=1, incremental=False)
    assert tree(serial) == tree(parallel)


def test_a_same_size_edit_in_the_same_instant_as_the_last_read_is_not_trusted(tmp_path):
    """A file written just before a build read it can change again without its size or mtime
    showing it (coarse clocks, or an edit in the same tick): the next build must read it
    again, not reuse the item or its whole edition ("racily clean", ItemCache.settled)."""
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    old = time.time_ns() - 3_600 * 10**9
    for f in content.rglob("*"):
        os.utime(f, ns=(old, old))  # everything settled long ago …
    racy = sorted(content.glob("editions/*/*/01.md"))[0]
    racy.write_text(racy.read_text("utf-8").replace("第二段。", "第二段！"), "utf-8")  # … but this, just now
    stat = racy.stat()
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    time.sleep(2.2)  # the build is now outside the racy window of everything else
    racy.write_text(racy.read_text("utf-8").replace("第二段！", "第二段？"), "utf-8")  # same size …
    os.utime(racy, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # … and the same mtime as when it was read
    build(content, out, quiet=True, search=False)
    assert "第二段？" in (out / racy.relative_to(content / "editions").with_suffix(".html")).read_text("utf-8")
    assert_equals_clean(tmp_path, content, out)


def test_the_first_rebuild_after_a_clean_build_reuses_everything(tmp_path):
    """A clean build (incremental=False, or the first one) saves the whole state: the build after it
    has nothing to do, and one edit after that renders only that article's pages."""
    content = synthetic_archive(tmp_path, editions=3, sections=2, items=2)
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False, incremental=False)
    assert build(content, out, quiet=True, search=False)["unchanged"]
    f = sorted(content.glob("editions/*/*/*.md"))[0]  # an article of the oldest edition
    f.write_text(f.read_text("utf-8").replace("第二段。", "第二段（更正）。"), "utf-8")
    age(content, seen, 1)
    result = build(content, out, quiet=True, search=False)
    assert 0 < result["rendered"] <= 3, result["rendered"]  # its page, its 版面's page (its edition's if a headline)
    assert_equals_clean(tmp_path, content, out)


def test_an_edition_read_again_parses_only_its_changed_files(tmp_path, monkeypatch):
    """The other files of an edition read again are taken from the build state (each item from
    its edition's light copy, its HTML from its own row), not parsed again — and the pages equal
    a clean build's, their text included."""
    from broadsheet import content as content_mod
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=3)
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    files = sorted(content.glob("editions/*/*/*.md"))
    edited = files[1]
    edited.write_text(edited.read_text("utf-8").replace("第二段。", "第二段（更正）。"), "utf-8")
    age(content, seen, 1)
    parsed = []
    real = content_mod._parse_item
    monkeypatch.setattr(content_mod, "_parse_item", lambda path, *a: (parsed.append(path), real(path, *a))[1])
    build(content, out, quiet=True, search=False, jobs=1)
    assert parsed == [edited], parsed
    assert_equals_clean(tmp_path, content, out)


def test_unchanged_editions_stay_stubs(tmp_path, monkeypatch):
    """A new edition: of the editions before it, only its predecessor (下一期) is read from the
    build state; the others stand in as their stored summaries (summary.py), and the sitemap,
    archive and feeds still equal a clean build's."""
    from broadsheet import cache
    content = synthetic_archive(tmp_path, editions=5, sections=2, items=2)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "feed_editions: 1\n", "utf-8")
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    for page in (1, 2):  # the same 版面 as before (a new 版面 name would change the feed links of all)
        d = content / "editions" / "2024-03-01" / f"{page:02d}"
        d.mkdir(parents=True)
        (d / "section.yaml").write_text(f"name: 第{page}版面名\n", "utf-8")
        (d / "01.md").write_text("---\nkind: article\ntitle: 新一期\n---\n\n正文。\n", "utf-8")
    age(content, seen, 1)
    read = []
    real = cache.Store.light_edition
    monkeypatch.setattr(cache.Store, "light_edition", lambda self, path: (read.append(os.path.basename(path)),
                                                                          real(self, path))[1])
    build(content, out, quiet=True, search=False, jobs=1)
    assert read == ["2024-02-10"], read
    assert_equals_clean(tmp_path, content, out)


def nightly_edits(content) -> None:
    """A correction, a deleted article and a new edition: files to replace, remove and add."""
    items = sorted(content.glob("editions/*/*/*.md"))
    items[0].write_text(items[0].read_text("utf-8") + "\n更正。\n", "utf-8")
    items[-3].unlink()
    d = content / "editions" / "2024-03-01" / "01"
    d.mkdir(parents=True)
    (d / "section.yaml").write_text("name: 第1版面名\n", "utf-8")
    (d / "01.md").write_text("---\nkind: article\ntitle: 新一期\n---\n\n正文。\n", "utf-8")


def test_a_nightly_build_killed_before_its_commit_point_leaves_the_output_and_is_redone(tmp_path, monkeypatch):
    content = synthetic_archive(tmp_path, editions=4, sections=2, items=2)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    before = tree(out)
    nightly_edits(content)
    killed_before_publishing(monkeypatch, content, out)  # before staging becomes the commit folder
    assert tree(out) == before
    assert not list(tmp_path.glob(".o.commit")) and not list(tmp_path.glob(".o.staging.*"))
    build(content, out, quiet=True, search=False)
    assert_equals_clean(tmp_path, content, out)


@pytest.mark.parametrize("moves,search", [(0, False), (2, False), (1000, False), (0, True), (3, True)])
def test_a_nightly_build_killed_after_its_commit_point_is_completed_by_the_next(tmp_path, monkeypatch, moves, search):
    """Killed while moving its files into output/ (after `moves` of them, or before writing the
    marker; with search, also while swapping in the shards re-indexed): the commit folder and its
    journal stay; the next build completes the publishing first, then finds nothing to do — and
    the output equals a clean build's."""
    from broadsheet import publish
    content = synthetic_archive(tmp_path, editions=4, sections=2, items=2)
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=search)
    nightly_edits(content)
    age(content, seen, 1)
    real_replace, real_rename, calls = os.replace, os.rename, [0]

    committed = (tmp_path / ".o.commit").exists  # only what happens after the commit point counts

    def replace(src, dst):
        calls[0] += committed()
        if committed() and (calls[0] > moves or str(dst).endswith("published")):
            raise KeyboardInterrupt
        real_replace(src, dst)

    def rename(src, dst):  # the shards swapped in (pagefind/<shard>): killed before the second
        swap = committed() and "/pagefind/" in str(dst)
        if swap and calls[0] >= moves:
            raise KeyboardInterrupt
        calls[0] += swap
        real_rename(src, dst)
    monkeypatch.setattr(publish.os, "replace", replace)
    monkeypatch.setattr(publish.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(content, out, quiet=True, search=search)
    monkeypatch.undo()
    assert (tmp_path / ".o.commit" / publish.JOURNAL).is_file()
    result = build(content, out, quiet=True, search=search)
    assert result["unchanged"], "the completed build's state is trusted"
    assert not (tmp_path / ".o.commit").exists()
    assert_equals_clean(tmp_path, content, out, search)


def test_the_content_folder_named_another_way_starts_afresh(tmp_path, monkeypatch):
    """The state names edition folders by their paths as given: the same folder given by another
    path (relative, absolute) is a clean build — never a night that takes every page for stale."""
    content = synthetic_archive(tmp_path, editions=3, sections=2, items=2)
    out = tmp_path / "o"
    monkeypatch.chdir(tmp_path)
    build(content.relative_to(tmp_path), out, quiet=True, search=False)
    result = build(content, out, quiet=True, search=False)
    assert result["rendered"] == result["pages"]
    assert_equals_clean(tmp_path, content, out)


def test_the_lead_articles_summary_is_in_the_edition_pages_fingerprint(tmp_path):
    """The edition page and the home page show the lead article's kicker and summary (its first
    paragraph), not only its headline: a same-size edit of that paragraph re-renders them."""
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    seen: dict = {}
    age(content, seen, 0)
    out = tmp_path / "o"
    build(content, out, quiet=True, search=False)
    lead = sorted(content.glob("editions/2024-02-01/01/01.md"))[0]
    lead.write_text(lead.read_text("utf-8").replace("服务居民。", "服务居民！"), "utf-8")
    age(content, seen, 1)
    build(content, out, quiet=True, search=False)
    assert "服务居民！" in (out / "index.html").read_text("utf-8")
    assert_equals_clean(tmp_path, content, out)


@pytest.mark.parametrize("with_search", [False, True])
def test_the_next_day_renders_no_page_again(tmp_path, monkeypatch, with_search):
    """The build date shapes the news sitemap alone (which editions it lists), not the pages: a build
    on a later day with nothing else changed renders no page again — a newsroom's nightly build
    runs on a new date every night (at 200,000 articles, rendering every page again took 171 s) —
    and equals a clean build of that day."""
    content = synthetic_archive(tmp_path, editions=3, sections=1, items=1)  # 2024-01-29, 02-01, 02-04
    out = tmp_path / "o"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1707055200")  # 2024-02-04 22:00 +08:00
    build(content, out, quiet=True, search=with_search)
    assert "2024-02-04/01/01.html" in (out / "news-sitemap.xml").read_text("utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1707055200 + 3 * 86400))  # 02-07: nothing left to list
    result = build(content, out, quiet=True, search=with_search)
    assert result["rendered"] == 0, result
    assert "2024-02-04/01/01.html" not in (out / "news-sitemap.xml").read_text("utf-8")
    clean = tmp_path / "clean"
    build(content, clean, quiet=True, search=with_search, incremental=False)
    assert tree(out) == tree(clean)
