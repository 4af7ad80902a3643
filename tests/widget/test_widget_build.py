"""The built file: size budget, no HTML sinks, and the privacy notice from the clinic details."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess

import yaml

from tests.widget.conftest import PROJECT_ROOT, WIDGET

SIZE_BUDGET_GZIP = 60 * 1024


def test_built_widget_is_within_the_size_budget_and_writes_no_html(built_widget):
    code = built_widget.read_bytes()
    size = len(gzip.compress(code, compresslevel=9))
    assert size <= SIZE_BUDGET_GZIP, f"{size} bytes gzipped, socket.io client included"
    assert b"session_request" in code and b"EIO" in code  # the socket.io client is inside
    for sink in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"document.write"):
        assert sink not in code
    assert (WIDGET / "package-lock.json").is_file()


def test_privacy_notice_url_comes_from_the_clinic_details(tmp_path, built_widget):
    details = yaml.safe_load((PROJECT_ROOT / "content" / "clinic_details.yml").read_text())
    details["privacy_notice_url"] = "https://clinic.example/privacy"
    details_file = tmp_path / "clinic_details.yml"
    details_file.write_text(yaml.safe_dump(details))
    out = tmp_path / "clinic-chat.js"
    env = dict(os.environ, CLINIC_DETAILS_FILE=str(details_file), WIDGET_OUTFILE=str(out))
    subprocess.run([shutil.which("node"), "build.mjs"], cwd=WIDGET, env=env, check=True, capture_output=True)
    assert b'"https://clinic.example/privacy"' in out.read_bytes()
    # The shipped details leave it blank: the default build has no privacy URL baked in.
    assert b"clinic.example" not in built_widget.read_bytes()
