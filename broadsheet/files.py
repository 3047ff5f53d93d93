"""Writing files safely.

A build's staging folder starts as hard links to the published ``output/`` (see
``site.seed_staging``), so a file must never be written in place: ``write_file`` writes
a new file and renames it over the old name, leaving the published file untouched."""
from __future__ import annotations

import os
from pathlib import Path


def write_file(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
