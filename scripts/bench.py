"""make bench: speed, memory and training time of our config against the stock `rasa init` config;
what the triage adds per message; and live takeover's latency from a staff member's "send" in
the console to the message on the visitor's socket.io connection (`bench.py takeover`).

Both configs are trained on the same data and domain, each served by a real Rasa
server (with the real action server) on loopback. Prints a table and writes
reports/bench.md. A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import requests

from tests.servers import MODEL, leave_socketio, start_assistant, start_live_takeover, start_staff_console

PROJECT_ROOT = Path(__file__).resolve().parent.parent


RASA = PROJECT_ROOT / ".venv" / "bin" / "rasa"
STOCK_CONFIG = Path(__import__("rasa").__file__).parent / "cli" / "initial_project" / "config.yml"
CONVERSATION = ["hi", "what is tui na", "can it help my back pain", "yes please", "how much is a session", "thanks"]
PARSE_MESSAGES = [
    "what is tui na",
    "are back pain and headaches linked",
    "how much is a session",
    "i want to book",
    "my back is stiff when i sit",
    "who will treat me",
    "do you do acupuncture",
    "bye",
] * 25
CONCURRENCY = (1, 10, 50)
CONVERSATIONS_PER_LEVEL = {1: 20, 10: 40, 50: 100}


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def train(config: Path, name: str, out: Path) -> float:
    """Train from scratch (empty cache) and return seconds."""
    cache = Path(tempfile.mkdtemp(prefix="rasa-cache-"))
    env = dict(os.environ, RASA_CACHE_DIRECTORY=str(cache), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    started = time.monotonic()
    subprocess.run(
        [
            str(RASA),
            "train",
            "--config",
            str(config),
            "--domain",
            "domain",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(cache, ignore_errors=True)
    return time.monotonic() - started


def parse_latency(url: str):
    session = requests.Session()
    timings = []
    for text in PARSE_MESSAGES:
        started = time.perf_counter()
        session.post(f"{url}/model/parse", json={"text": text}, timeout=30).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return percentile(timings, 50), percentile(timings, 95)


async def conversations(url: str, concurrency: int, total: int):
    """`total` scripted conversations, `concurrency` at a time; returns per-message ms, errors, seconds."""
    timings, errors = [], 0
    semaphore = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)

    async def one(n: int, session: aiohttp.ClientSession):
        nonlocal errors
        async with semaphore:
            sender = f"bench-{concurrency}-{n}-{time.time_ns()}"
            for text in CONVERSATION:
                started = time.perf_counter()
                try:
                    async with session.post(
                        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                    ) as reply:
                        body = await reply.json()
                        if reply.status != 200 or not body:
                            errors += 1
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    errors += 1
                timings.append((time.perf_counter() - started) * 1000)

    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.monotonic()
        await asyncio.gather(*(one(n, session) for n in range(total)))
        return timings, errors, time.monotonic() - started


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, model: Path, workdir: Path) -> dict:
    assistant = start_assistant(workdir, model=model)
    try:
        for text in CONVERSATION:  # warm-up
            assistant.send("warm-up", text)
        result = {"name": name}
        result["parse_p50"], result["parse_p95"] = parse_latency(assistant.url)
        for level in CONCURRENCY:
            timings, errors, seconds = asyncio.run(conversations(assistant.url, level, CONVERSATIONS_PER_LEVEL[level]))
            result[level] = {
                "p50": percentile(timings, 50),
                "p95": percentile(timings, 95),
                "errors": errors,
                "throughput": len(timings) / seconds,
                "messages": len(timings),
            }
        result["rss_mb"] = peak_rss_mb(assistant.processes[1].pid)
        return result
    finally:
        assistant.stop()


def report(results, train_seconds) -> str:
    lines = [
        "# Benchmark: our config vs the stock `rasa init` config",
        "",
        f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; same data, domain, action server; loopback.",
        "",
        "| measure | " + " | ".join(r["name"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")

    row("training time (s, empty cache)", lambda r: f"{train_seconds[r['name']]:.0f}")
    row("NLU parse p50 / p95 (ms)", lambda r: f"{r['parse_p50']:.1f} / {r['parse_p95']:.1f}")
    for level in CONCURRENCY:
        row(f"REST p50 / p95 (ms), {level} concurrent", lambda r, l=level: f"{r[l]['p50']:.1f} / {r[l]['p95']:.1f}")
        row(f"throughput (msg/s), {level} concurrent", lambda r, l=level: f"{r[l]['throughput']:.1f}")
        row(f"errors / messages, {level} concurrent", lambda r, l=level: f"{r[l]['errors']} / {r[l]['messages']}")
    row("Rasa server peak RSS (MB)", lambda r: f"{r['rss_mb']:.0f}")
    if len(results) == 2:
        ratio = results[0][10]["throughput"] / results[1][10]["throughput"]
        lines += ["", f"Throughput at 10 concurrent conversations: {ratio:.1f}x the stock config."]
    return "\n".join(lines) + "\n"


def triage_latency() -> str:
    """What the emergency triage (medspaCy signs and ConText, then the learned second opinion
    where the signs find nothing) adds to each message, in process."""
    import yaml

    from clinic.triage.decide import triage
    from clinic.triage.learned import SecondOpinion, load_corpus

    texts = [
        m["text"]
        for path in sorted((PROJECT_ROOT / "tests" / "evaluation").glob("triage_*.yml"))
        for m in yaml.safe_load(path.read_text())["messages"]
    ]
    started = time.perf_counter()
    triage("warm up")
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    second = SecondOpinion.fit(load_corpus())
    fit_ms = (time.perf_counter() - started) * 1000
    timings = []
    for text in texts:
        started = time.perf_counter()
        triage(text, second.opinion)
        timings.append((time.perf_counter() - started) * 1000)
    long = [t for text, t in zip(texts, timings) if len(text) > 200]
    lines = [
        "# Emergency triage: time added per message",
        "",
        f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; one process, the {len(texts)} evaluation messages.",
        "",
        "| measure | ms |",
        "|---|---|",
        f"| pipeline build (once per process) | {build_ms:.0f} |",
        f"| second opinion training (once, in `rasa train`) | {fit_ms:.0f} |",
        f"| per message, p50 | {percentile(timings, 50):.2f} |",
        f"| per message, p95 | {percentile(timings, 95):.2f} |",
        f"| per message, max | {max(timings):.2f} |",
        f"| messages over 200 characters ({len(long)}), p50 | {percentile(long, 50):.2f} |" if long else "",
    ]
    return "\n".join(lines) + "\n"


def nlg_cost(workdir: Path) -> str:
    """What asking the console for every approved answer costs: the console's /nlg on its own,
    and a whole conversation's per-message time with the console and without it (the domain
    files' text), the two assistants measured in alternating rounds on the trained model."""
    console = start_staff_console(workdir / "console")
    assistants = {}
    try:
        session = requests.Session()
        body = {
            "response": "utter_contact_route",
            "arguments": {},
            "tracker": {"sender_id": "bench", "slots": {"clinic_contact_route": "phone"}},
            "channel": {"name": "rest"},
        }
        nlg = []
        for _ in range(500):
            started = time.perf_counter()
            session.post(
                f"{console.url}/nlg", params={"token": console.env["NLG_TOKEN"]}, json=body, timeout=30
            ).raise_for_status()
            nlg.append((time.perf_counter() - started) * 1000)
        assistants["domain files (no console)"] = start_assistant(workdir / "without", model=MODEL)
        assistants["approved content (console /nlg)"] = start_assistant(
            workdir / "with", model=MODEL, extra_env=console.nlg_env
        )
        timings = {name: [] for name in assistants}
        for name, assistant in assistants.items():
            for text in CONVERSATION:
                assistant.send(f"warm-up-{len(name)}", text)
        for _ in range(4):
            for name, assistant in assistants.items():
                measured, errors, _ = asyncio.run(conversations(assistant.url, 1, 10))
                if errors:
                    raise RuntimeError(f"{errors} errors from {name}")
                timings[name] += measured
    finally:
        for assistant in assistants.values():
            assistant.stop()
        console.stop()
    lines = [
        "# Approved answers: what asking the console costs",
        "",
        f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; loopback; SQLite store; the trained model.",
        "",
        "| measure | p50 (ms) | p95 (ms) |",
        "|---|---|---|",
        f"| console `POST /nlg`, one answer with a slot (500 requests) | {percentile(nlg, 50):.2f} | {percentile(nlg, 95):.2f} |",
    ]
    for name, measured in timings.items():
        lines.append(
            f"| REST message, 1 conversation, {name} ({len(measured)} messages) "
            f"| {percentile(measured, 50):.1f} | {percentile(measured, 95):.1f} |"
        )
    return "\n".join(lines) + "\n"


