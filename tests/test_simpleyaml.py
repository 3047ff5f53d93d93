"""simpleyaml reads simple front-matter exactly as PyYAML does, and declines everything else."""
from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet import simpleyaml
from broadsheet.schema import ITEM_FIELDS

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KEYS = ["kind", "title", "authors", "order", "edition", "page", "source", "updated", "dateline"]


def typed(value):
    """Values with their types, so that 1 == True or a date == its string cannot pass."""
    if isinstance(value, list):
        return ["list", [typed(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [(typed(k), typed(v)) for k, v in value.items()]]
    return [type(value).__name__, value]


def reference(text):
    try:
        return yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return "error"


# Values built from pieces that YAML treats specially, and ordinary newspaper text.
tricky = st.sampled_from([
    "街巷长", "◆芝罘:街巷长", "海城: 街巷长", "a #b", "a#b", "#a", "- a", "-a", "? a", "?a", ": a", "a:", "a:b",
    "http://x.cn/a", "000_352236b12fad6df2.txt:3-7", "1", "0", "012", "0x1F", "1_000", "1.5", "1e3", ".5", "-1", "+1",
    "1:30", "2024-04-15", "2024-4-15", "2024-13-01", "2024-02-30", "2024-04-15 10:00", "yes", "No", "on", "OFF", "y",
    "n", "true", "False", "null", "Null", "~", "<<", "=", "!tag", "&a", "*a", "|", ">", "%x", "@x", "`x", "'", "''", '"',
    "a'b", 'a"b', "a\\b", "a\tb", "a  b", " a", "a ", "[a]", "{a: b}", "a, b", "a,b", "[", "]", "{", "}", "本报讯（漳文）",
    "a}b", "a{b", "a]b", "a[b", "x:", "a: ", "全角\u3000空格", "\u3000", "\xa0", "\x85", "\u2028", "\ufeff", "\x7f", "\x01", "😀", "中—文", "…", ".inf", ".NaN",
])
text_value = st.one_of(tricky, st.text(max_size=12), st.lists(tricky, min_size=1, max_size=3).map("".join))


def quoted(v: str) -> st.SearchStrategy[str]:
    return st.sampled_from([v, f'"{v}"', f"'{v}'", "'" + v.replace("'", "''") + "'"])


value = st.one_of(
    text_value,  # plain, the commonest form
    text_value.flatmap(quoted),
    st.lists(text_value.flatmap(quoted), max_size=3).flatmap(
        lambda xs: st.sampled_from([", ", ",", " , "]).map(lambda sep: "[" + sep.join(xs) + "]")),
    st.sampled_from(["[]", "[ ]", "[a,]", "{a: b}", "|", ">-"]),
)
good_line = st.tuples(st.sampled_from(KEYS), value).map(": ".join)
odd_line = st.one_of(
    st.tuples(st.sampled_from(KEYS + ["unknown", "Title", "yes", "on"]), st.sampled_from([":", ":  ", " : "]),
              value).map("".join),
    st.sampled_from(["", "# comment", "  nested: x", "---", "...", "title: |", "- a"]),
)
# Mostly well-formed lines, so that many documents are read by the fast path at all.
front_matter = st.lists(st.one_of(good_line, good_line, good_line, odd_line), min_size=0, max_size=5).map(
    lambda ls: "\n".join(ls) + "\n")


@settings(max_examples=3000, deadline=None)
@given(front_matter)
def test_simple_yaml_equals_pyyaml(text):
    fast = simpleyaml.load(text, ITEM_FIELDS)
    if fast is not None:
        assert typed(fast) == typed(reference(text)), text


def test_ingest_front_matter_takes_the_fast_path():
    """What ingest writes (and the sample edition holds) is read without PyYAML; if the fast
    path declined it, the build would be correct but slow, so this guards the speed."""
    text = ("kind: article\ntitle: 漳州市文明委全体会议暨文明城市创建工作会召开\nauthors: [弘文, 刘峰]\n"
            "dateline: 本报讯（漳文）\nsection: 党政领导与文明建设\npage: 1\norder: 1\nedition: '2022-04-15'\n"
            "source: 000_352236b12fad6df2.txt:3-7\ntitle_x: no\n")
    assert simpleyaml.load(text, ITEM_FIELDS) is None  # an unknown key: PyYAML reads it and the check reports it
    text = text.replace("title_x: no\n", "updated: 2024-04-15\n")
    fast = simpleyaml.load(text, ITEM_FIELDS)
    assert fast is not None and typed(fast) == typed(reference(text))
    assert fast["authors"] == ["弘文", "刘峰"] and fast["page"] == 1 and fast["updated"] == dt.date(2024, 4, 15)
    assert fast["edition"] == "2022-04-15" and fast["source"] == "000_352236b12fad6df2.txt:3-7"


def test_declines_what_it_does_not_read():
    for text in ["title: yes\n", "order: 1.5\n", "order: 012\n", "title: a #b\n", "title: \"a\\nb\"\n",
                 "author_roles: {张三: 记者}\n", "title: x\ntitle: y\n", "updated: 2024-02-30\n", "title:\n",
                 "# comment\ntitle: x\n", "authors:\n- a\n", "title: a\tb\n", "\ufefftitle: x\n"]:
        assert simpleyaml.load(text, ITEM_FIELDS) is None, text
