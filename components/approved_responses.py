"""The answers Rasa sends: the approved live version from the content store, else the domain's.

endpoints.yml names this generator (`nlg: type: components.approved_responses.ApprovedResponses`).
For every response it asks the staff console's `/nlg` (Rasa's NLG server contract; the
console picks the live approved variation and fills its slots: console/nlg.py), so an
answer approved in the console reaches the next visitor message without retraining or a
restart. The request carries the response name, the slots and the channel, which is all the
console reads, not Rasa's whole tracker (which grows with every event of a conversation).

If the console cannot answer (not running, NLG_TOKEN unset, a timeout, an answer that is
not Rasa's format), the visitor still gets an answer: the domain files' text, which is the
content store's seed, from Rasa's own templated generator (which this class is), and a warning is logged (at
most once a minute), and the console is left alone for 10 seconds, so a console that hangs
delays one answer by at most 2 seconds, not every answer. Where to ask: NLG_URL, else the console on CONSOLE_PORT on this
machine; the endpoint's own `url:` in endpoints.yml wins over both.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Dict, Optional, Text

from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic import settings

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2
# After a failure the console is not asked again for this long: a hung console delays at most
# one answer (an emergency reply among them), not every one.
RETRY_AFTER_SECONDS = 10
WARN_EVERY_SECONDS = 60


def console_endpoint(endpoint_config: Optional[EndpointConfig]) -> Optional[EndpointConfig]:
    """The console's /nlg with its token, or None when no token is set (nothing to ask)."""
    token = (endpoint_config.token if endpoint_config else None) or settings.text("NLG_TOKEN")
    if not token:
        return None
    url = (endpoint_config.url if endpoint_config else None) or settings.url("NLG_URL")
    url = url or f"http://127.0.0.1:{settings.integer('CONSOLE_PORT')}/nlg"
    return EndpointConfig(url=url, token=token)


class ApprovedResponses(TemplatedNaturalLanguageGenerator):
    """Rasa's templated generator (the domain's responses, which Rasa's Agent sets again on every
    model load, as for its own), asking the console first."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__(domain.responses if domain else {})
        self.console = console_endpoint(endpoint_config)
        self._warned_at = float("-inf")
        self._failed_at = float("-inf")
        if self.console is None:
            logger.warning("NLG_TOKEN is not set: answers come from the domain files, not the content store.")

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        if self.console is not None and time.monotonic() - self._failed_at >= RETRY_AFTER_SECONDS:
            try:
                return await self._from_console(utter_action, tracker, output_channel, kwargs)
            except Exception as error:  # noqa: BLE001 - any failure of the console: the seed answers
                self._failed_at = time.monotonic()
                self._warn(utter_action, error)
        return await super().generate(utter_action, tracker, output_channel, **kwargs)

    async def _from_console(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, kwargs: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        arguments = {name: value for name, value in kwargs.items() if name != "domain_responses"}
        body = {
            "response": utter_action,
            "arguments": arguments,
            "tracker": {"sender_id": tracker.sender_id, "slots": tracker.current_slot_values()},
            "channel": {"name": output_channel},
        }
        answer = await self.console.request(method="post", json=body, timeout=TIMEOUT_SECONDS)
        if not isinstance(answer, dict) or not answer.get("text") and not answer.get("buttons"):
            raise ValueError(f"not an answer in Rasa's format: {str(answer)[:200]}")
        CallbackNaturalLanguageGenerator.validate_response(answer)
        return answer

    def _warn(self, utter_action: Text, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning(
                "The console's NLG endpoint did not answer (%s: %s); %s and later answers come from the "
                "domain files until it does.",
                type(error).__name__,
                error,
                utter_action,
            )
