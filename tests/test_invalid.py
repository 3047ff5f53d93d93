"""The catalogue of bad input: exact messages, non-zero exit, and the previous output/ untouched."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def snapshot(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path) -> tuple[Path, dict]:
    """A previous, good build in tmp/output."""
    proc = run_cli("build", "--content", FIXTURES / "edition", "--output", tmp_path / "output", "--no-search", "-q")
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "output", snapshot(tmp_path / "output")


def build_bad(tmp_path: Path, content: Path, *extra):
    return run_cli("build", "--content", content.relative_to(tmp_path), "--output", "output", "--no-search", *extra,
                   cwd=tmp_path)


def check(proc, expected: str, published):
    out, before = published
    assert proc.returncode == 1
    assert proc.stderr == expected
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert snapshot(out) == before  # the previous output/ is byte-for-byte untouched


def test_valid_fixture_edition_builds_cleanly(published):
    out, files = published
    assert "2024-03-01/01/01.html" in files and "2024-03-01/02/index.html" in files


@pytest.mark.parametrize("case", CASES)
def test_invalid_case(tmp_path, published, case):
    shutil.copytree(FIXTURES / "invalid" / case / "content", tmp_path / "content", symlinks=True)
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text("utf-8")
    check(build_bad(tmp_path, tmp_path / "content"), expected, published)


def test_symlink_outside_content(tmp_path, published):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "edition", content)
    (tmp_path / "secret.md").write_text("---\nkind: article\ntitle: 外部文件\n---\n", "utf-8")
    (content / "editions/2024-03-01/01/09.md").symlink_to(tmp_path / "secret.md")
    check(build_bad(tmp_path, content),
          f"[content] content/editions/2024-03-01/01/09.md: this is a link to {tmp_path / 'secret.md'}, outside "
          "the content folder — copy the file into content/ instead of linking to it\n"
          "1 problem found; nothing was changed.\n", published)


def test_twenty_megabyte_article(tmp_path, published):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "edition", content)
    big = content / "editions/2024-03-01/01/09.md"
    big.write_text("---\nkind: article\ntitle: 巨大\n---\n\n" + "文" * (20 * 2**20 // 3), "utf-8")  # 20 MB in UTF-8
    check(build_bad(tmp_path, content),
          "[content] content/editions/2024-03-01/01/09.md: the file is 20.0 MB, more than the 2 MB an item may be — "
          "split it into several items or remove pasted material\n1 problem found; nothing was changed.\n", published)


@pytest.mark.parametrize("breakage,message", [
    # An unclosed for-loop is found at the {% endblock %} that it swallows.
    ("{% for it in section.items %}", "template syntax error: Encountered unknown tag 'endblock'. You probably made "
     "a nesting mistake. Jinja is expecting this tag, but currently looking for 'endfor' or 'else'. The innermost "
     "block that needs to be closed is 'for'. — fix the template tag on this line"),
    ("{{ section.nmae }}", "template error while rendering 2024-03-01/01/index.html: "
     "'broadsheet.render.SectionView object' "
     "has no attribute 'nmae' — fix the template on this line"),
])
def test_template_error_points_at_template_file_and_line(tmp_path, published, breakage, message):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    section = templates / "section.html"
    lines = section.read_text("utf-8").split("\n")
    lines.insert(5, breakage)
    section.write_text("\n".join(lines), "utf-8")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "edition", content)
    proc = build_bad(tmp_path, content, "--templates", "templates")
    line = next(k for k, text in enumerate(lines, 1) if k > 6 and text == "{% endblock %}") if "for" in breakage else 6
    check(proc, f"[render] templates/section.html:{line}: {message}\n1 problem found; nothing was changed.\n",
          published)
