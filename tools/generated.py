"""What the generator scripts in tools/ share: write a generated file, or check it is up to date."""
from __future__ import annotations

from pathlib import Path


def write_or_check(out: Path, text: str, tool: str, argv: list[str]) -> int:
    """With ``--check`` in ``argv``: 0 if ``out`` holds exactly ``text``, else say what to run and
    return 1.  Without: write it."""
    if "--check" in argv:
        if not out.is_file() or out.read_text("utf-8") != text:
            print(f"{out} is out of date: run python tools/{tool}")
            return 1
        return 0
    out.write_text(text, "utf-8")
    print(f"wrote {out}: {len(text.encode()):,} bytes")
    return 0
