"""Writing files safely and cheaply.

A build's staging folder starts as hard links to the published ``output/`` (see
``site.seed_staging``), so an existing file must never be written in place: ``write_file``
then writes a new file and renames it over the old name, leaving the published file
untouched.  A file that does not exist yet is created directly.

File creation is the dominant system cost of a cold build (tens of thousands of pages),
so this does the fewest system calls it can: no ``mkdir`` unless the folder is missing,
no ``stat``/``isatty``/``seek`` that ``open()`` would add.
"""
from __future__ import annotations

import os
from pathlib import Path

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_file(path: Path | str, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = os.fspath(path)
    try:
        _write_new(target, data)
    except FileExistsError:  # maybe a hard link to the published output: replace, never modify
        folder, name = os.path.split(target)
        tmp = os.path.join(folder, f".{name}.tmp{os.getpid()}")
        try:
            os.unlink(tmp)  # debris of a killed build
        except FileNotFoundError:
            pass
        _write_new(tmp, data)
        os.replace(tmp, target)


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
