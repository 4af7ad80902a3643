"""The staff JSON API of the review queue (handoff/review.py): bearer tokens, like console/api.py.

GET   /api/review          ?status=open|labelled|new_topic|ignored&limit=50&offset=0
                           -> {"items": [...], "open": N, "intents": [...], "next_offset": N or null}
PATCH /api/review/{id}     {"status": "labelled", "intent": "ask_prices"} or {"status": "new_topic"|"ignored"|"open"}
                           -> {"item": {...}}

Reading the queue first adds the new messages the assistant was unsure about. 400 bad
input (the message says what), 404 no such item (it may have been erased with its
conversation), 409 an everyday topic for a message the triage routed as an emergency.
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound
from sanic.response import HTTPResponse, json

from console.content import ConflictError
from console.web import LARGEST_ID, db, engines, json_object, whole_number
from handoff.review import (
    STATUSES,
    RedFlagLabel,
    ReviewError,
    count_open,
    intents,
    item_json,
    list_items,
    refresh,
    review,
)
from handoff.store import record

bp = Blueprint("review", url_prefix="/api/review")
NOT_FOUND = "no such review item (it may have been erased with its conversation)"


def checked_item_id(item_id: int) -> int:
    if not 0 < item_id <= LARGEST_ID:
        raise NotFound(NOT_FOUND)
    return item_id


def checked_status(request: Request) -> str:
    status = request.args.get("status") or "open"
    if status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    return status


@bp.get("/")
async def queue(request: Request) -> HTTPResponse:
    status = checked_status(request)
    limit = whole_number(request, "limit", 50, 1, 200)
    offset = whole_number(request, "offset", 0, 0, 10**9)
    handoffs, trackers = engines(request)
    await db(refresh, handoffs, trackers)
    found = await db(list_items, handoffs, status, limit + 1, offset)
    page = found[:limit]
    await db(record, handoffs, request.ctx.staff, "listed", f"{status} review items (API)", f"{len(page)} shown")
    return json(
        {
            "items": [item_json(item) for item in page],
            "open": await db(count_open, handoffs),
            "intents": intents(),
            "next_offset": offset + limit if len(found) > limit else None,
        }
    )


@bp.patch("/<item_id:int>")
async def label(request: Request, item_id: int) -> HTTPResponse:
    checked_item_id(item_id)
    body = json_object(request, {"status": str, "intent": str}, required=("status",))
    try:
        item = await db(
            review, request.app.ctx.handoffs, item_id, request.ctx.staff, body["status"], body.get("intent")
        )
    except RedFlagLabel as error:
        raise ConflictError(str(error)) from None
    except ReviewError as error:
        raise BadRequest(str(error)) from None
    except LookupError:
        raise NotFound(NOT_FOUND) from None
    return json({"item": item_json(item)})
