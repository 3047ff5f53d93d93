"""`build.py watch`: a real inotify watcher (a subprocess), real files, real builds.

With the watcher running, a build walks only the edition folders it journalled since the last
build (none on a night without changes: no `find`, no scandir of any edition); without it — killed,
restarted, overflowed — the build walks everything.  Either way the output is what a clean build
makes, byte for byte."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, synthetic_archive
from test_build import tree
from test_incremental import age, assert_equals_clean
from broadsheet import snapshot, watch
from broadsheet.site import build
from broadsheet.watch import journal_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


class Watcher:
    """``python build.py watch`` as an editor starts it; stopped (or killed) at the end."""

    def __init__(self, content: Path, out: Path):
        self.journal = journal_dir(out) / "journal"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "watch", "--content", str(content),
                                      "--output", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline()  # printed once every folder is watched and the journal is there
        assert line.startswith("watching "), (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        assert self.journal.is_file()

    def records(self) -> list[bytes]:
        return self.journal.read_bytes().split(b"\0")[1:-1]

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(10)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def watching(tmp_path):
    started: list[Watcher] = []

    def start(content, out) -> Watcher:
        w = Watcher(content, out)
        started.append(w)
        return w
    yield start
    for w in started:
        w.stop(signal.SIGKILL)


@pytest.fixture
def walked(monkeypatch):
    """The edition folders the check stage walks (by find or by scandir), build by build."""
    seen: list[str] = []
    real_find, real_python = snapshot._walk_find, snapshot._walk_python
    monkeypatch.setattr(snapshot, "_walk_find", lambda dirs, jobs: (seen.extend(map(os.path.basename, dirs)),
                                                                     real_find(dirs, jobs))[1])
    monkeypatch.setattr(snapshot, "_walk_python", lambda d: (seen.append(os.path.basename(d)), real_python(d))[1])
    return seen


def site(tmp_path):
    content = synthetic_archive(tmp_path, editions=4, sections=2, items=2)
    seen: dict = {}
    age(content, seen, 0)
    return content, seen, tmp_path / "o"


def no_walk(monkeypatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("the check stage walked an edition folder")
    monkeypatch.setattr(snapshot, "_walk_find", refuse)
    monkeypatch.setattr(snapshot, "_walk_python", refuse)
    monkeypatch.setattr(snapshot, "_FIND", [None])  # and no GNU find to start either


def test_a_night_without_changes_walks_nothing(tmp_path, watching, monkeypatch):
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)  # the first with this watcher: walks everything
    with monkeypatch.context() as m:
        no_walk(m)
        result = build(content, out, quiet=True, search=False)
        assert result["unchanged"], "nothing changed, and nothing was walked"
        assert build(content, out, quiet=True, search=False)["unchanged"]
    assert sum(1 for r in w.records() if r.startswith(b"?")) == 3  # each build's cookie, journalled
    assert not any(r.startswith(b"+") for r in w.records())
    # Without the watcher, the same night walks everything — and finds nothing changed either.
    w.stop()
    with monkeypatch.context() as m:
        no_walk(m)
        with pytest.raises(AssertionError, match="walked"):
            build(content, out, quiet=True, search=False)
    assert build(content, out, quiet=True, search=False)["unchanged"]


def test_a_watcher_started_after_the_last_build_is_taken_up_by_a_night_without_changes(tmp_path, watching,
                                                                                         monkeypatch):
    content, seen, out = site(tmp_path)
    build(content, out, quiet=True, search=False)
    watching(content, out)
    assert build(content, out, quiet=True, search=False)["unchanged"]  # walks everything, records the session
    with monkeypatch.context() as m:
        no_walk(m)
        assert build(content, out, quiet=True, search=False)["unchanged"]
    new_file(content)
    age(content, seen, 1)
    build(content, out, quiet=True, search=False)
    assert_equals_clean(tmp_path, content, out)


def same_size_edit(content):
    f = sorted(content.glob("editions/*/*/01.md"))[0]  # an article of the oldest edition
    size = f.stat().st_size
    f.write_text(f.read_text("utf-8").replace("第二段。", "第二段！"), "utf-8")
    assert f.stat().st_size == size
    return ["2024-01-29"]


def new_file(content):
    (content / "editions/2024-02-04/02/06.md").write_text("---\nkind: article\ntitle: 补发\n---\n\n补发的稿件。\n",
                                                          "utf-8")
    return ["2024-02-04"]


def deleted_file(content):
    (content / "editions/2024-02-01/01/02.md").unlink()
    return ["2024-02-01"]


def renamed_edition(content):
    (content / "editions/2024-02-04").rename(content / "editions/2024-02-05")
    yaml = content / "editions/2024-02-05/edition.yaml"
    yaml.write_text(yaml.read_text("utf-8").replace("2024-02-04", "2024-02-05"), "utf-8")
    return ["2024-02-05"]


def renamed_section(content):
    (content / "editions/2024-02-01/02").rename(content / "editions/2024-02-01/03")
    yaml = content / "editions/2024-02-01/03/section.yaml"
    yaml.write_text(yaml.read_text("utf-8").replace("page: 2", "page: 3"), "utf-8")
    return ["2024-02-01"]


def new_edition(content):
    d = content / "editions/2024-02-10/01"
    d.mkdir(parents=True)  # and its files at once, before the watcher can have watched the new folders
    (d / "section.yaml").write_text("name: 第1版面名\n", "utf-8")
    (d / "01.md").write_text("---\nkind: article\ntitle: 新一期\n---\n\n正文。\n", "utf-8")
    return ["2024-02-10"]


@pytest.mark.parametrize("change", [same_size_edit, new_file, deleted_file, renamed_edition, renamed_section,
                                    new_edition], ids=lambda f: f.__name__)
def test_a_change_is_picked_up_walking_only_its_folder(tmp_path, watching, walked, change):
    content, seen, out = site(tmp_path)
    watching(content, out)
    build(content, out, quiet=True, search=False)
    assert sorted(walked) == ["2024-01-29", "2024-02-01", "2024-02-04", "2024-02-07"]
    walked.clear()
    expected = change(content)
    age(content, seen, 1)  # an old mtime: only the signature, taken again, can tell the change
    result = build(content, out, quiet=True, search=False)
    assert sorted(walked) == expected
    assert not result["unchanged"] and result["rendered"] > 0
    assert_equals_clean(tmp_path, content, out)


def test_folders_made_since_the_watcher_started_are_watched(tmp_path, watching, walked):
    content, seen, out = site(tmp_path)
    watching(content, out)
    build(content, out, quiet=True, search=False)
    new_edition(content)
    age(content, seen, 1)
    build(content, out, quiet=True, search=False)
    walked.clear()
    f = content / "editions/2024-02-10/01/01.md"  # in a folder made (with its parent) after the watcher started
    f.write_text(f.read_text("utf-8").replace("正文。", "正文！"), "utf-8")
    age(content, seen, 2)
    build(content, out, quiet=True, search=False)
    assert walked == ["2024-02-10"]
    assert_equals_clean(tmp_path, content, out)


def test_events_in_flight_are_waited_for(tmp_path, watching, walked):
    """The watcher has not read the change's event yet when the build starts (it is stopped, and
    let go on a moment later): the build's cookie comes after the change in the same queue, so
    the build waits for it and sees the change."""
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    w.proc.send_signal(signal.SIGSTOP)
    stopped(w.proc.pid)
    same_size_edit(content)
    age(content, seen, 1)
    walked.clear()
    threading.Timer(0.5, w.proc.send_signal, (signal.SIGCONT,)).start()
    build(content, out, quiet=True, search=False)
    assert walked == ["2024-01-29"]
    assert_equals_clean(tmp_path, content, out)


def test_a_watcher_that_does_not_answer_means_a_full_walk(tmp_path, watching, walked, monkeypatch):
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    monkeypatch.setattr(watch, "WAIT", 0.3)
    w.proc.send_signal(signal.SIGSTOP)
    try:
        stopped(w.proc.pid)
        same_size_edit(content)
        age(content, seen, 1)
        walked.clear()
        build(content, out, quiet=True, search=False)
        assert len(walked) == 4
        assert_equals_clean(tmp_path, content, out)
    finally:
        w.proc.send_signal(signal.SIGCONT)
    assert not list((journal_dir(out) / "cookies").iterdir()), "the unanswered cookie is removed too"


def test_the_editions_folder_replaced_whole_means_a_full_walk(tmp_path, watching, walked):
    """``editions/`` swapped for a copy (same names, sizes and mtimes, but one file changed): the
    journal names the editions folder itself, not its edition folders — so everything is walked."""
    import shutil
    content, seen, out = site(tmp_path)
    watching(content, out)
    build(content, out, quiet=True, search=False)
    shutil.copytree(content / "editions", tmp_path / "copy", symlinks=True)  # copy2: mtimes kept
    f = tmp_path / "copy/2024-02-01/01/01.md"
    f.write_text(f.read_text("utf-8").replace("第二段。", "第二段！"), "utf-8")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns - 10**9))
    (content / "editions").rename(tmp_path / "old")
    (tmp_path / "copy").rename(content / "editions")
    walked.clear()
    build(content, out, quiet=True, search=False)
    assert len(walked) == 4
    assert_equals_clean(tmp_path, content, out)


def test_a_killed_watcher_means_a_full_walk(tmp_path, watching, walked):
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    w.stop(signal.SIGKILL)
    same_size_edit(content)
    age(content, seen, 1)
    walked.clear()
    t = time.perf_counter()
    build(content, out, quiet=True, search=False)
    assert time.perf_counter() - t < 1.5, "a dead watcher is known at once (its lock), not waited for"
    assert sorted(walked) == ["2024-01-29", "2024-02-01", "2024-02-04", "2024-02-07"]
    assert_equals_clean(tmp_path, content, out)


def test_a_restarted_watcher_is_another_session(tmp_path, watching, walked):
    """Changes made while no watcher ran are in no journal: the first build with the new watcher
    walks everything; the one after it trusts the new journal."""
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    w.stop()
    deleted_file(content)
    age(content, seen, 1)
    watching(content, out)
    walked.clear()
    build(content, out, quiet=True, search=False)
    assert len(walked) == 4
    assert_equals_clean(tmp_path, content, out)
    walked.clear()
    new_file(content)
    age(content, seen, 2)
    build(content, out, quiet=True, search=False)
    assert walked == ["2024-02-04"]
    assert_equals_clean(tmp_path, content, out)


def test_an_overflow_means_a_full_walk_then_trust_again(tmp_path, watching, walked):
    """The watcher stopped (SIGSTOP) while more events than the kernel queues
    (fs.inotify.max_queued_events) happen: it journals the overflow, and the next build walks
    everything — here it must, for a change among the lost events."""
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    a, b = sorted(content.glob("editions/2024-02-07/*/*.md"))[:2]
    w.proc.send_signal(signal.SIGSTOP)
    try:
        stopped(w.proc.pid)
        old = a.stat().st_mtime_ns
        for k in range(limit):  # twice the queue; alternating: the kernel merges an event equal to the last one
            os.utime(a, ns=(old, old + k))
            os.utime(b, ns=(old, old + k))
        os.utime(a, ns=(old, old))
        os.utime(b, ns=(old, old))
        deleted_file(content)  # lost with the other events after the queue filled
    finally:
        w.proc.send_signal(signal.SIGCONT)
    age(content, seen, 1)
    walked.clear()
    build(content, out, quiet=True, search=False)
    assert any(r.startswith(b"!overflow") for r in w.records())
    assert len(walked) == 4
    assert_equals_clean(tmp_path, content, out)
    walked.clear()
    same_size_edit(content)
    age(content, seen, 2)
    build(content, out, quiet=True, search=False)
    assert walked == ["2024-01-29"]
    assert_equals_clean(tmp_path, content, out)


def stopped(pid: int) -> None:
    """Wait until a process sent SIGSTOP is stopped (the signal is delivered asynchronously)."""
    for _ in range(500):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "Tt":
            return
        time.sleep(0.01)
    raise AssertionError(f"process {pid} did not stop")


def test_the_cookie_is_never_content(tmp_path, watching, walked):
    content, seen, out = site(tmp_path)
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    new_edition(content)
    build(content, out, quiet=True, search=False)
    cookies = [r[1:].decode() for r in w.records() if r.startswith(b"?")]
    assert len(cookies) == 2 and all(re.fullmatch(r"\d+-\d+-[0-9a-f]{8}", c) for c in cookies)
    assert not list((journal_dir(out) / "cookies").iterdir()), "each build removes its cookie"
    names = {p.name for p in content.rglob("*")} | {p.name for p in out.rglob("*")}
    assert not names & set(cookies)
    snap = snapshot.content_snapshot(content)
    assert not any(c in p for c in cookies for p in list(snap.files) + list(snap.folders))
    assert not any(r.startswith(b"+") and b"cookie" in r for r in w.records())


def test_a_watcher_of_another_content_folder_is_not_trusted(tmp_path, watching, walked):
    content, seen, out = site(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    watching(other, out)
    build(content, out, quiet=True, search=False)
    walked.clear()
    same_size_edit(content)  # not seen by that watcher
    age(content, seen, 1)
    build(content, out, quiet=True, search=False)
    assert len(walked) == 4
    assert_equals_clean(tmp_path, content, out)


def test_a_new_folder_at_the_watched_path_is_not_trusted(tmp_path, watching, walked):
    """The paper's folder moved away and a copy put in its place: the same path, another folder,
    which the watcher (following the old one, which did not move itself) never saw change."""
    import shutil
    content = synthetic_archive(tmp_path / "paper", editions=4, sections=2, items=2)
    age(content, {}, 0)
    out = tmp_path / "o"
    w = watching(content, out)
    build(content, out, quiet=True, search=False)
    shutil.copytree(tmp_path / "paper", tmp_path / "copy", symlinks=True)
    same_size_edit(tmp_path / "copy/content")
    age(tmp_path / "copy/content", {}, 1)
    (tmp_path / "paper").rename(tmp_path / "moved")
    (tmp_path / "copy").rename(tmp_path / "paper")
    walked.clear()
    build(content, out, quiet=True, search=False)
    assert w.proc.poll() is None, "the watcher saw nothing of it"
    assert len(walked) == 4
    assert_equals_clean(tmp_path, content, out)


def test_a_second_watcher_refuses(tmp_path, watching):
    content, seen, out = site(tmp_path)
    watching(content, out)
    result = run_cli("watch", "--content", content, "--output", out)
    assert result.returncode == 1
    assert "lock: another watcher is already journalling" in result.stderr and "Traceback" not in result.stderr


def test_the_racy_clean_rule_holds_for_the_folders_signed_again(tmp_path, watching):
    """As without a watcher (test_incremental's same-instant test): a file written just before a
    build read it, changed again with the same size and mtime, is read again — the journal names
    its folder, the folder's signature is the same, but its newest file is not settled."""
    content = synthetic_archive(tmp_path, editions=2, sections=2, items=2)
    out = tmp_path / "o"
    old = time.time_ns() - 3_600 * 10**9
    for f in content.rglob("*"):
        os.utime(f, ns=(old, old))
    watching(content, out)
    racy = sorted(content.glob("editions/*/*/01.md"))[0]
    racy.write_text(racy.read_text("utf-8").replace("第二段。", "第二段！"), "utf-8")
    stat = racy.stat()
    build(content, out, quiet=True, search=False)
    time.sleep(2.2)
    racy.write_text(racy.read_text("utf-8").replace("第二段！", "第二段？"), "utf-8")
    os.utime(racy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    build(content, out, quiet=True, search=False)
    assert "第二段？" in (out / racy.relative_to(content / "editions").with_suffix(".html")).read_text("utf-8")
    assert_equals_clean(tmp_path, content, out)
