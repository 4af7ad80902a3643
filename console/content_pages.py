"""Staff pages of the content store: the list of answers and clinic details, and one piece of
content with its live version, a form for a new draft (with a preview), each open draft's
difference from the live text, and approve / reject forms. The rules are handoff/content.py's,
the same as the JSON API's (console/content.py)."""

from __future__ import annotations

import difflib
from typing import List, Optional, Tuple

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, redirect

from console.content import content_history, content_overview
from console.nlg import fill
from console.web import LARGEST_ID, db, form_value, render
from handoff.content import (
    SOURCES,
    Conflict,
    ContentError,
    NotAllowed,
    add_draft,
    approve_draft,
    claims_in,
    get_version,
    reject_draft,
)
from handoff.store import now

bp = Blueprint("content_pages")


def word_diff(live: str, draft: str) -> List[Tuple[str, str]]:
    """(kind, words) pieces: kind is same, del (only in live) or ins (only in the draft)."""
    old, new = live.split(" "), draft.split(" ")
    pieces: List[Tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", " ".join(new[j1:j2])))
    return pieces


async def _item(request: Request, key: str) -> dict:
    overview = await db(content_overview, request.app.ctx.handoffs)
    found = next((item for item in overview["content"] if item["key"] == key), None)
    if found is None:
        raise NotFound("There is no such answer or clinic detail.")
    return found


async def _page(request: Request, key: str, status_code: int = 200, error: str = "", form=None, preview=None):
    item = await _item(request, key)
    live_text = (item["live"] or {}).get("text", "")
    drafts = [
        {**draft, "diff": word_diff(live_text, draft["text"]), "claims": claims_in(draft["text"])}
        for draft in item["drafts"]
    ]
    history = (await db(content_history, request.app.ctx.handoffs, key))["history"]
    return await render(
        request,
        "content_item.html",
        status_code=status_code,
        title=key,
        item=item,
        drafts=drafts,
        history=[version for version in history if version["status"] != "draft"],
        me=request.ctx.staff,
        sources=SOURCES,
        error=error,
        form=form
        or {
            "text": live_text,
            "source": (item["live"] or {}).get("source", ""),
            "source_reference": "",
            "review_by": "",
        },
        preview=preview,
    )


@bp.get("/content")
async def content_list(request: Request) -> HTTPResponse:
    overview = await db(content_overview, request.app.ctx.handoffs)
    today = now().isoformat()
    return await render(
        request, "content.html", title="Answers and clinic details", items=overview["content"], today=today
    )


@bp.get("/content/<key>")
async def content_item(request: Request, key: str) -> HTTPResponse:
    return await _page(request, key)


@bp.post("/content/<key>/drafts")
async def content_draft(request: Request, key: str) -> HTTPResponse:
    form = {name: form_value(request, name) or "" for name in ("text", "source", "source_reference", "review_by")}
    if form_value(request, "action") == "preview":
        item = await _item(request, key)
        slots = {}
        if item["kind"] == "response":
            slots = request.app.ctx.live_content.detail_slots if request.app.ctx.live_content.from_store else {}
        return await _page(request, key, form=form, preview=fill(form["text"], slots))
    try:
        await db(
            add_draft,
            request.app.ctx.handoffs,
            key,
            request.ctx.staff,
            form["text"],
            None,
            form["source"] or None,
            form["source_reference"] or None,
            form["review_by"] or None,
        )
    except LookupError:
        raise NotFound("There is no such answer or clinic detail.") from None
    except ContentError as error:
        return await _page(request, key, status_code=400, error=_sentence(error), form=form)
    return redirect(f"/content/{key}", status=303)


def _draft_id(draft_id: int) -> int:
    if not 0 < draft_id <= LARGEST_ID:
        raise NotFound("There is no such draft.")
    return draft_id


async def _decide(request: Request, draft_id: int, decide) -> HTTPResponse:
    draft = await db(get_version, request.app.ctx.handoffs, _draft_id(draft_id))
    if draft is None:
        raise NotFound("There is no such draft.")
    try:
        await db(decide)
    except LookupError:
        raise NotFound("There is no such draft.") from None
    except ContentError as error:
        status = 403 if isinstance(error, NotAllowed) else 409 if isinstance(error, Conflict) else 400
        return await _page(request, draft.key, status_code=status, error=_sentence(error))
    request.app.ctx.live_content.invalidate()
    return redirect(f"/content/{draft.key}", status=303)


@bp.post("/content/drafts/<draft_id:int>/approve")
async def content_approve(request: Request, draft_id: int) -> HTTPResponse:
    engine, staff = request.app.ctx.handoffs, request.ctx.staff
    comment, acknowledged = form_value(request, "comment") or "", form_value(request, "acknowledge_claims") == "yes"
    return await _decide(request, draft_id, lambda: approve_draft(engine, draft_id, staff, comment, acknowledged))


@bp.post("/content/drafts/<draft_id:int>/reject")
async def content_reject(request: Request, draft_id: int) -> HTTPResponse:
    engine, staff = request.app.ctx.handoffs, request.ctx.staff
    comment = form_value(request, "comment") or ""
    return await _decide(request, draft_id, lambda: reject_draft(engine, draft_id, staff, comment))


def _sentence(error: Exception) -> Optional[str]:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
