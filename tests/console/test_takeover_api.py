"""The live takeover API and pages (console/takeover.py) against the real assistant and model:
two staff racing for one conversation, bad input refused with nothing changed, the live list,
server-sent events, and the pages working by form posts without JavaScript."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import requests
import yaml

from handoff.db import make_engine
from handoff.store import audit_entries
from tests.console.support import Client, csrf_of
from tests.servers import PROJECT_ROOT, start_live_takeover

PASSWORD = "a long enough password for takeover"
STAFF = ("sam", "alex")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    running = start_live_takeover(tmp_path_factory.mktemp("takeover-api"), STAFF, PASSWORD)
    yield running
    running.stop()


def api_as(live, name: str) -> requests.Session:
    login = requests.post(f"{live.console_url}/api/login", json={"username": name, "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


@pytest.fixture(scope="module")
def sam(live):
    return api_as(live, "sam")


@pytest.fixture(scope="module")
def alex(live):
    return api_as(live, "alex")


def conversation(live) -> str:
    sender = f"api-{uuid.uuid4().hex}"
    assert live.assistant.send(sender, "hello")
    return sender


def url(live, sender: str, what: str = "") -> str:
    return f"{live.console_url}/api/conversations/{sender}{'/' + what if what else ''}"


def turns(live, sender):
    tracker = requests.get(f"{live.assistant.url}/conversations/{sender}/tracker", timeout=30).json()
    return [(e["event"], e.get("text")) for e in tracker["events"] if e["event"] in ("bot", "pause", "resume")]


def test_two_staff_racing_for_one_conversation_one_wins(live, sam, alex):
    sender = conversation(live)
    answers = {}

    def take(name, session):
        answers[name] = session.post(url(live, sender, "takeover"), timeout=30)

    racers = [threading.Thread(target=take, args=pair) for pair in (("sam", sam), ("alex", alex))]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [200, 409], {n: (a.status_code, a.text) for n, a in answers.items()}
    winner = next(n for n, a in answers.items() if a.status_code == 200)
    loser = next(n for n, a in answers.items() if a.status_code == 409)
    assert winner in answers[loser].json()["error"]
    assert [kind for kind, _ in turns(live, sender)].count("pause") == 1  # one takeover, one "has joined"
    joined = [text for kind, text in turns(live, sender) if kind == "bot" and "from the clinic team has joined" in text]
    assert len(joined) == 1 and joined[0].startswith(f"{winner} from the clinic team")

    loser_session = alex if loser == "alex" else sam
    refused = loser_session.post(url(live, sender, "messages"), json={"text": "me too"}, timeout=30)
    assert refused.status_code == 409
    assert loser_session.post(url(live, sender, "release"), timeout=30).status_code == 409
    assert ("bot", "me too") not in turns(live, sender)


@pytest.mark.parametrize(
    "body,headers,status",
    [
        (b"", {"Content-Type": "application/json"}, 400),
        (b"not json", {"Content-Type": "application/json"}, 400),
        (b"[]", {"Content-Type": "application/json"}, 400),
        (b'{"text": ""}', {"Content-Type": "application/json"}, 400),
        (b'{"text": "   "}', {"Content-Type": "application/json"}, 400),
        (b'{"text": 5}', {"Content-Type": "application/json"}, 400),
        (b'{"text": "hi", "staff": "someone else"}', {"Content-Type": "application/json"}, 400),
        (json.dumps({"text": "x" * 1001}).encode(), {"Content-Type": "application/json"}, 400),
        (b'{"text": "bell\\u0007"}', {"Content-Type": "application/json"}, 400),
        (b'{"text": "nul\\u0000"}', {"Content-Type": "application/json"}, 400),
        (b"text=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
        (b'{"text": "' + b"z" * 2_000_000 + b'"}', {"Content-Type": "application/json"}, 413),
    ],
)
def test_bad_messages_are_refused_and_nothing_reaches_the_visitor(live, sam, body, headers, status):
    sender = conversation(live)
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 200
    before = turns(live, sender)
    answer = sam.post(url(live, sender, "messages"), data=body, headers=headers, timeout=30)
    assert answer.status_code == status, answer.text[:300]
    assert "error" in answer.json()
    assert turns(live, sender) == before
    assert sam.post(url(live, sender, "release"), timeout=30).status_code == 200


@pytest.mark.parametrize("sender", ["no/such", "a" * 129, "bad%20space", "semi;colon"])
def test_malformed_conversation_ids_are_not_found(live, sam, sender):
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 404


def test_a_conversation_nobody_had_is_not_found_and_not_locked(live, sam, alex):
    sender = f"nobody-{uuid.uuid4().hex}"
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 404
    assert alex.post(url(live, sender, "messages"), json={"text": "hi"}, timeout=30).status_code == 409


def test_without_a_login_nothing_is_possible(live):
    sender = conversation(live)
    assert requests.post(url(live, sender, "takeover"), timeout=30).status_code == 401
    assert requests.get(f"{live.console_url}/api/live", timeout=30).status_code == 401
    assert requests.get(url(live, sender, "events"), timeout=30).status_code == 401


def test_live_list_shows_who_is_in_which_conversation_and_it_is_audited(live, sam):
    sender = conversation(live)
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 200
    state = sam.get(f"{live.console_url}/api/live", timeout=30).json()
    mine = [c for c in state["live"] if c["conversation"] == sender]
    assert mine == [{**mine[0], "staff": "sam", "paused": True}]
    assert sam.post(url(live, sender, "messages"), json={"text": "Hello from Sam"}, timeout=30).status_code == 200
    assert sam.post(url(live, sender, "release"), timeout=30).status_code == 200
    state = sam.get(f"{live.console_url}/api/live", timeout=30).json()
    assert [c["staff"] for c in state["live"] if c["conversation"] == sender] == [None]
    engine = make_engine(live.env["HANDOFF_DATABASE_URL"])
    done = [(e.actor, e.action) for e in audit_entries(engine, 500) if e.target == sender]
    engine.dispose()
    assert {("sam", "took_over"), ("sam", "staff_message"), ("sam", "handed_back")} <= set(done)


def test_events_stream_each_new_turn_once_in_order(live, sam):
    sender = conversation(live)
    stream = sam.get(url(live, sender, "events"), stream=True, timeout=40)
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    seen = []

    def read():
        event = {}
        try:
            for raw in stream.iter_lines(decode_unicode=True):
                if raw.startswith("event:"):
                    event["event"] = raw[6:].strip()
                elif raw.startswith("data:"):
                    event["data"] = json.loads(raw[5:])
                elif raw == "" and event:
                    seen.append(event)
                    event = {}
        except (AttributeError, requests.RequestException):  # the test closed the stream
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 200
    live.assistant.send(sender, "can I book for Friday?")
    assert sam.post(url(live, sender, "messages"), json={"text": "Yes, Friday works"}, timeout=30).status_code == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(e.get("data", {}).get("text") == "Yes, Friday works" for e in seen):
        time.sleep(0.2)
    stream.close()
    said = [(e["data"]["speaker"], e["data"]["text"]) for e in seen if e.get("event") == "turn"]
    assert said[0] == ("visitor", "hello")
    assert said.index(("visitor", "can I book for Friday?")) < said.index(("staff", "Yes, Friday works"))
    assert len(said) == len(set(e["data"]["id"] for e in seen if e.get("event") == "turn"))
    assert {"event": "state", "data": {"staff": "sam"}} in seen
    assert sam.post(url(live, sender, "release"), timeout=30).status_code == 200


def test_events_after_a_given_id_and_a_bad_last_event_id(live, sam):
    sender = conversation(live)
    bad = sam.get(url(live, sender, "events"), headers={"Last-Event-ID": "abc"}, timeout=30)
    assert bad.status_code == 400


def _page_session(live, name) -> Client:
    client = Client(live.console_url)
    assert client.login_form(name, PASSWORD).status_code == 303
    return client


def _followed(client: Client, answer):
    """A form post's 303 back to the page, followed as a browser does."""
    assert answer.status_code == 303, answer.text[:300]
    return client.get(answer.headers["location"])


