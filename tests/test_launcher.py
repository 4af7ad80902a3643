"""`make run` and `make shell` (deploy/run.py) start the command lines of deploy/commands.py,
as the scale profile, the tests and the systemd units do; migrations have one entry point."""

import ast
import os
import re
import shlex
import signal
import sys
import time
from pathlib import Path

import pytest
import yaml

from deploy import commands, run
from deploy.commands import PROJECT_ROOT
from tests.test_settings import project_files

PORTS = {"RASA_PORT": "5905", "ACTIONS_PORT": "5955", "CONSOLE_PORT": "5980", "DEMO_PORT": "8980"}
MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
# endpoints.yml names the action server on 5055: for 5955 Rasa reads a copy naming that port.
ENDPOINTS_5955 = PROJECT_ROOT / "var" / "endpoints.yml"


def test_make_run_starts_the_servers_deploy_commands_describes():
    settings = run.RunSettings.from_environment(PORTS)
    planned = run.server_commands(settings)
    assert list(planned) == ["actions", "console", "demo", "rasa"]  # the order they start in
    assert planned["actions"] == commands.action_server(5955)
    assert planned["console"] == commands.staff_console()
    assert planned["demo"] == commands.demo_page()
    assert planned["rasa"] == commands.rasa_server(
        5905,
        MODEL,
        ENDPOINTS_5955,
        PROJECT_ROOT / "credentials.yml",
        cors=["http://127.0.0.1:8980", "http://localhost:8980"],
    )
    rasa = planned["rasa"]
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1" and rasa[rasa.index("--port") + 1] == "5905"
    assert "--enable-api" not in rasa  # Rasa's HTTP API is off unless RASA_API_TOKEN is set


def test_the_http_api_only_with_a_token_and_credentials_relative_to_the_project():
    settings = run.RunSettings.from_environment(
        dict(PORTS, RASA_API_TOKEN="a-long-random-token", CREDENTIALS="var/credentials.yml")
    )
    rasa = run.server_commands(settings)["rasa"]
    assert rasa == commands.rasa_server(
        5905,
        MODEL,
        ENDPOINTS_5955,
        PROJECT_ROOT / "var" / "credentials.yml",
        cors=["http://127.0.0.1:8980", "http://localhost:8980"],
        extra=["--enable-api", "--auth-token", "a-long-random-token"],
    )
    assert "a-long-random-token" not in repr(settings)


def test_make_shell_starts_the_action_server_and_rasa_shell():
    planned = run.server_commands(run.RunSettings.from_environment(PORTS), shell=True)
    assert planned == {"actions": commands.action_server(5955), "shell": commands.rasa_shell(MODEL, ENDPOINTS_5955)}
    default = run.server_commands(run.RunSettings(), shell=True)
    assert default == {"actions": commands.action_server(5055), "shell": commands.rasa_shell(MODEL, ENDPOINTS)}


def test_rasa_calls_the_action_server_on_its_port(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "VAR", tmp_path)
    run.write_endpoints(run.RunSettings())  # the default port: endpoints.yml itself, nothing written
    assert run.endpoints_file(run.RunSettings()) == ENDPOINTS and list(tmp_path.iterdir()) == []
    settings = run.RunSettings.from_environment(PORTS)
    run.write_endpoints(settings)
    written = yaml.safe_load(run.endpoints_file(settings).read_text())
    expected = yaml.safe_load(ENDPOINTS.read_text())
    assert expected["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    expected["action_endpoint"]["url"] = "http://127.0.0.1:5955/webhook"
    assert run.endpoints_file(settings) == tmp_path / "endpoints.yml" and written == expected


def test_the_servers_environment():
    settings = run.RunSettings.from_environment(PORTS)
    env = run.environment(settings, {"KEPT": "1", "RASA_URL": "http://elsewhere"})
    limits = commands.read_limits()
    assert env["KEPT"] == "1"
    assert env["SANIC_HOST"] == "127.0.0.1"  # rasa-sdk would listen on every address
    assert (env["LOG_MAX_BYTES"], env["LOG_BACKUPS"]) == (limits["LOG_MAX_BYTES"], limits["LOG_BACKUPS"])
    assert (env["CONSOLE_PORT"], env["DEMO_PORT"], env["RASA_URL"]) == ("5980", "8980", "http://127.0.0.1:5905")
    assert (env["RASA_TELEMETRY_ENABLED"], env["TF_CPP_MIN_LOG_LEVEL"]) == ("false", "2")


def test_every_start_shares_fresh_secrets_between_rasa_and_the_console_unless_set():
    settings = run.RunSettings.from_environment(PORTS)
    first, second = run.environment(settings, {}), run.environment(settings, {})
    for name in ("NLG_TOKEN", "TAKEOVER_TOKEN"):
        assert len(first[name]) >= 40 and first[name] != second[name]
    assert first["NLG_TOKEN"] != first["TAKEOVER_TOKEN"]
    assert run.environment(settings, {"TAKEOVER_TOKEN": "set-by-operator"})["TAKEOVER_TOKEN"] == "set-by-operator"


def recipe(target: str) -> list:
    lines = (PROJECT_ROOT / "Makefile").read_text().splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith(f"{target}:"))
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        body.append(line.strip().lstrip("@"))
    return body


