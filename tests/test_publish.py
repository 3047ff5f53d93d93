"""The README's publishing recipes, run as written on the real servers (issue 17).

Each recipe is read out of README.md (the fenced block after `<!-- recipe: NAME -->`), so the README
is the one source. nginx, Apache httpd and Caddy (Debian's packages) serve the built sample edition
under /paper/ on 127.0.0.1; moto's S3 server takes the recipe's `aws s3 sync` upload; the GitHub Pages
workflow is checked by actionlint and its build steps run. Checks go through real HTTP and, for
pages, styles and search, through Chromium. `make test-publish` runs only these.
"""
from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.publish

VENV_BIN = ROOT / ".venv" / "bin"
PAPER_COLOUR = "rgb(251, 249, 244)"  # body background of style.css: the stylesheet loaded
LONG = "public, max-age=31536000, immutable"
INSTALL = "run `make test` as root (tests/deps.sh installs it), or: sudo apt-get install -y --no-install-recommends"


def recipe(name: str) -> str:
    """The fenced block after `<!-- recipe: name -->` in README.md."""
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(rf"<!-- recipe: {re.escape(name)} -->\n```[\w-]*\n(.*?)\n```", text, re.S)
    assert m, f"README.md has no block marked <!-- recipe: {name} -->"
    return m.group(1) + "\n"


def need(binary: str, package: str) -> str:
    path = shutil.which(binary) or (binary if os.path.exists(binary) else None)
    if not path:
        pytest.fail(f"{binary} is missing: {INSTALL} {package}")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server did not listen on {port} within {timeout}s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text("utf-8", "replace")[-3000:] if log.exists() else ""


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started in its own process group (its workers too), within bounded time."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(10)
        except ProcessLookupError:
            pass


