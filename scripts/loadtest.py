"""make loadtest: scripted visitors against the embedded default and the scale profile.

Each profile is started on free loopback ports with the real model and action servers:
`embedded` (SQLite, in-process lock, one Rasa and one action server), `scale-1` and
`scale-2` (PostgreSQL, Redis, 1 or 2 Rasa and action servers behind nginx; see
deploy/scale.py). Virtual visitors play whole conversations, checking every answer:
topic questions, a booking through the whole handoff form, and a red flag, half of them
over REST and half over socket.io. Between messages a visitor reads and types (the think
time), and visitors arrive spread over the first think time; the saturation run has
neither and shows the most a profile can answer.

Reported per profile and load: messages, errors (HTTP error, timeout, no answer, or an
answer that fails its check), throughput, p50/p95/p99 latency (REST: the request;
socket.io: until the turn's first message, as the widget shows it; the turn is complete
when the server acknowledges the message), each process's peak
memory (VmHWM, with its child processes), and tracker growth (one conversation of 1,000
messages: median latency of its first and last 50). A benchmark, not a test. Writes
reports/loadtest.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp
import socketio

from tests.integration.test_conversation_server import text_of
from tests.integration.test_handoff_form import ask
from tests.servers import leave_socketio, start_assistant, start_scale

PROJECT_ROOT = Path(__file__).resolve().parent.parent


Check = Optional[Callable[[List[str]], bool]]


def says(text: str) -> Check:
    return lambda replies: text in replies


def says_in_order(*texts: str) -> Check:
    """Exactly these messages, in this order (a whole turn)."""
    return lambda replies: replies == list(texts)


def mentions(fragment: str) -> Check:
    return lambda replies: any(fragment in reply for reply in replies)


TOPICS: List[Tuple[str, Check]] = [
    ("hi", mentions("automated assistant")),
    # the first health answer: the fact, the note, and (a treatment answer) the booking offer
    (
        "what is tui na",
        says_in_order(text_of("utter_ask_tuina"), text_of("utter_health_note"), text_of("utter_offer_booking")),
    ),
    # a second one: its fact alone (the note is said once per conversation)
    ("are back pain and headaches linked", says_in_order(text_of("utter_ask_headache_back_pain_link"))),
    ("how much is a session", mentions("prices")),
    ("thanks, bye", None),
]
BOOKING: List[Tuple[str, Check]] = [
    ("I'd like to book an appointment", says(text_of("utter_ask_handoff_consent"))),
    ("yes", says(ask("utter_ask_handoff_name"))),
    ("Jo Bloggs", says(ask("utter_ask_handoff_contact"))),
    ("07911 123456", says(ask("utter_ask_handoff_times"))),
    ("Tuesday afternoon", says(ask("utter_ask_handoff_topic"))),
    ("my lower back", mentions("your reference is")),
]
RED_FLAG: List[Tuple[str, Check]] = [
    ("hello", None),
    ("I have the worst headache of my life and my arm has gone numb", mentions("999")),
]
CONVERSATIONS = [TOPICS, BOOKING, TOPICS, RED_FLAG, BOOKING]  # topics 2/5, booking 2/5, red flag 1/5
GROWTH_MESSAGES = [
    "what is tui na",
    "are back pain and headaches linked",
    "can tui na help headaches",
    "what causes back pain",
    "thanks",
]
TIMEOUT_SECONDS = 30


@dataclass
class Results:
    latencies_ms: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    messages: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class RestVisitor:
    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url, self.session, self.sender = url, session, f"load-{uuid.uuid4().hex}"

    async def start(self) -> None:
        pass

    async def say(self, text: str) -> List[str]:
        async with self.session.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text}
        ) as reply:
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
            return [message.get("text", "") for message in await reply.json()]

    async def stop(self) -> None:
        pass


class SocketVisitor:
    """The widget's protocol (session_request, user_uttered, bot_uttered), over long-polling:
    this python-engineio's WebSocket client needs a newer aiohttp than Rasa 3.6 allows."""

    def __init__(self, url: str, _session) -> None:
        self.url, self.session_id = url, uuid.uuid4().hex
        # The browser's socket.io client waits 20 s for a connection; engineio's default is 5 s.
        self.client = socketio.AsyncClient(reconnection=True, request_timeout=20)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.confirmed = asyncio.Event()
        self.first_reply_at: Optional[float] = None
        self.client.on("bot_uttered", self._received)
        self.client.on("session_confirm", lambda _: self.confirmed.set())
        self.client.on("connect", self._request_session)

    def _received(self, data: dict) -> None:
        if self.first_reply_at is None:
            self.first_reply_at = time.perf_counter()
        self.inbox.put_nowait(data.get("text", ""))

    async def _request_session(self) -> None:
        await self.client.emit("session_request", {"session_id": self.session_id})

    async def start(self) -> None:
        await self.client.connect(
            f"{self.url}?route={self.session_id}", transports=["polling"], socketio_path="/socket.io", wait_timeout=20
        )
        await asyncio.wait_for(self.confirmed.wait(), TIMEOUT_SECONDS)

    async def say(self, text: str) -> List[str]:
        # Sent as the widget sends it, with an acknowledgement: the server acknowledges once
        # the turn is answered, after its messages, on the same connection, so every
        # message of this turn is in by then (and none of it spills into the next turn).
        self.first_reply_at = None
        await self.client.call(
            "user_uttered", {"message": text, "session_id": self.session_id}, timeout=TIMEOUT_SECONDS
        )
        replies = []
        while not self.inbox.empty():
            replies.append(self.inbox.get_nowait())
        return replies

    async def stop(self) -> None:
        await leave_socketio(self.client)


