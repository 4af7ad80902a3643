"""Which approved responses answer a practical question, given the clinic's details.

Every reply is a pair (response name, template values). The response names are
approved entries in domain/; the values come only from the clinic details file, so
nothing the assistant says is made up here.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from clinic.details import ClinicDetails

Reply = Tuple[str, Dict[str, str]]


def contact_route(details: ClinicDetails) -> List[Reply]:
    """How to reach the team, from whatever contact details the clinic has filled in."""
    if details.phone and details.email:
        return [("utter_contact_phone_email", {"phone": details.phone, "email": details.email})]
    if details.phone:
        return [("utter_contact_phone", {"phone": details.phone})]
    if details.email:
        return [("utter_contact_email", {"email": details.email})]
    if details.contact_page:
        return [("utter_contact_page", {"contact_page": details.contact_page})]
    return [("utter_contact_unknown", {})]


def _filled_or_unknown(filled: List[Reply], unknown: str, details: ClinicDetails) -> List[Reply]:
    if filled:
        return filled
    return [(unknown, {})] + contact_route(details)


def clinic_detail_replies(topic: str, details: ClinicDetails) -> List[Reply]:
    """Replies for a practical topic; a blank detail becomes "the team will tell you" + contact route."""
    if topic == "ask_prices":
        filled = [("utter_prices", {"prices": details.prices})] if details.prices else []
        return _filled_or_unknown(filled, "utter_prices_unknown", details)
    if topic == "ask_opening_hours":
        filled = [("utter_opening_hours", {"opening_hours": details.opening_hours})] if details.opening_hours else []
        return _filled_or_unknown(filled, "utter_opening_hours_unknown", details)
    if topic == "ask_location":
        filled = []
        if details.address:
            filled.append(("utter_address", {"address": details.address}))
        if details.parking:
            filled.append(("utter_parking", {"parking": details.parking}))
        if details.directions:
            filled.append(("utter_directions", {"directions": details.directions}))
        return _filled_or_unknown(filled, "utter_location_unknown", details)
    if topic == "ask_practitioner":
        if details.practitioners:
            return [("utter_practitioners", {"practitioners": details.practitioners})]
        if details.article_author:
            return [("utter_practitioner_unknown_author", {"article_author": details.article_author})] + contact_route(details)
        return [("utter_practitioner_unknown", {})] + contact_route(details)
    if topic == "ask_covid_policy":
        filled = [("utter_covid_policy", {"covid_policy": details.covid_policy})] if details.covid_policy else []
        return _filled_or_unknown(filled, "utter_covid_policy_unknown", details)
    # Any other topic reaching here has no approved clinic-detail answer: hand to the team.
    return [("utter_no_approved_answer", {})] + contact_route(details)
