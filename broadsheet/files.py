"""Writing files safely and cheaply.

``replace_file`` writes a temporary file beside the target and renames it into place, so
no reader — and no crash — ever sees a half-written file.  Ingest writes editors' files
with it.

``write_file`` is for a build's staging folder.  Staging may hold hard links to published
files (the search bundles a night keeps, see ``publish``), so an existing file must never be
written in place: it is replaced as above, leaving the published file untouched.  A file
that does not exist yet is created directly — staging is thrown away whole if the build
fails, so a half-written file there is never seen.  File creation is the dominant system
cost of a cold build (tens of thousands of pages), so this does the fewest system calls
it can: no ``mkdir`` unless the folder is missing, no ``stat``/``isatty``/``seek`` that
``open()`` would add.
"""
from __future__ import annotations

import os
from pathlib import Path

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_file(path: Path | str, data: bytes | str) -> None:
    try:
        _write_new(os.fspath(path), _bytes(data))
    except FileExistsError:  # maybe a hard link to the published output: replace, never modify
        replace_file(path, data)


def replace_file(path: Path | str, data: bytes | str) -> None:
    target = os.fspath(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.tmp{os.getpid()}")
    try:
        os.unlink(tmp)  # debris of a killed run
    except FileNotFoundError:
        pass
    _write_new(tmp, _bytes(data))
    os.replace(tmp, target)


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _write_new(target: str, data: bytes) -> None:
    try:
        fd = os.open(target, _NEW, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, _NEW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
