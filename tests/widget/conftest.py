"""Fixtures for the widget's browser tests: the built widget, the real assistant (model and
action server) with CORS for the demo site, the demo site, and Debian's chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from tests.servers import PROJECT_ROOT, free_port, start_assistant

WIDGET = PROJECT_ROOT / "widget"
BUILT = WIDGET / "dist" / "clinic-chat.js"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "widget"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}


def response(name: str) -> dict:
    """A response from the domain (its first variation), e.g. the approved answer the widget must show."""
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        if name in responses:
            return responses[name][0]
    raise KeyError(name)


def response_variations(name: str) -> list:
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        if name in responses:
            return responses[name]
    raise KeyError(name)


def response_text(name: str) -> str:
    return response(name)["text"]


@pytest.fixture(scope="package")
def built_widget() -> Path:
    """Builds widget/dist/clinic-chat.js from the sources (needs `npm ci` in widget/ first)."""
    if not (WIDGET / "node_modules" / "esbuild").is_dir():
        pytest.fail("widget/node_modules is missing: run `cd widget && npm ci` (make widget does it)")
    node = shutil.which("node")
    if not node:
        pytest.fail("node is missing: the widget is built with esbuild on Node.js")
    subprocess.run([node, "build.mjs"], cwd=WIDGET, check=True, capture_output=True)
    return BUILT


@pytest.fixture(scope="package")
def demo_port() -> int:
    return free_port()


@pytest.fixture(scope="package")
def demo_origin(demo_port) -> str:
    return f"http://127.0.0.1:{demo_port}"


@pytest.fixture(scope="package")
def widget_assistant(tmp_path_factory, demo_origin):
    """One real assistant for all widget tests. --cors lets the demo page's origin use
    socket.io's long-polling fallback (WebSockets need no CORS), as `make run` does."""
    details = tmp_path_factory.mktemp("widget-details") / "clinic_details.yml"
    details.write_text((PROJECT_ROOT / "content" / "clinic_details.yml").read_text())
    assistant = start_assistant(
        tmp_path_factory.mktemp("widget-assistant"), details_file=details, extra_rasa_args=["--cors", demo_origin]
    )
    yield assistant
    assistant.stop()


def _serve_demo(port: int, rasa_url: str):
    env = dict(os.environ, DEMO_PORT=str(port), RASA_URL=rasa_url, DEMO_QUIET="1")
    process = subprocess.Popen([sys.executable, str(WIDGET / "serve_demo.py")], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:  # another server on the port would answer in its place
            raise RuntimeError(f"the demo server exited with {process.returncode} (port {port} taken?)")
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=1).ok and process.poll() is None:
                return process
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the demo server did not start")


@pytest.fixture(scope="package")
def demo_url(built_widget, widget_assistant, demo_port):
    """The demo clinic site, served as `make run` serves it, talking to the real assistant."""
    process = _serve_demo(demo_port, widget_assistant.url)
    yield f"http://127.0.0.1:{demo_port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-packages.sh (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test: empty sessionStorage and localStorage."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.dialogs = []  # any alert() would be recorded here (and dismissed)
    page.errors = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page


@pytest.fixture(scope="package")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def serve_pages(tmp_path, built_widget, widget_assistant):
    """Serves HTML pages of a test's own on loopback, with the built widget beside them, the
    way the demo site is served (a page must come from loopback to reach the loopback
    assistant: Chromium's Local Network Access checks). Returns the site's URL."""
    import importlib.util
    import threading

    spec = importlib.util.spec_from_file_location("serve_demo", WIDGET / "serve_demo.py")
    serve_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve_demo)
    servers = []

    def serve(pages: dict) -> str:
        folder = tmp_path / f"site{len(servers)}"
        folder.mkdir()
        for name, html in pages.items():
            (folder / name).write_text(html)
        server = serve_demo.make_server("127.0.0.1", 0, widget_assistant.url, pages=folder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
