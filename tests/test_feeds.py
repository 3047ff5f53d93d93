"""Distribution: Atom feeds (feedparser), sitemaps (lxml), NewsArticle JSON-LD, cards, hostile text."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import feedparser
from lxml import etree

from conftest import ROOT, build_site, make_site, synthetic_archive

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "https://example.com/paper/"


def jsonld(html: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD"
    return json.loads(m.group(1))


def test_site_feed_has_every_article_of_the_latest_edition(sample_output):
    feed = feedparser.parse((sample_output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "示例周报"
    entries = {e.link: e for e in feed.entries}
    pages = sorted(p for p in (sample_output / "2022-04-15/01").glob("*.html") if p.name != "index.html")
    assert len(entries) == len(pages) == 6
    for p in pages:
        html = p.read_text("utf-8")
        url = BASE + p.relative_to(sample_output).as_posix()
        e = entries[url]
        assert e.title == re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
        assert e.published == "2022-04-15T00:00:00+08:00" and e.updated
        ld = jsonld(html)
        for a in ld.get("author", []):
            assert a["name"] in [x.name for x in e.authors]
    zz = entries[BASE + "2022-04-15/01/09.html"]
    assert zz.author == "张加钦" and "近年来，广东省梅州市丰顺县" in zz.content[0].value


def test_section_feed_and_discovery_links(sample_output):
    section = (sample_output / "2022-04-15/01/index.html").read_text("utf-8")
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', section)
    assert ("示例周报", "../../feed.xml") in links
    [(title, href)] = [link for link in links if "党政领导与文明建设" in link[0]]
    feed = feedparser.parse((sample_output / "2022-04-15/01" / href).read_bytes())
    assert not feed.bozo and len(feed.entries) == 6
    assert all(e.tags[0].term == "党政领导与文明建设" for e in feed.entries)


def page_urls(out) -> set[str]:
    urls = set()
    for p in out.rglob("*.html"):
        rel = p.relative_to(out).as_posix()
        if rel in ("404.html", "search/index.html"):
            continue
        urls.add(BASE + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def test_sitemap_lists_every_page_exactly_once(tmp_path):
    content = synthetic_archive(tmp_path, editions=3, sections=2, items=2)
    out = tmp_path / "o"
    assert build_site(content, out, "--no-search").returncode == 0
    index = etree.parse(str(out / "sitemap.xml"))  # an index: the site's own pages, then a sitemap a month
    parts = [e.text for e in index.iter(SM + "loc")]
    assert index.getroot().tag == SM + "sitemapindex"
    assert parts == [BASE + "sitemaps/site.xml", BASE + "sitemaps/2024-01.xml", BASE + "sitemaps/2024-02.xml"]
    locs = [e.text for url in parts for e in etree.parse(str(out / url[len(BASE):])).iter(SM + "loc")]
    assert len(locs) == len(set(locs))
    assert set(locs) == page_urls(out)
    assert all(u.startswith("https://") for u in locs)
    assert (out / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {BASE}sitemap.xml\nSitemap: {BASE}news-sitemap.xml\n")


def test_sitemap_index_above_50000_urls(tmp_path, monkeypatch):
    from broadsheet import feeds
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 5)
    from broadsheet.content import load_site
    from broadsheet.render import build_views
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    site = load_site(content)
    out = tmp_path / "o"
    out.mkdir()
    feeds.write_feeds(site, build_views(site), out)
    index = etree.parse(str(out / "sitemap.xml"))
    parts = [e.text for e in index.iter(SM + "loc")]
    # home and archive in site.xml; 2 editions, 4 版面, 12 items (2 articles + 1 photo each) = 18 URLs
    # of January (2024-01-29) and February (2024-02-01): 9 each, in two sitemaps of 5 and 4 each
    assert index.getroot().tag == SM + "sitemapindex" and len(parts) == 5
    assert parts[1:3] == [BASE + "sitemaps/2024-01.xml", BASE + "sitemaps/2024-01-2.xml"]
    locs = []
    for url in parts:
        locs += [e.text for e in etree.parse(str(out / url[len(BASE):])).iter(SM + "loc")]
    assert len(locs) == len(set(locs)) == 20


def test_news_sitemap_holds_only_the_last_two_days(tmp_path):
    content = synthetic_archive(tmp_path, editions=3, sections=1, items=1)  # 2024-01-29, 02-01, 02-04
    out = tmp_path / "o"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1707055200")  # 2024-02-04 22:00 +08:00
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
                           str(out), "--no-search", "-q"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    tree = etree.parse(str(out / "news-sitemap.xml"))
    urls = [e.text for e in tree.iter(SM + "loc")]
    assert urls == [BASE + "2024-02-04/01/01.html"]  # the photo is not a news article
    news = next(tree.iter(NEWS + "news"))
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "测试日报"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "zh-cn"
    assert news.find(f"{NEWS}publication_date").text == "2024-02-04T00:00:00+08:00"
    assert news.find(f"{NEWS}title").text == "2024-02-04第1版第1篇报道"


def test_every_article_has_news_article_jsonld_and_cards(sample_output):
    for p in (sample_output / "2022-04-15/01").glob("0*.html"):
        html = p.read_text("utf-8")
        ld = jsonld(html)
        assert ld["@type"] == "NewsArticle"
        for key in ("headline", "datePublished", "dateModified", "publisher", "printEdition", "printPage",
                    "printSection", "description", "url"):
            assert ld[key], (p.name, key)
        assert ld["printPage"] == "1" and ld["printSection"] == "党政领导与文明建设"
        assert ld["url"] == BASE + p.relative_to(sample_output).as_posix()
        assert f'<link rel="canonical" href="{ld["url"]}">' in html
        assert f'<meta property="og:url" content="{ld["url"]}">' in html
        assert '<meta name="twitter:card" content="summary">' in html
    first = jsonld((sample_output / "2022-04-15/01/01.html").read_text("utf-8"))
    assert first["dateline"] == "本报讯（漳文）" and first["author"] == [{"@type": "Person", "name": "漳文"}]
    assert first["description"].startswith("本报讯（漳文）4月6日上午")
    nine = jsonld((sample_output / "2022-04-15/01/09.html").read_text("utf-8"))
    assert nine["author"] == [{"@type": "Person", "name": "张加钦", "jobTitle": "中共丰顺县委宣传部常务副部长"}]


HOSTILE = "</script><script>alert(1)</script> \"引号\" & 'apos' <b>粗</b> ]]>"


def test_hostile_title_stays_well_formed_everywhere(tmp_path):
    title_yaml = "'" + HOSTILE.replace("'", "''") + "'"
    content = make_site(tmp_path, {
        "editions/2024-01-02/01/section.yaml": "name: 要闻 & \"评论\" </script>\n",
        "editions/2024-01-02/01/01.md": f"---\nkind: article\ntitle: {title_yaml}\nauthors: ['<img src=x onerror=alert(1)>']\n"
                                        f"dateline: '</script>'\n---\n\n正文 & <script>alert(2)</script> 结束。\n"})
    out = tmp_path / "o"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(out)],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    html = (out / "2024-01-02/01/01.html").read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert html.count("<script") == html.count("</script>")
    ld = jsonld(html)
    assert ld["headline"] == HOSTILE and ld["dateline"] == "</script>"
    assert ld["author"][0]["name"] == "<img src=x onerror=alert(1)>"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == HOSTILE
    assert "<script>" not in feed.entries[0].content[0].value
    for name in ("feed.xml", "sitemap.xml", "news-sitemap.xml"):
        etree.parse(str(out / name))  # well-formed XML
    atom = etree.parse(str(out / "feed.xml"))
    assert next(atom.iter("{http://www.w3.org/2005/Atom}category")).get("term") == '要闻 & "评论" </script>'
    news = etree.parse(str(out / "news-sitemap.xml"))
    assert next(news.iter(NEWS + "title")).text == HOSTILE
    for f in [*out.rglob("*.html"), *out.rglob("*.xml")]:
        text = f.read_text("utf-8")
        assert "<script>alert" not in text, f
