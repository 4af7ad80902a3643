"""Fault tests of the scale profile: two Rasa servers and two action servers behind nginx.

Each test breaks one part for real (SIGKILL a server, stop PostgreSQL or Redis) and
checks what the visitor sees: an honest answer during the fault, nothing said before it
lost, and the conversation carrying on once the part is back. Bounded: loopback only,
a few messages per test. The tests run in this order and each leaves everything running.
"""

import asyncio
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import socketio

from tests.integration.test_conversation_server import text_of
from tests.integration.test_handoff_form import ask
from tests.servers import leave_socketio, read_limits

CONSENT = text_of("utter_ask_handoff_consent")
BOOKING_UNAVAILABLE = text_of("utter_booking_system_unavailable")
NOT_PROCESSED = text_of("utter_message_not_processed")
CONTACT_ROUTE = ask("utter_contact_route")  # the clinic details in tests are blank
TUI_NA = text_of("utter_ask_tuina")


def visitor() -> str:
    return f"scale-{uuid.uuid4().hex}"


def say(url: str, sender: str, text: str):
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200, reply.text
    return [message.get("text") for message in reply.json()]


def user_texts(postgres, sender):
    rows = postgres.query("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", sender)
    import json

    return [json.loads(data)["text"] for (data,) in rows]


def test_bodies_over_the_limit_are_refused_at_the_front_door_and_by_each_server(deployment):
    limit = int(read_limits()["REQUEST_MAX_BYTES"])
    body = b'{"sender": "big", "message": "' + b"a" * limit + b'"}'
    for url in (deployment.url, deployment.instance_url(1)):
        reply = requests.post(
            f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        assert reply.status_code == 413, url
    assert TUI_NA in say(deployment.url, visitor(), "what is tui na")


def test_only_the_channels_are_served_at_the_front_door(deployment):
    sender = visitor()
    say(deployment.url, sender, "hi")
    # Rasa's HTTP API (conversations, model) has no authentication of its own.
    for path in (f"/conversations/{sender}/tracker", "/model/parse", "/status", "/version"):
        assert requests.get(deployment.url + path, timeout=10).status_code == 404, path
    # Exactly the channels' webhooks and socket.io: not the channels' own status pages, not
    # anything else a Rasa server may serve under /webhooks/.
    for path in (
        "/webhooks/rest/",
        "/webhooks/rest",
        "/webhooks/whatsapp/",
        "/webhooks/socketio/",
        "/webhooks/x/webhook",
    ):
        assert requests.get(deployment.url + path, timeout=10).status_code == 404, path


def test_each_rasa_server_keeps_its_http_api_off(deployment):
    """Not only behind the front door: any local process could otherwise read or rewrite a conversation."""
    sender = visitor()
    say(deployment.url, sender, "hi")
    for number in (1, 2):
        url = deployment.instance_url(number)
        for path in (f"/conversations/{sender}/tracker", "/status", "/domain"):
            assert requests.get(url + path, timeout=10).status_code == 404, (url, path)
        parse = requests.post(url + "/model/parse", json={"text": "hi"}, timeout=10)
        assert parse.status_code == 404, url


def test_two_messages_at_the_same_instant_on_two_servers_are_answered_in_turn(deployment, postgres):
    sender = visitor()
    say(deployment.url, sender, "hi")
    texts = ["what is tui na", "are back pain and headaches linked"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda pair: say(deployment.instance_url(pair[0]), sender, pair[1]), [(1, texts[0]), (2, texts[1])]
            )
        )
    assert all(answers), answers
    # Both kept exactly once, each turn whole before the next began (no interleaving).
    assert sorted(user_texts(postgres, sender)[1:]) == sorted(texts)
    rows = postgres.query("SELECT type_name, action_name FROM events WHERE sender_id = %s ORDER BY id", sender)
    kinds = [kind for kind, _ in rows]
    second_user = [i for i, kind in enumerate(kinds) if kind == "user"][2]
    assert ("action", "action_listen") == rows[second_user - 1], "the first turn had not finished"


