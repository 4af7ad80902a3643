"""The command lines of the assistant's servers, for every launcher that starts them from
Python: `make run-scale` (deploy/scale.py), the tests' own servers, `make bench` and
`make loadtest` (tests/servers.py). `make run` (scripts/run.sh) starts the same servers
with the same options from the shell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
ACTIONS_PYTHON = PROJECT_ROOT / ".venv-actions" / "bin" / "python"
# Every server logs through clinic.logs.Pseudonymise (no conversation ids or phone numbers).
LOGGING_CONFIG = PROJECT_ROOT / "deploy" / "logging.yml"
LIMITS = PROJECT_ROOT / "deploy" / "limits.env"


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


def staff_console() -> List[str]:
    return [str(ACTIONS_PYTHON), "-m", "console"]
