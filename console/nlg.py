"""Rasa's NLG server contract: `POST /nlg`, answered from the content store's live versions.

Rasa (endpoints.yml `nlg: url: .../nlg, token: ...`) posts
    {"response": "utter_x", "arguments": {...}, "tracker": {"slots": {...}, ...}, "channel": {"name": "..."}}
and gets
    {"text": ..., "buttons": [...], "image": null, "elements": [], "attachments": [], "custom": {}}.

The variation is chosen as Rasa's own templated generator chooses it: among the variations
whose condition (slot values) the tracker's slots meet, those for this channel, else those
without a channel; without any such, the unconditional ones for this channel, else those
without a channel; one of them at random. `{slot}` placeholders are filled from the slots and
`arguments`; an unknown placeholder leaves the text as written, as in Rasa. The clinic_* slots
are worked out from the live clinic details, so an approved detail is used at once.

Live content is kept in memory (`LiveContent`); the store's change counter is read at most
once a second, so an approval made by any console process shows within about a second (at
once in the process that approved it). If the store cannot be read, the domain files' texts
are used and a warning logged. Machine-to-machine: the gate (console/auth.py) asks for
NLG_TOKEN, as Rasa sends it (`?token=`) or as a bearer token, never a staff login.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from typing import Any, Dict, List, Mapping, Optional

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound
from sanic.response import HTTPResponse
from sanic.response import json as json_response
from sqlalchemy.exc import SQLAlchemyError

from clinic.answers import clinic_detail_slots
from clinic.details import ClinicDetailsError, clinic_details_or_blank
from console.web import db
from handoff.content import (
    DETAILS_PREFIX,
    SEED_ACTOR,
    content_version,
    domain_responses,
    live_versions,
    with_approved,
)

logger = logging.getLogger("console.nlg")
bp = Blueprint("nlg")
CHECK_INTERVAL = 1.0  # seconds between reads of the store's change counter
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def choose_variations(
    variations: List[Dict[str, Any]], slots: Mapping[str, Any], channel: Optional[str]
) -> List[Dict[str, Any]]:
    """The variations Rasa would choose among (rasa.core.nlg.response's order)."""
    conditional = [v for v in variations if v.get("condition") and _meets(v["condition"], slots)]
    plain = [v for v in variations if not v.get("condition")]
    for group in (conditional, plain):
        for_channel = [v for v in group if channel and v.get("channel") == channel]
        if for_channel:
            return for_channel
        channel_less = [v for v in group if not v.get("channel")]
        if channel_less:
            return channel_less
    return []


def _meets(condition: List[Dict[str, Any]], slots: Mapping[str, Any]) -> bool:
    return all(slots.get(c.get("name")) == c.get("value") for c in condition if c.get("type", "slot") == "slot")


def fill(value: Any, values: Mapping[str, Any]) -> Any:
    """Fill {name} placeholders the way Rasa's interpolator does: a text with a placeholder it
    has no value for stays exactly as written."""
    if isinstance(value, str):
        try:
            return _PLACEHOLDER.sub(r"{0[\1]}", value).format(values)
        except (KeyError, IndexError, ValueError, AttributeError):
            return value
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, dict):
        return {name: fill(item, values) for name, item in value.items()}
    return value