def test_make_run_and_make_shell_use_the_launcher_and_no_script_builds_a_command_line():
    assert recipe("run") == [".venv-actions/bin/python -m deploy.run"]
    assert recipe("shell") == [".venv-actions/bin/python -m deploy.run shell"]
    server_commands = re.compile(r"rasa_sdk|rasa (run|shell)\b|-m console\b|serve_demo|handoff\.cli migrate")
    for name in ["Makefile", *project_files("scripts/*.sh")]:
        found = [line for line in (PROJECT_ROOT / name).read_text().splitlines() if server_commands.search(line)]
        assert not found, f"{name} builds a server's command line (deploy/commands.py does): {found}"


def _unit_command(unit: str, key: str = "ExecStart") -> list:
    text = (PROJECT_ROOT / "deploy" / "systemd" / unit).read_text()
    line = next(line for line in text.splitlines() if line.startswith(f"{key}="))
    return shlex.split(line.split("=", 1)[1])


def _in_project(command: list, root: str) -> list:
    """A command line with the project's folder written as `root`."""
    return [word.replace(str(PROJECT_ROOT), root) for word in command]


def test_the_systemd_units_run_what_make_run_runs():
    """Production's units pass only options `make run`'s servers get too; the console's
    unit migrates with the one migration command and starts the same console."""
    planned = run.server_commands(run.RunSettings())
    for unit, name in (("clinic-rasa@.service", "rasa"), ("clinic-actions@.service", "actions")):
        unit_options = {word for word in _unit_command(unit) if word.startswith("--")}
        launcher_options = {word for word in planned[name] if word.startswith("--")}
        assert unit_options and unit_options <= launcher_options, (unit, unit_options - launcher_options)
    assert _unit_command("clinic-console.service", "ExecStartPre") == _in_project(commands.migrate(), "/opt/clinic")
    assert _unit_command("clinic-console.service") == _in_project(commands.staff_console(), "/opt/clinic")


def _imported_names(tree: ast.AST) -> dict:
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
    return names


def test_migrations_have_one_entry_point():
    """handoff.db.migrate: called by the code, or through `python -m handoff.cli migrate`,
    whose command line only deploy/commands.py writes."""
    for name in project_files("*.py"):
        if name.startswith("handoff/migrations/"):
            continue
        tree = ast.parse((PROJECT_ROOT / name).read_text(encoding="utf-8"))
        imported = _imported_names(tree)
        if name != "handoff/db.py":
            assert not any(
                module.startswith("alembic") for module in imported.values()
            ), f"{name} runs alembic itself: call handoff.db.migrate"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "migrate":
                assert (
                    name == "handoff/db.py" or imported.get("migrate") == "handoff.db.migrate"
                ), f"{name}:{node.lineno} calls a migrate() that is not handoff.db.migrate"
            if isinstance(node, ast.List) and name != "deploy/commands.py":
                words = {item.value for item in node.elts if isinstance(item, ast.Constant)}
                assert (
                    not {"handoff.cli", "migrate"} <= words
                ), f"{name}:{node.lineno} writes the migration command itself: use deploy.commands.migrate()"
    assert commands.migrate()[1:] == ["-m", "handoff.cli", "migrate"]


def _text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_stopping_stops_every_server_and_its_worker_processes(tmp_path, monkeypatch):
    """Ctrl-C and SIGTERM end in Servers.stop(): SIGTERM to each server's process group (the
    action server's Sanic worker too), SIGKILL for one that ignores it; logs 0600, scrubbed."""
    monkeypatch.setattr(run, "VAR", tmp_path)
    monkeypatch.setattr(run, "STOP_SECONDS", 2)
    with_worker = (
        "import subprocess, sys, time\n"
        "worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        "print('worker', worker.pid, 'for whatsapp:+447700900123', flush=True)\n"
        "time.sleep(120)\n"
    )
    stubborn = (
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('up', flush=True)\ntime.sleep(120)\n"
    )
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    servers = run.Servers(dict(os.environ, LOG_MAX_BYTES="100000", LOG_BACKUPS="1"))
    try:
        servers.start("actions", [sys.executable, "-c", with_worker])
        servers.start("console", [sys.executable, "-c", stubborn])
        deadline = time.monotonic() + 30
        log = tmp_path / "actions.log"
        while "worker" not in _text(log) or "up" not in _text(tmp_path / "console.log"):
            assert time.monotonic() < deadline, "the fake servers did not start"
            time.sleep(0.2)
    finally:
        servers.stop()
    worker = int(re.search(r"worker (\d+)", log.read_text()).group(1))
    assert not _running(worker), "the action server's worker process was left running"
    assert [server.process.returncode for server in servers.started] == [-signal.SIGTERM, -signal.SIGKILL]
    assert all(server.copier.returncode == 0 for server in servers.started)
    assert "447700900123" not in log.read_text()
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers


def test_the_scale_profiles_console_takes_over_on_a_rasa_server_with_the_shared_secret(tmp_path):
    from deploy import scale

    deployment = scale.prepare(scale.ScaleSettings(run_dir=tmp_path / "scale", console_port=5980))
    console = deployment.commands["console"]
    assert console[:2] == ["env", f"RASA_URL={deployment.instance_url(1)}"]  # not the front door
    assert console[2:] == commands.staff_console()
    assert deployment.env["TAKEOVER_TOKEN"] and deployment.env["NLG_TOKEN"] != deployment.env["TAKEOVER_TOKEN"]
    assert "webhooks/staff" not in (tmp_path / "scale" / "nginx.conf").read_text()
