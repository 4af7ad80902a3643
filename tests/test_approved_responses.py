"""Rasa's answers come from the console's /nlg, and from the domain files whenever it cannot answer.

(tests/integration/test_approved_content_live.py plays the whole flow with a real console.)
"""

import asyncio
import logging
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from components.approved_responses import ApprovedResponses, console_endpoint
from tests.conftest import PROJECT_ROOT
from tests.servers import free_port

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain"))


def _tracker(**slots):
    tracker = DialogueStateTracker.from_events("visitor", [SlotSet(name, value) for name, value in slots.items()])
    return tracker


def _generate(generator, response, **slots):
    return asyncio.run(generator.generate(response, _tracker(**slots), "rest", domain_responses=DOMAIN.responses))


def test_without_a_token_every_answer_is_the_domain_files(monkeypatch, caplog):
    monkeypatch.delenv("NLG_TOKEN", raising=False)
    with caplog.at_level(logging.WARNING):
        generator = ApprovedResponses(EndpointConfig(), DOMAIN)
    assert generator.console is None
    assert "NLG_TOKEN is not set" in caplog.text
    answer = _generate(generator, "utter_ask_tuina")
    assert answer["text"] == DOMAIN.responses["utter_ask_tuina"][0]["text"]


def test_a_console_that_does_not_answer_still_gives_the_visitor_the_domain_text_and_one_warning(monkeypatch, caplog):
    monkeypatch.setenv("NLG_TOKEN", "a-test-token")
    monkeypatch.setenv("NLG_URL", f"http://127.0.0.1:{free_port()}/nlg")  # nothing listens there
    generator = ApprovedResponses(EndpointConfig(), DOMAIN)
    with caplog.at_level(logging.WARNING):
        first = _generate(generator, "utter_ask_tuina")
        second = _generate(generator, "utter_goodbye")
    assert first["text"] == DOMAIN.responses["utter_ask_tuina"][0]["text"]
    assert second["text"] in {variation["text"] for variation in DOMAIN.responses["utter_goodbye"]}
    assert caplog.text.count("did not answer") == 1  # at most once a minute, not per answer


def test_the_domain_fallback_keeps_conditional_variations_and_slot_filling(monkeypatch):
    monkeypatch.delenv("NLG_TOKEN", raising=False)
    generator = ApprovedResponses(EndpointConfig(), DOMAIN)
    answer = _generate(generator, "utter_contact_route", clinic_contact_route="phone", clinic_phone="01234 567890")
    assert "01234 567890" in answer["text"]


@pytest.mark.parametrize(
    "endpoint, env, expected",
    [
        (EndpointConfig(), {"NLG_TOKEN": "t", "CONSOLE_PORT": "5999"}, "http://127.0.0.1:5999/nlg"),
        (EndpointConfig(), {"NLG_TOKEN": "t", "NLG_URL": "http://10.0.0.5:80/nlg"}, "http://10.0.0.5:80/nlg"),
        (EndpointConfig(url="http://console:1/nlg", token="x"), {}, "http://console:1/nlg"),
    ],
)
def test_where_rasa_asks(monkeypatch, endpoint, env, expected):
    for name in ("NLG_TOKEN", "NLG_URL", "CONSOLE_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert console_endpoint(endpoint).url == expected


def test_after_a_console_timeout_the_next_answers_do_not_wait_for_it(monkeypatch):
    """A console that accepts the connection but never answers delays one answer, not each."""
    import socket

    import components.approved_responses as approved

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    monkeypatch.setattr(approved, "TIMEOUT_SECONDS", 0.5)
    monkeypatch.setenv("NLG_TOKEN", "a-test-token")
    monkeypatch.setenv("NLG_URL", f"http://127.0.0.1:{silent.getsockname()[1]}/nlg")
    generator = ApprovedResponses(EndpointConfig(), DOMAIN)
    try:
        started = time.monotonic()
        first = _generate(generator, "utter_ask_tuina")
        waited = time.monotonic() - started
        started = time.monotonic()
        second = _generate(generator, "utter_ask_tuina")
        then = time.monotonic() - started
    finally:
        silent.close()
    assert first["text"] == second["text"] == DOMAIN.responses["utter_ask_tuina"][0]["text"]
    assert waited >= 0.4 and then < 0.2


def test_rasa_gives_the_generator_the_domain_of_the_model_it_loads(monkeypatch):
    """Rasa creates the generator before the model (domain None) and sets the responses of a
    templated generator on each model load: ours must be one, or the fallback has no answers."""
    monkeypatch.delenv("NLG_TOKEN", raising=False)
    from rasa.core.agent import Agent
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    generator = ApprovedResponses(EndpointConfig(), None)
    assert isinstance(generator, TemplatedNaturalLanguageGenerator)
    agent = Agent(generator=generator)
    agent.load_model(str(PROJECT_ROOT / "models" / "clinic.tar.gz"))
    assert agent.nlg is generator
    assert _generate(generator, "utter_offer_booking")["text"] == "Would you like to book with the clinic?"


@pytest.mark.parametrize(
    "body",
    [b"not json at all", b'{"text": 5}', b"[]", b'{"buttons": "x"}', b"{}", b'{"text": "' + b"x" * 200_000 + b'"'],
    ids=["not-json", "text-not-string", "list", "buttons-not-list", "empty", "broken-huge"],
)
def test_a_console_answering_nonsense_gives_the_visitor_the_domain_text(monkeypatch, body):
    import http.server
    import threading

    class Nonsense(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Nonsense)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("NLG_TOKEN", "a-test-token")
    monkeypatch.setenv("NLG_URL", f"http://127.0.0.1:{server.server_address[1]}/nlg")
    try:
        answer = _generate(ApprovedResponses(EndpointConfig(), DOMAIN), "utter_ask_tuina")
    finally:
        server.shutdown()
        server.server_close()
    assert answer["text"] == DOMAIN.responses["utter_ask_tuina"][0]["text"]
