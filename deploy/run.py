"""`make run` and `make shell`: the assistant on this machine, on localhost.

    .venv-actions/bin/python -m deploy.run          action server, staff console, demo page, Rasa server
    .venv-actions/bin/python -m deploy.run shell    action server, and `rasa shell` in this terminal

Embedded defaults: conversations in SQLite (var/trackers.db, endpoints.yml), Rasa's
in-process lock store. With another ACTIONS_PORT than endpoints.yml's 5055, Rasa reads a
copy of endpoints.yml naming that port (var/endpoints.yml). Every command line comes from deploy/commands.py, as for the
scale profile and the tests; every setting from clinic/settings.py (RASA_PORT,
ACTIONS_PORT, CONSOLE_PORT, DEMO_PORT, CREDENTIALS, RASA_API_TOKEN).

- Files in var/ are for this user only: the launcher and all it starts work under
  umask 077 (files 0600, folders 0700).
- The action server, the console and the demo page write to var/<name>.log through
  clinic/log_files.py (scrubbed, rotated by deploy/limits.env); the Rasa server and
  `rasa shell` write to the terminal.
- Rasa's HTTP API (/model/parse, trackers, model replacement) is off: nothing at run
  time needs it. RASA_API_TOKEN=<long random secret> turns it on behind that token.
- Ctrl-C, or SIGTERM to the launcher or to `make run`, stops every server: SIGTERM to
  each one's process group (Sanic serves the actions from a worker process), SIGKILL
  after 20 s. Nothing is left listening.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

import yaml

from clinic import settings as clinic_settings
from deploy import commands
from deploy.commands import PROJECT_ROOT, read_limits

MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
VAR = PROJECT_ROOT / "var"
STOP_SECONDS = 20
# The servers that write to var/<name>.log (the Rasa server and the shell use the terminal).
LOGGED = ("actions", "console", "demo")
LABELS = {"actions": "action server", "console": "staff console", "demo": "demo page", "rasa": "Rasa server"}


@dataclass(frozen=True)
class RunSettings:
    rasa_port: int = clinic_settings.default("RASA_PORT")
    actions_port: int = clinic_settings.default("ACTIONS_PORT")
    console_port: int = clinic_settings.default("CONSOLE_PORT")
    demo_port: int = clinic_settings.default("DEMO_PORT")
    # CREDENTIALS=var/credentials.yml serves the messaging channels too (docs/channels.md).
    credentials: Path = PROJECT_ROOT / clinic_settings.default("CREDENTIALS")
    api_token: Optional[str] = field(default=None, repr=False)

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "RunSettings":
        """Raises SettingsError naming a variable that cannot be used."""
        read = clinic_settings
        return cls(
            rasa_port=read.integer("RASA_PORT", environ),
            actions_port=read.integer("ACTIONS_PORT", environ),
            console_port=read.integer("CONSOLE_PORT", environ),
            demo_port=read.integer("DEMO_PORT", environ),
            credentials=PROJECT_ROOT / read.path("CREDENTIALS", environ),  # relative: to the project
            api_token=read.text("RASA_API_TOKEN", environ),
        )

    @property
    def demo_origins(self) -> List[str]:
        """Rasa's --cors: the demo page's origin (socket.io's long-polling fallback needs it)."""
        return [f"http://127.0.0.1:{self.demo_port}", f"http://localhost:{self.demo_port}"]


def endpoints_file(settings: RunSettings) -> Path:
    """endpoints.yml, or for another ACTIONS_PORT than its own its copy in var/ (write_endpoints)."""
    return ENDPOINTS if settings.actions_port == clinic_settings.default("ACTIONS_PORT") else VAR / "endpoints.yml"


def write_endpoints(settings: RunSettings) -> None:
    """endpoints.yml names the action server on 5055; for another port, Rasa gets a copy naming that one."""
    path = endpoints_file(settings)
    if path != ENDPOINTS:
        endpoints = yaml.safe_load(ENDPOINTS.read_text())
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{settings.actions_port}/webhook"
        path.write_text(
            f"# Written by deploy/run.py from endpoints.yml for ACTIONS_PORT={settings.actions_port}.\n"
            + yaml.safe_dump(endpoints, sort_keys=False)
        )


def server_commands(settings: RunSettings, shell: bool = False) -> Dict[str, List[str]]:
    """What the launcher starts, in order, each from deploy/commands.py."""
    endpoints = endpoints_file(settings)
    started = {"actions": commands.action_server(settings.actions_port)}
    if shell:
        started["shell"] = commands.rasa_shell(MODEL, endpoints)
        return started
    started["console"] = commands.staff_console()
    started["demo"] = commands.demo_page()
    api = ["--enable-api", "--auth-token", settings.api_token] if settings.api_token else []
    started["rasa"] = commands.rasa_server(
        settings.rasa_port, MODEL, endpoints, settings.credentials, cors=settings.demo_origins, extra=api
    )
    return started


def environment(settings: RunSettings, base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The servers' environment: this one, and what they need from the launcher."""
    limits = read_limits()
    base = os.environ if base is None else base
    return dict(
        base,
        **commands.shared_secrets(base),  # the approved answers (/nlg) and live takeover (staff channel)
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        LOG_MAX_BYTES=limits["LOG_MAX_BYTES"],
        LOG_BACKUPS=limits["LOG_BACKUPS"],
        SANIC_HOST="127.0.0.1",  # rasa-sdk would listen on every address
        CONSOLE_PORT=str(settings.console_port),
        DEMO_PORT=str(settings.demo_port),
        RASA_URL=f"http://127.0.0.1:{settings.rasa_port}",
    )


class Stop(Exception):
    """SIGTERM or SIGHUP: stop every server, as for Ctrl-C."""


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    copier: Optional[subprocess.Popen] = None  # clinic.log_files, reading the server's output
    own_group: bool = True


class Servers:
    """The servers started so far; `stop()` stops them all, the last started first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.started: List[Server] = []

    def start(self, name: str, command: Sequence[str], terminal: bool = False) -> subprocess.Popen:
        """In a process group of its own, its output into var/<name>.log; `terminal`: in
        the launcher's process group, on this terminal (`rasa shell` reads from it)."""
        copier = None
        if name in LOGGED:
            copier = subprocess.Popen(
                commands.log_copier(VAR / f"{name}.log"), stdin=subprocess.PIPE, cwd=PROJECT_ROOT, env=self.env
            )
        try:
            process = subprocess.Popen(
                list(command),
                cwd=PROJECT_ROOT,
                env=self.env,
                stdin=None if terminal else subprocess.DEVNULL,
                stdout=copier.stdin if copier else None,
                stderr=subprocess.STDOUT if copier else None,
                start_new_session=not terminal,
            )
        finally:
            if copier:
                copier.stdin.close()  # the server holds the pipe now; the copier ends when it closes it
        self.started.append(Server(name, process, copier, own_group=not terminal))
        return process

    def exited(self) -> List[Server]:
        return [server for server in self.started if server.process.poll() is not None]

    def stop(self) -> None:
        """SIGTERM to every server's process group, SIGKILL to those left after STOP_SECONDS."""
        # A second Ctrl-C (or SIGTERM) must not cut the stopping short.
        handlers = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._stop_all()
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

    def _stop_all(self) -> None:
        for server in reversed(self.started):
            _signal(server, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for server in reversed(self.started):
            try:
                server.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                label = LABELS.get(server.name, server.name)
                print(f"The {label} did not stop within {STOP_SECONDS} s: killed", file=sys.stderr)
                _signal(server, signal.SIGKILL)  # its whole process group
                server.process.wait()
            # What is left of its process group (a worker process the server did not stop).
            while server.own_group and _group_alive(server.process.pid):
                if time.monotonic() > deadline:
                    _signal(server, signal.SIGKILL)
                    break
                time.sleep(0.1)
        for server in self.started:
            if server.copier:
                try:
                    server.copier.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.copier.kill()
                    server.copier.wait()


def _signal(server: Server, signum: int) -> None:
    try:
        if server.own_group:
            os.killpg(server.process.pid, signum)
        elif server.process.poll() is None:
            server.process.send_signal(signum)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(group: int) -> bool:
    """Whether a process of the group still runs (zombies do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False
    for stat in proc.glob("[0-9]*/stat"):
        try:
            state, _parent, process_group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if process_group == str(group) and state != "Z":
            return True
    return False


def wait_for_actions(process: subprocess.Popen, port: int) -> None:
    """Until the action server answers /health (30 s at most); fails if it exits."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    for _ in range(60):
        try:
            with direct.open(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError("The action server failed to start; see var/actions.log")
        time.sleep(0.5)
    print("The action server is not answering yet; see var/actions.log", file=sys.stderr)


def banner(settings: RunSettings) -> str:
    return f"""Starting the clinic assistant (this takes about 20 seconds)...
  Rasa server:    http://localhost:{settings.rasa_port}   (REST and socket.io channels)
  Action server:  http://localhost:{settings.actions_port} (log: var/actions.log)
  Demo page:      http://127.0.0.1:{settings.demo_port}/   (a clinic page with the chat widget; log: var/demo.log)
  Staff console:  http://localhost:{settings.console_port} (log: var/console.log; create an account: make staff-user NAME=you)
Talk to it, once "Rasa server is up and running" appears:
  curl -s -X POST http://localhost:{settings.rasa_port}/webhooks/rest/webhook \\
       -H 'Content-Type: application/json' -d '{{"sender": "visitor-1", "message": "what is tui na?"}}'
  or, in another terminal: make shell
Stop with Ctrl-C."""


def run(settings: RunSettings, shell: bool = False) -> int:
    planned = server_commands(settings, shell)
    write_endpoints(settings)
    servers = Servers(environment(settings))
    try:
        actions = servers.start("actions", planned["actions"])
        migrated = subprocess.run(commands.migrate(), cwd=PROJECT_ROOT, env=servers.env, stdout=subprocess.DEVNULL)
        if migrated.returncode != 0:
            print("The handoff database could not be migrated (python -m handoff.cli migrate)", file=sys.stderr)
            return 1
        wait_for_actions(actions, settings.actions_port)
        if shell:  # no console: the shell's answers are the domain files' (the approved details still apply)
            servers.env.pop("NLG_TOKEN", None)
            servers.env.pop("TAKEOVER_TOKEN", None)
            return _wait(servers, servers.start("shell", planned["shell"], terminal=True))
        servers.start("console", planned["console"])
        servers.start("demo", planned["demo"])
        print(banner(settings), flush=True)
        return _wait(servers, servers.start("rasa", planned["rasa"]))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stop):
        return 0
    finally:
        servers.stop()


def _wait(servers: Servers, main: subprocess.Popen) -> int:
    """Until the Rasa server (or the shell) ends; says so when another server stops meanwhile."""
    reported = set()
    while True:
        try:
            return main.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        for server in servers.exited():
            if server.name not in reported:
                reported.add(server.name)
                print(
                    f"The {LABELS.get(server.name, server.name)} stopped (exit {server.process.returncode}); "
                    f"see var/{server.name}.log",
                    file=sys.stderr,
                    flush=True,
                )


def _stop(*_) -> None:
    raise Stop()


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args not in ([], ["shell"]):
        print("usage: python -m deploy.run [shell]", file=sys.stderr)
        return 2
    try:
        settings = RunSettings.from_environment()
    except clinic_settings.SettingsError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if not MODEL.exists():
        print(f"No trained model at {MODEL.relative_to(PROJECT_ROOT)}: run `make train` first", file=sys.stderr)
        return 1
    os.chdir(PROJECT_ROOT)
    # Conversations, requests and logs in var/ are for this user only (files 0600, folders 0700).
    os.umask(0o077)
    VAR.mkdir(exist_ok=True)
    for signum in (signal.SIGTERM, signal.SIGHUP):  # `kill`, make stopped, the terminal closed
        signal.signal(signum, _stop)
    try:
        commands.stop_with_parent()
        return run(settings, shell=args == ["shell"])
    except (KeyboardInterrupt, Stop):  # before any server started
        return 0


if __name__ == "__main__":
    sys.exit(main())
