"""Search on a multi-month archive, in a real browser: shards searched newest first and older ones as
the reader asks, 按相关度 (headline matches first) vs 按时间, the 从/到 date scope and its link,
Traditional-character queries, and nothing requested from another host."""
from __future__ import annotations

import json
import random
import re

import pytest

from broadsheet import search as search_mod
from conftest import article, build_site, make_site

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
DAYS = ["05", "20"]
PER_EDITION = 6


def _files() -> dict[str, str]:
    files = {}
    for month in MONTHS:
        for day in DAYS:
            date = f"{month}-{day}"
            files[f"editions/{date}/edition.yaml"] = f"date: {date}\n"
            files[f"editions/{date}/01/section.yaml"] = "name: 要闻\npage: 1\n"
            for k in range(1, PER_EDITION + 1):
                title, body = f"{date}第{k}篇报道", f"芗城区街巷长服务居民，编号{date}{k}。"
                if date == "2024-01-05" and k == 1:
                    title = "丰顺创建全国文明城市纪实"  # the only headline with 丰顺: the oldest edition
                elif k == 2 and day == "20":
                    body += "丰顺县的消息。"  # body-only matches, newer
                elif date == "2024-02-05" and k == 3:
                    body += "網絡安全宣傳週。"  # printed in Traditional characters
                files[f"editions/{date}/01/{k:02d}.md"] = article(title, body, order=k)
    return files


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archive")
    out = tmp / "out"
    assert build_site(make_site(tmp, _files()), out).returncode == 0
    return out


def settle(page):
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && m.textContent && !m.textContent.includes('正在搜索'); }")
    return page.locator(".pagefind-ui__message").inner_text()


def links(page, base) -> list[str]:
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    return [h.replace(base, "") for h in hrefs]


def shard_requests(requests: list[str]) -> set[str]:
    """The shards whose index was read (pagefind.js itself comes from the newest shard's folder)."""
    return {m.group(1) for r in requests
            if (m := re.search(r"/pagefind/(\d{4}-\d\d(?:-\d\d)?)/(pagefind-entry\.json|.*\.pf_)", r))}


def show_all(page, base):
    """Ask for more until there is nothing more to show."""
    for _ in range(20):
        more = page.locator(".search-more")
        if more.is_hidden():
            return links(page, base)
        n = len(links(page, base))
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.pagefind-ui__result-link').length > {n} || "
                               "document.querySelector('.search-more').hidden && "
                               "!document.querySelector('.pagefind-ui__message').textContent.includes('正在搜索')")
        settle(page)
    raise AssertionError("still more after 20 asks")


def test_shards_and_headline_index_are_built(archive):
    shards = json.loads((archive / "pagefind/shards.json").read_text("utf-8"))
    assert shards == ["2024-05", "2024-04", "2024-03", "2024-02", "2024-01"]  # each month one window (of 12 pages)
    for shard in shards:  # Pagefind's own UIs (~400 KB a bundle) are not published: search.js is ours
        assert (archive / "pagefind" / shard / "pagefind.js").is_file()
        assert not [f.name for f in (archive / "pagefind" / shard).iterdir() if "-ui." in f.name or "highlight" in f.name]
    index = json.loads((archive / "pagefind/headlines/index.json").read_text("utf-8"))
    assert index["months"] == [[m, 2 * PER_EDITION] for m in MONTHS]
    table = json.loads((archive / "pagefind/headlines/2024-01.json").read_text("utf-8"))
    assert table[0][:2] == ["丰顺创建全国文明城市纪实", "2024-01-05/01/01.html"]


def test_newest_shards_first_older_ones_as_the_reader_asks(archive, serve, page_watch):
    page, requests = page_watch
    base = serve(archive)
    page.goto(base + "search/?q=街巷长")
    message = settle(page)
    first = links(page, base)
    assert len(first) == 10 and all(u.startswith("2024-05-") for u in first), first
    assert first[0].startswith("2024-05-20/")  # newest first
    assert "已搜索2024年5月的报道" in message, message
    assert shard_requests(requests) == {"2024-05"}  # not the older ones
    everything = show_all(page, base)  # the reader asks for more until everything is shown
    assert len(everything) == len(set(everything)) == len(MONTHS) * len(DAYS) * PER_EDITION
    dates = [u[:10] for u in everything]
    assert dates == sorted(dates, reverse=True)
    assert "找到 60 条" in page.locator(".pagefind-ui__message").inner_text()
    assert shard_requests(requests) == {"2024-05", "2024-04", "2024-03", "2024-02", "2024-01"}
    assert all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]


