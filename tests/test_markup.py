"""Markdown rendering: the plain-text fast path is byte-identical to Python-Markdown."""
from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.markup import NewspaperExtension, Renderer, plain_html, sanitize

_md = markdown.Markdown(extensions=["tables", "sane_lists", NewspaperExtension()], output_format="html")


def slow(text: str) -> str:
    _md.reset()
    return sanitize(_md.convert(text))


paragraph = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=80)
body = st.lists(st.one_of(paragraph, paragraph.map(lambda p: "## " + p), st.sampled_from(
    ["街巷长“六必到”。", "2024年3月1日", "海城:街巷长", "好!", "![x](y)", "a: b", "A & B", "“你好”，他说。", "1. 一", "- 列", "x  y", "a * b", "<b>粗</b>",
     "不\xa0换行", "全角\u3000\u3000空格", "\ufeff零宽", "见 http://example.com", "www.example.com", "‍ 连接", "\u00ad",
     "#标题", "# 一", "## 二", "### 三", "C#语言", "a # b", "标题 #"])),
    min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=1500, deadline=None)
@given(body)
def test_fast_path_equals_markdown(text):
    fast = plain_html(text)
    if fast is not None:
        assert fast == slow(text)


def test_fast_path_takes_ordinary_newspaper_text():
    text = "本报讯（漳文）4月6日上午，会议召开。\n\n## ◆海城：街巷长做居民的贴心人\n\n“街巷长‘六必到’让我们安心。”"
    assert plain_html(text) is not None and plain_html(text) == slow(text)
    assert Renderer().html("**会议强调，**要落实") == "<p><strong>会议强调，</strong>要落实</p>"
