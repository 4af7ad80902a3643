"""Channel settings from environment variables named in the credentials file, without a server."""

from channels.settings import read_channel_settings

CREDENTIALS = {"bot_token_env": "TEST_BOT_TOKEN", "webhook_secret_env": "TEST_SECRET", "api_base_url_env": "TEST_API"}
REQUIRED = ("bot_token", "webhook_secret")
DEFAULTS = {"api_base_url": "https://api.telegram.org"}


def test_settings_come_from_the_named_variables():
    settings = read_channel_settings(
        "telegram",
        CREDENTIALS,
        REQUIRED,
        DEFAULTS,
        {"TEST_BOT_TOKEN": "t0ken", "TEST_SECRET": "s3cret", "TEST_API": "http://127.0.0.1:9"},
    )
    assert settings.is_configured
    assert settings["bot_token"] == "t0ken" and settings["webhook_secret"] == "s3cret"
    assert settings["api_base_url"] == "http://127.0.0.1:9"


def test_the_provider_api_is_the_default_base_url():
    settings = read_channel_settings(
        "telegram", CREDENTIALS, REQUIRED, DEFAULTS, {"TEST_BOT_TOKEN": "t", "TEST_SECRET": "s"}
    )
    assert settings["api_base_url"] == "https://api.telegram.org"


def test_unset_or_empty_variables_are_reported_by_name_only():
    environment = {"TEST_BOT_TOKEN": "t0ken", "TEST_SECRET": "  "}
    settings = read_channel_settings("telegram", CREDENTIALS, REQUIRED, DEFAULTS, environment)
    assert not settings.is_configured
    assert settings.describe_missing() == "telegram is not configured: set TEST_SECRET"
    assert "t0ken" not in repr(settings) and "t0ken" not in settings.describe_missing()


def test_a_credentials_entry_without_variable_names_is_not_configured():
    for credentials in (None, {}, "text", {"bot_token_env": 5}):
        settings = read_channel_settings("telegram", credentials, REQUIRED, DEFAULTS, {})
        assert not settings.is_configured
        assert "bot_token_env in the credentials file" in settings.describe_missing()
