"""Webhook signature checks, without a server."""

import hashlib
import hmac

from channels.signatures import is_valid_hub_signature, is_valid_twilio_signature, tokens_match
from tests.channels.payloads import TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_URL, twilio_form, twilio_signature

SECRET = "app-secret"
BODY = b'{"object":"page","entry":[]}'


def meta_signature(body: bytes = BODY, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_body_signed_with_the_app_secret_is_valid():
    assert is_valid_hub_signature(SECRET, BODY, meta_signature())


def test_a_changed_body_or_another_secret_is_not():
    assert not is_valid_hub_signature(SECRET, BODY + b" ", meta_signature())
    assert not is_valid_hub_signature(SECRET, BODY, meta_signature(secret="other"))


def test_missing_malformed_or_sha1_signatures_are_not_valid():
    sha1 = "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
    for header in (None, "", "sha256=", "sha256=zz", sha1, meta_signature()[7:], "sha256=\u00e9\u4e2d"):
        assert not is_valid_hub_signature(SECRET, BODY, header)


def test_an_unset_app_secret_accepts_nothing():
    assert not is_valid_hub_signature("", BODY, "sha256=" + hmac.new(b"", BODY, hashlib.sha256).hexdigest())


def test_tokens_match_only_the_same_token():
    assert tokens_match("s3cret", "s3cret")
    for received in (None, "", "s3cre", "s3cret ", "S3CRET", "s3cr\u00e9t"):
        assert not tokens_match("s3cret", received)
    assert not tokens_match("", "")


def test_a_twilio_request_signed_for_our_public_url_is_valid():
    form = twilio_form("whatsapp:+447700900001", "hello")
    assert is_valid_twilio_signature(TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_URL, form, twilio_signature(form))


def test_a_twilio_request_signed_for_another_url_token_or_body_is_not():
    form = twilio_form("whatsapp:+447700900001", "hello")
    signature = twilio_signature(form)
    assert not is_valid_twilio_signature(
        TWILIO_AUTH_TOKEN, "http://127.0.0.1:5005/webhooks/whatsapp/webhook", form, signature
    )
    assert not is_valid_twilio_signature("another-token", TWILIO_WEBHOOK_URL, form, signature)
    assert not is_valid_twilio_signature(TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_URL, {**form, "Body": "hi"}, signature)
    for header in (None, "", "garbage"):
        assert not is_valid_twilio_signature(TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_URL, form, header)