def test_action_servers_killed_mid_form_visitor_is_told_and_can_finish(deployment, postgres):
    front, sender = deployment.url, visitor()
    assert say(front, sender, "I'd like to book an appointment") == [CONSENT]
    assert say(front, sender, "yes") == [ask("utter_ask_handoff_name")]
    assert say(front, sender, "Jo Bloggs") == [ask("utter_ask_handoff_contact")]
    # Both at once, and kept down while the visitor writes: supervisord would restart them.
    for name in ("actions-1", "actions-2"):
        deployment.ctl("stop", name)
    try:
        assert say(front, sender, "07911 123456") == [BOOKING_UNAVAILABLE, CONTACT_ROUTE]
        # Questions that need no action still get their answers meanwhile...
        assert say(front, visitor(), "am I talking to a bot?") == [text_of("utter_bot_challenge")]
        # ...while a health answer needs one (action_answer_health): an honest apology and the
        # contact route, never a booking offer or a note without the answer it follows.
        assert say(front, visitor(), "what is tui na") == [BOOKING_UNAVAILABLE, CONTACT_ROUTE]
    finally:
        for name in ("actions-1", "actions-2"):
            deployment.start(name)
        deployment.wait_until_healthy(["actions-1", "actions-2"])
        time.sleep(3)  # nginx tries a failed server again after its fail_timeout
    # The visitor sends the answer again, as they were asked, and the form carries on.
    assert say(front, sender, "07911 123456") == [ask("utter_ask_handoff_times")]
    assert say(front, sender, "Tuesday afternoon") == [ask("utter_ask_handoff_topic")]
    replies = say(front, sender, "my lower back")
    reference = re.search(r"your reference is ([A-Z0-9]{6})", replies[0]).group(1)
    stored = postgres.query("SELECT name, contact, reference FROM handoffs WHERE sender_id = %s", sender)
    assert stored == [("Jo Bloggs", "07911 123456", reference)]


def test_postgres_restart_gives_a_clear_error_then_recovers_with_history(deployment, postgres):
    front, sender = deployment.url, visitor()
    assert say(front, sender, "I'd like to book an appointment") == [CONSENT]
    assert say(front, sender, "yes") == [ask("utter_ask_handoff_name")]
    postgres.stop()
    try:
        for _ in range(2):  # whichever server answers
            assert say(front, sender, "Jo Bloggs") == [NOT_PROCESSED, CONTACT_ROUTE]
    finally:
        postgres.start()
    # No manual step: the next message finds the conversation where it was.
    assert say(front, sender, "Jo Bloggs") == [ask("utter_ask_handoff_contact")]
    assert say(front, sender, "07911 123456") == [ask("utter_ask_handoff_times")]
    # Nothing from the outage was half-stored; everything else is there once.
    assert user_texts(postgres, sender) == ["I'd like to book an appointment", "yes", "Jo Bloggs", "07911 123456"]


def test_redis_down_gives_a_clear_error_then_recovers(deployment, redis_server, postgres):
    front, sender = deployment.url, visitor()
    assert TUI_NA in say(front, sender, "what is tui na")
    redis_server.stop()
    try:
        for _ in range(2):
            assert say(front, sender, "are back pain and headaches linked") == [NOT_PROCESSED, CONTACT_ROUTE]
    finally:
        redis_server.start()
    assert say(front, sender, "are back pain and headaches linked")
    assert user_texts(postgres, sender) == ["what is tui na", "are back pain and headaches linked"]