def insights_timing() -> str:
    """The staff console's insights on 100,000 generated conversations in PostgreSQL
    (DATABASE_URL), in a schema of its own that is dropped afterwards (scripts/bench_insights.py)."""
    import json
    import uuid
    from urllib.parse import quote

    import psycopg2

    from clinic import settings as clinic_settings
    from clinic.database_url import with_driver
    from deploy.commands import ACTIONS_PYTHON
    from deploy.scale import ensure_database
    from scripts.bench_insights import CONVERSATIONS, load_events

    url = clinic_settings.url("DATABASE_URL")
    ensure_database(url)
    schema = f"insights_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(with_driver(url, "psycopg2").replace("postgresql+psycopg2://", "postgresql://"))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE SCHEMA "{schema}"')
    in_schema = url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")
    try:
        started = time.monotonic()
        rows = load_events(in_schema)
        loaded = time.monotonic() - started
        timed = subprocess.run(
            [str(ACTIONS_PYTHON), "-m", "scripts.bench_insights", "time", with_driver(in_schema, "psycopg")],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        timings = json.loads(timed.stdout.strip().splitlines()[-1])
    finally:
        admin.cursor().execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()
    lines = [
        "# Insights dashboard: time to compute every number (handoff/insights.py)",
        "",
        f"{CONVERSATIONS:,} generated conversations over 90 days ({rows:,} Rasa events, loaded and indexed "
        f"in {loaded:.0f} s), a request for one in ten, in PostgreSQL; one call does every query of the "
        "page and the API. First call (it rolls up the closed days: docs/insights.md), then the median of five more.",
        "",
        "| range | conversations | requests | first call | median |",
        "|---|---|---|---|---|",
    ]
    for label, result in timings.items():
        lines.append(
            f"| {label} | {result['conversations']:,} | {result['handoffs']:,} | "
            f"{result['first'] * 1000:.0f} ms | {result['median'] * 1000:.0f} ms |"
        )
    return "\n".join(lines) + "\n"


TAKEOVER_SENDS = 100


async def _staff_to_visitor(live, token: str, sends: int) -> list:
    """Milliseconds from each POST /api/conversations/{id}/messages to its bot_uttered at the visitor."""
    import socketio

    loop = asyncio.get_running_loop()
    session_id = f"bench-{time.time_ns()}"
    client = socketio.AsyncClient()
    received: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: received.put_nowait((time.perf_counter(), data.get("text"))))
    client.on("session_confirm", lambda _: confirmed.set())
    # Long-polling: the python-socketio client's WebSocket needs a newer aiohttp than Rasa 3.6 pins; a
    # long-poll is answered as soon as a message is there, as the widget's fallback is.
    await client.connect(live.assistant.url, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": session_id})
    await asyncio.wait_for(confirmed.wait(), 30)
    await client.emit("user_uttered", {"message": "hello", "session_id": session_id})
    await asyncio.wait_for(received.get(), 60)
    headers = {"Authorization": f"Bearer {token}"}
    api = f"{live.console_url}/api/conversations/{session_id}"

    def post(what: str, **body):
        answer = requests.post(f"{api}/{what}", json=body or None, headers=headers, timeout=30)
        answer.raise_for_status()

    await asyncio.sleep(1)
    await loop.run_in_executor(None, post, "takeover")
    timings = []
    for number in range(sends):
        text = f"Staff message {number}"
        started = time.perf_counter()
        await loop.run_in_executor(None, lambda: post("messages", text=text))
        while True:
            at, said = await asyncio.wait_for(received.get(), 30)
            if said == text:
                timings.append((at - started) * 1000)
                break
    await loop.run_in_executor(None, post, "release")
    await leave_socketio(client)
    return timings


def takeover_latency(workdir: Path) -> str:
    """The real Rasa server, action server and console on loopback, one visitor on socket.io."""
    password = "a long enough password for the benchmark"
    live = start_live_takeover(workdir / "takeover", ["bench"], password)
    try:
        login = requests.post(
            f"{live.console_url}/api/login", json={"username": "bench", "password": password}, timeout=30
        )
        timings = asyncio.run(_staff_to_visitor(live, login.json()["token"], TAKEOVER_SENDS))
    finally:
        live.stop()
    lines = [
        "## Live takeover: staff send to the visitor's screen",
        "",
        f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; {len(timings)} staff messages, one at a time: "
        "console API → Rasa's staff channel (tracker saved under the lock) → socket.io `bot_uttered` (long-polling client).",
        "",
        "| measure | ms |",
        "|---|---|",
        f"| p50 | {percentile(timings, 50):.1f} |",
        f"| p95 (target under 300) | {percentile(timings, 95):.1f} |",
        f"| max | {max(timings):.1f} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """`bench.py` measures both configs, the triage, the approved answers' cost, the insights
    dashboard and the live takeover; `bench.py ours`, `stock`, `triage`, `nlg`, `insights` or
    `takeover` only those named.

    The stock config trains DIET with transformer layers, TED and UnexpecTED: on two
    cores that alone takes tens of minutes, so each result is printed as soon as it is in.
    """
    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    wanted = set(sys.argv[1:]) or {"ours", "stock", "triage", "nlg", "insights", "takeover"}
    parts = {
        "triage": ("bench_triage.md", triage_latency),
        "nlg": ("bench_nlg.md", lambda: nlg_cost(workdir / "nlg")),
        "insights": ("bench_insights.md", insights_timing),
        "takeover": ("bench_takeover.md", lambda: takeover_latency(workdir)),
    }
    for part, (report_name, measure_part) in parts.items():
        if part in wanted:
            text = measure_part()
            print(text, flush=True)
            (PROJECT_ROOT / "reports").mkdir(exist_ok=True)
            (PROJECT_ROOT / "reports" / report_name).write_text(text)
    if not wanted & {"ours", "stock"}:
        shutil.rmtree(workdir, ignore_errors=True)
        return
    try:
        configs = [("ours", PROJECT_ROOT / "config.yml"), ("stock rasa init", STOCK_CONFIG)]
        train_seconds, results = {}, []
        for name, config in configs:
            if name.split()[0] not in wanted:
                continue
            print(f"Training {name} ...", flush=True)
            model_name = name.replace(" ", "-")
            train_seconds[name] = train(config, model_name, workdir)
            print(f"Measuring {name} ...", flush=True)
            results.append(measure(name, workdir / f"{model_name}.tar.gz", workdir / model_name))
            print(report(results, train_seconds), flush=True)
        text = report(results, train_seconds)
        (PROJECT_ROOT / "reports").mkdir(exist_ok=True)
        (PROJECT_ROOT / "reports" / "bench.md").write_text(text)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
