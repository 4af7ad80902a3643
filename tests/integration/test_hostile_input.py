"""Hostile input at the website's entry points (REST webhook, socket.io), on the real server.

Property-based (hypothesis): random bytes, invalid UTF-8, deeply nested JSON, wrong
types, huge and empty messages. The server must never answer 5xx or crash, must refuse
bad input clearly, must keep answering, and must not lose a conversation in progress.
Bounded: a few hundred requests on loopback.
"""

import asyncio
import json
import uuid

import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_conversation_server import text_of
from tests.integration.test_handoff_form import ask
from tests.servers import leave_socketio, read_limits

UNREADABLE = text_of("utter_message_unreadable")
TUI_NA = text_of("utter_ask_tuina")
CONSENT = text_of("utter_ask_handoff_consent")
HYPOTHESIS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "'; DROP TABLE events; --",
            "/red_flag",
            "/nonexistent_intent",
            '/affirm{"handoff_name": "x"}',
            "/inform{",
            "\u202eevil",
            "a" * 5000,
            "🙂" * 2000,
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        ]
    ),
)
rest_bodies = st.one_of(
    st.binary(max_size=500),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"sender": json_values, "message": json_values}).map(
        lambda value: json.dumps(value).encode()
    ),
    st.fixed_dictionaries({"sender": st.text(min_size=1, max_size=200), "message": hostile_text}).map(
        lambda value: json.dumps(value).encode()
    ),
)


def post(assistant, body: bytes, content_type: str = "application/json"):
    return requests.post(
        f"{assistant.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=60
    )


@HYPOTHESIS
@given(body=rest_bodies)
def test_rest_webhook_answers_or_refuses_clearly_whatever_the_body(assistant, body):
    reply = post(assistant, body)
    assert reply.status_code in (200, 400), (reply.status_code, body[:200])
    if reply.status_code == 400:
        assert reply.json()["error"]
    else:
        assert isinstance(reply.json(), list) and reply.json(), "a visitor message got no answer"


def test_rest_webhook_refuses_the_classic_malformed_bodies(assistant):
    limit = int(read_limits()["REQUEST_MAX_BYTES"])
    cases = {
        b"": 400,
        b"null": 400,
        b'{"sender": "a", "message": "\xff\xfe"}': 400,  # invalid UTF-8
        b"[" * 100_000 + b"]" * 100_000: 400,  # nested far past Python's recursion limit
        b'{"sender": ' + b"[" * 5000 + b"]" * 5000 + b', "message": "hi"}': 400,
        json.dumps({"sender": "a" * 129, "message": "hi"}).encode(): 400,
        json.dumps({"sender": "ok", "message": 42}).encode(): 400,
        json.dumps({"sender": "ok", "message": "a" * (limit + 1)}).encode(): 413,
    }
    for body, status in cases.items():
        reply = post(assistant, body)
        assert reply.status_code == status, (body[:80], reply.status_code, reply.text[:200])
    # Text a visitor could type but the assistant cannot read gets the approved answer.
    for text in ("   ", "a" * 4097, "nul\x00byte"):
        reply = post(assistant, json.dumps({"sender": "ok", "message": text}).encode())
        assert (reply.status_code, reply.json()) == (200, [{"text": UNREADABLE}])
    assert TUI_NA in [
        m["text"] for m in post(assistant, json.dumps({"sender": "after", "message": "what is tui na"}).encode()).json()
    ]


def test_hostile_requests_do_not_disturb_a_conversation_in_progress(assistant):
    sender = f"victim-{uuid.uuid4().hex}"
    assert [m["text"] for m in assistant.send(sender, "I'd like to book an appointment")] == [CONSENT]
    for message in (None, 42, ["yes"], {"text": "yes"}):
        reply = post(assistant, json.dumps({"sender": sender, "message": message}).encode())
        assert reply.status_code == 400
    for message in ("", "a" * 5000):
        assert texts_of(post(assistant, json.dumps({"sender": sender, "message": message}).encode())) == [UNREADABLE]
    # The form is still waiting for the consent answer, as before.
    assert [m["text"] for m in assistant.send(sender, "yes")] == [ask("utter_ask_handoff_name")]


def texts_of(reply):
    return [message.get("text") for message in reply.json()]


# The clients use long-polling: this python-engineio's WebSocket client needs a newer
# aiohttp than Rasa 3.6 allows (the widget's browser tests cover WebSocket).
def socket_exchange(url: str, events, wait: float = 30):
    """Connect, emit each (event, data), collect bot_uttered texts; returns (texts, still_connected)."""

    async def run():
        client = socketio.AsyncClient(reconnection=False)
        texts, got = [], asyncio.Event()

        def on_bot(data):
            texts.append(data.get("text") if isinstance(data, dict) else data)
            got.set()

        client.on("bot_uttered", on_bot)
        await client.connect(url, transports=["polling"], socketio_path="/socket.io")
        for event, data in events:
            got.clear()
            await client.emit(event, data)
            if event == "user_uttered":
                await asyncio.wait_for(got.wait(), wait)
        await asyncio.sleep(0.2)
        connected = client.connected
        await leave_socketio(client)
        return texts, connected

    return asyncio.run(run())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(json_values, st.fixed_dictionaries({"message": json_values, "session_id": json_values})))
def test_socketio_answers_every_malformed_message_and_stays_up(assistant, data):
    texts, connected = socket_exchange(assistant.url, [("session_request", data), ("user_uttered", data)])
    assert texts, "no answer"
    assert connected


def test_socketio_refuses_unreadable_messages_with_the_approved_answer(assistant):
    session = uuid.uuid4().hex
    cases = [
        None,
        "hi",
        42,
        {"message": "hi"},
        {"message": 42, "session_id": session},
        {"message": "", "session_id": session},
        {"message": "a" * 4097, "session_id": session},
    ]
    events = [("session_request", {"session_id": session})] + [("user_uttered", case) for case in cases]
    texts, connected = socket_exchange(assistant.url, events)
    assert texts == [UNREADABLE] * len(cases) and connected
    texts, _ = socket_exchange(
        assistant.url,
        [
            ("session_request", {"session_id": session}),
            ("user_uttered", {"message": "what is tui na", "session_id": session}),
        ],
    )
    assert TUI_NA in texts


def test_socketio_packet_over_the_limit_is_refused_and_the_server_keeps_answering(assistant):
    session = uuid.uuid4().hex
    huge = "a" * (int(read_limits()["REQUEST_MAX_BYTES"]) + 10)

    async def oversized():
        client = socketio.AsyncClient(reconnection=False)
        answers = []
        client.on("bot_uttered", answers.append)
        await client.connect(assistant.url, transports=["polling"], socketio_path="/socket.io")
        await client.emit("session_request", {"session_id": session})
        await client.emit("user_uttered", {"message": huge, "session_id": session})
        await asyncio.sleep(3)
        await leave_socketio(client)
        return answers

    assert asyncio.run(oversized()) == [], "a message over the limit was answered"
    tracker = requests.get(f"{assistant.url}/conversations/{session}/tracker", timeout=30).json()
    assert not [event for event in tracker["events"] if event["event"] == "user"], "a message over the limit was kept"
    texts, _ = socket_exchange(
        assistant.url,
        [
            ("session_request", {"session_id": session}),
            ("user_uttered", {"message": "what is tui na", "session_id": session}),
        ],
    )
    assert TUI_NA in texts
