"""Re-ingest never overwrites an editor's change; nothing is silently deleted."""
from __future__ import annotations

import json

from conftest import SEED, run_cli

SEED_PAGE = SEED / "000_352236b12fad6df2.txt"


def ingest(content, *extra):
    return run_cli("ingest", SEED_PAGE, "--edition", "2022-04-15", "--page", "1", "--content", content, *extra)


def test_edited_item_is_kept_and_reported(tmp_path):
    content = tmp_path / "content"
    assert ingest(content).returncode == 0
    d = content / "editions" / "2022-04-15" / "01"
    edited = (d / "02.md").read_text("utf-8").replace("街头巷尾 总能遇到那份爱", "街头巷尾总能遇到那份爱（编辑改）")
    (d / "02.md").write_text(edited, "utf-8")
    untouched = (d / "03.md").read_bytes()
    (d / "03.md").write_text("broken by a stray tool", "utf-8")  # changed too: must survive
    (d / "03.md").write_bytes(untouched)  # …and restored: regenerated as unchanged

    proc = ingest(content)
    assert proc.returncode == 0, proc.stderr
    assert (d / "02.md").read_text("utf-8") == edited
    assert f"{d / '02.md'}: you changed this file since it was generated; kept it — use --force" in proc.stdout
    assert json.loads((d / "ingest-report.json").read_text("utf-8"))["kept_edited"] == ["02.md"]

    again = ingest(content)  # still protected on the next run
    assert (d / "02.md").read_text("utf-8") == edited and "kept it" in again.stdout

    forced = ingest(content, "--force")
    assert forced.returncode == 0
    assert "街头巷尾 总能遇到那份爱" in (d / "02.md").read_text("utf-8")


def test_editor_created_file_is_never_overwritten(tmp_path):
    content = tmp_path / "content"
    d = content / "editions" / "2022-04-15" / "01"
    d.mkdir(parents=True)
    (d / "05.md").write_text("---\nkind: article\ntitle: 编辑自己写的\n---\n", "utf-8")
    proc = ingest(content)
    assert (d / "05.md").read_text("utf-8").endswith("编辑自己写的\n---\n")
    assert "05.md: you changed this file" in proc.stdout


def test_items_no_longer_produced_are_removed_only_if_unchanged(tmp_path):
    content = tmp_path / "content"
    ingest(content)
    d = content / "editions" / "2022-04-15" / "01"
    report = json.loads((d / "ingest-report.json").read_text("utf-8"))
    report["generated"]["10.md"] = "0" * 64
    (d / "10.md").write_text("an editor's extra item", "utf-8")
    import hashlib
    (d / "11.md").write_text("stale generated item", "utf-8")
    report["generated"]["11.md"] = hashlib.sha256(b"stale generated item").hexdigest()
    (d / "ingest-report.json").write_text(json.dumps(report), "utf-8")
    proc = ingest(content)
    assert (d / "10.md").exists() and "no longer produced by ingest but you changed it" in proc.stdout
    assert not (d / "11.md").exists() and "1 removed" in proc.stdout
