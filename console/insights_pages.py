"""The insights page: how the assistant is doing over a date range, as charts with a table
each, and the same numbers as a CSV file. The numbers are handoff/insights.py's, the same
as the JSON API's (console/insights.py)."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from clinic.triage.routes import LABELS as ROUTE_LABELS
from console.charts import bar_chart, column_chart
from console.insights import csv_response, numbers_for, requested_range
from console.web import REASON_LABELS, render

bp = Blueprint("insights_pages")
TOPICS_SHOWN = 15  # the chart shows the commonest; the table lists them all


def _percent(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _minutes(value) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


@bp.get("/insights")
async def insights_page(request: Request) -> HTTPResponse:
    span = requested_range(request)
    numbers = await numbers_for(request, span)
    days = numbers["days"]
    handoffs = numbers["handoffs"]
    satisfaction = numbers["satisfaction"]
    reasons = [(REASON_LABELS.get(code, code), count) for code, count in handoffs["by_reason"].items()]
    routes = [(ROUTE_LABELS.get(route, route), count) for route, count in numbers["emergencies_by_route"].items()]
    charts = {
        "conversations": column_chart(
            "chart-conversations", "Conversations per day", [(d["date"], d["conversations"]) for d in days]
        ),
        "messages": column_chart(
            "chart-messages", "Visitor messages per day", [(d["date"], d["visitor_messages"]) for d in days]
        ),
        "handoffs": column_chart(
            "chart-handoffs", "Requests passed to the team per day", [(d["date"], d["handoffs"]) for d in days]
        ),
        "reasons": bar_chart("chart-reasons", "Requests by reason", reasons),
        "channels": bar_chart("chart-channels", "Requests by channel", list(handoffs["by_channel"].items())),
        "emergencies": bar_chart("chart-emergencies", "Emergency replies by route", routes),
        "topics": bar_chart(
            "chart-topics",
            f"The {TOPICS_SHOWN} commonest topics",
            [(t["intent"], t["messages"]) for t in numbers["topics"][:TOPICS_SHOWN]],
        ),
        "satisfaction": bar_chart(
            "chart-satisfaction",
            "Answers to “Was this helpful?”",
            [("Helpful", satisfaction["helpful"]), ("Not helpful", satisfaction["not_helpful"])],
        ),
    }
    return await render(
        request,
        "insights.html",
        title="Insights",
        numbers=numbers,
        charts=charts,
        reason_rows=reasons,
        route_rows=routes,
        topic_rows=[(t["intent"], t["messages"]) for t in numbers["topics"]],
        percent=_percent,
        minutes=_minutes,
    )


@bp.get("/insights.csv")
async def insights_csv(request: Request) -> HTTPResponse:
    span = requested_range(request)
    return csv_response(await numbers_for(request, span, " (CSV)"))
