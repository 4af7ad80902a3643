"""The scale profile: N Rasa servers and N action servers behind nginx, sharing PostgreSQL and Redis.

    front door (nginx :5005)  /webhooks/<channel>/webhook → any Rasa server (least connections)
                              /socket.io/ → one Rasa server per visitor (hash of ?route=)
    Rasa servers (:5011...)   tracker store PostgreSQL, lock store Redis, model file
    actions (nginx :5054)     → any action server (:5061...), handoffs in PostgreSQL
    staff console (:5080)     the same PostgreSQL databases

Used by `make run-scale` (python -m deploy.scale), the load test and tests/scale. The
database and Redis come from DATABASE_URL and REDIS_URL; everything else has a default
and an environment variable (clinic/settings.py). Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional
from urllib.parse import urlsplit, urlunsplit

import requests

from clinic import settings as clinic_settings
from deploy import commands
from deploy.commands import PROJECT_ROOT, read_limits

DEFAULT_MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.scale.yml"
NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf.template"
DEFAULT_DATABASE_URL = clinic_settings.default("DATABASE_URL")
# REDIS_URL has no default elsewhere (unset: delivery ids stay in each process); here it has.
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
    front_port: int = clinic_settings.default("RASA_PORT")
    actions_front_port: int = clinic_settings.default("SCALE_ACTIONS_FRONT_PORT")
    rasa_base_port: int = clinic_settings.default("SCALE_RASA_BASE_PORT")  # instance i listens on base + i
    actions_base_port: int = clinic_settings.default("SCALE_ACTIONS_BASE_PORT")
    console_port: Optional[int] = clinic_settings.default("CONSOLE_PORT")  # None: no staff console
    run_dir: Path = clinic_settings.default("SCALE_RUN_DIR")
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
        """Everything from the environment (clinic/settings.py); a value that cannot be used
        stops the launcher with a message naming its variable."""
        read = clinic_settings
        try:
            return cls(
                instances=instances,
                database_url=read.url("DATABASE_URL"),
                redis_url=read.url("REDIS_URL") or DEFAULT_REDIS_URL,
                front_port=read.integer("RASA_PORT"),
                console_port=read.integer("CONSOLE_PORT"),
                rest_at_front_door=read.flag("FRONT_DOOR_REST"),
                # Where the instances listen (base + 1..N) and the run folder: for a second
                # profile beside the first (the tests run `python -m deploy.scale` so).
                actions_front_port=read.integer("SCALE_ACTIONS_FRONT_PORT"),
                rasa_base_port=read.integer("SCALE_RASA_BASE_PORT"),
                actions_base_port=read.integer("SCALE_ACTIONS_BASE_PORT"),
                run_dir=read.path("SCALE_RUN_DIR"),
            )
        except clinic_settings.SettingsError as error:
            raise SystemExit(str(error)) from None


# What supervisord (supervisor, from PyPI) runs, in this order; it restarts any that dies.
SUPERVISORD = PROJECT_ROOT / ".venv-actions" / "bin" / "supervisord"
SUPERVISORCTL = PROJECT_ROOT / ".venv-actions" / "bin" / "supervisorctl"
# How long a server must stay up to count as started; a server that dies sooner is
# retried with supervisord's back-off (1 s, 2 s, 3 s...) this many times, then left FATAL.
START_SECONDS = 5
START_RETRIES = 8


@dataclass
class ScaleDeployment:
    """The profile's servers, run and restarted by supervisord (`supervisord.conf` in the run folder)."""

    settings: ScaleSettings
    commands: Dict[str, List[str]] = field(default_factory=dict)
    env: Dict[str, str] = field(default_factory=dict)
    supervisord: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.front_port}"

    def instance_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_base_port + number}"

    def log(self, name: str) -> Path:
        return self.settings.run_dir / f"{name}.log"

    @property
    def config(self) -> Path:
        return self.settings.run_dir / "supervisord.conf"

    def ctl(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [str(SUPERVISORCTL), "-c", str(self.config), *args], capture_output=True, text=True, timeout=120
        )
        if check and done.returncode not in (0,):
            raise RuntimeError(f"supervisorctl {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def states(self) -> Dict[str, str]:
        """Each server's supervisord state (RUNNING, STARTING, BACKOFF, EXITED, FATAL, STOPPED)."""
        lines = self.ctl("status", check=False).splitlines()
        return {line.split()[0]: line.split()[1] for line in lines if len(line.split()) > 1}

    def pids(self) -> Dict[str, int]:
        """The process group of each running server (supervisord gives each its own)."""
        found = {}
        for name in self.commands:
            pid = self.ctl("pid", name, check=False).strip()
            if pid.isdigit() and int(pid) > 0:
                found[name] = int(pid)
        return found

    def start(self, name: str) -> None:
        self.ctl("start", name)

    def kill(self, name: str) -> None:
        """SIGKILL to the server and everything it started, as a crash would: no clean shutdown.

        The action server's Sanic serves from a worker process and nginx from its workers, so
        the whole process group goes. supervisord sees the program end and starts it again.
        """
        group = self.pids().get(name)
        if group is None:
            raise RuntimeError(f"{name} is not running: {self.states()}")
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """Every server stopped (SIGTERM to each process group, SIGKILL after 20 s), then supervisord."""
        if self.supervisord is None:
            return
        if self.supervisord.poll() is None:
            self.ctl("shutdown", check=False)
            try:
                self.supervisord.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.supervisord.terminate()
                self.supervisord.wait(timeout=30)

    def wait_until_healthy(self, names: Optional[List[str]] = None, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        for name in names or list(self.commands):
            self.wait_for(name, deadline)

    def wait_for(self, name: str, deadline: float) -> None:
        """Until the server answers; fails with the end of its log if supervisord gave up on it."""

        def failed() -> Optional[str]:
            if self.supervisord is not None and self.supervisord.poll() is not None:
                return f"supervisord exited with {self.supervisord.returncode}: {self.tail('supervisord')}"
            if self.states().get(name) == "FATAL":
                return f"{name} could not be started: {self.tail(name)}"
            return None

        wait_for_url(self.health_url(name), deadline - time.monotonic(), failed, lambda: self.tail(name))

    def tail(self, name: str) -> str:
        path = self.log(name)
        return path.read_text(errors="replace")[-3000:] if path.exists() else f"(no {path.name})"

    def health_url(self, name: str) -> str:
        kind, _, number = name.partition("-")
        if kind == "rasa":
            return f"{self.instance_url(int(number))}/"  # Rasa's hello, served once the model is loaded
        if kind == "actions":
            return f"http://127.0.0.1:{self.settings.actions_base_port + int(number)}/health"
        if kind == "console":
            return f"http://127.0.0.1:{self.settings.console_port}/login"
        return f"{self.url}/health"


def wait_for_url(url: str, timeout: float, failed: Callable[[], Optional[str]], log_tail: Callable[[], str]) -> None:
    """Until `url` answers 2xx. `failed()` says why to stop waiting (a server that exited), or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        why = failed()
        if why:
            raise RuntimeError(why)
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{log_tail()}")


def render_supervisor_config(deployment: ScaleDeployment, limits: Dict[str, str]) -> str:
    """supervisord's configuration: one program per server, each in a process group of its own.

    A server's output goes through clinic/log_files.py (scrubbed, rotated by the numbers of
    deploy/limits.env), so each program is `server 2>&1 | log copier` in bash with pipefail:
    when the server dies the program ends with its status and supervisord starts it again.
    The first Rasa server starts alone (it creates the tracker tables); the launcher starts
    the others once it answers.
    """
    run_dir = deployment.settings.run_dir
    copier = commands.log_copier()
    lines = [
        "; Written by deploy/scale.py for this run; the servers' environment is supervisord's own.",
        "[supervisord]",
        "nodaemon=true",
        f"logfile={run_dir / 'supervisord.log'}",
        f"logfile_maxbytes={limits['LOG_MAX_BYTES']}",
        f"logfile_backups={limits['LOG_BACKUPS']}",
        f"pidfile={run_dir / 'supervisord.pid'}",
        f"childlogdir={run_dir}",
        "",
        "[unix_http_server]",
        f"file={run_dir / 'supervisor.sock'}",
        "chmod=0700",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{run_dir / 'supervisor.sock'}",
    ]
    for priority, (name, command) in enumerate(deployment.commands.items(), start=1):
        pipeline = f"set -o pipefail; {shlex.join(command)} 2>&1 | {shlex.join(copier + [str(deployment.log(name))])}"
        lines += [
            "",
            f"[program:{name}]",
            f"command=/bin/bash -c {_supervisor_quote(pipeline)}",
            f"directory={PROJECT_ROOT}",
            f"priority={priority}",
            f"autostart={'true' if name.startswith('actions-') or name == 'rasa-1' else 'false'}",
            "autorestart=true",
            f"startsecs={START_SECONDS}",
            f"startretries={START_RETRIES}",
            "stopsignal=TERM",
            "stopwaitsecs=20",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={run_dir / f'{name}.supervisor.log'}",
            "stdout_logfile_maxbytes=1MB",
            "stdout_logfile_backups=1",
        ]
    return "\n".join(lines) + "\n"


def _supervisor_quote(text: str) -> str:
    """One argument for supervisord's command= (it splits like a shell; % is its own escape)."""
    return shlex.quote(text).replace("%", "%%")


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
    try:
        demo_port = clinic_settings.integer("DEMO_PORT")  # the demo page's origin (widget/serve_demo.py)
    except clinic_settings.SettingsError as error:
        raise SystemExit(str(error)) from None
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
        deployment.commands[f"actions-{number}"] = commands.action_server(settings.actions_base_port + number)
    for number in range(1, settings.instances + 1):
        deployment.commands[f"rasa-{number}"] = commands.rasa_server(
            settings.rasa_base_port + number,
            settings.model,
            ENDPOINTS,
            PROJECT_ROOT / "credentials.yml",
            cors=[f"http://127.0.0.1:{demo_port}", f"http://localhost:{demo_port}"],
        )
    deployment.commands["nginx"] = [find_nginx(), "-c", str(nginx_conf), "-p", str(run_dir)]
    if settings.console_port:
        deployment.commands["console"] = commands.staff_console(rasa_url=deployment.instance_url(1))
        deployment.env["CONSOLE_PORT"] = str(settings.console_port)
        # every Rasa server asks this console (/nlg), which takes conversations over on them
        deployment.env.update(commands.shared_secrets(deployment.env))
    deployment.config.write_text(render_supervisor_config(deployment, limits))
    deployment.config.chmod(0o600)
    return deployment


def start_scale_profile(settings: ScaleSettings) -> ScaleDeployment:
    """Start supervisord with every server and wait until each answers; stops all on failure."""
    deployment = prepare(settings)
    ensure_database(settings.database_url)
    subprocess.run(
        commands.migrate(),  # handoff.db.migrate, the one entry point of the migrations
        cwd=PROJECT_ROOT,
        env=deployment.env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    deployment.supervisord = subprocess.Popen(
        [str(SUPERVISORD), "-c", str(deployment.config)],
        cwd=PROJECT_ROOT,
        env=deployment.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the launcher, which stops supervisord in order
    )
    try:
        # One Rasa server first: it creates the tracker tables, so that the others
        # do not race to create them at the same moment.
        deployment.wait_until_healthy(["rasa-1"])
        for name in deployment.commands:
            if not name.startswith("actions-") and name != "rasa-1":
                deployment.start(name)
        deployment.wait_until_healthy()
    except BaseException:
        deployment.stop()
        raise
    return deployment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    try:
        instances = clinic_settings.integer("N")
    except clinic_settings.SettingsError as error:
        raise SystemExit(str(error)) from None
    parser.add_argument("--instances", type=int, default=instances)
    args = parser.parse_args()
    settings = ScaleSettings.from_environment(args.instances)
    print(
        f"Starting {args.instances} Rasa and {args.instances} action servers behind nginx under supervisord "
        f"(PostgreSQL {urlsplit(settings.database_url).hostname}, Redis {urlsplit(settings.redis_url).hostname}); "
        f"logs in {_shown(settings.run_dir)}/ ...",
        flush=True,
    )
    # SIGTERM (from `kill`, a process manager or `timeout`) and Ctrl-C stop every server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    commands.stop_with_parent()
    deployment = start_scale_profile(settings)
    try:
        print(
            f"Front door: {deployment.url}  (REST {deployment.url}/webhooks/rest/webhook, socket.io {deployment.url}/socket.io)"
        )
        if settings.console_port:
            print(f"Staff console: http://localhost:{settings.console_port}")
        print(
            f"A server that stops is restarted by supervisord: {SUPERVISORCTL.relative_to(PROJECT_ROOT)} -c "
            f"{_shown(deployment.config)} status. Stop with Ctrl-C.",
            flush=True,
        )
        deployment.supervisord.wait()
        print(f"supervisord stopped; see {_shown(settings.run_dir)}/supervisord.log", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()
        print("Stopped.", flush=True)


def _shown(path: Path) -> Path:
    return path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path


if __name__ == "__main__":
    main()
