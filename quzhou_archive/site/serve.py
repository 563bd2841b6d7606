"""`build_site.py serve`: preview the built site with the standard library."""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys
from pathlib import Path
from urllib.parse import urlsplit

from quzhou_archive.errors import ArchiveError


# GitHub Pages compresses text on the way out; so does the preview, so that
# what a page costs to load here is what it costs there.
_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in _COMPRESSIBLE and path.is_file()):
            return super().send_head()
        if not self.path.split("?", 1)[0].endswith("/") and Path(self.translate_path(self.path)).is_dir():
            return super().send_head()  # let the standard handler redirect to the folder's slash
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path):
        # serve the site under its base path, as GitHub Pages would
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.base):
            return str(Path(self.directory) / "__outside_base__")
        return super().translate_path("/" + clean[len(self.base):])

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    quiet = False

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a browser that stops reading (a cancelled fetch) is not an error worth a traceback
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(site: Path, port: int, base_url: str = "/", host: str = "127.0.0.1", quiet: bool = False):
    path = urlsplit(base_url).path if "://" in base_url else base_url
    base = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    handler = functools.partial(type("Handler", (_Handler,), {"base": base, "quiet": quiet}), directory=str(site))
    return _Server((host, port), handler), base


def serve(site: Path, port: int, base_url: str = "/") -> int:
    if not (site / "index.html").exists():
        raise ArchiveError(site, "no built site here (run `python build_site.py` first)")
    try:
        server, base = make_server(site, port, base_url)
    except OSError as err:
        raise ArchiveError(site, f"cannot listen on port {port}: {err.strerror}") from None
    # the port bound, which is not the one asked for when that was 0
    print(f"serving {site}/ at http://127.0.0.1:{server.server_address[1]}{base} (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
