"""A fast reader for the simple YAML that front-matter almost always is.

Front-matter written by ingest (and by most editors) is a handful of ``key: value`` lines:
plain or quoted text, whole numbers, dates, ``[a, b]`` lists.  PyYAML's C loader still
builds and resolves every node in Python — about a third of the time it takes to read an
archive.  :func:`load` reads only that simple form and returns exactly what
``yaml.load(text, CSafeLoader)`` returns for it; for anything else (comments, nesting,
escapes, flow mappings, unknown keys, values that would be booleans, nulls, floats …) it
returns None and the caller uses PyYAML, which also produces the error messages.
``tests/test_simpleyaml.py`` compares the two on generated input.

Scalars are resolved with PyYAML's own implicit-resolver table, so a plain value that
PyYAML would read as anything but text is never taken for text here.
"""
from __future__ import annotations

import datetime as dt
import re

from yaml.resolver import Resolver

_RESOLVERS = Resolver.yaml_implicit_resolvers
_LINE = re.compile(r"([a-z_]+): (\S(?:.*\S)?)")
# Anything YAML reads specially, or rejects, anywhere in the text: characters outside its
# printable set, its extra line breaks (NEL, LS, PS), the byte-order mark, tabs, backslashes.
_AWKWARD = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\\\\\u2028\u2029]")
# A plain (unquoted) scalar may not start with an indicator, nor hold ': ' or ' #'.
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_BAD = set(",[]{}:#'\"")  # inside [ … ] elements are kept to text without these
_INT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _NotSimple(Exception):
    pass


def load(text: str, keys) -> dict | None:
    """The mapping in ``text`` if it is simple front-matter whose keys are all in ``keys``,
    else None (then use PyYAML)."""
    if _AWKWARD.search(text):
        return None
    out: dict = {}
    try:
        for line in text.split("\n"):
            if not line:
                continue
            m = _LINE.fullmatch(line)
            if m is None:
                return None
            key, raw = m.groups()
            if key not in keys or key in out:
                return None
            out[key] = _value(raw)
    except _NotSimple:
        return None
    return out or None


def _value(raw: str):
    first = raw[0]
    if first == '"':
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or '"' in inner:
            raise _NotSimple
        return inner
    if first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotSimple
        return inner.replace("''", "'")
    if first == "[":
        if raw[-1] != "]":
            raise _NotSimple
        inner = raw[1:-1].strip(" ")
        if not inner:
            return []
        items = [part.strip(" ") for part in inner.split(",")]
        for part in items:
            if not part or _FLOW_BAD.intersection(part) or not isinstance(_plain(part), str):
                raise _NotSimple
        return items
    return _plain(raw)


def _plain(raw: str):
    if raw[0] in _PLAIN_START or ": " in raw or " #" in raw or raw[-1] == ":":
        raise _NotSimple
    for _, regexp in _RESOLVERS.get(raw[0], ()):
        if regexp.match(raw):  # PyYAML would not read this as text
            if _INT.fullmatch(raw):
                return int(raw)
            if _DATE.fullmatch(raw):
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    raise _NotSimple from None
            raise _NotSimple
    return raw