def test_relevance_puts_the_headline_match_first_and_time_order_the_newest(archive, serve, page_watch):
    page, requests = page_watch
    base = serve(archive)
    page.goto(base + "search/?q=丰顺")
    settle(page)
    relevant = links(page, base)
    assert relevant[0] == "2024-01-05/01/01.html"  # the only headline match, though the oldest
    assert relevant[1:] == [f"{m}-20/01/02.html" for m in reversed(MONTHS)]
    assert page.locator(".result-headline").count() == 1
    assert page.locator("button[data-sort='']").get_attribute("aria-pressed") == "true"
    page.locator("button", has_text="按时间").click()
    page.wait_for_url(re.compile(r"sort=time"))
    settle(page)
    by_time = links(page, base)
    assert by_time == [f"{m}-20/01/02.html" for m in reversed(MONTHS)] + ["2024-01-05/01/01.html"]
    page.reload()  # the link restores the order
    settle(page)
    assert page.locator("button[data-sort=time]").get_attribute("aria-pressed") == "true"
    assert links(page, base) == by_time
    assert all(r.startswith(base) for r in requests)


def test_exact_headline_of_an_old_article_comes_first(archive, serve, page_watch):
    page, requests = page_watch
    base = serve(archive)
    page.goto(base + "search/?q=丰顺创建全国文明城市纪实")
    settle(page)
    assert links(page, base)[0] == "2024-01-05/01/01.html"
    excerpt = page.locator(".pagefind-ui__result-excerpt").first.inner_html()
    assert "<mark>丰顺创建全国文明城市纪实</mark>" in excerpt
    assert all(r.startswith(base) for r in requests)


def test_date_scope_limits_the_shards_loaded_and_its_link_restores_it(archive, serve, page_watch):
    page, requests = page_watch
    base = serve(archive)
    page.goto(base + "search/?q=街巷长&from=2024-02&to=2024-03")
    message = settle(page)
    assert "找到 12 条" in message and "已搜索2024年3月的报道" in message, message  # newest first
    assert page.locator("select[name=from]").input_value() == "2024-02"
    assert page.locator("select[name=to]").input_value() == "2024-03"
    assert shard_requests(requests) == {"2024-03"}
    everything = show_all(page, base)
    assert len(everything) == 24 and all(u[:7] in ("2024-02", "2024-03") for u in everything), everything
    assert "找到 24 条" in page.locator(".pagefind-ui__message").inner_text()
    assert shard_requests(requests) == {"2024-03", "2024-02"}
    page.locator("select[name=to]").select_option("2024-04")
    page.wait_for_url(re.compile(r"from=2024-02&to=2024-04"))
    settle(page)
    assert links(page, base)[0].startswith("2024-04-20/")
    assert all(r.startswith(base) for r in requests)


def test_traditional_query_finds_simplified_text(archive, serve, page_watch):
    page, requests = page_watch
    base = serve(archive)
    page.goto(base + "search/?q=豐順")
    message = settle(page)
    assert "找到 6 条与“豐順”相关的结果" in message, message
    assert links(page, base)[0] == "2024-01-05/01/01.html"
    assert "<mark>丰顺</mark>" in page.locator(".pagefind-ui__result-excerpt").nth(1).inner_html()
    page.goto(base + "search/?q=网络安全")  # and the other way: Simplified finds Traditional text
    message = settle(page)
    assert "找到 1 条" in message and links(page, base) == ["2024-02-05/01/03.html"], message
    assert "<mark>網絡安全</mark>" in page.locator(".pagefind-ui__result-excerpt").first.inner_html()
    assert all(r.startswith(base) for r in requests)