def test_pages_work_by_form_posts_without_javascript_and_escape_staff_text(live):
    sender = conversation(live)
    sam = _page_session(live, "sam")
    page = sam.get(f"/conversations/{sender}")
    assert page.status_code == 200 and "Take over" in page.text
    csrf = csrf_of(page.text)
    forged = sam.post(f"/conversations/{sender}/takeover", data={"csrf": "wrong"})
    assert forged.status_code == 403
    taken = _followed(sam, sam.post(f"/conversations/{sender}/takeover", data={"csrf": csrf}))
    assert "You have taken this conversation over" in taken.text
    hostile = '<script>alert("x")</script>'
    sent = _followed(sam, sam.post(f"/conversations/{sender}/messages", data={"csrf": csrf, "text": hostile}))
    assert hostile not in sent.text and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in sent.text
    assert "sam (staff)" in sent.text
    empty = sam.post(f"/conversations/{sender}/messages", data={"csrf": csrf, "text": ""})
    assert empty.status_code == 400

    alex = _page_session(live, "alex")
    other = alex.get(f"/conversations/{sender}")
    assert "sam has taken this conversation over" in other.text and "Take over" not in other.text
    grabbed = _followed(alex, alex.post(f"/conversations/{sender}/takeover", data={"csrf": csrf_of(other.text)}))
    assert "sam has this conversation" in grabbed.text

    listed = alex.get("/live")
    assert listed.status_code == 200 and sender[:24] in listed.text

    back = _followed(sam, sam.post(f"/conversations/{sender}/release", data={"csrf": csrf}))
    assert "The assistant is answering this conversation" in back.text
    assert "back with the automated assistant" in back.text


def test_with_unknown_opening_hours_a_visitor_asking_for_a_person_is_told_honestly_at_once(live, sam):
    sender = f"book-{uuid.uuid4().hex}"
    for message in ["I'd like to book please", "yes", "Jo Bloggs", "jo@example.org", "Friday morning", "my back"]:
        live.assistant.send(sender, message)
    responses = yaml.safe_load((PROJECT_ROOT / "domain" / "takeover.yml").read_text())["responses"]
    later = responses["utter_staff_reply_later"][0]["text"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ("bot", later) not in turns(live, sender):
        time.sleep(0.5)
    assert [t for t in turns(live, sender) if t == ("bot", later)] == [("bot", later)]  # once
    waiting = [
        w for w in sam.get(f"{live.console_url}/api/live", timeout=30).json()["waiting"] if w["conversation"] == sender
    ]
    assert len(waiting) == 1 and waiting[0]["told_later"] is True  # still in the queue and the inbox
    assert sam.post(url(live, sender, "takeover"), timeout=30).status_code == 200  # staff may still come
    assert sam.post(url(live, sender, "release"), timeout=30).status_code == 200
