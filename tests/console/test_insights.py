"""The insights API, CSV and page: a known week of conversations (answered, handed off,
an emergency, a fallback, rated helpful and not helpful) written as Rasa's own events into
the tracker store, requests saved by the handoff store, and exactly these numbers back;
on SQLite (the console's own databases) and PostgreSQL (a schema of its own).
Bad ranges get a 400 and no numbers."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import text, update

from handoff.db import make_engine
from handoff.insights import DateRange, insights
from handoff.models import Handoff, StatusChange
from handoff.store import NewHandoff, list_handoffs, save_handoff, update_handoff
from tests.console.support import EVENTS_TABLE

DAY_ONE = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)  # a week no other console test writes to
WEEK = {"from": "2025-03-03", "to": "2025-03-09"}


def _user(intent: str, text: str, triage_route=None):
    parse = {"intent": {"name": intent, "confidence": 0.97}, "entities": [], "text": text}
    if triage_route:
        parse["triage"] = {"route": triage_route, "reason": "", "matched": [], "ask_if_now": False, "set_aside": []}
    return ("user", intent, None, {"event": "user", "text": text, "parse_data": parse, "input_channel": "rest"})


def _action(name: str):
    return ("action", None, name, {"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0})


def _bot(said: str):
    return ("bot", None, None, {"event": "bot", "text": said, "data": {}, "metadata": {}})


def _slot(name: str, value):
    return ("slot", None, name, {"event": "slot", "name": name, "value": value})


def conversation(trackers, sender: str, start: datetime, steps) -> None:
    """Rows exactly as Rasa's SQLTrackerStore writes them: the event's JSON in `data`, its
    intent (visitor messages) or name (actions; slots) in their own columns."""
    with trackers.begin() as connection:
        for number, (type_name, intent, action, data) in enumerate(
            [("action", None, "action_session_start", {"event": "action", "name": "action_session_start"})]
            + [_action("action_listen")]
            + list(steps)
        ):
            stamp = start.timestamp() + number
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:s, :t, :ts, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "t": type_name,
                    "ts": stamp,
                    "i": intent,
                    "a": action,
                    "d": json.dumps(data | {"timestamp": stamp}),
                },
            )


def request_for(handoffs, sender: str, reason: str, channel: str, created: datetime, contacted_after=None) -> None:
    reference = save_handoff(
        handoffs,
        NewHandoff(
            sender_id=sender,
            channel=channel,
            reason=reason,
            urgent=False,
            name="Sam Taylor",
            contact_kind="phone",
            contact="+44 7700 900123",
            preferred_times="mornings",
            preferred_times_normalised="",
            topic="back pain",
            summary="Asked to book.",
        ),
    )
    found = next(h for h in list_handoffs(handoffs) if h.reference == reference)
    with handoffs.begin() as connection:
        connection.execute(update(Handoff).where(Handoff.id == found.id).values(created_at=created))
    if contacted_after is not None:
        update_handoff(handoffs, found.id, "staff", status="contacted")
        with handoffs.begin() as connection:
            connection.execute(
                update(StatusChange)
                .where(StatusChange.handoff_id == found.id)
                .values(created_at=created + contacted_after)
            )


def play_the_week(handoffs, trackers, day_one: datetime = DAY_ONE) -> str:
    """Five conversations in the week from `day_one` and one the week after; returns the run's id prefix."""
    DAY_ONE = day_one
    run = uuid.uuid4().hex[:8]
    goodbye = [
        _user("goodbye", "bye"),
        _action("utter_goodbye"),
        _bot("Goodbye, and take care."),
        _action("utter_ask_feedback"),
        _bot("Was this helpful?"),
    ]
    # Answered, rated helpful.
    conversation(
        trackers,
        f"{run}-answered",
        DAY_ONE,
        [
            _user("ask_tuina", "what is tui na"),
            _action("action_answer_health"),
            _bot("Tui Na is..."),
            *goodbye,
            _user("feedback_helpful", "/feedback_helpful"),
            _action("utter_feedback_helpful"),
        ],
    )
    # Handed off (a booking, contacted after 30 minutes), rated not helpful.
    conversation(
        trackers,
        f"{run}-booked",
        DAY_ONE + timedelta(hours=1),
        [
            _user("book_appointment", "I want to book"),
            _action("handoff_form"),
            _action("action_submit_handoff"),
            _action("utter_ask_feedback"),
            _user("feedback_not_helpful", "/feedback_not_helpful"),
            _action("utter_feedback_not_helpful"),
        ],
    )
    request_for(
        handoffs, f"{run}-booked", "booking", "rest", DAY_ONE + timedelta(hours=1, minutes=5), timedelta(minutes=30)
    )
    # An emergency (A&E now): answered, not a handoff.
    conversation(
        trackers,
        f"{run}-emergency",
        DAY_ONE + timedelta(hours=2),
        [
            _user("red_flag", "my back hurts and my legs went numb", "ae_now"),
            _slot("triage_route", "ae_now"),
            _action("utter_emergency"),
            _bot("Go to A&E now."),
        ],
    )
    # A fallback, then out of scope.
    conversation(
        trackers,
        f"{run}-fallback",
        DAY_ONE + timedelta(hours=3),
        [
            _user("nlu_fallback", "flibble"),
            _action("utter_out_of_scope"),
            _user("out_of_scope", "what's the weather"),
            _action("utter_out_of_scope"),
        ],
    )
    # Next day, WhatsApp: asked for a person (contacted after 90 minutes); helpful, then changed to not helpful.
    conversation(
        trackers,
        f"{run}-person",
        DAY_ONE + timedelta(days=1),
        [
            _user("request_human", "can I talk to someone"),
            _action("action_submit_handoff"),
            _action("utter_ask_feedback"),
            _user("feedback_helpful", "/feedback_helpful"),
            _user("feedback_not_helpful", "/feedback_not_helpful"),
        ],
    )
    request_for(
        handoffs, f"{run}-person", "person", "whatsapp", DAY_ONE + timedelta(days=1, minutes=2), timedelta(minutes=90)
    )
    # Outside the range: counted nowhere.
    conversation(
        trackers,
        f"{run}-later",
        DAY_ONE + timedelta(days=8),
        [_user("ask_prices", "how much"), _action("utter_prices")],
    )
    request_for(handoffs, f"{run}-later", "booking", "rest", DAY_ONE + timedelta(days=8), timedelta(minutes=5))
    return run


