"""The insights JSON API (bearer tokens, like console/api.py) and what the page shares with it.

GET /api/insights?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=json|csv]
    -> {"from", "to", "totals", "days", "handoffs", "emergencies_by_route", "topics",
        "time_to_contacted", "satisfaction"} (handoff/insights.py; docs/insights.md),
       or the same numbers as CSV rows (measure, date, breakdown, value).

Both dates are optional (the last 30 days up to today, UTC) and included. 400 when a
date is malformed or not real, `from` is after `to`, the range is longer than 366 days,
or the format is unknown; 503 when a database cannot be read. Aggregates only: no
conversation id, name or message text is ever in the answer. Each view is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Any, Dict

from sanic import Blueprint, Request
from sanic.exceptions import BadRequest, ServiceUnavailable
from sanic.response import HTTPResponse, json, raw

from console.web import db, engines
from handoff.insights import DateRange, InsightsRangeError, csv_rows, insights, parse_range
from handoff.store import record
from handoff.transcripts import ConversationStoreError

bp = Blueprint("insights_api", url_prefix="/api/insights")
FORMATS = ("json", "csv")
STORE_DOWN = "The conversation store is not available at the moment; try again shortly."


def requested_range(request: Request) -> DateRange:
    try:
        return parse_range(request.args.get("from"), request.args.get("to"), datetime.now(timezone.utc).date())
    except InsightsRangeError as error:
        raise BadRequest(str(error)) from None


def requested_format(request: Request) -> str:
    wanted = request.args.get("format") or "json"
    if wanted not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}")
    return wanted


async def numbers_for(request: Request, span: DateRange, via: str = "") -> Dict[str, Any]:
    """The dashboard's numbers, with the view in the audit log."""
    handoffs, trackers = engines(request)
    try:
        numbers = await db(insights, handoffs, trackers, span)
    except ConversationStoreError:
        raise ServiceUnavailable(STORE_DOWN) from None
    await db(record, handoffs, request.ctx.staff, "viewed_insights", "insights", f"{span.first} to {span.last}{via}")
    return numbers


def csv_response(numbers: Dict[str, Any]) -> HTTPResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("measure", "date", "breakdown", "value"))
    for measure, day, breakdown, value in csv_rows(numbers):
        writer.writerow((measure, day, breakdown, "" if value is None else value))
    name = f"insights-{numbers['from']}-to-{numbers['to']}.csv"
    return raw(
        out.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("")
async def insights_api(request: Request) -> HTTPResponse:
    span = requested_range(request)
    wanted = requested_format(request)
    numbers = await numbers_for(request, span, " (API)")
    return csv_response(numbers) if wanted == "csv" else json(numbers)
