"""The JSON API for integrations and scripts (bearer tokens, never cookies).

POST  /api/login            {"username": ..., "password": ...}  -> {"token": ..., "token_type": "Bearer", ...}
POST  /api/logout           revokes the token
GET   /api/handoffs         ?status=new|contacted|booked|closed&limit=50&offset=0
                            -> {"handoffs": [...], "new": N, "next_offset": N or null}
GET   /api/handoffs/{id}    -> {"handoff", "notes", "history", "transcript"}
PATCH /api/handoffs/{id}    {"status"?, "assignee"?, "note"?}    -> {"handoff", "notes", "history"}
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound
from sanic.response import HTTPResponse, empty, json

from console.auth import ONE_TIME_API, check_credentials
from console.web import (
    change_json,
    checked_id,
    db,
    engines,
    handoff_json,
    json_object,
    line_json,
    note_json,
    whole_number,
)
from handoff.models import STATUSES
from handoff.staff import MUST_CHANGE, SESSION_LIFETIME, end_session, start_session
from handoff.store import (
    HandoffError,
    count_new,
    get_handoff,
    notes_for,
    page_of_handoffs,
    record,
    record_view,
    status_history,
    update_handoff,
)
from handoff.transcripts import transcript

bp = Blueprint("api", url_prefix="/api")
NOT_FOUND = "no such handoff (it may have been erased)"


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    body = json_object(request, {"username": str, "password": str}, required=("username", "password"))
    username, password = (body["username"] or "").strip(), body["password"] or ""
    ok, reason, wait = await check_credentials(request, username, password)
    if wait:
        return json({"error": reason}, status=429, headers={"Retry-After": str(wait)})
    if not ok:
        return json({"error": reason}, status=401)
    if reason == MUST_CHANGE:
        return json({"error": ONE_TIME_API}, status=403)
    token, _csrf = await db(start_session, request.app.ctx.handoffs, username, "api")
    return json({"token": token, "token_type": "Bearer", "expires_in": int(SESSION_LIFETIME.total_seconds())})


@bp.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    await db(end_session, request.app.ctx.handoffs, request.ctx.token)
    await db(record, request.app.ctx.handoffs, request.ctx.staff, "logged_out", request.ctx.staff, "API token")
    return empty()


@bp.get("/handoffs")
async def handoffs(request: Request) -> HTTPResponse:
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    limit = whole_number(request, "limit", 50, 1, 200)
    offset = whole_number(request, "offset", 0, 0, 10**9)
    engine = request.app.ctx.handoffs
    page, more = await db(page_of_handoffs, engine, request.ctx.staff, status, limit, offset, " (API)")
    return json(
        {
            "handoffs": [handoff_json(h) for h in page],
            "new": await db(count_new, engine),
            "next_offset": offset + limit if more else None,
        }
    )


async def _detail(request: Request, handoff) -> dict:
    engine = request.app.ctx.handoffs
    return {
        "handoff": handoff_json(handoff),
        "notes": [note_json(n) for n in await db(notes_for, engine, handoff.id)],
        "history": [change_json(c) for c in await db(status_history, engine, handoff.id)],
    }


@bp.get("/handoffs/<handoff_id:int>")
async def handoff(request: Request, handoff_id: int) -> HTTPResponse:
    handoffs_db, trackers = engines(request)
    found = await db(get_handoff, handoffs_db, checked_id(handoff_id))
    if found is None:
        raise NotFound(NOT_FOUND)
    await db(record_view, handoffs_db, request.ctx.staff, found.reference)
    detail = await _detail(request, found)
    detail["transcript"] = [line_json(line) for line in await db(transcript, trackers, found.sender_id)]
    return json(detail)


@bp.patch("/handoffs/<handoff_id:int>")
async def change(request: Request, handoff_id: int) -> HTTPResponse:
    checked_id(handoff_id)
    body = json_object(request, {"status": str, "assignee": str, "note": str})
    if not any(body.get(name) is not None for name in ("status", "assignee", "note")):
        raise BadRequest("nothing to change: give status, assignee and/or note")
    try:
        updated = await db(
            update_handoff,
            request.app.ctx.handoffs,
            handoff_id,
            request.ctx.staff,
            status=body.get("status"),
            assignee=body.get("assignee"),
            note=body.get("note"),
        )
    except HandoffError as error:
        raise BadRequest(str(error)) from None
    except LookupError:
        raise NotFound(NOT_FOUND) from None
    return json(await _detail(request, updated))
