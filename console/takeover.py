"""Live takeover: staff join a visitor's conversation, write in it and hand it back.

API (bearer token, as console/api.py):
GET  /api/live                               -> {"waiting": [...], "live": [...]}
POST /api/conversations/{id}/takeover        -> {"conversation": {...}}  (409: someone else has it)
POST /api/conversations/{id}/messages        {"text": ...} -> {"conversation": {...}}
POST /api/conversations/{id}/release         -> {"conversation": {...}}
GET  /api/conversations/{id}/events          server-sent events: each new visitor, assistant or
                                             staff turn (`event: turn`), resumable with Last-Event-ID

Pages (session cookie and CSRF, as console/inbox.py): /live (who waits for a person and for
how long, who is in which conversation), /conversations/{id} (the transcript in order, the send
box, take over / hand back), each working by form posts and reloads; /static/live.js adds the
new turns as they come (EventSource on /conversations/{id}/events, the same stream).

The lock is the handoff database's `takeovers` row (handoff/takeovers.py); the conversation
itself is paused, written in and resumed by the Rasa server's staff channel
(channels/staff.py, TAKEOVER_TOKEN), which stores every line in the tracker and sends it to
the visitor. The turns are read back from the tracker store (handoff/transcripts.py), so any
console process shows what any Rasa server wrote.

A visitor waiting for a person is told honestly that the team will reply later
(utter_staff_reply_later) when nobody takes over within TAKEOVER_WAIT_SECONDS, or at once
when the clinic is closed or its hours are unknown (`tell_waiting_visitors`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any, Dict, List, Tuple
from urllib.parse import quote

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound, SanicException, ServiceUnavailable
from sanic.response import HTTPResponse, redirect
from sanic.response import json as json_response

from console.web import db, engines, form_value, iso, json_object, line_json, render
from handoff.content import live_clinic_details
from handoff.models import Handoff, as_utc
from handoff.store import list_handoffs, now, record_view
from handoff.takeovers import (
    NotHeld,
    TakenByAnother,
    all_held,
    check_held_by,
    holder,
    mark_told_later,
    record_staff_message,
    release,
    take_over,
    told_later,
)
from handoff.transcripts import live_conversations, transcript

logger = logging.getLogger("console.takeover")
bp = Blueprint("takeover")

# Every channel's conversation ids: the website's (letters, digits . _ -) and the messaging
# channels' ("whatsapp:+44...", "telegram:123", "messenger:456").
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_.\-:+@]{1,128}")
MAX_STAFF_TEXT = 1000  # as the widget's own limit for visitors
LIVE_WINDOW = timedelta(minutes=30)  # "live now": a visitor message in the last half hour
WAITING_WINDOW = timedelta(days=1)  # requests older than this are the inbox's, not the live queue's
STREAM_SECONDS = 25.0  # then the browser's EventSource reconnects (with Last-Event-ID)
POLL_SECONDS = 0.3
RASA_TIMEOUT = 10


class Conflict(SanicException):
    status_code = 409
    quiet = True


def conversation_id(value: str) -> str:
    if not CONVERSATION_ID.fullmatch(value or ""):
        raise NotFound("No such conversation")
    return value


def staff_text(value: Any) -> str:
    """Plain text from staff: 1 to MAX_STAFF_TEXT characters, no NUL or other control characters."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("text must be a non-empty string")
    if len(value) > MAX_STAFF_TEXT:
        raise BadRequest(f"text must be at most {MAX_STAFF_TEXT} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise BadRequest("text contains control characters")
    return value.strip()


# The Rasa server's staff channel ----------------------------------------------------------


def _call_rasa(base: str, token: str, sender_id: str, what: str, body: Dict[str, Any]) -> Tuple[int, Dict]:
    request = urllib.request.Request(
        f"{base.rstrip('/')}/webhooks/staff/conversations/{quote(sender_id, safe='')}/{what}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=RASA_TIMEOUT) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}


async def tell_rasa(request_or_app: Any, sender_id: str, what: str, **body: Any) -> Dict:
    """Asks the Rasa server to take over / send / release / say "later"; the console's error otherwise."""
    app = getattr(request_or_app, "app", request_or_app)
    settings = app.ctx.settings
    if not settings.takeover_token or not settings.rasa_url:
        raise ServiceUnavailable("Live takeover is off: TAKEOVER_TOKEN is not set.")
    try:
        status, answer = await asyncio.to_thread(
            _call_rasa, settings.rasa_url, settings.takeover_token, sender_id, what, body
        )
    except (OSError, ValueError) as error:
        logger.error("The Rasa server's staff channel did not answer: %s", type(error).__name__)
        raise ServiceUnavailable("The assistant cannot be reached at the moment; try again shortly.") from None
    if status == 404:
        raise NotFound("No such conversation (nothing the visitor said is stored).")
    if status == 409:
        raise Conflict(answer.get("error") or "Not possible now.")
    if status >= 300:
        logger.error("The Rasa server's staff channel answered %s to %s", status, what)
        raise ServiceUnavailable("The assistant could not do that at the moment; try again shortly.")
    return answer


# What the pages and the API show ----------------------------------------------------------


def _waiting(handoffs: List[Handoff], held: Dict, told: List[str], at: datetime) -> List[Dict[str, Any]]:
    return [
        {
            "conversation": h.sender_id,
            "reference": h.reference,
            "handoff_id": h.id,
            "reason": h.reason,
            "urgent": bool(h.urgent),
            "channel": h.channel,
            "since": iso(h.created_at),
            "waiting_seconds": int((at - as_utc(h.created_at)).total_seconds()),
            "told_later": h.sender_id in told,
        }
        for h in handoffs
        if h.sender_id not in held and at - as_utc(h.created_at) <= WAITING_WINDOW
    ]


def live_state(handoffs_db, trackers) -> Dict[str, Any]:
    at = now()
    held = all_held(handoffs_db)
    told = told_later(handoffs_db)
    waiting = _waiting(list_handoffs(handoffs_db, "new", 200), held, told, at)
    live = [
        {
            "conversation": c.sender_id,
            "last_message_at": iso(c.last_at),
            "paused": c.paused,
            "staff": held[c.sender_id].staff if c.sender_id in held else None,
        }
        for c in live_conversations(trackers, at - LIVE_WINDOW)
    ]
    shown = {c["conversation"] for c in live}
    live += [  # held, but quiet for longer than the window: still someone's
        {"conversation": s, "last_message_at": None, "paused": True, "staff": h.staff}
        for s, h in held.items()
        if s not in shown
    ]
    return {"waiting": waiting, "live": live}


def conversation_json(sender_id: str, held, lines) -> Dict[str, Any]:
    return {
        "id": sender_id,
        "staff": held.staff if held else None,
        "taken_over_at": iso(held.started_at) if held else None,
        "turns": [turn_json(line) for line in lines],
    }


def turn_json(line) -> Dict[str, Any]:
    return {**line_json(line), "id": line.id}


async def _conversation(request: Request, sender_id: str) -> Dict[str, Any]:
    handoffs_db, trackers = engines(request)
    held = await db(holder, handoffs_db, sender_id)
    lines = await db(transcript, trackers, sender_id)
    return conversation_json(sender_id, held, lines)


# Actions, shared by the API and the pages --------------------------------------------------


async def do_take_over(request: Request, sender_id: str) -> None:
    handoffs_db = request.app.ctx.handoffs
    staff = request.ctx.staff
    try:
        await db(take_over, handoffs_db, sender_id, staff)
    except TakenByAnother as taken:
        raise Conflict(str(taken)) from None
    try:
        await tell_rasa(request, sender_id, "takeover", staff=staff)
    except SanicException:
        await db(release, handoffs_db, sender_id, staff)  # the lock means nothing without the pause
        raise


async def do_send(request: Request, sender_id: str, text: str) -> None:
    handoffs_db = request.app.ctx.handoffs
    try:
        await db(check_held_by, handoffs_db, sender_id, request.ctx.staff)
    except (TakenByAnother, NotHeld) as problem:
        raise Conflict(str(problem)) from None
    await tell_rasa(request, sender_id, "messages", staff=request.ctx.staff, text=text)
    await db(record_staff_message, handoffs_db, sender_id, request.ctx.staff, len(text))


async def do_release(request: Request, sender_id: str) -> None:
    handoffs_db = request.app.ctx.handoffs
    try:
        await db(check_held_by, handoffs_db, sender_id, request.ctx.staff)
    except (TakenByAnother, NotHeld) as problem:
        raise Conflict(str(problem)) from None
    await tell_rasa(request, sender_id, "release", staff=request.ctx.staff)
    await db(release, handoffs_db, sender_id, request.ctx.staff)


# Nobody came -------------------------------------------------------------------------------


async def tell_waiting_visitors(app: Any) -> int:
    """Tells each visitor who asked for a person (a new request of the last LIVE_WINDOW) and was
    not taken over that the team will reply later: after TAKEOVER_WAIT_SECONDS, or at once when
    the clinic's opening hours are unknown (the assistant never promises that someone will
    come). Each is told once; the request stays in the inbox. Returns how many were told.

    The opening hours are free text (clinic details), so whether the clinic is open now is not
    worked out from them: known hours mean waiting, unknown ones mean telling at once."""
    settings = app.ctx.settings
    if not settings.takeover_token:
        return 0
    handoffs_db = app.ctx.handoffs
    hours_known = bool((await db(live_clinic_details, handoffs_db)).opening_hours.strip())
    wait = timedelta(seconds=settings.takeover_wait if hours_known else 0)
    at = now()
    told = 0
    for handoff in await db(list_handoffs, handoffs_db, "new", 200):
        waited = at - as_utc(handoff.created_at)
        if not wait <= waited <= LIVE_WINDOW or not await db(mark_told_later, handoffs_db, handoff.sender_id):
            continue
        try:
            await tell_rasa(app, handoff.sender_id, "later")
            told += 1
        except SanicException as error:
            logger.warning("Could not tell a waiting visitor that the team will reply later: %s", error)
    return told


# API ---------------------------------------------------------------------------------------


@bp.get("/api/live")
async def api_live(request: Request) -> HTTPResponse:
    state = await db(live_state, *engines(request))
    await db(record_view, request.app.ctx.handoffs, request.ctx.staff, "live conversations (API)")
    return json_response(state)


@bp.post("/api/conversations/<sender_id:str>/takeover")
async def api_take_over(request: Request, sender_id: str) -> HTTPResponse:
    sender_id = conversation_id(sender_id)
    await do_take_over(request, sender_id)
    return json_response({"conversation": await _conversation(request, sender_id)})


@bp.post("/api/conversations/<sender_id:str>/messages")
async def api_send(request: Request, sender_id: str) -> HTTPResponse:
    sender_id = conversation_id(sender_id)
    text = staff_text(json_object(request, {"text": str}, required=("text",))["text"])
    await do_send(request, sender_id, text)
    return json_response({"conversation": await _conversation(request, sender_id)})


@bp.post("/api/conversations/<sender_id:str>/release")
async def api_release(request: Request, sender_id: str) -> HTTPResponse:
    sender_id = conversation_id(sender_id)
    await do_release(request, sender_id)
    return json_response({"conversation": await _conversation(request, sender_id)})


async def _stream(request: Request, sender_id: str) -> HTTPResponse:
    """New turns as server-sent events, read from the tracker store every POLL_SECONDS, for
    STREAM_SECONDS; the client resumes after the last `id:` it got."""
    handoffs_db, trackers = engines(request)
    after_text = request.headers.get("last-event-id") or request.args.get("after") or "0"
    if not after_text.isdigit() or len(after_text) > 18:
        raise BadRequest("after (or Last-Event-ID) must be a whole number")
    after = int(after_text)
    await db(record_view, handoffs_db, request.ctx.staff, f"conversation {sender_id} (live)"[:100])
    response = await request.respond(
        content_type="text/event-stream; charset=utf-8", headers={"Cache-Control": "no-store"}
    )
    await response.send("retry: 1000\n\n")
    held_by = object()
    ends = time.monotonic() + STREAM_SECONDS
    while time.monotonic() < ends:
        for line in await db(transcript, trackers, sender_id, after):
            after = line.id
            await response.send(f"id: {line.id}\nevent: turn\ndata: {json.dumps(turn_json(line))}\n\n")
        current = await db(holder, handoffs_db, sender_id)
        staff = current.staff if current else None
        if staff != held_by:
            held_by = staff
            await response.send(f"event: state\ndata: {json.dumps({'staff': staff})}\n\n")
        await asyncio.sleep(POLL_SECONDS)
    await response.eof()
    return response


@bp.get("/api/conversations/<sender_id:str>/events")
async def api_events(request: Request, sender_id: str) -> HTTPResponse:
    return await _stream(request, conversation_id(sender_id))


# Pages -------------------------------------------------------------------------------------


@bp.get("/live")
async def live_page(request: Request) -> HTTPResponse:
    state = await db(live_state, *engines(request))
    await db(record_view, request.app.ctx.handoffs, request.ctx.staff, "live conversations")
    return await render(request, "live.html", title="Live now", me=request.ctx.staff, **state)


@bp.get("/conversations/<sender_id:str>")
async def conversation_page(request: Request, sender_id: str) -> HTTPResponse:
    sender_id = conversation_id(sender_id)
    handoffs_db, trackers = engines(request)
    held = await db(holder, handoffs_db, sender_id)
    lines = await db(transcript, trackers, sender_id)
    conversation = conversation_json(sender_id, held, lines)
    if not lines and held is None:
        raise NotFound("No such conversation (nothing the visitor said is stored).")
    await db(record_view, request.app.ctx.handoffs, request.ctx.staff, f"conversation {sender_id}"[:100])
    return await render(
        request,
        "conversation.html",
        title="Conversation",
        conversation=conversation,
        lines=lines,
        me=request.ctx.staff,
        last_id=max([t["id"] for t in conversation["turns"]] or [0]),
        max_text=MAX_STAFF_TEXT,
        conflict=request.args.get("conflict") == "1",
    )


@bp.get("/conversations/<sender_id:str>/events")
async def page_events(request: Request, sender_id: str) -> HTTPResponse:
    return await _stream(request, conversation_id(sender_id))


async def _page_action(request: Request, sender_id: str, action) -> HTTPResponse:
    sender_id = conversation_id(sender_id)
    target = f"/conversations/{quote(sender_id, safe='')}"
    try:
        await action(sender_id)
    except Conflict:
        return redirect(f"{target}?conflict=1", status=303)  # the page says who holds it
    return redirect(target, status=303)


@bp.post("/conversations/<sender_id:str>/takeover")
async def page_take_over(request: Request, sender_id: str) -> HTTPResponse:
    return await _page_action(request, sender_id, lambda s: do_take_over(request, s))


@bp.post("/conversations/<sender_id:str>/messages")
async def page_send(request: Request, sender_id: str) -> HTTPResponse:
    text = staff_text(form_value(request, "text"))
    return await _page_action(request, sender_id, lambda s: do_send(request, s, text))


@bp.post("/conversations/<sender_id:str>/release")
async def page_release(request: Request, sender_id: str) -> HTTPResponse:
    return await _page_action(request, sender_id, lambda s: do_release(request, s))