async def visitor_loop(
    number: int, url: str, session, results: Results, deadline: float, think: Tuple[float, float], max_messages: int
) -> None:
    rng = random.Random(number)
    kind = RestVisitor if number % 2 == 0 else SocketVisitor
    transport = "REST" if kind is RestVisitor else "socket.io"
    conversation_number = number
    if think[1] > 0:
        # Visitors arrive spread over one think time, as on a website, instead of all 50
        # sending their first message in the same millisecond (saturation keeps that).
        await asyncio.sleep(rng.uniform(0, think[1]))
    while time.monotonic() < deadline and results.messages < max_messages:
        visitor = kind(url, session)
        try:
            await visitor.start()
        except Exception as problem:  # noqa: BLE001 - counted, and the visitor tries again
            results.error(f"connect: {type(problem).__name__}")
            await asyncio.sleep(1)
            continue
        for text, check in CONVERSATIONS[conversation_number % len(CONVERSATIONS)]:
            if time.monotonic() >= deadline or results.messages >= max_messages:
                break
            started = time.perf_counter()
            results.messages += 1
            try:
                replies = await asyncio.wait_for(visitor.say(text), TIMEOUT_SECONDS + 5)
                answered = getattr(visitor, "first_reply_at", None) or time.perf_counter()
                results.latencies_ms.append((answered - started) * 1000)
                if not replies:
                    results.error(f"no answer, {transport}")
                elif check and not check(replies):
                    results.error(f"wrong answer, {transport}")
            except asyncio.TimeoutError:
                results.error(f"timeout, {transport}")
            except Exception as problem:  # noqa: BLE001
                results.error(type(problem).__name__ if "HTTP" not in str(problem) else str(problem))
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
        await visitor.stop()
        conversation_number += 3


async def run_level(url: str, visitors: int, seconds: float, think: Tuple[float, float], max_messages: int) -> dict:
    results = Results()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS), connector=connector
    ) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(visitor_loop(number, url, session, results, deadline, think, max_messages) for number in range(visitors))
        )
        elapsed = time.monotonic() - started
    latencies = sorted(results.latencies_ms) or [float("nan")]
    return {
        "messages": results.messages,
        "errors": sum(results.errors.values()),
        "error_kinds": results.errors,
        "throughput": results.messages / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
    }


async def tracker_growth(url: str, messages: int) -> Tuple[float, float]:
    """Median latency (ms) of the first and the last 50 messages of one long conversation."""
    sender, timings = f"growth-{uuid.uuid4().hex}", []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for number in range(messages):
            started = time.perf_counter()
            async with session.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": GROWTH_MESSAGES[number % len(GROWTH_MESSAGES)]},
            ) as reply:
                await reply.read()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[:50]), statistics.median(timings[-50:])


