"""The staff page of the review queue: the messages the assistant was unsure about, each
with a choice of topic (the domain's intents), "new topic" or "ignore"; the same rules as
the JSON API (console/review.py, handoff/review.py)."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound
from sanic.response import HTTPResponse, redirect

from console.review import checked_item_id
from console.web import db, engines, form_value, render, whole_number
from handoff.review import (
    REASONS,
    STATUS_LABELS,
    STATUSES,
    TRIAGE_LABELS,
    RedFlagLabel,
    ReviewError,
    count_open,
    intents,
    list_items,
    refresh,
    review,
)
from handoff.store import record

bp = Blueprint("review_pages")
PAGE_SIZE = 50


async def _page(request: Request, status: str, page: int = 1, status_code: int = 200, error: str = ""):
    handoffs, trackers = engines(request)
    fresh = await db(refresh, handoffs, trackers)
    found = await db(list_items, handoffs, status, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    await db(record, handoffs, request.ctx.staff, "listed", f"{status} review items", f"{len(found[:PAGE_SIZE])} shown")
    return await render(
        request,
        "review.html",
        status_code=status_code,
        title="Review" if status == "open" else f"Review: {STATUS_LABELS[status].lower()}",
        items=found[:PAGE_SIZE],
        more=len(found) > PAGE_SIZE,
        page=page,
        current=status,
        review_statuses=STATUS_LABELS,
        review_reasons=REASONS,
        intents=intents(),
        triage_labels=TRIAGE_LABELS,
        open_count=await db(count_open, handoffs),
        fresh=fresh,
        error=error,
    )


@bp.get("/review")
async def review_queue(request: Request) -> HTTPResponse:
    status = request.args.get("status") or "open"
    if status not in STATUSES:
        raise BadRequest(f"Unknown status; choose one of: {', '.join(STATUSES)}.")
    return await _page(request, status, whole_number(request, "page", 1, 1, 100_000))


@bp.post("/review/<item_id:int>")
async def review_item(request: Request, item_id: int) -> HTTPResponse:
    checked_item_id(item_id)
    decision = form_value(request, "decision") or ""
    intent = form_value(request, "intent") or None
    try:
        await db(
            review,
            request.app.ctx.handoffs,
            item_id,
            request.ctx.staff,
            decision,
            intent if decision == "labelled" else None,
        )
    except RedFlagLabel as error:
        return await _page(request, "open", status_code=409, error=_sentence(error))
    except ReviewError as error:
        return await _page(request, "open", status_code=400, error=_sentence(error))
    except LookupError:
        raise NotFound("There is no such message to review (it may have been erased with its conversation).") from None
    return redirect("/review", status=303)


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
