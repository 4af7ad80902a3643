"""Helpers the console's blueprints share: database calls off the event loop, page
rendering, form and JSON input checks, and how a handoff is shown."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sanic import Request
from sanic.exceptions import BadRequest, NotFound, SanicException
from sanic.response import HTTPResponse, html

from clinic.triage.routes import LABELS
from handoff.models import REASON_WORDING, Handoff, Note, StatusChange, as_utc
from handoff.store import count_new
from handoff.transcripts import Line

T = TypeVar("T")
SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
REASON_LABELS = {code: reason.label for code, reason in REASON_WORDING.items()}
STATUS_LABELS = {"new": "New", "contacted": "Contacted", "booked": "Booked", "closed": "Closed"}
LARGEST_ID = 2**31 - 1  # SQLite and PostgreSQL INTEGER; a larger id cannot exist


class UnsupportedMediaType(SanicException):
    status_code = 415
    quiet = True


async def db(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The data layer is synchronous: run it in a thread so one slow query never stalls every page."""
    return await asyncio.to_thread(function, *args, **kwargs)


def engines(request: Request):
    return request.app.ctx.handoffs, request.app.ctx.trackers


def whole_number(request: Request, name: str, default: int, lowest: int, highest: int) -> int:
    """A query-string number within bounds, or 400 saying which."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    # ASCII digits only: str.isdigit() also accepts "¹", which int() refuses (a 500).
    if not (raw.isascii() and raw.isdigit()) or not lowest <= int(raw) <= highest:
        raise BadRequest(f"{name} must be a whole number from {lowest} to {highest}")
    return int(raw)


def checked_id(handoff_id: int) -> int:
    if not 0 < handoff_id <= LARGEST_ID:
        raise NotFound("No such request")
    return handoff_id


def clinic_zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def plain_text(value: Optional[str], field: str) -> Optional[str]:
    """NUL characters cannot be stored in PostgreSQL text; refuse them as bad input, not a crash."""
    if value is not None and "\x00" in value:
        raise BadRequest(f"{field} contains a NUL character")
    return value


# Pages ----------------------------------------------------------------------------------


async def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTTPResponse:
    staff = getattr(request.ctx, "staff", None)
    new_count = 0
    if staff:
        new_count = await db(count_new, request.app.ctx.handoffs)
    page = request.app.ctx.templates.get_template(template).render(
        staff=staff,
        csrf=getattr(request.ctx, "csrf", ""),
        new_count=new_count,
        reasons=REASON_LABELS,
        statuses=STATUS_LABELS,
        routes=LABELS,
        **context,
    )
    return html(page, status=status_code)


def form(request: Request) -> Mapping[str, list]:
    """The submitted form, keeping blank fields (an empty assignee means "nobody")."""
    if getattr(request.ctx, "form", None) is None:
        request.ctx.form = request.get_form(keep_blank_values=True) or {}
    return request.ctx.form


def form_value(request: Request, name: str) -> Optional[str]:
    submitted = form(request)
    values = submitted.getlist(name) if hasattr(submitted, "getlist") else submitted.get(name)
    if not values:  # absent, which is not the same as present and blank
        return None
    return plain_text(values[0], name)


# JSON -----------------------------------------------------------------------------------


def json_object(request: Request, fields: Mapping[str, type], required: Iterable[str] = ()) -> Dict[str, Any]:
    """The body as a JSON object with only the known fields, each of the right type.

    Every problem is the client's and gets a 4xx with a sentence saying what is wrong.
    """
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("send a JSON object with Content-Type: application/json")
    if not request.body:
        raise BadRequest("the request body is empty; send a JSON object")
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(unknown)[:200]}; allowed: {', '.join(fields)}")
    missing = [name for name in required if name not in body]
    if missing:
        raise BadRequest(f"missing field(s): {', '.join(missing)}")
    for name, value in body.items():
        expected = fields[name]
        if value is not None and type(value) is not expected:  # bool is not accepted as int, etc.
            raise BadRequest(f"{name} must be a {'string' if expected is str else expected.__name__}")
        if isinstance(value, str):
            plain_text(value, name)
    return body


def iso(moment: Optional[datetime]) -> Optional[str]:
    return as_utc(moment).isoformat() if moment else None


def handoff_json(handoff: Handoff) -> Dict[str, Any]:
    return {
        "id": handoff.id,
        "reference": handoff.reference,
        "sender_id": handoff.sender_id,
        "channel": handoff.channel,
        "reason": handoff.reason,
        "status": handoff.status,
        "assignee": handoff.assignee,
        "urgent": bool(handoff.urgent),
        "name": handoff.name,
        "contact_kind": handoff.contact_kind,
        "contact": handoff.contact,
        "preferred_times": handoff.preferred_times,
        "preferred_times_normalised": handoff.preferred_times_normalised,
        "topic": handoff.topic,
        "summary": handoff.summary,
        "triage": {
            "route": handoff.triage_route,
            "label": LABELS.get(handoff.triage_route or "", None),
            "reason": handoff.triage_reason,
            "words": handoff.triage_words,
            "at": iso(handoff.triage_at),
        },
        "created_at": iso(handoff.created_at),
        "updated_at": iso(handoff.updated_at),
        "notification": {
            "status": handoff.notification_status,
            "attempts": handoff.notification_attempts,
            "error": handoff.notification_error,
        },
    }


def note_json(note: Note) -> Dict[str, Any]:
    return {"author": note.author, "text": note.text, "created_at": iso(note.created_at)}


def change_json(change: StatusChange) -> Dict[str, Any]:
    return {
        "author": change.author,
        "from": change.from_status,
        "to": change.to_status,
        "created_at": iso(change.created_at),
    }


def line_json(line: Line) -> Dict[str, Any]:
    return {
        "time": iso(line.time),
        "speaker": line.speaker,
        "text": line.text,
        "staff": line.staff,
        "emergency": line.emergency,
    }