def check_the_week(numbers) -> None:
    totals = numbers["totals"]
    assert (numbers["from"], numbers["to"]) == ("2025-03-03", "2025-03-09")
    assert totals == {
        "conversations": 5,
        "visitor_messages": 11,
        "contained": 2,  # the answered one and the emergency
        "containment_rate": 0.4,
        "handoffs": 2,
        "fallback_messages": 1,
        "fallback_rate": round(1 / 11, 4),
        "out_of_scope_messages": 1,
        "out_of_scope_rate": round(1 / 11, 4),
        "emergencies": 1,
        "booking_requests": 1,
        "bookings_per_conversation": 0.2,
        "booked": 0,
    }
    assert [d["date"] for d in numbers["days"]] == [f"2025-03-0{n}" for n in range(3, 10)]
    assert [(d["conversations"], d["visitor_messages"], d["handoffs"]) for d in numbers["days"][:3]] == [
        (4, 8, 1),
        (1, 3, 1),
        (0, 0, 0),
    ]
    assert numbers["handoffs"]["by_reason"] == {"booking": 1, "person": 1, "no_answer": 0}
    assert numbers["handoffs"]["by_channel"] == {"rest": 1, "whatsapp": 1}
    assert numbers["handoffs"]["by_day"] == [
        {"date": "2025-03-03", "reason": "booking", "channel": "rest", "count": 1},
        {"date": "2025-03-04", "reason": "person", "channel": "whatsapp", "count": 1},
    ]
    assert numbers["emergencies_by_route"] == {"ae_now": 1}
    assert numbers["time_to_contacted"] == {"requests_contacted": 2, "median_minutes": 60.0, "p90_minutes": 84.0}
    assert numbers["satisfaction"] == {"asked": 3, "helpful": 1, "not_helpful": 2, "helpful_rate": 0.3333}
    topics = {t["intent"]: t["messages"] for t in numbers["topics"]}
    assert topics == {
        "ask_tuina": 1,
        "goodbye": 1,
        "book_appointment": 1,
        "red_flag": 1,
        "nlu_fallback": 1,
        "out_of_scope": 1,
        "request_human": 1,
    }
    assert "ask_prices" not in topics  # the week after


def no_personal_data(body: str, run: str) -> None:
    for private in (run, "Sam Taylor", "7700", "what is tui na", "flibble", "legs went numb"):
        assert private not in body


# The console (SQLite) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def the_week(handoffs, trackers):
    return play_the_week(handoffs, trackers)


def test_the_api_returns_exactly_the_weeks_numbers(api, the_week, handoffs):
    response = api.get("/api/insights", params=WEEK)
    assert response.status_code == 200, response.text
    check_the_week(response.json())
    no_personal_data(response.text, the_week)


def test_every_view_is_in_the_audit_log(api, the_week, handoffs, staff):
    api.get("/api/insights", params=WEEK)
    with handoffs.connect() as connection:
        entry = connection.execute(
            text(
                "SELECT actor, action, detail FROM audit_log WHERE action = 'viewed_insights' ORDER BY id DESC LIMIT 1"
            )
        ).one()
    assert tuple(entry) == (staff[0], "viewed_insights", "2025-03-03 to 2025-03-09 (API)")


