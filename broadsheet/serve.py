"""Local preview: serve ``output/`` with the right MIME types, rebuilding when content changes."""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading
import time
from pathlib import Path

from .errors import BroadsheetError

MIME = {".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream",
        ".pf_filter": "application/octet-stream", ".wasm": "application/wasm",
        ".xml": "application/xml; charset=utf-8", ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
        ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".webp": "image/webp",
        ".avif": "image/avif", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}
COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".webmanifest")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    prefix = ""  # base_url's path, e.g. /paper/: the site is also served there, as when published

    def translate_path(self, path):
        if self.prefix and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.exists():
            self.send_response(404)
            not_found = Path(self.directory) / "404.html"
            body = not_found.read_bytes() if not_found.exists() else b"not found"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Bytes(body)
        if path.suffix in COMPRESS and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file():
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", MIME.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Bytes(body)
        return super().send_head()

    def log_message(self, fmt, *args):
        pass


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def _snapshot(roots: list[Path]) -> tuple:
    out = []
    for root in roots:
        for p in sorted(root.rglob("*")) if root.exists() else ():
            if p.is_file():
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _site_path(content: Path) -> str:
    """The path of site.yaml's base_url ('/paper/'), or '' — the 404 page links under it."""
    import urllib.parse

    import yaml
    try:
        url = (yaml.safe_load((content / "site.yaml").read_text("utf-8")) or {}).get("base_url") or ""
    except (OSError, yaml.YAMLError, AttributeError):
        return ""
    path = urllib.parse.urlsplit(str(url)).path.rstrip("/") + "/"
    return path if path != "/" else ""


def serve(args) -> int:
    from .site import ASSETS, TEMPLATES, build
    output = Path(args.output)
    if not (output / "index.html").exists():
        build(Path(args.content), output)
    if not args.no_rebuild:
        roots = [Path(args.content), TEMPLATES, ASSETS]

        def watch():
            last = _snapshot(roots)
            while True:
                time.sleep(1.0)
                now = _snapshot(roots)
                if now != last:
                    last = now
                    try:
                        build(Path(args.content), output, quiet=True)
                        print("rebuilt after a change", flush=True)
                    except BroadsheetError as e:
                        print(e.report(), flush=True)
        threading.Thread(target=watch, daemon=True).start()
    prefix = _site_path(Path(args.content))
    handler = functools.partial(type("SiteHandler", (Handler,), {"prefix": prefix}),
                                directory=os.fspath(output.resolve()))
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    also = f" (and under {prefix}, as published)" if prefix else ""
    print(f"serving {output}/ at http://{args.bind}:{server.server_address[1]}/{also} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
