"""Reliability and safety: atomic publish, one build at a time, sanitised text, fuzzed loader, bounded cost."""
from __future__ import annotations

import fcntl
import html
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, build_site, make_site, run_cli
from test_invalid import FIXTURES, snapshot

sys.path.insert(0, str(ROOT / "bench"))


def test_second_build_refuses_clearly_while_one_runs(tmp_path):
    out = tmp_path / "output"
    lock = tmp_path / ".output.lock"
    fd = os.open(lock, os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = run_cli("build", "--content", FIXTURES / "edition", "--output", out, "--no-search")
    finally:
        os.close(fd)
    assert proc.returncode == 1
    assert proc.stderr == (f"[publish] {out}: another build is writing this output folder right now — wait for it "
                           "to finish, then build again\n1 problem found; nothing was changed.\n")
    assert not out.exists()


def test_a_build_right_after_another_is_not_refused(tmp_path):
    """Nothing a build leaves running (the background delete of the superseded output) holds its
    build lock: a build started right after the last one returned is not refused. (A forked
    background writer of the old pickled manifest once did, on a loaded machine.)"""
    from broadsheet.site import build
    content = make_site(tmp_path, {"editions/2024-01-02/01/section.yaml": "name: 要闻\n",
                                   "editions/2024-01-02/01/01.md": "---\nkind: article\ntitle: 一\n---\n\n正文。\n"})
    build(content, tmp_path / "o", quiet=True, search=False)
    (content / "editions/2024-01-02/01/01.md").write_text("---\nkind: article\ntitle: 二\n---\n\n正文。\n", "utf-8")
    build(content, tmp_path / "o", quiet=True, search=False)
    assert "二" in (tmp_path / "o/2024-01-02/01/01.html").read_text("utf-8")


def test_sigkill_during_rendering_leaves_previous_output_complete(tmp_path):
    from corpus import write_archive
    out = tmp_path / "output"
    assert build_site(FIXTURES / "edition", out, "--no-search", "-q").returncode == 0
    before = snapshot(out)
    write_archive(tmp_path / "big", 2500, chars=800)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(tmp_path / "big"),
                             "--output", str(out), "--no-search", "-q"])
    deadline = time.time() + 120
    killed = False
    while time.time() < deadline and proc.poll() is None:
        staging = list(tmp_path.glob(".output.staging.*"))
        if staging and sum(1 for _ in staging[0].rglob("*.html")) > 200:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    proc.wait()
    assert killed, "the build finished before it could be killed mid-render"
    assert snapshot(out) == before  # previous output complete and untouched
    assert build_site(FIXTURES / "edition", out, "--no-search", "-q").returncode == 0
    assert not list(tmp_path.glob(".output.staging.*"))  # the next build clears the debris


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<img src="x" alt="x" onmouseover="alert(1)">',
    '<p style="x:expression(alert(1))">x</p>',
    "[link](javascript:alert(1))",
    "![img](javascript:alert(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "<textarea><script>alert(1)</script></textarea>",
]