def start(cmd: list[str], work: Path, port: int, env: dict | None = None) -> subprocess.Popen:
    log = work / "server.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, **(env or {})}, cwd=work)
    try:
        wait_for_port(port, proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc


@pytest.fixture(scope="module")
def site(sample_output) -> Path:
    """The sample edition (base_url https://example.com/paper/) copied to a world-readable folder:
    Apache's workers run as www-data, and pytest's temporary folders are private to root."""
    top = Path(tempfile.mkdtemp(prefix="broadsheet-publish-"))
    top.chmod(0o755)
    out = top / "output"
    shutil.copytree(sample_output, out)
    for p in [out, *out.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    yield out
    shutil.rmtree(top, ignore_errors=True)


def serve_nginx(site: Path, work: Path) -> tuple[subprocess.Popen, str]:
    nginx = need("/usr/sbin/nginx", "nginx")
    port = free_port()
    (work / "paper.conf").write_text(recipe("nginx").replace("/srv/paper/output", str(site)), "utf-8")
    # The harness around the recipe: no MIME map, gzip or charset of its own (the recipe brings them);
    # `user root` because the tests run as root and the site sits in a folder of theirs.
    temp = "".join(f"    {t}_temp_path {work}/{t};\n" for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(f"""daemon off;
user root;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {work}/paper.conf;
    }}
}}
""", "utf-8")
    check = subprocess.run([nginx, "-t", "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    return start([nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
                 work, port), f"http://127.0.0.1:{port}/paper/"


def serve_apache(site: Path, work: Path) -> tuple[subprocess.Popen, str]:
    apache = need("/usr/sbin/apache2", "apache2")
    port = free_port()
    (work / "paper.conf").write_text(recipe("apache").replace("/srv/paper/output", str(site)), "utf-8")
    # The modules a fresh Debian apache2 has enabled, plus those the recipe's a2enmod lines enable,
    # each with Debian's own .load and .conf files.
    enabled = {p.stem for p in Path("/etc/apache2/mods-enabled").glob("*.load")}
    for line in recipe("apache-enable").splitlines():
        if line.split()[:1] == ["a2enmod"]:
            enabled.update(line.split()[1:])
        elif line.split()[:1] == ["a2enconf"]:
            assert line.split()[1:] == ["paper"], line  # the file the README says to save
    available = Path("/etc/apache2/mods-available")
    mods = ""
    for name in sorted(enabled):
        mods += (available / f"{name}.load").read_text()
        if (available / f"{name}.conf").exists():
            mods += f"Include {available / name}.conf\n"
    (work / "apache2.conf").write_text(f"""ServerRoot {work}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {work}/apache2.pid
DefaultRuntimeDir {work}
Mutex file:{work} default
ErrorLog {work}/error.log
LogLevel warn
User www-data
Group www-data
{mods}
TypesConfig /etc/mime.types
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Include {work}/paper.conf
""", "utf-8")
    work.chmod(0o755)
    check = subprocess.run([apache, "-t", "-f", str(work / "apache2.conf")], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    return start([apache, "-DFOREGROUND", "-f", str(work / "apache2.conf")], work, port), \
        f"http://127.0.0.1:{port}/paper/"


def serve_caddy(site: Path, work: Path) -> tuple[subprocess.Popen, str]:
    caddy = need("/usr/bin/caddy", "caddy")
    port = free_port()
    (work / "paper.caddy").write_text(recipe("caddy").replace("/srv/paper/output", str(site)), "utf-8")
    (work / "Caddyfile").write_text(f"""{{
    admin off
    auto_https off
}}
http://127.0.0.1:{port} {{
    import {work}/paper.caddy
}}
""", "utf-8")
    env = {"HOME": str(work), "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
    check = subprocess.run([caddy, "validate", "--config", str(work / "Caddyfile"), "--adapter", "caddyfile"],
                           capture_output=True, text=True, timeout=30, env={**os.environ, **env})
    assert check.returncode == 0, check.stdout + check.stderr
    return start([caddy, "run", "--config", str(work / "Caddyfile"), "--adapter", "caddyfile"], work, port, env), \
        f"http://127.0.0.1:{port}/paper/"


SERVERS = {"nginx": serve_nginx, "apache": serve_apache, "caddy": serve_caddy}


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, site):
    """(name, base URL of the site under /paper/) for each recipe's real server."""
    work = Path(tempfile.mkdtemp(prefix=f"broadsheet-{request.param}-"))
    proc = None
    try:
        proc, base = SERVERS[request.param](site, work)
        yield request.param, base
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


def fetch(url: str, redirect: bool = True) -> tuple[int, dict, bytes]:
    """GET with Accept-Encoding: gzip; (status, headers with lower-case names, decoded body)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(*([] if redirect else [NoRedirect]))
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with opener.open(req, timeout=15) as r:
            status, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers, e.read()
    headers = {k.lower(): v for k, v in headers.items()}
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    elif headers.get("content-encoding") == "deflate":
        body = zlib.decompress(body)
    return status, headers, body


def samples(site: Path) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """A file of every kind in the output: {path: (what, accepted Content-Types, content-hashed)}."""
    def one(pattern):
        found = sorted(site.glob(pattern))
        assert found, f"no {pattern} in the output"
        return found[0].relative_to(site).as_posix()
    html, js = ("text/html",), ("text/javascript", "application/javascript")
    xml, octet = ("application/xml", "text/xml", "application/atom+xml"), ("application/octet-stream",)
    return {
        "index.html": ("home page", html, False),
        one("20*/01/02.html"): ("article", html, False),
        one("assets/style.*.css"): ("stylesheet", ("text/css",), True),
        one("assets/search.*.js"): ("search script", js, True),
        "feed.xml": ("Atom feed", xml, False),
        one("feeds/*.xml"): ("section feed", xml, False),
        "sitemap.xml": ("sitemap", xml, False),
        "robots.txt": ("robots.txt", ("text/plain",), False),
        "pagefind/shards.json": ("shard list", ("application/json",), False),
        one("pagefind/*/pagefind-entry.json"): ("Pagefind entry", ("application/json",), False),
        one("pagefind/*/pagefind.js"): ("Pagefind script", js, False),
        one("pagefind/*/wasm.*.pagefind"): ("Pagefind wasm (gzipped)", octet, False),
        one("pagefind/*/pagefind.*.pf_meta"): ("Pagefind meta", octet, True),
        one("pagefind/*/index/*.pf_index"): ("Pagefind index chunk", octet, True),
        one("pagefind/*/fragment/*.pf_fragment"): ("Pagefind fragment", octet, True),
        one("pagefind/*/filter/*.pf_filter"): ("Pagefind filter", octet, True),
    }


def check_caching(what: str, cache_control: str | None, hashed: bool) -> None:
    cc = (cache_control or "").replace(" ", "")
    if hashed:
        assert cc == LONG.replace(" ", ""), f"{what}: content-hashed, wants '{LONG}', got {cache_control!r}"
    else:
        age = re.search(r"max-age=(\d+)", cc)
        short = "no-cache" in cc or (age is not None and int(age.group(1)) <= 300)
        assert short and "immutable" not in cc, f"{what}: must be revalidated soon, got {cache_control!r}"


COMPRESSIBLE = ("text/html", "text/css", "javascript", "json", "xml")
# Below these sizes a server does not compress (nginx's gzip_min_length, Caddy's encode minimum;
# Apache's mod_deflate leaves tiny bodies such as the 12-byte shards.json alone).
GZIP_MIN = {"nginx": 20, "apache": 100, "caddy": 512}


def test_types_caching_and_compression(server, site):
    name, base = server
    for rel, (what, types, hashed) in samples(site).items():
        status, headers, body = fetch(base + rel)
        assert status == 200, f"{name} {rel}: {status}"
        assert body == (site / rel).read_bytes(), f"{name} {rel}: not the file's bytes"
        ctype = headers.get("content-type", "").split(";")[0].strip()
        assert ctype in types, f"{name}: {what} {rel} served as {headers.get('content-type')!r}, wants one of {types}"
        check_caching(f"{name}: {what} {rel}", headers.get("cache-control"), hashed)
        if any(kind in ctype for kind in COMPRESSIBLE) and len(body) >= GZIP_MIN[name]:
            assert headers.get("content-encoding") == "gzip", f"{name}: {what} {rel} is not compressed"
        if ctype in ("text/html", "text/css"):
            assert "charset=utf-8" in headers["content-type"].replace(" ", "").lower(), headers["content-type"]
    # no-cache is cheap: asking again for an unchanged page gets 304 Not Modified, without the page
    _, headers, _ = fetch(base + "index.html")
    req = urllib.request.Request(base + "index.html", headers={"If-Modified-Since": headers["last-modified"]})
    try:
        urllib.request.urlopen(req, timeout=15)
        raise AssertionError(f"{name}: an unchanged page was sent again")
    except urllib.error.HTTPError as e:
        assert e.code == 304, f"{name}: {e.code}"


def test_directory_urls_and_styled_404_under_the_sub_path(server, site):
    name, base = server
    status, headers, body = fetch(base + "2022-04-15/01/")
    assert status == 200 and headers["content-type"].startswith("text/html"), (name, status)
    assert body == (site / "2022-04-15/01/index.html").read_bytes()
    status, headers, _ = fetch(base + "2022-04-15/01", redirect=False)  # a folder without its slash
    assert status in (301, 302, 308), (name, status)
    assert urllib.parse.urljoin(base, headers["location"]) == base + "2022-04-15/01/"
    status, headers, _ = fetch(base.rstrip("/"), redirect=False)  # /paper
    assert status in (301, 302, 308) and urllib.parse.urljoin(base, headers["location"]) == base, (name, status)
    for missing in ("no/such/page/", "2022-04-15/09/99.html", "no-such-file.css"):
        status, headers, body = fetch(base + missing)
        assert status == 404, f"{name} {missing}: {status}"
        assert headers["content-type"].startswith("text/html"), headers["content-type"]
        assert body == (site / "404.html").read_bytes(), f"{name} {missing}: not our 404 page"
        css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', body).group(1).decode()
        status, headers, _ = fetch(urllib.parse.urljoin(base + missing, css))
        assert status == 200 and headers["content-type"].startswith("text/css"), f"{name}: 404 page's {css}: {status}"


def browse(page, requests: list[str], base: str, *, search_url: str, article: str) -> None:
    """Chromium: the article is styled, the 404 page at a deep URL too (where there is one), a
    search returns its article, and every request stayed on 127.0.0.1."""
    response = page.goto(base + article)
    assert response.status == 200
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == PAPER_COLOUR
    assert "街头巷尾" in page.locator("h1").inner_text()
    page.goto(base + search_url)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
    first = page.locator(".pagefind-ui__result-link").first.evaluate("e => e.href")
    assert first == base + article, first
    off_host = [r for r in requests if urllib.parse.urlsplit(r).hostname != "127.0.0.1"]
    assert not off_host, off_host


def test_in_chromium(server, page_watch):
    name, base = server
    page, requests = page_watch
    browse(page, requests, base, search_url="search/?q=街巷长", article="2022-04-15/01/02.html")
    response = page.goto(base + "no/such/page/")
    assert response.status == 404 and page.locator("h1").inner_text() == "页面未找到"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == PAPER_COLOUR, \
        f"{name}: the 404 page at a deep URL has no stylesheet"
    page.locator("a", has_text="往期回顾").first.click()
    page.wait_for_url(base + "archive/")
    off_host = [r for r in requests if urllib.parse.urlsplit(r).hostname != "127.0.0.1"]
    assert not off_host, off_host


def test_nginx_recipe_keeps_the_mime_map():
    """Issue 17: a `types { }` block inside the location replaced nginx's whole MIME map."""
    text = recipe("nginx")
    assert "include /etc/nginx/mime.types;" in text
    assert not re.search(r"^\s*types\s*\{", text, re.M)


# --- S3 ------------------------------------------------------------------------------------------

def repo_copy(dest: Path) -> Path:
    """The repository's files as they are now (tracked and new, not ignored), copied to ``dest``."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@pytest.fixture
def s3(tmp_path):
    """moto's S3 server on 127.0.0.1 with an empty bucket named `bucket`; (endpoint, env)."""
    moto = VENV_BIN / "moto_server"
    assert moto.exists(), "moto_server is missing: `make test` installs requirements-dev.txt"
    port = free_port()
    proc = start([str(moto), "-H", "127.0.0.1", "-p", str(port)], tmp_path, port)
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "AWS_ENDPOINT_URL": endpoint,
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": str(tmp_path / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-cred")}
    try:
        subprocess.run(["aws", "s3", "mb", "s3://bucket"], env=env, check=True, capture_output=True, timeout=60)
        yield endpoint, env
    finally:
        stop(proc)


def test_s3_recipe_uploads_every_file_with_its_type_and_caching(s3, tmp_path, page_watch):
    import boto3
    endpoint, env = s3
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    # left over from an earlier night: the recipe's --delete must remove them
    client.put_object(Bucket="bucket", Key="paper/assets/style.0000000000.css", Body=b"old")
    client.put_object(Bucket="bucket", Key="paper/2000-01-01/index.html", Body=b"old")
    repo = repo_copy(tmp_path / "repo")
    script = recipe("s3-setup") + recipe("s3")
    started = time.time()
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    upload_seconds = time.time() - started
    out = repo / "output"
    keys = {o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket="bucket")
            for o in page.get("Contents", [])}
    files = {"paper/" + p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert keys == files, (sorted(keys - files), sorted(files - keys))
    for rel, (what, types, hashed) in samples(out).items():
        obj = client.get_object(Bucket="bucket", Key="paper/" + rel)
        assert obj["Body"].read() == (out / rel).read_bytes(), rel
        assert obj["ContentType"].split(";")[0] in types, f"S3: {what} {rel} has type {obj['ContentType']!r}"
        check_caching(f"S3: {what} {rel}", obj.get("CacheControl"), hashed)
    website = client.get_bucket_website(Bucket="bucket")
    assert website["ErrorDocument"]["Key"] == "paper/404.html" and website["IndexDocument"]["Suffix"] == "index.html"
    assert b'href="/paper/assets/style.' in (out / "404.html").read_bytes()  # styled at any depth under /paper/
    # the public (unsigned requests) may read the paper, and nothing else in the bucket
    client.put_object(Bucket="bucket", Key="private/notes.txt", Body=b"x")
    assert fetch(f"{endpoint}/bucket/paper/index.html")[0] == 200
    assert fetch(f"{endpoint}/bucket/private/notes.txt")[0] == 403
    # Chromium reads the paper through the S3 API itself (path-style URLs; no website endpoint in moto)
    page, requests = page_watch
    browse(page, requests, f"{endpoint}/bucket/paper/", search_url="search/index.html?q=街巷长",
           article="2022-04-15/01/02.html")
    print(f"S3 recipe: {len(files)} files uploaded in {upload_seconds:.1f}s (build included)")


# --- GitHub Pages --------------------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def test_pages_workflow_passes_actionlint():
    actionlint = VENV_BIN / "actionlint"
    assert actionlint.exists(), "actionlint is missing: `make test` installs requirements-dev.txt"
    need("shellcheck", "shellcheck")  # actionlint checks run: scripts with it when it is on PATH
    proc = subprocess.run([str(actionlint), "-no-color", str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_workflow_build_steps_run_as_written(tmp_path):
    import yaml
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert len(uploads) == 1, "the build job must upload the pages artifact"
    context = {"github.repository_owner": "owner", "github.event.repository.name": "repo"}

    def expand(text: str) -> str:
        def one(m):
            assert m.group(1) in context, f"the test knows no value for ${{{{ {m.group(1)} }}}}"
            return context[m.group(1)]
        return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", one, text)

    runs = [expand(s["run"]) for s in steps if "run" in s]
    assert runs, "the build job has no run: steps"
    repo = repo_copy(tmp_path / "repo")
    for script in runs:  # GitHub runs each with `bash --noprofile --norc -eo pipefail`
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo,
                              capture_output=True, text=True, timeout=900,
                              env={k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")})
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    out = repo / expand(uploads[0]["with"]["path"])
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    assert "https://owner.github.io/repo/" in (out / "feed.xml").read_text("utf-8")
    assert 'href="/repo/assets/style.' in (out / "404.html").read_text("utf-8")
    assert next((out / "pagefind").rglob("*.pf_index"), None), "no search index in the artifact"
