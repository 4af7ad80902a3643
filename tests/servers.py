"""Start the real action server and Rasa server on free loopback ports, for tests and the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
ACTIONS_PYTHON = PROJECT_ROOT / ".venv-actions" / "bin" / "python"
MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


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
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", SANIC_HOST="127.0.0.1", **(extra_env or {}))
    if details_file:
        env["CLINIC_DETAILS_FILE"] = str(details_file)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{assistant.actions_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "trackers.db"}"\n'
    )
    actions_log = assistant.actions_log.open("w")
    assistant.processes.append(
        subprocess.Popen(
            [str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(assistant.actions_port)],
            cwd=PROJECT_ROOT, env=env, stdout=actions_log, stderr=subprocess.STDOUT,
        )
    )
    rasa_log_path = workdir / "rasa.log"
    rasa_log = rasa_log_path.open("w")
    assistant.env = env
    assistant.rasa_command = [
        str(RASA_PYTHON), "-m", "rasa", "run", "--model", str(model), "--endpoints", str(endpoints),
        "--credentials", str(credentials), "--interface", "127.0.0.1", "--port", str(assistant.rasa_port), "--enable-api",
        *(extra_rasa_args or []),
    ]
    assistant.processes.append(
        subprocess.Popen(assistant.rasa_command, cwd=PROJECT_ROOT, env=env, stdout=rasa_log, stderr=subprocess.STDOUT)
    )
    try:
        _wait_for(f"http://127.0.0.1:{assistant.actions_port}/health", assistant.processes[0], assistant.actions_log, 60)
        _wait_for(f"{assistant.url}/status", assistant.processes[1], rasa_log_path, 180)
    except Exception:
        assistant.stop()
        raise
    return assistant
