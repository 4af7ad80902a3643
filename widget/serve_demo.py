"""Serves the widget's demo site on loopback: widget/demo/ plus the built widget/dist/clinic-chat.js.

    DEMO_PORT=8080 RASA_URL=http://127.0.0.1:5005 python widget/serve_demo.py

In the demo pages, %RASA_URL% (the script tag's data-server-url) becomes RASA_URL.
Standard library only (and clinic/settings.py, which is too); binds 127.0.0.1 unless
DEMO_HOST says otherwise. `make run` starts it (deploy/run.py).
"""

from __future__ import annotations

import html
import mimetypes
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WIDGET = Path(__file__).resolve().parent
try:
    from clinic import settings as clinic_settings
except ImportError:  # a Python without the project installed: take it from this checkout
    sys.path.insert(0, str(WIDGET.parent))
    from clinic import settings as clinic_settings

DEMO = WIDGET / "demo"
BUILT = WIDGET / "dist" / "clinic-chat.js"


class DemoHandler(BaseHTTPRequestHandler):
    server_version = "clinic-widget-demo"

    def __init__(self, *args, rasa_url: str, pages: Path = DEMO, **kwargs) -> None:
        self.rasa_url = rasa_url
        self.pages = pages
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # http.server names its handlers so
        self.serve(send_body=True)

    def do_HEAD(self) -> None:
        self.serve(send_body=False)

    def serve(self, send_body: bool) -> None:
        name = urlsplit(self.path).path.lstrip("/") or "index.html"
        if name == "clinic-chat.js":
            path = BUILT
        elif "/" in name or name.startswith("."):
            path = None  # the demo site is flat: no paths into other folders
        else:
            path = self.pages / name
        if path is None or not path.is_file():
            hint = " (build it: cd widget && npm ci && npm run build)" if name == "clinic-chat.js" else ""
            self.send_error(HTTPStatus.NOT_FOUND, f"Not found{hint}")
            return
        body = path.read_bytes()
        if path.suffix == ".html":
            body = body.replace(b"%RASA_URL%", html.escape(self.rasa_url).encode())
        self.send_response(HTTPStatus.OK)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # http.server's signature names it `format`
        if not clinic_settings.flag("DEMO_QUIET"):
            super().log_message(format, *args)


def make_server(host: str, port: int, rasa_url: str, pages: Path = DEMO) -> ThreadingHTTPServer:
    """`pages`: the folder of HTML pages (tests serve pages of their own beside the demo)."""
    return ThreadingHTTPServer((host, port), partial(DemoHandler, rasa_url=rasa_url, pages=pages))


def main() -> int:
    try:
        host = clinic_settings.text("DEMO_HOST")
        port = clinic_settings.integer("DEMO_PORT")
        rasa_url = clinic_settings.url("RASA_URL") or f"http://127.0.0.1:{clinic_settings.integer('RASA_PORT')}"
        clinic_settings.flag("DEMO_QUIET")
    except clinic_settings.SettingsError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if not BUILT.is_file():
        print(
            f"warning: {BUILT.relative_to(WIDGET.parent)} is missing; build it with: cd widget && npm ci && npm run build",
            file=sys.stderr,
        )
    server = make_server(host, port, rasa_url)
    print(
        f"Demo clinic page with the chat widget: http://{host}:{server.server_port}/ (assistant at {rasa_url})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
