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
from collections import deque

K = 8
W = 8
MAX_CANDIDATES = 64  # bound the work per fingerprint on pathological input (e.g. "aaaa…")


def fingerprints(text: str) -> list[tuple[int, int]]:
    """(hash, offset) pairs selected by winnowing: the leftmost smallest hash of every window of
    ``W`` consecutive ``K``-grams, each position once (a monotone queue: linear time)."""
    n = len(text) - K + 1
    if n <= 0:
        return [(zlib.crc32(text.encode("utf-8")), 0)] if text else []
    hashes = [zlib.crc32(text[i:i + K].encode("utf-8")) for i in range(n)]
    if n <= W:
        m = min(range(n), key=hashes.__getitem__)
        return [(hashes[m], m)]
    out: list[tuple[int, int]] = []
    queue: deque[int] = deque()  # positions whose hashes increase strictly from the front
    last = -1
    for i, h in enumerate(hashes):
        while queue and hashes[queue[-1]] > h:
            queue.pop()
        queue.append(i)
        if queue[0] <= i - W:
            queue.popleft()
        if i >= W - 1 and queue[0] != last:
            last = queue[0]
            out.append((hashes[last], last))
    return out


class RepeatFinder:
    """Index texts one by one; ask whether a new text occurs inside an earlier one."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.index: dict[int, list[tuple[int, int]]] = {}

    def add(self, text: str, fps: list[tuple[int, int]] | None = None) -> None:
        """Index ``text`` (``fps``: its fingerprints, if :meth:`find` already made them)."""
        k = len(self.texts)
        self.texts.append(text)
        for h, off in fps if fps is not None else fingerprints(text):
            bucket = self.index.setdefault(h, [])
            if len(bucket) < MAX_CANDIDATES:
                bucket.append((k, off))

    def find(self, text: str, fps: list[tuple[int, int]] | None = None) -> tuple[int, int] | None:
        """Return (index of earlier text, offset) where ``text`` occurs, or None."""
        if len(text) < W + K - 1:
            return None
        for h, off in fps if fps is not None else fingerprints(text):
            for k, pos in self.index.get(h, ()):
                start = pos - off
                host = self.texts[k]
                if start >= 0 and host.startswith(text, start):
                    return k, start
        return None
