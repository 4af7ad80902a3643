"""make profile: where the Rasa server spends its time on the benchmark's conversation.

Starts the trained assistant (Rasa server and action server, SQLite tracker store, as
`make bench` does), plays the benchmark's scripted conversation 10 at a time, and samples
the Rasa server with py-spy (a sampling profiler that attaches from outside, so the server
runs unchanged). Writes reports/profile.svg (a flame graph) and reports/profile.md (the
20 functions with the most samples of their own, with the share of samples each one is on
the stack). A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import List, Tuple

from scripts.bench import CONVERSATION, conversations
from tests.servers import ACTIONS_PYTHON, MODEL, PROJECT_ROOT, start_assistant

PY_SPY = ACTIONS_PYTHON.parent / "py-spy"  # installed in the action server's environment
RATE = 250  # samples per second
TOP = 20


def record(pid: int, url: str, output: Path, form: str) -> int:
    """Sample `pid` while 40 conversations run, 10 at a time; returns the messages sent."""
    profiler = subprocess.Popen(
        [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE), "--format", form, "--output", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # attached before the first message
    timings, errors, _ = asyncio.run(conversations(url, 10, 40))
    profiler.send_signal(2)  # SIGINT: py-spy writes its output and exits
    _, stderr = profiler.communicate(timeout=60)
    if not output.exists():
        raise RuntimeError(f"py-spy wrote no {output.name}: {stderr.decode(errors='replace')[-2000:]}")
    if errors:
        print(f"{errors} of {len(timings)} messages failed", file=sys.stderr)
    return len(timings)


def frame_name(frame: str) -> str:
    """py-spy's 'function (path/to/module.py:123)' as 'function (module.py)': lines differ per call site."""
    if " (" not in frame:
        return frame
    function, where = frame.split(" (", 1)
    path = where.rsplit(":", 1)[0].rstrip(")")
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        try:
            path = str(Path(path).resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            pass
    return f"{function} ({path})"


def top_functions(collapsed: str) -> Tuple[int, List[Tuple[str, int, int]]]:
    """From py-spy's raw (collapsed) stacks: total samples, and (function, own samples,
    samples on the stack) for the TOP functions with the most samples of their own."""
    own: Counter = Counter()
    on_stack: Counter = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(frame) for frame in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for name in set(frames):
            on_stack[name] += count
    return total, [(name, samples, on_stack[name]) for name, samples in own.most_common(TOP)]


def report(total: int, rows: List[Tuple[str, int, int]], messages: int) -> str:
    lines = [
        "# Profile of the Rasa server on the benchmark's conversation",
        "",
        f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; py-spy at {RATE} samples/s; "
        f"{messages} messages, 10 conversations at a time; {total} samples. Flame graph: profile.svg.",
        "",
        "| # | function (module) | own samples | own % | on the stack % |",
        "|---|---|---|---|---|",
    ]
    for number, (name, samples, stacked) in enumerate(rows, 1):
        lines.append(f"| {number} | `{name}` | {samples} | {100 * samples / total:.1f} | {100 * stacked / total:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    if not PY_SPY.exists():
        raise SystemExit(f"py-spy is not installed in {PY_SPY.parent}: run make setup")
    reports = PROJECT_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="clinic-profile-"))
    assistant = start_assistant(workdir / "assistant", model=MODEL)
    try:
        for text in CONVERSATION:  # warm-up: the first message loads lazily built parts
            assistant.send("warm-up", text)
        pid = assistant.processes[1].pid
        record(pid, assistant.url, reports / "profile.svg", "flamegraph")
        raw = workdir / "profile.txt"
        messages = record(pid, assistant.url, raw, "raw")
        total, rows = top_functions(raw.read_text())
        text = report(total, rows, messages)
        (reports / "profile.md").write_text(text)
        print(text)
    finally:
        assistant.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