def _socket_conversation(front: str, session_id: str, before_kill, after_kill, kill):
    """A socket.io visitor through the front door: messages, `kill()`, more messages; returns the replies."""

    async def run():
        client = socketio.AsyncClient(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        replies, confirmed = asyncio.Queue(), asyncio.Event()
        client.on("bot_uttered", lambda data: replies.put_nowait(data.get("text")))
        client.on("session_confirm", lambda _: confirmed.set())

        async def on_connect():
            await client.emit("session_request", {"session_id": session_id})

        client.on("connect", on_connect)
        await client.connect(f"{front}?route={session_id}", transports=["polling"], socketio_path="/socket.io")

        async def exchange(text):
            await asyncio.wait_for(confirmed.wait(), 60)
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            return await asyncio.wait_for(replies.get(), 60)

        answers = [await exchange(text) for text in before_kill]
        confirmed.clear()
        await asyncio.get_running_loop().run_in_executor(None, kill)
        answers += [await exchange(text) for text in after_kill]
        await leave_socketio(client)
        return answers

    return asyncio.run(run())


def serving_instance(deployment, session_id: str) -> int:
    """Which Rasa server nginx sends this socket.io visitor to (from its access log)."""
    ports = {deployment.settings.rasa_base_port + n: n for n in (1, 2)}
    # The log has no query strings; the visitor's latest socket.io request is the last one.
    lines = [line for line in deployment.log("nginx").read_text().splitlines() if "/socket.io/" in line]
    port = int(re.search(r"127\.0\.0\.1:(\d+)\s*$", lines[-1]).group(1))
    return ports[port]


def test_killing_one_rasa_server_mid_conversation_the_other_carries_on(deployment):
    # socket.io (the widget): the connection drops with its server; the client reconnects
    # through the front door, asks for the same session, and the form goes on.
    session_id = uuid.uuid4().hex
    killed = []

    def kill_the_serving_server():
        killed.append(serving_instance(deployment, session_id))
        deployment.kill(f"rasa-{killed[0]}")

    answers = _socket_conversation(
        deployment.url, session_id, ["I'd like to book an appointment", "yes"], ["Sam Smith"], kill_the_serving_server
    )
    assert answers == [CONSENT, ask("utter_ask_handoff_name"), ask("utter_ask_handoff_contact")]
    # REST: the same conversation, now on the server left, with its history from PostgreSQL.
    assert say(deployment.url, session_id, "07911 123456") == [ask("utter_ask_handoff_times")]


def restarted(deployment, name: str, old: int, since: float, within: float = 60.0) -> float:
    """Seconds from `since` until supervisord's new `name` answers (a new process, not the old one)."""
    deadline = since + within
    while time.monotonic() < deadline:
        if deployment.pids().get(name, old) != old:
            try:
                if requests.get(deployment.health_url(name), timeout=2).ok:
                    return time.monotonic() - since
            except requests.RequestException:
                pass
        time.sleep(0.25)
    raise AssertionError(f"{name} was not back within {within:.0f} s: {deployment.states()} {deployment.tail(name)}")


def test_a_killed_action_server_mid_form_is_restarted_and_the_form_goes_on(deployment, postgres):
    front, sender = deployment.url, visitor()
    assert say(front, sender, "I'd like to book an appointment") == [CONSENT]
    assert say(front, sender, "yes") == [ask("utter_ask_handoff_name")]
    old = deployment.pids()["actions-1"]
    deployment.kill("actions-1")
    killed_at = time.monotonic()
    # The other action server answers meanwhile (nginx skips the one that refuses).
    assert say(front, sender, "Jo Bloggs") == [ask("utter_ask_handoff_contact")]
    assert say(front, sender, "07911 123456") == [ask("utter_ask_handoff_times")]
    back = restarted(deployment, "actions-1", old, killed_at)
    print(f"actions-1 back {back:.1f} s after SIGKILL")
    assert back < 30
    assert say(front, sender, "Tuesday afternoon") == [ask("utter_ask_handoff_topic")]
    assert re.search(r"your reference is [A-Z0-9]{6}", say(front, sender, "my lower back")[0])


def test_a_flood_from_one_address_gets_429_and_the_providers_webhooks_a_higher_rate(deployment):
    """Runs last in this module: it empties loopback's allowance, then waits for it to refill."""
    limits = read_limits()
    burst = int(limits["VISITOR_BURST"])
    # Empty bodies: what gets through is refused by the channel at once (400), so the
    # flood costs the servers nothing; what the front door refuses gets 429.
    flood = 2 * burst + 20

    def post(path):
        return requests.post(
            deployment.url + path, data=b"{}", headers={"Content-Type": "application/json"}, timeout=30
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [reply.status_code for reply in pool.map(post, ["/webhooks/rest/webhook"] * flood)]
    refused = [status for status in statuses if status == 429]
    assert len(refused) >= flood - burst - 10, statuses
    assert set(statuses) <= {400, 429}, statuses
    too_many = post("/webhooks/rest/webhook")
    assert too_many.status_code == 429
    assert "try again" in too_many.json()["error"] and too_many.headers["Retry-After"]
    # The same address on a provider's webhook is not over that webhook's own rate.
    with ThreadPoolExecutor(max_workers=8) as pool:
        provider = [reply.status_code for reply in pool.map(post, ["/webhooks/telegram/webhook"] * flood)]
    assert 429 not in provider, provider
    # Once the allowance refills, the visitor is answered again.
    time.sleep(burst / int(limits["VISITOR_REQUESTS_PER_SECOND"]) + 1)
    assert TUI_NA in say(deployment.url, visitor(), "what is tui na")
