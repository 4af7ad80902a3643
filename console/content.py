"""The staff JSON API of the content store (handoff/content.py): bearer tokens, like console/api.py.

GET  /api/content                           -> {"content": [{key, kind, response, safety, live, drafts,
                                                 review_by, last_approver}], "version": N}
GET  /api/content/{key}                     -> {"key", "safety", "history": [every version, newest first]}
POST /api/content/{key}/drafts              {"text", "buttons"?, "source"?, "source_reference"?, "review_by"?}
                                            -> 201 {"draft": {...}}
POST /api/content/drafts/{id}/approve       {"comment"?, "acknowledge_claims"?} -> {"live": {...}}
POST /api/content/drafts/{id}/reject        {"comment"} -> {"rejected": {...}}

400 bad input (the message says what), 403 own draft or a safety reply without the
clinical-safety-officer role, 404 no such key or draft, 409 no longer a draft or a claim
not acknowledged. Texts are stored as given and only ever sent as JSON or escaped.
"""

from __future__ import annotations

from typing import Any, Dict, List

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, Forbidden, NotFound, SanicException
from sanic.response import HTTPResponse, json

from console.web import LARGEST_ID, db, json_object
from handoff.content import (
    Conflict,
    ContentError,
    NotAllowed,
    add_draft,
    approve_draft,
    content_version,
    history_of,
    is_safety,
    reject_draft,
    safety_responses,
    version_json,
    versions_of,
)
from handoff.store import record

bp = Blueprint("content", url_prefix="/api/content")


class ConflictError(SanicException):
    status_code = 409
    quiet = True


def content_overview(engine) -> Dict[str, Any]:
    """Every key with its live version and open drafts (the list staff review from)."""
    safety = safety_responses()
    items: Dict[str, Dict[str, Any]] = {}
    for version in versions_of(engine):
        item = items.setdefault(
            version.key,
            {"key": version.key, "kind": version.kind, "response": version.response, "live": None, "drafts": []},
        )
        if version.status == "live":
            item["live"] = version_json(version)
        else:
            item["drafts"].append(version_json(version))
    listed: List[Dict[str, Any]] = []
    for item in items.values():
        live = item["live"] or {}
        item.update(
            safety=is_safety(item["key"], safety), review_by=live.get("review_by"), last_approver=live.get("approver")
        )
        listed.append(item)
    return {"content": listed, "version": content_version(engine)}


def _answer_for(error: Exception) -> SanicException:
    if isinstance(error, NotAllowed):
        return Forbidden(str(error))
    if isinstance(error, Conflict):
        return ConflictError(str(error))
    return BadRequest(str(error))


def _draft_id(draft_id: int) -> int:
    if not 0 < draft_id <= LARGEST_ID:
        raise NotFound("no such draft")
    return draft_id


@bp.get("/")
async def overview(request: Request) -> HTTPResponse:
    engine = request.app.ctx.handoffs
    await db(record, engine, request.ctx.staff, "listed", "content (API)")
    return json(await db(content_overview, engine))


def content_history(engine, key: str) -> Dict[str, Any]:
    """One key's versions, newest first: who drafted, approved or rejected what, and when."""
    versions = history_of(engine, key)
    if not versions:
        raise LookupError(key)
    return {"key": key, "safety": is_safety(key), "history": [version_json(version) for version in versions]}


@bp.get("/<key>")
async def history(request: Request, key: str) -> HTTPResponse:
    try:
        return json(await db(content_history, request.app.ctx.handoffs, key))
    except LookupError:
        raise NotFound("no such content key: see GET /api/content") from None


@bp.post("/<key>/drafts")
async def draft(request: Request, key: str) -> HTTPResponse:
    body = json_object(
        request,
        {"text": str, "buttons": list, "source": str, "source_reference": str, "review_by": str},
        required=("text",),
    )
    try:
        made = await db(add_draft, request.app.ctx.handoffs, key, request.ctx.staff, **body)
    except LookupError:
        raise NotFound("no such content key: see GET /api/content") from None
    except ContentError as error:
        raise _answer_for(error) from None
    return json({"draft": version_json(made)}, status=201)


@bp.post("/drafts/<draft_id:int>/approve")
async def approve(request: Request, draft_id: int) -> HTTPResponse:
    _draft_id(draft_id)
    body = json_object(request, {"comment": str, "acknowledge_claims": bool}) if request.body else {}
    try:
        live = await db(approve_draft, request.app.ctx.handoffs, draft_id, request.ctx.staff, **body)
    except LookupError:
        raise NotFound("no such draft") from None
    except ContentError as error:
        raise _answer_for(error) from None
    request.app.ctx.live_content.invalidate()  # this process answers with it at once
    return json({"live": version_json(live)})


@bp.post("/drafts/<draft_id:int>/reject")
async def reject(request: Request, draft_id: int) -> HTTPResponse:
    _draft_id(draft_id)
    body = json_object(request, {"comment": str}, required=("comment",))
    try:
        rejected = await db(reject_draft, request.app.ctx.handoffs, draft_id, request.ctx.staff, body["comment"])
    except LookupError:
        raise NotFound("no such draft") from None
    except ContentError as error:
        raise _answer_for(error) from None
    return json({"rejected": version_json(rejected)})