class _Audit(HTMLParser):
    BAD_TAGS = {"iframe", "object", "embed", "form", "input", "base", "textarea", "svg", "math", "video", "source",
                "style", "details", "body"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.body_seen = 0
        self.inline_script = False  # inside an inline <script>: only the site's own head script may be

    @staticmethod
    def own_head() -> tuple[str, set[str]]:
        """The site's own inline head script and Content-Security-Policies (render.py makes them)."""
        from broadsheet.render import content_security_policy, head_script
        script = head_script(ROOT / "templates")
        return script, {content_security_policy(script), content_security_policy(script, wasm=True)}

    def handle_endtag(self, tag):
        if tag == "script" and self.inline_script:
            self.inline_script = False
            self.problems.append("empty inline <script>")

    def handle_data(self, data):
        if self.inline_script:
            self.inline_script = False
            if data != self.own_head()[0]:
                self.problems.append(f"inline <script>{data[:40]}")

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.body_seen += 1
            if self.body_seen > 1:
                self.problems.append("second <body>")
            return
        a = dict(attrs)
        ours = (tag == "form" and re.fullmatch(r"(\.\./)*search/|\./|/([\w-]+/)*search/", a.get("action") or "")) or \
            (tag == "input" and a.get("name") == "q" and a.get("type") == "search")  # the site's own search box
        if tag in self.BAD_TAGS - {"body"} and not ours:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            if not (a.get("http-equiv") == "Content-Security-Policy" and a.get("content") in self.own_head()[1]):
                self.problems.append("<meta http-equiv>")
        if tag == "script":
            if not a and self.body_seen == 0:
                self.inline_script = True  # checked in handle_data
            elif a.get("type") != "application/ld+json" and not re.match(r"^(?:(?:\.\./)*|/(?!/)(?:[\w.-]+/)*)(assets|pagefind)/", a.get("src") or ""):
                self.problems.append(f"<script {a}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"{tag} {k}=")
            if k in ("href", "src", "action", "data", "style") and v:
                if re.match(r"^\s*(javascript|vbscript|data):", html.unescape(v), re.I) or "expression(" in v:
                    self.problems.append(f"{tag} {k}={v}")


def audit(text: str) -> list[str]:
    a = _Audit()
    a.feed(text)
    return a.problems


def test_no_xss_payload_survives_into_any_output_file(tmp_path):
    body = "\n\n".join(f"第{k}段 {p}" for k, p in enumerate(XSS))
    hostile = XSS[1]
    content = make_site(tmp_path, {
        "editions/2024-01-02/01/section.yaml": "name: 要闻\n",
        "editions/2024-01-02/01/01.md": f"---\nkind: article\ntitle: '{hostile}'\nkicker: '{XSS[2]}'\n"
                                        f"authors: ['{XSS[0]}']\ndateline: '{XSS[8]}'\n---\n\n{body}\n",
        "editions/2024-01-02/01/02.md": f"---\nkind: banner\n---\n\n{XSS[0]}\n\n{XSS[3]}\n",
    })
    out = tmp_path / "o"
    proc = build_site(content, out)
    assert proc.returncode == 0, proc.stderr
    checked = 0
    for f in out.rglob("*"):
        if f.suffix in (".html", ".xml") and "pagefind" not in f.parts:
            text = f.read_text("utf-8")
            problems = audit(text)
            if f.suffix == ".xml":  # Atom <content type="html"> is HTML: audit it as such
                from lxml import etree
                for el in etree.parse(str(f)).iter("{http://www.w3.org/2005/Atom}content"):
                    problems += audit(el.text or "")
            assert not problems, (f, problems)
            checked += 1
    assert checked >= 8
    page = (out / "2024-01-02/01/01.html").read_text("utf-8")
    # A broken fragment (an unclosed <style> or <textarea>) must not swallow the paragraphs after it.
    assert all(f"第{k}段" in page for k in range(len(XSS)))
    assert html.escape(hostile) in page  # front-matter text is kept, as text


def test_audit_catches_what_it_should():
    """The auditor above is itself checked, so the XSS test cannot pass vacuously."""
    for payload in XSS[:5] + ['<a href="&#106;avascript:x">', "<p onclick=x>"]:
        assert audit(payload), payload
    assert not audit('<p><a href="https://example.com/">ok</a></p>')


front_matter_line = st.one_of(
    st.sampled_from(["kind: article", "kind: photo", "kind: 乱", "title: 标题", "title:", "authors: [甲, 乙]",
                     "authors: 甲", "author_roles: {甲: 记者}", "order: 3", "order: x", "page: 1", "edition: 2024-01-02",
                     "edition: 2024-13-45", "slug: ok-1", "slug: ../x", "image: a.png", "colour: red", "title: 'a: b'",
                     "- list", "{", "title: \"unterminated", "---", "? complex", "&anchor x", "*alias"]),
    st.text(max_size=30))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(front_matter_line, max_size=8), body=st.text(max_size=200),
       raw=st.one_of(st.none(), st.binary(max_size=64)))
def test_loader_either_loads_or_reports_cleanly(tmp_path_factory, lines, body, raw):
    from broadsheet.content import load_site
    from broadsheet.errors import BroadsheetError
    tmp = tmp_path_factory.mktemp("fuzz")
    item = ("---\n" + "\n".join(lines) + "\n---\n" + body).encode("utf-8", "surrogatepass") if raw is None else raw
    content = make_site(tmp, {"editions/2024-01-02/01/section.yaml": "name: 要闻\n",
                              "editions/2024-01-02/01/01.md": item})
    try:
        site = load_site(content)
        assert len(site.editions) == 1
    except BroadsheetError as e:
        assert e.problems and all(str(p).startswith(str(content)) for p in e.problems)
        assert all(" — " in str(p) for p in e.problems)


def test_five_thousand_item_edition_builds_in_bounded_time(tmp_path):
    from corpus import write_archive
    content = tmp_path / "content"
    write_archive(content, 5000, chars=600, per_page=625, pages=8)
    t = time.perf_counter()
    proc = build_site(content, tmp_path / "o", "--no-search", "-q")
    elapsed = time.perf_counter() - t
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "o").rglob("*.html"))) > 5000
    assert elapsed < 300, elapsed  # generous: bench/build_bench.py measures speed
