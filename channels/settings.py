"""A channel's settings, read from environment variables that the credentials file names.

The credentials file holds no secret: for each setting `x` it names the environment
variable to read (`x_env: TELEGRAM_BOT_TOKEN`). We do not use Rasa's `${VAR}`
substitution for this because Rasa 3.6 raises while reading the credentials file when
a variable is unset, so the whole server would refuse to start for want of one
channel's secret. Here a channel with an unset or empty setting reports what is
missing, and its webhooks answer 503 while everything else keeps working. The names
credentials.channels.yml gives are listed with every other variable in clinic/settings.py
(CHANNEL_VARIABLES; the table in docs/operations.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

ENV_SUFFIX = "_env"


@dataclass(frozen=True)
class ChannelSettings:
    """Setting values by name; `missing` lists what still has to be set (names only)."""

    channel: str
    values: Dict[str, str] = field(repr=False)  # secrets: never in a repr, a log or an error message
    missing: Tuple[str, ...] = ()

    @property
    def is_configured(self) -> bool:
        return not self.missing

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def describe_missing(self) -> str:
        return f"{self.channel} is not configured: set {', '.join(self.missing)}"


def read_channel_settings(
    channel: str,
    credentials: Optional[Mapping[str, Any]],
    required: Sequence[str],
    defaults: Optional[Mapping[str, str]] = None,
    environ: Mapping[str, str] = os.environ,
) -> ChannelSettings:
    """Each setting from the environment variable named by `<setting>_env` in the credentials.

    A required setting whose variable is unset or empty (or whose `_env` key is absent)
    is missing; an optional one falls back to its default (the provider's public API).
    """
    credentials = credentials if isinstance(credentials, Mapping) else {}
    values: Dict[str, str] = {}
    missing = []
    for name in [*required, *(defaults or {})]:
        variable = credentials.get(name + ENV_SUFFIX)
        value = environ.get(variable, "").strip() if isinstance(variable, str) and variable else ""
        if value:
            values[name] = value
        elif name in (defaults or {}):
            values[name] = defaults[name]
        else:
            missing.append(
                variable if isinstance(variable, str) and variable else f"{name}{ENV_SUFFIX} in the credentials file"
            )
    return ChannelSettings(channel=channel, values=values, missing=tuple(missing))