def test_folding_and_the_query_encoding():
    assert search_mod.fold("豐順縣網絡發展") == "丰顺县网络发展"
    assert search_mod.gram_query("豐順") == search_mod.gram_query("丰顺")
    assert len(search_mod.fold("乾隆皇帝")) == 4


def test_headline_index_is_deterministic_and_complete(tmp_path):
    import datetime as dt
    from types import SimpleNamespace as NS
    eds = []
    for iso, titles in (("2024-01-02", ["丰顺县文明城市", "街巷长"]), ("2024-02-03", ["網絡安全周"])):
        items = [NS(url=f"{iso}/01/{k}.html", display_title=t, item=NS(kicker="", subtitle="副题" if k else ""))
                 for k, t in enumerate(titles)]
        eds.append(NS(iso=iso, date=dt.date.fromisoformat(iso), short_label=iso,
                      sections=[NS(label="第01版", name="要闻", items=items)]))
    a, b = tmp_path / "a", tmp_path / "b"
    search_mod.write_headlines(a, eds)
    search_mod.write_headlines(b, list(reversed(eds)))
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    assert all((a / p.name).read_bytes() == (b / p.name).read_bytes() for p in a.iterdir())
    index = json.loads((a / "index.json").read_text("utf-8"))
    postings = {}
    for k in range(index["buckets"]):
        postings.update(json.loads((a / f"b{k}.json").read_text("utf-8")))
    assert postings["丰顺"] == "0" and postings["网络"] == "2"  # folded to Simplified
    assert postings["副题"] == "1"  # headline 1 only (0 and 2 have no subtitle)
    (a / "stale.json").write_text("{}")
    assert search_mod.write_headlines(tmp_path / "c", eds[:1], previous=a) == ["2024-02.json", "stale.json"]


def _headline_editions(dates, titles_of):
    """Edition views for the headline index (whole views: ``edition.stored`` None)."""
    import datetime as dt
    from types import SimpleNamespace as NS
    eds = []
    for iso in dates:
        items = [NS(url=f"{iso}/01/{k}.html", display_title=t, item=NS(kicker="", subtitle=""))
                 for k, t in enumerate(titles_of[iso])]
        eds.append(NS(iso=iso, date=dt.date.fromisoformat(iso), short_label=iso,
                      edition=NS(path=f"/c/editions/{iso}", stored=None),
                      sections=[NS(label="第01版", name="要闻", items=items)]))
    return eds


