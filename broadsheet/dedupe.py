"""Finding text that repeats, verbatim, text seen earlier — in linear time.

Uses winnowing (Schleimer, Wilkerson & Aiken, 2003): of every window of ``W``
consecutive ``K``-grams only the one with the smallest hash is kept as a
fingerprint.  Two texts sharing a substring of at least ``W + K - 1`` characters
are guaranteed to share a fingerprint, so a repeat of ``MIN_REPEAT_CHARS`` (≥ 15)
characters is always found, with an index about ``2/W`` the size of the text.
Every candidate is verified by direct comparison, so there are no false hits.
"""
from __future__ import annotations

import zlib

K = 8
W = 8
MAX_CANDIDATES = 64  # bound the work per fingerprint on pathological input (e.g. "aaaa…")


def _fingerprints(text: str) -> list[tuple[int, int]]:
    """(hash, offset) pairs selected by winnowing."""
    n = len(text) - K + 1
    if n <= 0:
        return [(zlib.crc32(text.encode("utf-8")), 0)] if text else []
    hashes = [zlib.crc32(text[i:i + K].encode("utf-8")) for i in range(n)]
    if n <= W:
        m = min(range(n), key=hashes.__getitem__)
        return [(hashes[m], m)]
    out: list[tuple[int, int]] = []
    last = -1
    for start in range(n - W + 1):
        window = hashes[start:start + W]
        m = start + min(range(W), key=window.__getitem__)
        if m != last:
            out.append((hashes[m], m))
            last = m
    return out


class RepeatFinder:
    """Index texts one by one; ask whether a new text occurs inside an earlier one."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.index: dict[int, list[tuple[int, int]]] = {}

    def add(self, text: str) -> None:
        k = len(self.texts)
        self.texts.append(text)
        for h, off in _fingerprints(text):
            bucket = self.index.setdefault(h, [])
            if len(bucket) < MAX_CANDIDATES:
                bucket.append((k, off))

    def find(self, text: str) -> tuple[int, int] | None:
        """Return (index of earlier text, offset) where ``text`` occurs, or None."""
        if len(text) < W + K - 1:
            return None
        for h, off in _fingerprints(text):
            for k, pos in self.index.get(h, ()):
                start = pos - off
                host = self.texts[k]
                if start >= 0 and host.startswith(text, start):
                    return k, start
        return None
