"""The widget's link finder on text built to make a regular expression backtrack: a bot
message must render at once, whatever it contains (run with Node, the widget's own source)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT

SCRIPT = """
const { renderBotText } = await import(process.argv[1]);
const parent = { parts: [], append(...items) { this.parts.push(...items); } };
globalThis.document = { createElement: (tag) => ({ tag, append() {}, set textContent(v) { this.text = v; } }) };
const text = process.argv[2];
const started = performance.now();
renderBotText(parent, text);
console.log(JSON.stringify({ ms: performance.now() - started, parts: parent.parts.length }));
"""


@pytest.mark.parametrize("text", ["www." * 30 + "x", "a." * 2000 + "!", "www." * 30 + "nhs.uk/" + "-" * 50])
def test_addresses_built_to_backtrack_render_in_under_200_ms(text):
    node = shutil.which("node")
    assert node, "Node.js builds the widget and must be installed"
    try:
        done = subprocess.run(
            [node, "--input-type=module", "-e", SCRIPT, str(PROJECT_ROOT / "widget" / "src" / "markdown.js"), text],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rendering did not finish in 20 s: the link pattern backtracks exponentially")
    result = json.loads(done.stdout)
    # Exponential backtracking takes seconds on these; the bound leaves room for a busy
    # machine (57 ms was seen with a model training alongside).
    assert result["ms"] < 200, result
    assert result["parts"] >= 1  # the text itself is shown