def _published(folder, staged, gone):
    """The headline folder after publishing: the previous files, the staged ones over them, less ``gone``."""
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    files.update({p.name: p.read_bytes() for p in staged.iterdir()} if staged.is_dir() else {})
    for name in gone:
        del files[name]
    return files


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_headline_index_made_from_the_end_equals_one_made_whole(tmp_path, seed, monkeypatch):
    """A night's headline index is the previous one with only the archive's end made again
    (search._appended): it must equal the index made whole from the same headlines, byte for byte,
    through appended editions, edited and deleted ones (last or older), old headlines corrected in
    place, stubs and another month."""
    import datetime as dt
    rnd = random.Random(seed)
    alphabet = "新闻报道城市乡村发展经济文化教育科技创新改革建设人民群众生活服务企业市场会议"

    def title():
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(4, 16)))

    day = dt.date(2024, 1, 20)
    titles = {}
    for _ in range(60):
        day += dt.timedelta(days=1)
        titles[day.isoformat()] = [title() for _ in range(rnd.randint(0, 9))]
    prev = tmp_path / "night0"
    search_mod.write_headlines(prev, _headline_editions(sorted(titles), titles))
    assert json.loads((prev / "index.json").read_text())["buckets"] >= 2
    whole_runs = []
    real_whole = search_mod._whole
    monkeypatch.setattr(search_mod, "_whole", lambda rows: whole_runs.append(1) or real_whole(rows))
    for night in range(1, 13):
        old = dict(titles)
        dates = sorted(titles)
        change = rnd.choice(["append", "edit-last", "delete-last", "edit-old", "append", "retitle-old",
                             "retitle-old+append"])
        if change == "append":
            day += dt.timedelta(days=rnd.choice([1, 1, 12]))
            titles[day.isoformat()] = [title() for _ in range(rnd.randint(1, 9))]
        elif change == "edit-last":
            titles[dates[-1]] = titles[dates[-1]][:-1] + [title()]
        elif change == "delete-last":
            del titles[dates[-1]]
        elif change == "edit-old":
            titles[rnd.choice(dates[:-3])] = [title() for _ in range(3)]
        else:  # old headlines corrected in place (as many rows as before), perhaps with a new edition
            for date in rnd.sample([d for d in dates[:-3] if titles[d]], 2):
                k = rnd.randrange(len(titles[date]))
                titles[date] = titles[date][:k] + [title()] + titles[date][k + 1:]
            if change.endswith("append"):
                day += dt.timedelta(days=1)
                titles[day.isoformat()] = [title() for _ in range(rnd.randint(1, 9))]
        eds = _headline_editions(sorted(titles), titles)
        old_rows = {f"/c/editions/{iso}": search_mod.edition_headlines(ev)
                    for iso, ev in zip(sorted(old), _headline_editions(sorted(old), old))}
        for ev in eds:  # the editions this night did not read again are stubs
            if old.get(ev.iso) == titles[ev.iso] and rnd.random() < 0.8:
                ev.edition.stored = object()
                ev.sections = []
        staged = tmp_path / f"night{night}"
        whole_runs.clear()
        gone = search_mod.write_headlines(staged, eds, old_rows.get, previous=prev, old_editions=list(old_rows))
        clean = tmp_path / f"clean{night}"
        real_whole_files = real_whole([r for ev in _headline_editions(sorted(titles), titles)
                                       for r in search_mod.edition_headlines(ev)])
        clean.mkdir()
        for name, text in real_whole_files.items():
            (clean / name).write_text(text + "\n", "utf-8")
        assert _published(prev, staged, gone) == {p.name: p.read_bytes() for p in clean.iterdir()}, change
        buckets = [json.loads((f / "index.json").read_text())["buckets"] for f in (prev, clean)]
        assert bool(whole_runs) == (buckets[0] != buckets[1]), f"{change}: made whole for no reason"
        merged = tmp_path / f"merged{night}"
        merged.mkdir()
        for name, data in _published(prev, staged, gone).items():
            (merged / name).write_bytes(data)
        prev = merged


def test_a_month_in_windows_is_searched_window_by_window(tmp_path, serve, page_watch, monkeypatch):
    """A month of more than WINDOW_PAGES pages is several shards (the first named by the month, the
    others by their first day): the newest window comes first, and the status line says from which
    day on the archive was searched."""
    from broadsheet import site
    monkeypatch.setattr(search_mod, "WINDOW_PAGES", 12)
    files = {}
    for day in ("05", "12", "20"):
        date = f"2024-05-{day}"
        files[f"editions/{date}/edition.yaml"] = f"date: {date}\n"
        files[f"editions/{date}/01/section.yaml"] = "name: 要闻\npage: 1\n"
        for k in range(1, 13):
            files[f"editions/{date}/01/{k:02d}.md"] = article(f"{date}第{k}篇报道", f"芗城区街巷长服务居民，编号{date}{k}。", order=k)
    out = tmp_path / "out"
    site.build(make_site(tmp_path, files), out, quiet=True)
    assert json.loads((out / "pagefind/shards.json").read_text("utf-8")) == ["2024-05-20", "2024-05-12", "2024-05"]
    page, requests = page_watch
    base = serve(out)
    page.goto(base + "search/?q=街巷长")
    message = settle(page)
    assert all(u.startswith("2024-05-20/") for u in links(page, base))
    assert "找到 12 条" in message and "已搜索2024年5月20日以来的报道" in message, message
    assert shard_requests(requests) == {"2024-05-20"}
    assert len(set(show_all(page, base))) == 36
    assert shard_requests(requests) == {"2024-05-20", "2024-05-12", "2024-05"}
