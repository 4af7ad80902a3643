"""Is this webhook really from the provider? Constant-time checks, one per provider.

Every check returns False (never raises) for a missing or malformed header, so a
handler can answer 403 for all of them alike.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Mapping, Optional

from twilio.request_validator import RequestValidator

HUB_SIGNATURE_PREFIX = "sha256="


def _as_bytes(text: str) -> bytes:
    # hmac.compare_digest refuses str with non-ASCII characters (TypeError), and a
    # hostile header may hold anything, so compare bytes instead.
    return text.encode("utf-8", "surrogatepass")


def tokens_match(expected: str, received: Optional[str]) -> bool:
    """A shared secret sent back to us (Telegram's secret token, Messenger's verify token)."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(_as_bytes(expected), _as_bytes(received))


def is_valid_hub_signature(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    if not app_secret or not header or not header.startswith(HUB_SIGNATURE_PREFIX):
        return False
    expected = hmac.new(_as_bytes(app_secret), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(_as_bytes(expected), _as_bytes(header[len(HUB_SIGNATURE_PREFIX) :].lower()))


def is_valid_twilio_signature(auth_token: str, public_url: str, form: Mapping[str, str], header: Optional[str]) -> bool:
    """Twilio's `X-Twilio-Signature`, computed over the URL Twilio called and the form fields.

    `public_url` is the webhook URL as configured in Twilio's console (with the query
    string of this request, if any): behind a proxy the URL this server sees differs.
    """
    if not auth_token or not public_url or not header:
        return False
    return RequestValidator(auth_token).validate(public_url, dict(form), header)
