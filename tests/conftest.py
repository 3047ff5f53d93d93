"""Shared test helpers: building sites, serving them, and a real headless Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The seed page lives in ../shared/seed (read-only, shared by the team); tests/fixtures/seed is a copy
# for clones that sit somewhere without ../shared beside them.
SEED = ROOT.parent / "shared" / "seed"
if not SEED.is_dir():
    SEED = ROOT / "tests" / "fixtures" / "seed"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "publish: the README's publishing recipes on real servers "
                                       "(tests/test_publish.py; `make test-publish`)")


def run_cli(*args, cwd=ROOT, env=None):
    """Run `python build.py …` as a user would; return the CompletedProcess."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=env)


SITE_YAML = "title: 测试日报\nlanguage: zh-CN\ntimezone: \"+08:00\"\npublisher: 测试报社\nbase_url: https://example.com/paper/\n"


def make_site(tmp_path: Path, files: dict[str, str | bytes], site_yaml: str | None = SITE_YAML) -> Path:
    """Write a content folder from {relative path: text}; returns its path."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    if site_yaml is not None and "site.yaml" not in files:
        (content / "site.yaml").write_text(site_yaml, "utf-8")
    for rel, data in files.items():
        p = content / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(textwrap.dedent(data).lstrip("\n"), "utf-8")
    return content


def article(title: str, body: str = "正文第一段。", **extra) -> str:
    fm = {"kind": "article", "title": title, **extra}
    lines = "".join(f"{k}: {v}\n" for k, v in fm.items())
    return f"---\n{lines}---\n\n{body}\n"


def synthetic_archive(tmp_path: Path, editions: int = 3, sections: int = 4, items: int = 3) -> Path:
    """A multi-edition content folder: editions × 版面 × items, with a photo on each page."""
    import datetime as dt
    files = {}
    start = dt.date(2024, 1, 29)
    for e in range(editions):
        date = (start + dt.timedelta(days=e * 3)).isoformat()
        files[f"editions/{date}/edition.yaml"] = f"date: {date}\nnumber: {100 + e}\n"
        for s in range(1, sections + 1):
            files[f"editions/{date}/{s:02d}/section.yaml"] = f"name: 第{s}版面名\npage: {s}\n"
            for k in range(1, items + 1):
                files[f"editions/{date}/{s:02d}/{k:02d}.md"] = article(
                    f"{date}第{s}版第{k}篇报道", f"这是第{e}期第{s}版第{k}篇文章。芗城区街巷长{e}{s}{k}号服务居民。\n\n## 小标题\n\n第二段。",
                    authors=f"[记者{e}{s}{k}]", order=k)
            files[f"editions/{date}/{s:02d}/{items + 1:02d}.md"] = \
                f"---\nkind: photo\ncredit: 摄影师\norder: {items + 1}\n---\n\n图为第{e}期第{s}版的照片说明。\n"
            files[f"editions/{date}/{s:02d}/{items + 2:02d}.md"] = \
                f"---\nkind: advertisement\norder: {items + 2}\n---\n\n广告语一\n\n广告语二\n"
    return make_site(tmp_path, files)


def build_site(content: Path, output: Path, *extra) -> subprocess.CompletedProcess:
    return run_cli("build", "--content", content, "--output", output, *extra)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
                      ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream",
                      ".pf_filter": "application/octet-stream", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(directory, prefix='') → base URL; the site is mounted under /prefix/ when given."""
    servers = []

    def start(directory: Path, prefix: str = "") -> str:
        root = Path(directory)
        if prefix:
            mount = Path(str(directory) + ".mount")
            if mount.exists():
                shutil.rmtree(mount)
            mount.mkdir()
            (mount / prefix).parent.mkdir(parents=True, exist_ok=True)
            (mount / prefix).symlink_to(root.resolve())
            root = mount
        handler = functools.partial(_Handler, directory=str(root))
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/" + (f"{prefix}/" if prefix else "")

    yield start
    for s in servers:
        s.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does, through tests/deps.sh) to run browser tests")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page_watch(browser):
    """A fresh page plus the list of every URL it requested (to prove nothing leaves the site)."""
    ctx = browser.new_context()
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield page, requests
    ctx.close()


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The sample edition (content/) built once, with search."""
    out = tmp_path_factory.mktemp("sample") / "output"
    proc = build_site(ROOT / "content", out)
    assert proc.returncode == 0, proc.stderr
    return out
