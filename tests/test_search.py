"""Search in a real browser: Pagefind-extended index, our substring encoding, Chinese UI."""
from __future__ import annotations

import re

import pytest

from broadsheet.search import gram_query, grams
from conftest import build_site, synthetic_archive

EXPECTED_FIRST = {
    "街巷长": "2022-04-15/01/02.html",
    "漳州": "2022-04-15/01/01.html",
    "茫崖": "2022-04-15/01/08.html",
    "丰顺": "2022-04-15/01/09.html",
    "铜仁": "2022-04-15/01/04.html",
    "苍溪": "2022-04-15/01/07.html",  # a photo caption
    "顺县": "2022-04-15/01/09.html",  # crosses jieba's words 丰顺 | 县
}


def search(page, base: str, query: str):
    page.goto(base + "search/?q=" + query)
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && !m.textContent.includes('正在搜索'); }")
    message = page.locator(".pagefind-ui__message").inner_text()
    return message, rendered_links(page, message)


def rendered_links(page, message: str) -> list[str]:
    """The result links, once the UI has rendered as many as it announced (it shows 5 at first)."""
    count = int(m.group(1)) if (m := re.search(r"找到 (\d+) 条", message)) else 0
    page.wait_for_function(f"() => document.querySelectorAll('.pagefind-ui__result-link').length >= {min(count, 5)}")
    return page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")


@pytest.mark.parametrize("query", list(EXPECTED_FIRST))
def test_query_returns_the_right_item_first(sample_output, serve, page_watch, query):
    page, requests = page_watch
    base = serve(sample_output, "paper")
    message, links = search(page, base, query)
    assert links and links[0] == base + EXPECTED_FIRST[query], (message, links)
    assert f"与“{query}”相关的结果" in message
    excerpt = page.locator(".pagefind-ui__result-excerpt").first.inner_html()
    assert f"<mark>{query}</mark>" in excerpt and "qx" not in excerpt
    assert all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]


def test_no_match_says_so_in_chinese(sample_output, serve, page_watch):
    page, _ = page_watch
    message, links = search(page, serve(sample_output), "龘靐")
    assert links == [] and message == "没有找到与“龘靐”相关的内容"


def test_scattered_matches_come_after_exact_ones_and_say_so(sample_output, serve, page_watch):
    page, _ = page_watch
    base = serve(sample_output)
    message, links = search(page, base, "不存在的词")  # 不存 存在 在的 的词 all in one article, apart
    assert message == "没有找到与“不存在的词”完全一致的内容；以下报道分散地含有它的字词"
    assert links == [base + "2022-04-15/01/02.html"]
    assert page.locator(".result-loose").count() == 1
    message, links = search(page, base, "街巷长")
    assert page.locator(".result-loose").count() == 0  # three characters found together: exact only


def test_result_opens_the_article(sample_output, serve, page_watch):
    page, _ = page_watch
    base = serve(sample_output, "paper")
    search(page, base, "茫崖")
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_url(base + "2022-04-15/01/08.html")
    assert "青海省茫崖市" in page.locator("h1").inner_text()


def test_header_search_box_deep_links(sample_output, serve, page_watch):
    page, _ = page_watch
    base = serve(sample_output)
    page.goto(base + "2022-04-15/01/02.html")
    page.fill("#q", "铜仁")
    page.press("#q", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.url.endswith("search/?q=%E9%93%9C%E4%BB%81")
    assert page.locator(".pagefind-ui__result-link").first.inner_text().startswith("铜仁市")


@pytest.fixture(scope="module")
def archive_with_search(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("searchsite")
    content = synthetic_archive(tmp, editions=2, sections=3, items=2)
    out = tmp / "out"
    assert build_site(content, out).returncode == 0
    return out


def test_counts_every_match_of_a_small_archive(archive_with_search, serve, page_watch):
    page, _ = page_watch
    base = serve(archive_with_search)
    message, links = search(page, base, "街巷长")
    assert "找到 12 条" in message  # 2 editions × 3 版面 × 2 articles
    page.locator(".search-more").click()
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length === 12")
    assert page.locator(".search-more").is_hidden()


def test_gram_encoding_makes_every_substring_an_adjacent_token_run():
    text = "广东省梅州市丰顺县"
    tokens = grams(text)
    for i in range(len(text)):
        for n in range(2, 6):
            sub = text[i:i + n]
            if len(sub) == n:
                q = gram_query(sub)
                assert q.startswith('"') and q.endswith('"'), q
                phrase = q.strip('"').split()
                assert any(tokens[k:k + len(phrase)] == phrase for k in range(len(tokens))), sub
    assert gram_query("丰") == "qy" + tokens[6][2:6]  # one character: its own word (record_html)
    assert gram_query("城区 abc") == gram_query("城区").strip('"') + " abc"  # several parts: all required


def test_shard_rule_windows_of_every_month():
    import datetime as dt
    from types import SimpleNamespace as NS
    from broadsheet import search

    def edition(iso, pages):
        items = [NS(url=f"{iso}/01/{k}.html") for k in range(pages)]
        return NS(iso=iso, date=dt.date.fromisoformat(iso), sections=[NS(items=items)])

    assert search.WINDOW_PAGES == 300
    young = [edition("2024-02-01", 10), edition("2024-02-15", 10)]  # a month of one window: named as the month
    assert search.shard_map(young) == {"2024-02-01": "2024-02", "2024-02-15": "2024-02"}
    # an edition larger than a window is a window alone
    assert search.shard_map(young + [edition("2024-02-03", 1500)]) == \
        {"2024-02-01": "2024-02", "2024-02-03": "2024-02-03", "2024-02-15": "2024-02-15"}
    small = [edition("2024-01-31", 10)] + young
    assert search.shard_map(small) == {"2024-01-31": "2024-01", "2024-02-01": "2024-02", "2024-02-15": "2024-02"}
    big = small + [edition(f"2024-02-{d:02d}", n) for d, n in ((3, 200), (12, 100), (20, 50), (25, 100))]
    shards = search.shard_map(big)
    # windows of consecutive editions up to 300 pages: 10 + 200 (+100 would be 310), 100 + 10 + 50 + 100
    assert [shards[d] for d in ("2024-02-01", "2024-02-03", "2024-02-12", "2024-02-15", "2024-02-20", "2024-02-25")] == \
        ["2024-02", "2024-02", "2024-02-12", "2024-02-12", "2024-02-12", "2024-02-12"]
    assert search.shard_names(big) == ["2024-02-12", "2024-02", "2024-01"]  # newest first
    # a night adds an edition at the end: the earlier windows keep their editions
    later = search.shard_map(big + [edition("2024-02-27", 80)])
    assert later["2024-02-27"] == "2024-02-27" and all(later[d] == shards[d] for d in shards)
    # a new month starts its own window, and the closed month keeps its windows as they were
    march = search.shard_map(big + [edition("2024-03-01", 60)])
    assert march["2024-03-01"] == "2024-03" and all(march[d] == shards[d] for d in shards)
    # the same windows whatever order the editions come in
    assert search.shard_map(list(reversed(big))) == shards