def test_csv_export_has_the_same_numbers(api, signed_in, the_week):
    for response in (
        api.get("/api/insights", params=WEEK | {"format": "csv"}),
        signed_in.get("/insights.csv?from=2025-03-03&to=2025-03-09"),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "insights-2025-03-03-to-2025-03-09.csv" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.text)))
        value = {(r["measure"], r["date"], r["breakdown"]): r["value"] for r in rows}
        assert value[("conversations", "", "")] == "5"
        assert value[("containment_rate", "", "")] == "0.4"
        assert value[("conversations", "2025-03-03", "")] == "4"
        assert value[("handoffs", "2025-03-04", "person/whatsapp")] == "1"
        assert value[("emergencies_by_route", "", "ae_now")] == "1"
        assert value[("satisfaction", "", "not_helpful")] == "2"
        assert value[("time_to_contacted", "", "p90_minutes")] == "84.0"
        no_personal_data(response.text, the_week)


def test_the_page_shows_the_numbers_with_a_table_for_each_chart(signed_in, the_week):
    page = signed_in.get("/insights?from=2025-03-03&to=2025-03-09")
    assert page.status_code == 200
    body = page.text
    assert body.count('<svg id="chart-') == 8
    assert body.count('<table class="audit chart-table">') == 8
    assert "40.0% (2)" in body  # containment
    assert "median 60 min, 90th percentile 84 min" in body
    assert '<a href="/insights">Insights</a>' in body
    no_personal_data(body, the_week)


def test_no_dates_means_the_last_30_days(api):
    numbers = api.get("/api/insights").json()
    today = datetime.now(timezone.utc).date()
    assert numbers["to"] == today.isoformat()
    assert numbers["from"] == (today - timedelta(days=29)).isoformat()
    assert len(numbers["days"]) == 30


@pytest.mark.parametrize(
    "params, says",
    [
        ({"from": "2025-03-09", "to": "2025-03-03"}, "from must be on or before to"),
        ({"from": "2020-01-01", "to": "2025-03-03"}, "at most 366 days"),
        ({"from": "03/03/2025"}, "from must be a date written YYYY-MM-DD"),
        ({"to": "2025-02-30"}, "to is not a real date"),
        ({"from": "2025-03-03' OR 1=1 --"}, "from must be a date written YYYY-MM-DD"),
        ({"from": "x" * 5000}, "from must be a date written YYYY-MM-DD"),
        ({"from": "\x00"}, "from must be a date written YYYY-MM-DD"),
        ({"to": "１２３４-０１-０１"}, "to must be a date written YYYY-MM-DD"),
        ({"to": "9999-12-31"}, "to must be between 2000-01-01 and 2099-12-31"),
        ({"format": "xml"}, "format must be one of json, csv"),
    ],
)
def test_bad_input_gets_a_clear_400(api, signed_in, params, says):
    response = api.get("/api/insights", params=params)
    assert response.status_code == 400
    assert says in response.json()["error"]
    if "format" not in params:
        page = signed_in.get("/insights", params=params)
        assert page.status_code == 400 and says in page.text


def test_without_a_login_there_are_no_numbers(console, client):
    assert requests.get(f"{console.url}/api/insights", timeout=10).status_code == 401
    assert client.get("/insights").status_code == 303
    assert client.get("/insights.csv").status_code == 303


# PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_engines(pg_url):
    engine = make_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text(EVENTS_TABLE.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")))
    yield engine
    engine.dispose()


def test_the_same_numbers_from_postgresql(pg_engines):
    play_the_week(pg_engines, pg_engines)
    check_the_week(insights(pg_engines, pg_engines, DateRange(date(2025, 3, 3), date(2025, 3, 9))))


def test_a_store_without_conversations_gives_zeros(tmp_path, handoffs):
    empty = make_engine(f"sqlite:///{tmp_path / 'no-events.db'}")
    numbers = insights(handoffs, empty, DateRange(date(2024, 1, 1), date(2024, 1, 2)))
    assert numbers["totals"]["conversations"] == 0 and numbers["totals"]["containment_rate"] is None
    assert numbers["satisfaction"]["helpful_rate"] is None


def test_closed_days_are_rolled_up_once_and_an_erase_reaches_the_roll_up(api, handoffs, trackers):
    from handoff.transcripts import CONVERSATION_DAYS, erase_conversations

    run = play_the_week(handoffs, trackers, datetime(2025, 5, 5, 9, 0, tzinfo=timezone.utc))
    may = {"from": "2025-05-05", "to": "2025-05-11"}
    first = api.get("/api/insights", params=may).json()
    assert first == api.get("/api/insights", params=may).json()  # folded once, read back the same
    assert first["totals"]["conversations"] == 5

    erase_conversations(trackers, [f"{run}-answered"])
    with trackers.connect() as connection:
        left = connection.execute(
            text(f"SELECT count(*) FROM {CONVERSATION_DAYS} WHERE sender_id = :s"), {"s": f"{run}-answered"}
        ).scalar()
    assert left == 0
    after = api.get("/api/insights", params=may).json()
    assert after["totals"]["conversations"] == 4
    assert after["days"][0]["conversations"] == 3