def percentile(ordered: List[float], pct: float) -> float:
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def peak_memory_mb(processes: Dict[str, int]) -> Dict[str, float]:
    """VmHWM of each process plus its descendants (nginx workers, Sanic's worker process)."""

    def descendants(pid: int) -> List[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                found += [child] + descendants(child)
        return found

    def vmhwm(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    return {name: sum(vmhwm(p) for p in [pid] + descendants(pid)) for name, pid in processes.items()}


def start_profile(name: str, workdir: Path):
    if name == "embedded":
        assistant = start_assistant(workdir)
        return assistant, {"rasa": assistant.processes[1].pid, "actions": assistant.processes[0].pid}
    instances = int(name.split("-")[1])
    # Every virtual visitor comes from loopback: the front door's per-address limits would
    # measure themselves, not the servers.
    deployment = start_scale(workdir, instances=instances, exempt_addresses=["127.0.0.1"])
    return deployment, deployment.pids()


def measure(name: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"clinic-loadtest-{name}-"))
    print(f"[{name}] starting ...", flush=True)
    started = time.monotonic()
    target, pids = start_profile(name, workdir)
    result = {"name": name, "start_seconds": time.monotonic() - started, "levels": {}}
    try:
        asyncio.run(run_level(target.url, 2, 10, (0, 0), 40))  # warm-up, not reported
        think = (args.think_min, args.think_max)
        for visitors in args.levels:
            print(
                f"[{name}] {visitors} visitors, think {think[0]:g}-{think[1]:g} s, {args.seconds:g} s ...", flush=True
            )
            result["levels"][f"{visitors}"] = asyncio.run(
                run_level(target.url, visitors, args.seconds, think, args.max_messages)
            )
            print(f"    {result['levels'][f'{visitors}']}", flush=True)
        if args.saturation:
            print(f"[{name}] saturation: {args.saturation} visitors, no think time ...", flush=True)
            result["levels"]["saturation"] = asyncio.run(
                run_level(target.url, args.saturation, args.saturation_seconds, (0, 0), args.max_messages)
            )
            print(f"    {result['levels']['saturation']}", flush=True)
        if args.growth and name in args.growth_profiles.split(","):
            print(f"[{name}] one conversation of {args.growth} messages ...", flush=True)
            result["growth"] = asyncio.run(tracker_growth(target.url, args.growth))
            print(
                f"    first 50 / last 50 median: {result['growth'][0]:.0f} / {result['growth'][1]:.0f} ms", flush=True
            )
        result["memory"] = peak_memory_mb(pids)
    finally:
        target.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def report(results: List[dict], args) -> str:
    lines = [
        "# Load test",
        "",
        f"{time.strftime('%Y-%m-%d')}; {os.cpu_count()} cores ({cpu_model()}); everything on this one machine, loopback.",
        f"Think time between a visitor's messages: uniform {args.think_min:g}-{args.think_max:g} s; {args.seconds:g} s per load; "
        f"saturation: {args.saturation} visitors with no think time for {args.saturation_seconds:g} s. "
        "Visitors arrive spread over the first think time. Half the visitors on REST, half on socket.io (long-polling).",
        "",
        "| profile | visitors | messages | errors | msg/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for level, numbers in result["levels"].items():
            errors = f"{numbers['errors']}" + (f" ({numbers['error_kinds']})" if numbers["errors"] else "")
            lines.append(
                f"| {result['name']} | {level} | {numbers['messages']} | {errors} | {numbers['throughput']:.1f} | "
                f"{numbers['p50']:.0f} | {numbers['p95']:.0f} | {numbers['p99']:.0f} |"
            )
    lines += [
        "",
        "| profile | start (s) | peak memory per process (MB, with its child processes) | tracker growth: median first / last 50 of "
        f"{args.growth} messages (ms) |",
        "|---|---|---|---|",
    ]
    for result in results:
        memory = ", ".join(f"{name} {mb:.0f}" for name, mb in result.get("memory", {}).items())
        growth = result.get("growth")
        lines.append(
            f"| {result['name']} | {result['start_seconds']:.0f} | {memory} | "
            + (f"{growth[0]:.0f} / {growth[1]:.0f}" if growth else "-")
            + " |"
        )
    lines += ["", "PostgreSQL and Redis are the machine's shared servers; their memory is not counted."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", default="embedded,scale-1,scale-2")
    parser.add_argument("--levels", default="1,10,50", help="concurrent visitors, with think time")
    parser.add_argument("--seconds", type=float, default=45, help="per load level")
    parser.add_argument("--think-min", type=float, default=3)
    parser.add_argument("--think-max", type=float, default=12)
    parser.add_argument("--saturation", type=int, default=50, help="visitors with no think time")
    parser.add_argument("--saturation-seconds", type=float, default=30)
    parser.add_argument("--max-messages", type=int, default=20_000, help="upper bound per load level")
    parser.add_argument("--growth", type=int, default=1000, help="messages in the long conversation (0: skip)")
    parser.add_argument(
        "--growth-profiles",
        default="embedded",
        help="profiles that play the long conversation (about 9 minutes each here)",
    )
    args = parser.parse_args()
    args.levels = [int(level) for level in args.levels.split(",") if level]
    results = []
    for name in [profile.strip() for profile in args.profiles.split(",") if profile.strip()]:
        results.append(measure(name, args))
        print(report(results, args), flush=True)
    text = report(results, args)
    (PROJECT_ROOT / "reports").mkdir(exist_ok=True)
    (PROJECT_ROOT / "reports" / "loadtest.md").write_text(text)
    print("Written to reports/loadtest.md")


if __name__ == "__main__":
    main()
