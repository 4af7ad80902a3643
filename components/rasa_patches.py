"""Every change this project makes to Rasa itself: one list, for one Rasa version.

Each patch replaces one Rasa symbol, most of them private (what each does and why:
speedups.py, long_conversations.py, channels/service_failures.py,
channels/sanic_websockets.py, channels/staff.py). Private symbols change between Rasa releases without notice, so
`install()` first checks that the running Rasa is the one these patches were tested on
and that every symbol is still there, and refuses to go on with a message that says
what to do otherwise; it never patches half.

`install()` runs when Rasa loads the model (TriageNet.create and TriageNet.load, in
every process that parses messages: `rasa run`, `rasa shell`, `rasa test`, the tests'
Agent.load), not when a module is imported.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

import rasa

from channels import sanic_websockets, service_failures, staff
from components import long_conversations, speedups

TESTED_RASA_VERSION = "3.6.21"


class UnsupportedRasaVersion(RuntimeError):
    pass


@dataclass(frozen=True)
class Patch:
    owner: str  # "module" or "module:Class"
    name: str  # the attribute replaced
    replacement: Callable[[], Any]  # gives the new value (imported lazily)
    why: str

    def target(self) -> Any:
        module, _, cls = self.owner.partition(":")
        found = importlib.import_module(module)
        return getattr(found, cls) if cls else found

    def __str__(self) -> str:
        return f"{self.owner.replace(':', '.')}.{self.name}"


PATCHES: Tuple[Patch, ...] = (
    Patch(
        "rasa.shared.utils.common",
        "all_subclasses",
        lambda: speedups.remembered_subclasses,
        "the subclass walk of every event read back, remembered (speedups.py)",
    ),
    Patch(
        "rasa.core.actions.action:RemoteAction",
        "_validate_action_result",
        lambda: speedups.validate_action_result,
        "the action server's answer checked against a schema checked once (speedups.py)",
    ),
    Patch(
        "rasa.core.actions.action:RemoteAction",
        "run",
        lambda: service_failures.remote_action_run,
        "a failed action server call marks the turn, for the honest apology (channels/service_failures.py)",
    ),
    Patch(
        "rasa.core.tracker_store:FailSafeTrackerStore",
        "on_tracker_store_error",
        lambda: service_failures.tracker_store_error,
        "a tracker store that cannot save marks the turn (channels/service_failures.py)",
    ),
    Patch(
        "rasa.core.tracker_store:FailSafeTrackerStore",
        "on_tracker_store_retrieve_error",
        lambda: service_failures.tracker_store_retrieve_error,
        "a tracker store that cannot be read marks the turn (channels/service_failures.py)",
    ),
    Patch(
        "rasa.core.processor:MessageProcessor",
        "_update_tracker_session",
        lambda: long_conversations.update_tracker_session,
        "a long session rolls over as an idle one does (long_conversations.py)",
    ),
    Patch(
        "rasa.core.actions.action:ActionSessionStart",
        "_slot_set_events_from_tracker",
        lambda: staticmethod(long_conversations.latest_slot_values),
        "a new session carries each slot over once (long_conversations.py)",
    ),
    Patch(
        "rasa.core.processor:MessageProcessor",
        "_should_handle_message",
        lambda: staticmethod(staff.should_handle_message),
        "an emergency is answered even while staff have taken the conversation over (channels/staff.py)",
    ),
    Patch(
        "sanic.server.websockets.impl",
        "asyncio",
        lambda: sanic_websockets.sanic_asyncio,
        "Sanic 21.12's WebSocket reads work on Python 3.11 (channels/sanic_websockets.py)",
    ),
)


def check(version: Optional[str] = None) -> None:
    """Raises UnsupportedRasaVersion unless this Rasa is the tested one with every symbol."""
    version = version or rasa.__version__
    if version != TESTED_RASA_VERSION:
        raise UnsupportedRasaVersion(
            f"This assistant changes private parts of Rasa {TESTED_RASA_VERSION} "
            f"(components/rasa_patches.py) and refuses to run on Rasa {version}. Install the "
            f"locked version (make setup), or test every patch listed there on {version} "
            "and then change TESTED_RASA_VERSION."
        )
    missing = [str(patch) for patch in PATCHES if not hasattr(patch.target(), patch.name)]
    if missing:
        raise UnsupportedRasaVersion(f"Rasa {version} lacks what components/rasa_patches.py replaces: {missing}")


def install(version: Optional[str] = None) -> None:
    """Checks, then applies every patch (again is harmless)."""
    check(version)
    for patch in PATCHES:
        setattr(patch.target(), patch.name, patch.replacement())
