"""Custom actions, served by rasa-sdk (`rasa run actions`)."""

import warnings

# The action server runs rasa-sdk 3.21 (maintained Sanic) against Rasa 3.6. rasa-sdk
# warns on every call that the minor versions differ; the cross-version path is
# covered by the live-server tests (tests/integration/test_conversation_server.py and the
# other integration tests), so that one warning is noise.
warnings.filterwarnings(
    "ignore",
    message=r"Your versions of rasa and rasa_sdk might not be compatible",
    category=UserWarning,
)
