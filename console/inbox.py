"""Staff pages: the inbox, one conversation, status/assignee/notes, GDPR erase, the audit log."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, NotFound
from sanic.response import HTTPResponse, redirect

from console.web import STATUS_LABELS, checked_id, db, engines, form_value, render, whole_number
from handoff.content import due_for_review
from handoff.models import STATUSES
from handoff.review import erase_items_of
from handoff.store import (
    HandoffError,
    audit_entries,
    erase_handoff,
    get_handoff,
    list_handoffs,
    notes_for,
    page_of_handoffs,
    record,
    record_view,
    status_history,
    update_handoff,
)
from handoff.transcripts import ConversationStoreError, erase_conversations, transcript

bp = Blueprint("inbox")
PAGE_SIZE = 50
DUE_SHOWN = 10  # answers due for review listed above the requests; the rest are counted


async def _handoff_or_404(request: Request, handoff_id: int):
    handoff = await db(get_handoff, request.app.ctx.handoffs, checked_id(handoff_id))
    if handoff is None:
        raise NotFound("There is no such request (it may have been erased).")
    return handoff


@bp.get("/")
async def inbox(request: Request) -> HTTPResponse:
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"Unknown status; choose one of: {', '.join(STATUSES)}.")
    page = whole_number(request, "page", 1, 1, 100_000)
    handoffs, more = await db(
        page_of_handoffs, request.app.ctx.handoffs, request.ctx.staff, status, PAGE_SIZE, (page - 1) * PAGE_SIZE
    )
    due = await db(due_for_review, request.app.ctx.handoffs)
    title = f"{STATUS_LABELS[status]} requests" if status else "Inbox"
    return await render(
        request,
        "inbox.html",
        title=title,
        handoffs=handoffs,
        current=status,
        page=page,
        more=more,
        first_number=(page - 1) * PAGE_SIZE + 1,
        due=due[:DUE_SHOWN],
        due_more=max(0, len(due) - DUE_SHOWN),
    )


async def _conversation_page(request: Request, handoff, status_code: int = 200, error: str = "") -> HTTPResponse:
    handoffs, trackers = engines(request)
    notes = await db(notes_for, handoffs, handoff.id)
    history = await db(status_history, handoffs, handoff.id)
    lines = await db(transcript, trackers, handoff.sender_id)
    return await render(
        request,
        "handoff.html",
        status_code=status_code,
        title=f"Request {handoff.reference}",
        handoff=handoff,
        notes=notes,
        history=history,
        lines=lines,
        error=error,
    )


@bp.get("/handoffs/<handoff_id:int>")
async def conversation(request: Request, handoff_id: int) -> HTTPResponse:
    handoff = await _handoff_or_404(request, handoff_id)
    await db(record_view, request.app.ctx.handoffs, request.ctx.staff, handoff.reference)
    return await _conversation_page(request, handoff)


async def _update(request: Request, handoff_id: int, **change) -> HTTPResponse:
    handoff = await _handoff_or_404(request, handoff_id)
    try:
        await db(update_handoff, request.app.ctx.handoffs, handoff.id, request.ctx.staff, **change)
    except HandoffError as error:
        return await _conversation_page(request, handoff, status_code=400, error=str(error).capitalize() + ".")
    except LookupError:
        raise NotFound("There is no such request (it may have been erased).") from None
    return redirect(f"/handoffs/{handoff.id}", status=303)


@bp.post("/handoffs/<handoff_id:int>/status")
async def change_status(request: Request, handoff_id: int) -> HTTPResponse:
    return await _update(
        request, handoff_id, status=form_value(request, "status"), assignee=form_value(request, "assignee")
    )


@bp.post("/handoffs/<handoff_id:int>/notes")
async def add_note(request: Request, handoff_id: int) -> HTTPResponse:
    return await _update(request, handoff_id, note=form_value(request, "note") or "")


def _contact_key(handoff) -> tuple:
    return handoff.contact_kind, "".join(handoff.contact.split()).lower()


async def _same_visitor(request: Request, handoff):
    """A person's erasure covers every request from the same conversation or with the same
    phone number or e-mail address (the website and WhatsApp are one person)."""
    everything = await db(list_handoffs, request.app.ctx.handoffs, None)
    return [
        other
        for other in everything
        if other.sender_id == handoff.sender_id or _contact_key(other) == _contact_key(handoff)
    ]


@bp.get("/handoffs/<handoff_id:int>/erase")
async def erase_confirmation(request: Request, handoff_id: int) -> HTTPResponse:
    handoff = await _handoff_or_404(request, handoff_id)
    await db(record, request.app.ctx.handoffs, request.ctx.staff, "erase_confirmation_viewed", handoff.reference)
    requests = await _same_visitor(request, handoff)
    message_count = 0
    for sender in sorted({each.sender_id for each in requests}):
        message_count += len(await db(transcript, request.app.ctx.trackers, sender))
    return await render(
        request,
        "erase.html",
        title=f"Erase {handoff.reference}?",
        handoff=handoff,
        requests=requests,
        message_count=message_count,
    )


@bp.post("/handoffs/<handoff_id:int>/erase")
async def erase(request: Request, handoff_id: int) -> HTTPResponse:
    handoffs, trackers = engines(request)
    handoff = await _handoff_or_404(request, handoff_id)
    requests = await _same_visitor(request, handoff)
    # The conversations go first, together: if anything fails after them, the handoffs
    # (which know the conversations' ids) are still there and the erasure can be repeated.
    try:
        events = await db(erase_conversations, trackers, [each.sender_id for each in requests])
    except ConversationStoreError:
        return await render(
            request,
            "error.html",
            status_code=503,
            title="Nothing was erased",
            message="Nothing was erased: the conversation store could not be reached, so the "
            "conversation and the request are both kept. Try again in a few minutes.",
        )
    # The messages queued for review go with their conversations, before the requests.
    await db(erase_items_of, handoffs, [each.sender_id for each in requests])
    erased = []
    for each in requests:
        try:
            await db(erase_handoff, handoffs, each.id, request.ctx.staff)
            erased.append(each.reference)
        except LookupError:  # erased meanwhile by someone else
            pass
    return await render(request, "erased.html", title="Erased", references=erased, events=events)


@bp.get("/audit")
async def audit_log(request: Request) -> HTTPResponse:
    await db(record, request.app.ctx.handoffs, request.ctx.staff, "audit_viewed", "audit log")
    entries = await db(audit_entries, request.app.ctx.handoffs, 500)
    return await render(request, "audit.html", title="Audit log", entries=entries)
