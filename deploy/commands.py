"""The command lines of the assistant's servers, for every launcher: `make run` and
`make shell` (deploy/run.py), `make run-scale` (deploy/scale.py), the tests' own servers,
`make bench` and `make loadtest` (tests/servers.py). The systemd units in deploy/systemd/
run the same commands (tests check their options).
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from clinic import settings as clinic_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
ACTIONS_PYTHON = PROJECT_ROOT / ".venv-actions" / "bin" / "python"
# Every server logs through clinic.logs.Pseudonymise (no conversation ids or phone numbers).
LOGGING_CONFIG = PROJECT_ROOT / "deploy" / "logging.yml"
LIMITS = PROJECT_ROOT / "deploy" / "limits.env"


# Secrets one process shows another, made fresh for each start unless set: Rasa shows
# NLG_TOKEN to the console's /nlg; the console shows TAKEOVER_TOKEN to Rasa's staff channel.
SHARED_SECRETS = ("NLG_TOKEN", "TAKEOVER_TOKEN")


def shared_secrets(environ: Mapping[str, str]) -> Dict[str, str]:
    """Each of SHARED_SECRETS as set, else a new one for this start (every Rasa server and the
    console of one start get the same environment)."""
    return {name: clinic_settings.text(name, environ) or secrets.token_urlsafe(32) for name in SHARED_SECRETS}


def read_limits(path: Path = LIMITS) -> Dict[str, str]:
    """KEY=VALUE lines of deploy/limits.env (comments and blanks skipped)."""
    limits = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            limits[key.strip()] = value.strip()
    return limits


def action_server(port: int) -> List[str]:
    """rasa-sdk with our actions (its Sanic serves from a worker process)."""
    return [
        str(ACTIONS_PYTHON),
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "--port",
        str(port),
        "--logging-config_file",  # rasa-sdk spells it so
        str(LOGGING_CONFIG),
    ]


def rasa_server(
    port: int, model: Path, endpoints: Path, credentials: Path, cors: Sequence[str] = (), extra: Sequence[str] = ()
) -> List[str]:
    """`rasa run` on loopback. Only Rasa refuses bodies over the shared limit (413): the
    action server receives whole conversations, which can be larger."""
    return [
        "env",
        f"SANIC_REQUEST_MAX_SIZE={read_limits()['REQUEST_MAX_BYTES']}",
        str(RASA_PYTHON),
        "-m",
        "rasa",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--logging-config-file",
        str(LOGGING_CONFIG),
        *(["--cors", *cors] if cors else []),
        *extra,
    ]


def rasa_shell(model: Path, endpoints: Path) -> List[str]:
    """`rasa shell`: a conversation in the terminal (`make shell`), with the action server."""
    return [str(RASA_PYTHON), "-m", "rasa", "shell", "--model", str(model), "--endpoints", str(endpoints)]


def staff_console(rasa_url: Optional[str] = None) -> List[str]:
    """The console; `rasa_url`: the Rasa server its live takeover calls, when not RASA_URL
    (the scale profile's front door does not serve the staff channel: one Rasa server does)."""
    console = [str(ACTIONS_PYTHON), "-m", "console"]
    return ["env", f"RASA_URL={rasa_url}", *console] if rasa_url else console


def demo_page() -> List[str]:
    """The demo clinic page with the chat widget (standard library only; DEMO_PORT, RASA_URL)."""
    return [str(RASA_PYTHON), str(PROJECT_ROOT / "widget" / "serve_demo.py")]


def migrate() -> List[str]:
    """Create or upgrade the handoff database (HANDOFF_DATABASE_URL): `handoff.cli migrate`,
    which calls handoff.db.migrate, the one entry point of the migrations. The Rasa
    environment has no alembic, so launchers run it in the action server's environment."""
    return [str(ACTIONS_PYTHON), "-m", "handoff.cli", "migrate"]


def log_copier(path: Optional[Path] = None) -> List[str]:
    """A server's output, scrubbed and rotated (clinic/log_files.py), into `path`; needs
    LOG_MAX_BYTES and LOG_BACKUPS (deploy/limits.env) in its environment."""
    return [str(ACTIONS_PYTHON), "-m", "clinic.log_files", *([str(path)] if path is not None else [])]


def stop_with_parent() -> None:
    """SIGTERM to this launcher when its parent ends: `make run` or `make run-scale`
    stopped with SIGTERM does not pass the signal on to what it started, so the kernel
    does (Linux prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent was already gone
        os.kill(os.getpid(), signal.SIGTERM)