class LiveContent:
    """The live answers and details in memory, refreshed when the store's counter moves."""

    def __init__(self, engine):
        self.engine = engine
        self.responses: Dict[str, List[Dict[str, Any]]] = {}
        self.detail_slots: Dict[str, Any] = {}
        self.version: Optional[int] = None
        self.checked_at = float("-inf")
        self.from_store = False
        self._lock = threading.Lock()

    def due(self) -> bool:
        return time.monotonic() - self.checked_at >= CHECK_INTERVAL

    def invalidate(self) -> None:
        self.checked_at = float("-inf")

    def refresh(self) -> None:
        """Read the counter, and everything live if it moved (blocking: run it off the event loop)."""
        with self._lock:
            if not self.due():
                return
            try:
                if self.from_store and content_version(self.engine) == self.version:
                    self.checked_at = time.monotonic()
                    return
                version, rows = live_versions(self.engine)
                if not rows:
                    raise LookupError("the content store is empty (not seeded)")
                self._load_store(version, rows)
            except (SQLAlchemyError, LookupError, ValueError, TypeError) as error:  # the domain files answer instead
                logger.warning("Content store not readable, answering from the domain files: %s", error)
                self._load_seed()
            self.checked_at = time.monotonic()

    def _load_store(self, version: int, rows) -> None:
        responses: Dict[str, List[Dict[str, Any]]] = {}
        approved: Dict[str, str] = {}
        for row in rows:
            if row.kind == "detail":
                if row.author != SEED_ACTOR:  # the file's own values come with the conversation's slots
                    approved[row.key[len(DETAILS_PREFIX) :]] = row.text
                continue
            variation: Dict[str, Any] = {"text": row.text, "buttons": json.loads(row.buttons or "[]")}
            condition = json.loads(row.condition or "[]")
            if condition:
                variation["condition"] = condition
            if row.channel:
                variation["channel"] = row.channel
            responses.setdefault(row.response, []).append(variation)
        slots: Dict[str, Any] = {}
        if approved:  # as the action server fills them (actions/clinic_details.py): the file, then these
            try:
                slots = clinic_detail_slots(with_approved(clinic_details_or_blank(), approved))
            except (ClinicDetailsError, TypeError) as error:
                logger.warning("Approved clinic details unusable, using the conversation's own: %s", error)
        self.responses, self.detail_slots, self.version, self.from_store = responses, slots, version, True

    def _load_seed(self) -> None:
        if not self.from_store and self.responses:
            return
        self.responses = {
            name: [{k: v[k] for k in ("text", "buttons", "condition", "channel") if k in v} for _, v in variations]
            for name, variations in domain_responses().items()
        }
        self.detail_slots, self.version, self.from_store = {}, None, False

    def generate(
        self, response: str, slots: Mapping[str, Any], channel: Optional[str], arguments: Mapping[str, Any], rng=random
    ):
        """Rasa's NLG answer for this request, or None if there is no such response."""
        variations = self.responses.get(response)
        if variations is None:
            return None
        slots = {**slots, **self.detail_slots}
        chosen = choose_variations(variations, slots, channel)
        if not chosen:
            return None
        variation = rng.choice(chosen)
        values = {**slots, **arguments}
        return {
            "text": fill(variation.get("text"), values),
            "buttons": fill(variation.get("buttons") or [], values),
            "image": None,
            "elements": [],
            "attachments": [],
            "custom": {},
        }


def _request_parts(request: Request):
    try:
        body = json.loads(request.body or b"")
    except (ValueError, RecursionError):
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("response"), str):
        raise BadRequest('send Rasa\'s NLG request: {"response": "utter_…", "tracker": {"slots": {…}}, …}')
    tracker = {} if body.get("tracker") is None else body["tracker"]
    slots = tracker.get("slots", {}) if isinstance(tracker, dict) else None
    arguments = {} if body.get("arguments") is None else body["arguments"]
    channel = {} if body.get("channel") is None else body["channel"]
    if not all(isinstance(part, dict) for part in (slots if slots is not None else {}, tracker, arguments, channel)):
        raise BadRequest("tracker, tracker.slots, arguments and channel must be objects")
    name = channel.get("name")
    return body["response"], slots or {}, name if isinstance(name, str) else None, arguments


@bp.post("/nlg")
async def nlg(request: Request) -> HTTPResponse:
    response, slots, channel, arguments = _request_parts(request)
    content: LiveContent = request.app.ctx.live_content
    if content.due():
        await db(content.refresh)
    answer = content.generate(response, slots, channel, arguments)
    if answer is None:
        raise NotFound(f"no live variation of {response[:100]!r} for these slots and channel")
    return json_response(answer)
