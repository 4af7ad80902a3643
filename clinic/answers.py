"""Clinic details as conversation slots.

The assistant's practical answers (prices, hours, location, practitioners, COVID
rules, contact route) are approved responses in domain/clinic_details.yml whose
variations are chosen by these slots: a blank detail becomes an empty slot, which
selects the "the team will tell you" variation. Nothing here writes visitor-facing
text; the location slot only joins the clinic's own sentences.
"""

from __future__ import annotations

from typing import Dict, Optional

from clinic.details import ClinicDetails


def _or_none(value: str) -> Optional[str]:
    return value or None


def contact_route_kind(details: ClinicDetails) -> str:
    """Which contact route the clinic has filled in, best first."""
    if details.phone and details.email:
        return "phone_email"
    if details.phone:
        return "phone"
    if details.email:
        return "email"
    if details.contact_page:
        return "page"
    return "unknown"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def covid_notice_kind(details: ClinicDetails) -> str:
    """Which COVID answer fits what the clinic filled in: no notice, or a notice with or
    without the date it was checked and with or without a link to the full policy."""
    if not details.covid_notice:
        return "none"
    dated = "dated" if details.covid_notice_reviewed else "undated"
    return f"{dated}_link" if details.covid_policy_url else dated


def clinic_detail_slots(details: ClinicDetails) -> Dict[str, Optional[str]]:
    """Slot values for the practical answers; None wherever the clinic left a detail blank."""
    location_parts = [details.address, details.parking, details.directions]
    location = " ".join(_sentence(part) for part in location_parts if part)
    return {
        "clinic_contact_route": contact_route_kind(details),
        "clinic_phone": _or_none(details.phone),
        "clinic_email": _or_none(details.email),
        "clinic_contact_page": _or_none(details.contact_page),
        "clinic_prices": _or_none(details.prices),
        "clinic_opening_hours": _or_none(details.opening_hours),
        "clinic_location": _or_none(location),
        "clinic_practitioners": _or_none(details.practitioners),
        "clinic_covid_notice": _or_none(details.covid_notice),
        "clinic_covid_notice_kind": covid_notice_kind(details),
        "clinic_covid_notice_reviewed": _or_none(details.covid_notice_reviewed),
        "clinic_covid_policy_url": _or_none(details.covid_policy_url),
        "clinic_expected_reply_time": _or_none(details.expected_reply_time),
    }
