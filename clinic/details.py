"""Loading the clinic's editable details file (content/clinic_details.yml)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from clinic import settings as clinic_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DETAILS_FILE = clinic_settings.default("CLINIC_DETAILS_FILE")
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
    covid_notice: str = ""
    covid_notice_reviewed: str = ""  # YYYY-MM-DD: when the clinic last checked the notice
    covid_policy_url: str = ""
    expected_reply_time: str = ""
    privacy_notice_url: str = ""

    @classmethod
    def from_mapping(cls, raw: Optional[Dict[str, Any]]) -> "ClinicDetails":
        raw = raw or {}
        if not isinstance(raw, dict):
            raise ClinicDetailsError("the clinic details file must be a list of 'name: value' lines")
        raw = dict(raw)
        if "covid_policy" in raw and "covid_notice" not in raw:  # the name before notices had dates
            raw["covid_notice"] = raw.pop("covid_policy")
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
        reviewed = values.get("covid_notice_reviewed", "")
        if reviewed:
            try:
                date.fromisoformat(reviewed)
            except ValueError:
                raise ClinicDetailsError(
                    "clinic detail 'covid_notice_reviewed' must be a date like 2026-11-30"
                ) from None
        return cls(**values)


def details_file() -> Path:
    return clinic_settings.path("CLINIC_DETAILS_FILE")


def load_clinic_details(path: Optional[Path] = None) -> ClinicDetails:
    """Read the details file afresh, so the clinic's edits apply without a restart."""
    path = Path(path) if path else details_file()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ClinicDetailsError(f"cannot read clinic details from {path.name}: {error}") from error
    return ClinicDetails.from_mapping(raw)


def clinic_details_or_blank() -> ClinicDetails:
    """The details file, or blank details if it cannot be used (logged): the assistant then
    says it does not have a detail, never a guess."""
    try:
        return load_clinic_details()
    except ClinicDetailsError as error:
        logging.getLogger(__name__).error("Clinic details file unusable, answering as if blank: %s", error)
        return ClinicDetails()
