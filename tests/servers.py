"""Start the real action server and Rasa server on free loopback ports, for tests and the benchmark."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import requests

from deploy import commands
from deploy.commands import ACTIONS_PYTHON, PROJECT_ROOT, read_limits  # noqa: F401 (imported from here by the tests)
from deploy.scale import ScaleDeployment, ScaleSettings, start_scale_profile, wait_for_url

MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until `url` answers 2xx; fails with the end of the server's log if it exits or times out."""
    wait_for_url(
        url,
        timeout,
        lambda: f"{log.stem} exited with {process.returncode}:\n{log.read_text()[-3000:]}"
        if process.poll() is not None
        else None,
        lambda: log.read_text()[-3000:],
    )


def _ephemeral_ports() -> range:
    """The kernel's range for outgoing connections' local ports (Linux; the usual default otherwise)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return range(int(low), int(high) + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def free_port() -> int:
    """A loopback port that is free now and outside the ephemeral range.

    A port the kernel hands out with bind(0) is an ephemeral one: while a server takes
    seconds to start, any outgoing connection (a health poll, a database client) may be
    given that same port, and the server then fails with "Address already in use".
    Ports below the ephemeral range are only ever taken by servers that ask for them.
    """
    ephemeral = _ephemeral_ports()
    low, high = (20000, ephemeral.start) if ephemeral.start > 21000 else (ephemeral.stop, 65536)
    for _ in range(200):
        port = random.randrange(low, high)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {low}..{high}")


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Assistant:
    workdir: Path
    rasa_port: int
    actions_port: int
    processes: List[subprocess.Popen] = field(default_factory=list)
    rasa_command: List[str] = field(default_factory=list)
    actions_command: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_log(self) -> Path:
        return self.workdir / "actions.log"

    def send(self, sender: str, message, timeout: float = 30) -> List[Dict]:
        """One visitor message over the REST channel; returns the bot messages."""
        reply = requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
        )
        reply.raise_for_status()
        return reply.json()

    def parse(self, text: str) -> Dict:
        reply = requests.post(f"{self.url}/model/parse", json={"text": text}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def stop_rasa(self) -> None:
        """Stop only the Rasa server (the action server keeps running), e.g. to test reconnection."""
        _terminate(self.processes[1])

    def start_rasa(self, timeout: float = 180) -> None:
        """Start the Rasa server again on the same port, with the same tracker store."""
        log_path = self.workdir / "rasa.log"
        self.processes[1] = subprocess.Popen(
            self.rasa_command, cwd=PROJECT_ROOT, env=self.env, stdout=log_path.open("a"), stderr=subprocess.STDOUT
        )
        _wait_for(f"{self.url}/status", self.processes[1], log_path, timeout)

    def kill_actions(self) -> None:
        """SIGKILL the action server and its Sanic worker process, as a crash would."""
        os.killpg(self.processes[0].pid, signal.SIGKILL)
        self.processes[0].wait()

    def start_actions(self, timeout: float = 60) -> None:
        self.processes[0] = subprocess.Popen(
            self.actions_command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.actions_log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for(f"http://127.0.0.1:{self.actions_port}/health", self.processes[0], self.actions_log, timeout)

    def stop(self) -> None:
        for process in reversed(self.processes):
            _terminate(process)


def start_assistant(
    workdir: Path,
    model: Path = MODEL,
    details_file: Optional[Path] = None,
    extra_env: Optional[Dict[str, str]] = None,
    credentials: Path = PROJECT_ROOT / "credentials.yml",
    extra_rasa_args: Optional[List[str]] = None,
) -> Assistant:
    """Action server + Rasa server with a SQLite tracker store of their own in workdir.

    `credentials` selects the input channels; `extra_env` reaches both servers.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    assistant = Assistant(workdir=workdir, rasa_port=free_port(), actions_port=free_port())
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SANIC_HOST="127.0.0.1",
        **(extra_env or {}),
    )
    if details_file:
        env["CLINIC_DETAILS_FILE"] = str(details_file)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{assistant.actions_port}/webhook"\n'
        f'tracker_store:\n  type: stores.tracker_store.URLSQLTrackerStore\n  url: "sqlite:///{workdir / "trackers.db"}"\n'
        "nlg:\n  type: components.approved_responses.ApprovedResponses\n"  # NLG_TOKEN, NLG_URL: extra_env
    )
    actions_log = assistant.actions_log.open("w")
    assistant.actions_command = commands.action_server(assistant.actions_port)
    assistant.processes.append(  # a process group of its own: Sanic serves from a worker process
        subprocess.Popen(
            assistant.actions_command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=actions_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    rasa_log_path = workdir / "rasa.log"
    rasa_log = rasa_log_path.open("w")
    assistant.env = env
    assistant.rasa_command = commands.rasa_server(
        assistant.rasa_port, model, endpoints, credentials, extra=["--enable-api", *(extra_rasa_args or [])]
    )
    assistant.processes.append(
        subprocess.Popen(assistant.rasa_command, cwd=PROJECT_ROOT, env=env, stdout=rasa_log, stderr=subprocess.STDOUT)
    )
    try:
        _wait_for(
            f"http://127.0.0.1:{assistant.actions_port}/health", assistant.processes[0], assistant.actions_log, 60
        )
        _wait_for(f"{assistant.url}/status", assistant.processes[1], rasa_log_path, 180)
    except Exception:
        assistant.stop()
        raise
    return assistant


@dataclass
class StaffConsole:
    """The staff console (Python 3.12 environment) with a SQLite handoff store of its own."""

    url: str
    process: subprocess.Popen
    env: Dict[str, str]
    log: Path

    @property
    def nlg_env(self) -> Dict[str, str]:
        """What a Rasa server (and the action server, which reads the store) needs to ask it."""
        return {
            "NLG_TOKEN": self.env["NLG_TOKEN"],
            "NLG_URL": f"{self.url}/nlg",
            "HANDOFF_DATABASE_URL": self.env["HANDOFF_DATABASE_URL"],
        }

    def run(self, *args: str) -> None:
        """`python -m …` in the console's environment, against its store (fails with its output)."""
        done = subprocess.run(
            [str(ACTIONS_PYTHON), *args], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(done.stdout + done.stderr)

    def stop(self) -> None:
        _terminate(self.process)


def staff_api(console_url: str, username: str, password: str) -> requests.Session:
    """A requests session logged in to the console's JSON API as `username`."""
    login = requests.post(f"{console_url}/api/login", json={"username": username, "password": password}, timeout=30)
    if login.status_code != 200:
        raise RuntimeError(f"login as {username}: {login.status_code} {login.text}")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


def start_staff_console(workdir: Path, staff_password: str = "", staff: Sequence[str] = ()) -> StaffConsole:
    """Migrate a new SQLite store (schema and the content store's seed), add `staff` accounts
    with `staff_password`, and start the console with an NLG_TOKEN of its own."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{workdir / 'handoffs.db'}",
        TRACKER_DATABASE_URL=f"sqlite:///{workdir / 'trackers.db'}",
        CONSOLE_PORT=str(port),
        NLG_TOKEN=secrets.token_urlsafe(24),
        STAFF_PASSWORD=staff_password,
        LOG_MAX_BYTES="1000000",
        LOG_BACKUPS="1",
    )
    log = workdir / "console.log"
    console = StaffConsole(f"http://127.0.0.1:{port}", None, env, log)  # type: ignore[arg-type]
    console.run(*commands.migrate()[1:])
    for name in staff:
        console.run("-m", "handoff.cli", "staff-user", name)
    console.process = subprocess.Popen(
        commands.staff_console(), cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    try:
        _wait_for(f"{console.url}/login", console.process, log, 60)
    except Exception:
        console.stop()
        raise
    return console


@dataclass
class LiveTakeover:
    """A real assistant and the staff console beside it, as `make run` starts them (shared secrets,
    one handoff database, the console reading Rasa's tracker store), with staff accounts."""

    assistant: Assistant
    console_url: str
    console: subprocess.Popen
    console_log: Path
    env: Dict[str, str]

    def stop(self) -> None:
        _terminate(self.console)
        self.assistant.stop()


def start_live_takeover(
    workdir: Path,
    staff: Sequence[str],
    password: str,
    extra_env: Optional[Dict[str, str]] = None,
    extra_rasa_args: Optional[List[str]] = None,
) -> LiveTakeover:
    """Assistant first (the console needs its URL), then the console on the port Rasa's NLG asks."""
    workdir.mkdir(parents=True, exist_ok=True)
    console_port = free_port()
    console_url = f"http://127.0.0.1:{console_port}"
    shared = {
        **commands.shared_secrets({}),
        "HANDOFF_DATABASE_URL": f"sqlite:///{workdir / 'handoffs.db'}",
        "NLG_URL": f"{console_url}/nlg",
        **(extra_env or {}),
    }
    env = dict(os.environ, **shared, LOG_MAX_BYTES="1000000", LOG_BACKUPS="1", STAFF_PASSWORD=password)
    subprocess.run(commands.migrate(), cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    for name in staff:
        subprocess.run(
            [str(ACTIONS_PYTHON), "-m", "handoff.cli", "staff-user", name],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    assistant = start_assistant(workdir / "assistant", extra_env=shared, extra_rasa_args=extra_rasa_args)
    env.update(
        CONSOLE_PORT=str(console_port),
        RASA_URL=assistant.url,
        TRACKER_DATABASE_URL=f"sqlite:///{assistant.workdir / 'trackers.db'}",
        CONSOLE_FAILED_LOGINS_PER_ADDRESS="1000",
        PYTHONUNBUFFERED="1",
    )
    log = workdir / "console.log"
    console = subprocess.Popen(
        commands.staff_console(), cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    running = LiveTakeover(assistant, console_url, console, log, env)
    try:
        _wait_for(f"{console_url}/login", console, log, 60)
    except Exception:
        running.stop()
        raise
    return running


def start_scale(
    workdir: Path,
    instances: int = 2,
    database_url: Optional[str] = None,
    redis_url: Optional[str] = None,
    model: Path = MODEL,
    extra_env: Optional[Dict[str, str]] = None,
    exempt_addresses: Sequence[str] = (),
    console: bool = False,
) -> ScaleDeployment:
    """The scale profile (deploy/scale.py) on free loopback ports; the staff console only
    with `console` (then every Rasa server asks it for approved answers).

    Without `database_url`, the database `clinic_scale_test` on DATABASE_URL's server (the
    local PostgreSQL); without `redis_url`, REDIS_URL or the local Redis.
    """
    if database_url is None:
        server = os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
        database_url = server.rsplit("/", 1)[0] + "/clinic_scale_test"
    settings = ScaleSettings(
        instances=instances,
        database_url=database_url,
        redis_url=redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1",
        front_port=free_port(),
        actions_front_port=free_port(),
        console_port=free_port() if console else None,
        run_dir=workdir,
        model=model,
        extra_env=dict(extra_env or {}),
        exempt_addresses=list(exempt_addresses),
        rest_at_front_door=True,  # the tests and the load test talk REST through it
    )
    # Instance ports are base + 1..N: take a base whose whole range is free.
    settings.rasa_base_port = _free_range(instances)
    settings.actions_base_port = _free_range(instances, avoid=settings.rasa_base_port)
    return start_scale_profile(settings)


def _free_range(count: int, avoid: int = -1000) -> int:
    """A base port b such that b+1..b+count are free now and do not overlap avoid+1..avoid+count."""
    for _ in range(50):
        base = free_port()
        if base + count >= 65535 or abs(base - avoid) <= count:
            continue
        ports = []
        try:
            for number in range(1, count + 1):
                sock = socket.socket()
                ports.append(sock)
                sock.bind(("127.0.0.1", base + number))
            return base
        except OSError:
            continue
        finally:
            for sock in ports:
                sock.close()
    raise RuntimeError("no free range of loopback ports")


async def leave_socketio(client) -> None:
    """Disconnect a python-socketio AsyncClient at once.

    Since python-socketio 5.10 the client's disconnect() waits for its pending long-poll
    request to come back, which this engine.io server answers only at the next ping
    (25 s). This sends engine.io's close packet and leaves without waiting, as
    disconnect() did before; the server ends the session on the close packet.
    """
    await client.eio.disconnect(abort=True)
