"""`python build.py serve`: correct MIME types, gzip, the 404 page, and rebuilds on change."""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import ROOT, synthetic_archive


def test_serve_mime_types_gzip_404_and_rebuild(tmp_path):
    content = synthetic_archive(tmp_path, editions=1, sections=1, items=1)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                             "--output", str(out), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = ""
        while "serving" not in line:
            line = proc.stdout.readline()
            assert line, "serve exited early"
        base = re.search(r"(http://\S+/)", line).group(1)
        wasm = next((out / "pagefind").rglob("*.pagefind")).relative_to(out).as_posix()
        with urllib.request.urlopen(base + wasm) as r:
            assert r.headers["Content-Type"] == "application/octet-stream"
        req = urllib.request.Request(base + "index.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert "测试日报" in gzip.decompress(r.read()).decode("utf-8")
        try:
            urllib.request.urlopen(base + "no/such/page.html")
            raise AssertionError("expected a 404")
        except urllib.error.HTTPError as e:
            assert e.code == 404 and "页面未找到" in e.read().decode("utf-8")
        # under base_url's path too, as published: a deep missing URL gets the 404 page, whose
        # stylesheet link (an absolute path under /paper/) loads
        try:
            urllib.request.urlopen(base + "paper/no/such/deep/page/")
            raise AssertionError("expected a 404")
        except urllib.error.HTTPError as e:
            css = re.search(r'<link rel="stylesheet" href="([^"]+)"', e.read().decode("utf-8")).group(1)
        assert css.startswith("/paper/assets/style.")
        with urllib.request.urlopen(urllib.parse.urljoin(base, css)) as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/css")
        article = content / "editions/2024-01-29/01/01.md"
        article.write_text(article.read_text("utf-8").replace("第1篇报道", "第1篇更新的报道"), "utf-8")
        deadline = time.time() + 60
        while time.time() < deadline:
            page = (out / "2024-01-29/01/01.html").read_text("utf-8")
            if "更新的报道" in page:
                break
            time.sleep(0.5)
        assert "更新的报道" in page
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(out, ignore_errors=True)
