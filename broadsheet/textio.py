"""Reading text files the way Chinese newsrooms produce them.

UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030 (a superset of GBK and
GB2312) are accepted; CRLF and CR line ends become LF.  Anything else is rejected
with the file name and the byte offset of the first byte that cannot be decoded.
"""
from __future__ import annotations

import codecs
import unicodedata

from .errors import BroadsheetError, Problem


def _is_binary(data: bytes) -> bool:
    return b"\x00" in data[:65536]


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    return bad / len(sample)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise BroadsheetError for undecodable input."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8", path, offset=3), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16", path), "utf-16"
    else:
        if _is_binary(data):
            at = data.index(b"\x00")
            raise BroadsheetError(Problem(
                path, 0, f"this is a binary file, not page text (NUL byte at byte offset {at})",
                "export the page as plain text (UTF-8 or GB18030) and ingest that file"))
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                raise BroadsheetError(Problem(
                    path, _line_of(data, utf8_error.start),
                    f"cannot decode byte 0x{data[utf8_error.start]:02x} at byte offset {utf8_error.start}: "
                    "the file is neither UTF-8 nor GB18030/GBK",
                    "re-export the page as UTF-8 text")) from None
    if _control_ratio(text) > 0.05:
        raise BroadsheetError(Problem(
            path, 0, f"this does not look like page text (many control characters after decoding as {encoding})",
            "export the page as plain text (UTF-8 or GB18030) and ingest that file"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _strict(data: bytes, encoding: str, path: str, offset: int = 0) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise BroadsheetError(Problem(
            path, _line_of(data, e.start),
            f"cannot decode byte 0x{data[e.start]:02x} at byte offset {e.start + offset} as {encoding}",
            "re-export the page as UTF-8 text")) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
