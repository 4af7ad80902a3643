"""Loading the clinic's editable details file (content/clinic_details.yml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DETAILS_FILE = PROJECT_ROOT / "content" / "clinic_details.yml"
# A detail longer than this is almost certainly a paste error, not a price list.
MAX_DETAIL_LENGTH = 1000


class ClinicDetailsError(ValueError):
    """The details file cannot be used as it stands; the message says why."""


@dataclass(frozen=True)
class ClinicDetails:
    phone: str = ""
    email: str = ""
    contact_page: str = ""
    prices: str = ""
    opening_hours: str = ""
    address: str = ""
    parking: str = ""
    directions: str = ""
    practitioners: str = ""
    covid_policy: str = ""
    expected_reply_time: str = ""
    privacy_notice_url: str = ""

    @classmethod
    def from_mapping(cls, raw: Optional[Dict[str, Any]]) -> "ClinicDetails":
        raw = raw or {}
        if not isinstance(raw, dict):
            raise ClinicDetailsError("the clinic details file must be a list of 'name: value' lines")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ClinicDetailsError(f"unknown clinic detail(s): {', '.join(map(str, unknown))}")
        values = {}
        for name, value in raw.items():
            if value is None:
                value = ""
            if not isinstance(value, (str, int, float)):
                raise ClinicDetailsError(f"clinic detail '{name}' must be plain text")
            text = " ".join(str(value).split())
            if len(text) > MAX_DETAIL_LENGTH:
                raise ClinicDetailsError(f"clinic detail '{name}' is longer than {MAX_DETAIL_LENGTH} characters")
            values[name] = text
        return cls(**values)


def details_file() -> Path:
    return Path(os.environ.get("CLINIC_DETAILS_FILE") or DEFAULT_DETAILS_FILE)


def load_clinic_details(path: Optional[Path] = None) -> ClinicDetails:
    """Read the details file afresh, so the clinic's edits apply without a restart."""
    path = Path(path) if path else details_file()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ClinicDetailsError(f"cannot read clinic details from {path.name}: {error}") from error
    return ClinicDetails.from_mapping(raw)
