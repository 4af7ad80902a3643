"""The scale profile: N Rasa servers and N action servers behind nginx, sharing PostgreSQL and Redis.

    front door (nginx :5005)  /webhooks/<channel>/webhook → any Rasa server (least connections)
                              /socket.io/ → one Rasa server per visitor (hash of ?route=)
    Rasa servers (:5011...)   tracker store PostgreSQL, lock store Redis, model file
    actions (nginx :5054)     → any action server (:5061...), handoffs in PostgreSQL
    staff console (:5080)     the same PostgreSQL databases

Used by `make run-scale` (python -m deploy.scale), the load test and tests/scale. The
database and Redis come from DATABASE_URL and REDIS_URL; everything else has a default
and an environment variable. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import urlsplit, urlunsplit

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
ACTIONS_PYTHON = PROJECT_ROOT / ".venv-actions" / "bin" / "python"
# Both servers log through clinic.logs.Pseudonymise (no conversation ids or phone numbers).
LOGGING_CONFIG = PROJECT_ROOT / "deploy" / "logging.yml"
DEFAULT_MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.scale.yml"
NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf.template"
LIMITS = PROJECT_ROOT / "deploy" / "limits.env"
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/clinic_assistant"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
# The numbers of deploy/limits.env the front door's configuration uses.
NGINX_LIMITS = (
    "REQUEST_MAX_BYTES",
    "VISITOR_REQUESTS_PER_SECOND",
    "VISITOR_BURST",
    "PROVIDER_REQUESTS_PER_SECOND",
    "PROVIDER_BURST",
    "CONNECTIONS_PER_ADDRESS",
)
# A server that stops answering is skipped by nginx for this long, then tried again.
UPSTREAM_RETRY_SECONDS = 2


def read_limits(path: Path = LIMITS) -> Dict[str, str]:
    """KEY=VALUE lines of deploy/limits.env (comments and blanks skipped)."""
    limits = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            limits[key.strip()] = value.strip()
    return limits


def find_nginx() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        raise RuntimeError("nginx is not installed: run scripts/install-system-packages.sh (Debian's nginx)")
    return nginx


def ensure_database(url: str) -> None:
    """Create the database named in `url` if the server does not have it yet."""
    import psycopg2  # Rasa's environment has psycopg2 for its tracker store

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme.split("+")[0], parts.netloc, "/postgres", parts.query, ""))
    connection = psycopg2.connect(admin, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


@dataclass
class ScaleSettings:
    instances: int = 2
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    front_port: int = 5005
    actions_front_port: int = 5054
    rasa_base_port: int = 5010  # instance i listens on base + i
    actions_base_port: int = 5060
    console_port: Optional[int] = 5080  # None: no staff console
    run_dir: Path = PROJECT_ROOT / "var" / "scale"
    model: Path = DEFAULT_MODEL
    # Client addresses the front door's rate limits do not count (the load test's visitors
    # all come from loopback); none in production.
    exempt_addresses: List[str] = field(default_factory=list)
    # The website's REST channel at the front door: off unless asked for (FRONT_DOOR_REST=1);
    # the widget uses socket.io, and REST has no authentication of its own.
    rest_at_front_door: bool = False
    extra_env: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, instances: int) -> "ScaleSettings":
        environ = os.environ
        return cls(
            instances=instances,
            database_url=environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            redis_url=environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
            front_port=int(environ.get("RASA_PORT") or 5005),
            console_port=int(environ.get("CONSOLE_PORT") or 5080),
            rest_at_front_door=environ.get("FRONT_DOOR_REST") == "1",
        )


@dataclass
class ScaleDeployment:
    settings: ScaleSettings
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: Dict[str, List[str]] = field(default_factory=dict)
    env: Dict[str, str] = field(default_factory=dict)
    log_writers: List[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.front_port}"

    def instance_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_base_port + number}"

    def log(self, name: str) -> Path:
        return self.settings.run_dir / f"{name}.log"

    def start(self, name: str) -> None:
        # The server's output goes through clinic/log_files.py (scrubbed, rotated); that copy
        # ends by itself once the server and its workers have closed their output.
        writer = subprocess.Popen(
            [str(ACTIONS_PYTHON), "-m", "clinic.log_files", str(self.log(name))],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            self.processes[name] = subprocess.Popen(
                self.commands[name],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=writer.stdin,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            writer.stdin.close()
        self.log_writers.append(writer)

    def kill(self, name: str) -> None:
        """SIGKILL to the server and its workers, as a crash would: no clean shutdown.

        Each server runs in a process group of its own (the action server's Sanic serves
        from a worker process; nginx from its workers), so that all of it goes.
        """
        process = self.processes[name]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            _terminate(self.processes[name])
        for writer in self.log_writers:
            try:
                writer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                writer.kill()

    def wait_until_healthy(self, names: Optional[List[str]] = None, timeout: float = 300) -> None:
        for name in names or list(self.processes):
            wait_for_server(self.health_url(name), self.processes[name], self.log(name), timeout)

    def health_url(self, name: str) -> str:
        kind, _, number = name.partition("-")
        if kind == "rasa":
            return f"{self.instance_url(int(number))}/"  # Rasa's hello, served once the model is loaded
        if kind == "actions":
            return f"http://127.0.0.1:{self.settings.actions_base_port + int(number)}/health"
        if kind == "console":
            return f"http://127.0.0.1:{self.settings.console_port}/login"
        return f"{self.url}/health"


def _terminate(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL if it has not stopped in 20 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def wait_for_server(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until `url` answers 2xx; fails with the end of the server's log if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.stem} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{log.stem} did not answer {url} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def render_nginx_config(settings: ScaleSettings, limits: Dict[str, str]) -> str:
    def servers(base: int) -> str:
        return "\n".join(
            f"        server 127.0.0.1:{base + number} max_fails=1 fail_timeout={UPSTREAM_RETRY_SECONDS}s;"
            for number in range(1, settings.instances + 1)
        )

    # The template's ${NAMES} are ours; nginx's own $variables are left as they are.
    text = string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(
        RUN_DIR=settings.run_dir,
        FRONT_PORT=settings.front_port,
        ACTIONS_FRONT_PORT=settings.actions_front_port,
        REST_ACCESS="" if settings.rest_at_front_door else """return 404 '{"error": "not found"}';""",
        EXEMPT_ADDRESSES="\n".join(f"        {address} 1;" for address in settings.exempt_addresses),
        **{name: limits[name] for name in NGINX_LIMITS},
        RASA_SERVERS=servers(settings.rasa_base_port),
        ACTION_SERVERS=servers(settings.actions_base_port),
    )
    if "${" in text:
        raise ValueError(
            f"{NGINX_TEMPLATE.name} names a setting the renderer does not know: {text[text.index('${'):][:40]}"
        )
    return text


def prepare(settings: ScaleSettings) -> ScaleDeployment:
    """Render the configuration and the commands; start nothing yet."""
    if settings.instances < 1:
        raise ValueError("instances must be at least 1")
    if not settings.model.exists():
        raise RuntimeError(f"No trained model at {settings.model}: run `make train` first")
    limits = read_limits()
    run_dir = settings.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o700)
    nginx_conf = run_dir / "nginx.conf"
    nginx_conf.write_text(render_nginx_config(settings, limits))

    deployment = ScaleDeployment(settings)
    demo_port = os.environ.get("DEMO_PORT") or "8080"  # the demo page's origin (scripts/serve-demo.sh)
    deployment.env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        LOG_MAX_BYTES=limits["LOG_MAX_BYTES"],
        LOG_BACKUPS=limits["LOG_BACKUPS"],
        TF_CPP_MIN_LOG_LEVEL="2",
        SANIC_HOST="127.0.0.1",
        TRACKER_DATABASE_URL=settings.database_url,
        HANDOFF_DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{settings.actions_front_port}/webhook",
        **settings.extra_env,
    )
    for number in range(1, settings.instances + 1):
        deployment.commands[f"actions-{number}"] = [
            str(ACTIONS_PYTHON),
            "-m",
            "rasa_sdk",
            "--actions",
            "actions",
            "--port",
            str(settings.actions_base_port + number),
            "--logging-config_file",  # rasa-sdk spells it so
            str(LOGGING_CONFIG),
        ]
    for number in range(1, settings.instances + 1):
        deployment.commands[f"rasa-{number}"] = [
            "env",
            f"SANIC_REQUEST_MAX_SIZE={limits['REQUEST_MAX_BYTES']}",
            str(RASA_PYTHON),
            "-m",
            "rasa",
            "run",
            "--model",
            str(settings.model),
            "--endpoints",
            str(ENDPOINTS),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
            "--interface",
            "127.0.0.1",
            "--port",
            str(settings.rasa_base_port + number),
            "--logging-config-file",
            str(LOGGING_CONFIG),
            "--cors",
            f"http://127.0.0.1:{demo_port}",
            f"http://localhost:{demo_port}",
        ]
    deployment.commands["nginx"] = [find_nginx(), "-c", str(nginx_conf), "-p", str(run_dir)]
    if settings.console_port:
        deployment.commands["console"] = [str(ACTIONS_PYTHON), "-m", "console"]
        deployment.env["CONSOLE_PORT"] = str(settings.console_port)
    return deployment


def start_scale_profile(settings: ScaleSettings) -> ScaleDeployment:
    """Start everything and wait until every server answers; stops what started on failure."""
    deployment = prepare(settings)
    ensure_database(settings.database_url)
    subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "handoff.cli", "migrate"],
        cwd=PROJECT_ROOT,
        env=deployment.env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        # One Rasa server first: it creates the tracker tables, so that the others
        # do not race to create them at the same moment.
        for name in deployment.commands:
            if name.startswith("actions-") or name == "rasa-1":
                deployment.start(name)
        deployment.wait_until_healthy(["rasa-1"])
        for name in deployment.commands:
            if name not in deployment.processes:
                deployment.start(name)
        deployment.wait_until_healthy()
    except BaseException:
        deployment.stop()
        raise
    return deployment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=int(os.environ.get("N") or 2))
    args = parser.parse_args()
    settings = ScaleSettings.from_environment(args.instances)
    print(
        f"Starting {args.instances} Rasa and {args.instances} action servers behind nginx "
        f"(PostgreSQL {urlsplit(settings.database_url).hostname}, Redis {urlsplit(settings.redis_url).hostname}); "
        f"logs in {settings.run_dir.relative_to(PROJECT_ROOT)}/ ...",
        flush=True,
    )
    # A SIGTERM (from `kill`, a process manager or `timeout`) stops every server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    deployment = start_scale_profile(settings)
    print(
        f"Front door: {deployment.url}  (REST {deployment.url}/webhooks/rest/webhook, socket.io {deployment.url}/socket.io)"
    )
    if settings.console_port:
        print(f"Staff console: http://localhost:{settings.console_port}")
    print("Stop with Ctrl-C.", flush=True)
    try:
        while all(process.poll() is None for process in deployment.processes.values()):
            time.sleep(1)
        stopped = [name for name, process in deployment.processes.items() if process.poll() is not None]
        print(
            f"Stopped unexpectedly: {', '.join(stopped)}; see {settings.run_dir.relative_to(PROJECT_ROOT)}/",
            file=sys.stderr,
        )
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
