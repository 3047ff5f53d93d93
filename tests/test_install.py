"""Installable: `pip install .` gives a `broadsheet` command that works away from the checkout, and
`broadsheet new DIR` scaffolds a paper that builds with its own templates."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED


def test_wheel_installs_a_broadsheet_command_that_scaffolds_and_builds_a_paper(tmp_path):
    src = tmp_path / "src"  # a copy: building a wheel writes build/ and *.egg-info beside the sources
    for name in ("broadsheet", "templates", "assets"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    proc = subprocess.run(pip + ["wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("broadsheet-*.whl")
    target = tmp_path / "site"
    proc = subprocess.run(pip + ["install", "--no-deps", "--target", str(target), str(wheel)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (target / "broadsheet/_templates/base.html").is_file() and (target / "broadsheet/_assets/style.css").is_file()
    command = target / "bin" / "broadsheet"
    env = dict(os.environ, PYTHONPATH=str(target))  # the dependencies come from the test's environment

    def broadsheet(*args, cwd):
        return subprocess.run([str(command), *args], cwd=cwd, env=env, capture_output=True, text=True)

    paper = tmp_path / "paper"
    proc = broadsheet("new", str(paper), "--title", "海滨日报", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    site_yaml = (paper / "content/site.yaml").read_text("utf-8")
    assert "title: 海滨日报" in site_yaml and "# favicon: favicon.svg" in site_yaml and "# the paper's icon" in site_yaml
    assert (paper / "templates/base.html").is_file() and list((paper / "content/editions").glob("*/01/01.md"))
    readme = (paper / "README.md").read_text("utf-8")  # tells the editor what to do next
    assert "# 海滨日报" in readme and "broadsheet ingest" in readme and "ingest-report.json" in readme
    assert broadsheet("new", str(paper), cwd=tmp_path).returncode != 0  # never over an existing paper
    home = paper / "templates/home.html"
    home.write_text(home.read_text("utf-8").replace("{% block main %}", "{% block main %}<!-- ours -->"), "utf-8")
    proc = broadsheet("build", "--no-search", cwd=paper)
    assert proc.returncode == 0, proc.stderr
    html = (paper / "output/index.html").read_text("utf-8")
    assert "海滨日报" in html and "欢迎使用 Broadsheet" in html and "<!-- ours -->" in html  # its own templates
    assert list((paper / "output/assets").glob("style.*.css"))
    # Ingest works from the installed package too (its fitted weights are package data).
    seed = SEED / "000_352236b12fad6df2.txt"
    proc = broadsheet("ingest", str(seed), "--edition", "2024-03-01", "--content", str(tmp_path / "ingested"),
                      cwd=paper)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "ingested" / "editions" / "2024-03-01" / "01").glob("*.md"))) == 9

    proc = broadsheet("--help", cwd=paper)
    assert proc.returncode == 0 and "usage: broadsheet" in proc.stdout
    for sub in ("ingest", "serve", "new"):
        assert broadsheet(sub, "--help", cwd=paper).returncode == 0, sub
