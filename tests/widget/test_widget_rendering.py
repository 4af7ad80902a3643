"""Bot messages the real assistant never sends (HTML, unsafe links), the typing indicator and a
connection lost mid-answer, against a scripted socket.io server in the browser's WebSocket layer."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.widget.chat import bot_bubbles, open_chat, say, status, visitor_bubbles

SITE = "http://clinic.test"
HOSTILE = (
    "<img src=x onerror=alert(1)> **bold** [a safe link](https://example.org/a) "
    "[bad](javascript:alert(1)) <script>alert(2)</script>\nsecond line, 111.nhs.uk."
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Clinic</title></head><body><main><h1>Clinic</h1></main>
<script src="{SITE}/clinic-chat.js" data-server-url="http://127.0.0.1:9"></script></body></html>"""


class ScriptedRasa:
    """Speaks Engine.IO 4 / Socket.IO 5 like Rasa's channel; holds or drops answers on request."""

    OPEN = '0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'

    def __init__(self):
        self.received: list[str] = []
        self.held = None
        self.drop_next = False

    def handle(self, ws) -> None:
        ws.on_message(lambda message: self.on_message(ws, message))
        ws.send(self.OPEN)

    def on_message(self, ws, message: str) -> None:
        if message == "40" or message.startswith("40{"):
            ws.send('40{"sid":"s1"}')
            return
        match = re.fullmatch(r"42(\d*)(\[.*\])", message, re.S)
        if not match:
            return  # pong
        ack_id, (event, data) = match.group(1), json.loads(match.group(2))
        if event == "session_request":
            ws.send("42" + json.dumps(["session_confirm", data["session_id"]]))
        elif event == "user_uttered":
            self.received.append(data["message"])
            if self.drop_next:
                self.drop_next = False
                ws.close()
            elif data["message"] == "hold":
                self.held = (ws, ack_id)
            else:
                self.answer(ws, ack_id, data["message"])

    def answer(self, ws, ack_id: str, message: str) -> None:
        if message == "/greet":
            reply = {"text": HOSTILE, "quick_replies": [{"content_type": "text", "title": "<b>x</b>", "payload": "/x"}]}
        else:
            reply = {"text": f"You said {message}"}
        ws.send("42" + json.dumps(["bot_uttered", reply]))
        ws.send(f"43{ack_id}[]")

    def release(self) -> None:
        ws, ack_id = self.held
        self.answer(ws, ack_id, "hold")


def test_bot_text_is_rendered_safely_and_the_connection_states_are_shown(page, context, built_widget):
    rasa = ScriptedRasa()
    context.route(f"{SITE}/", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
    context.route(
        f"{SITE}/clinic-chat.js", lambda route: route.fulfill(path=str(built_widget), content_type="text/javascript")
    )
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), rasa.handle)
    page.goto(f"{SITE}/")
    open_chat(page, greeting="<img src=x onerror=alert(1)>")

    # HTML in bot text is text; the markdown subset gives bold, safe links and line breaks.
    greeting = bot_bubbles(page).first
    expect(greeting).to_contain_text("<img src=x onerror=alert(1)>")
    expect(greeting).to_contain_text("[bad](javascript:alert(1)) <script>alert(2)</script>")
    expect(greeting.locator("strong")).to_have_text("bold")
    expect(greeting.locator("br")).to_have_count(1)
    link = greeting.get_by_role("link", name=re.compile("^a safe link"))
    expect(link).to_have_attribute("href", "https://example.org/a")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(greeting.get_by_role("link", name=re.compile("^111.nhs.uk"))).to_have_attribute(
        "href", "https://111.nhs.uk/"
    )
    expect(greeting.locator("a")).to_have_count(2)
    expect(page.get_by_role("button", name="<b>x</b>")).to_be_visible()
    assert page.locator(".log img, .log script, .log b").count() == 0
    assert page.dialogs == []

    # Typing indicator while the answer is on its way.
    say(page, "hold")
    expect(page.get_by_text("The assistant is typing")).to_be_attached()
    expect(page.locator(".typing")).to_be_visible()
    rasa.release()
    expect(bot_bubbles(page).last).to_have_text("You said hold")
    expect(page.locator(".typing")).to_be_hidden()

    # The connection drops before the answer: shown plainly, not re-sent behind the
    # visitor's back (Rasa may have it already), and one click sends it again.
    rasa.drop_next = True
    say(page, "are you there")
    expect(status(page)).to_contain_text("Offline")
    expect(page.get_by_text("The connection dropped before an answer came.")).to_be_visible()
    expect(status(page)).to_have_text("", timeout=15_000)  # reconnected
    page.get_by_role("button", name="Send again").click()
    expect(bot_bubbles(page).last).to_have_text("You said are you there")
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    expect(visitor_bubbles(page)).to_have_text(["hold", "are you there"])
    assert rasa.received == ["/greet", "hold", "are you there", "are you there"]  # no second greeting
    assert page.dialogs == []
