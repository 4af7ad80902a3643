"""Clinic details: blank details are never guessed; filled ones are used as written."""

import pytest

from clinic.answers import clinic_detail_slots, contact_route_kind, covid_notice_kind
from clinic.details import ClinicDetails, ClinicDetailsError, load_clinic_details
from tests.conftest import BLANK_DETAILS

FILLED = ClinicDetails(
    phone="01632 960 001",
    email="hello@example.org",
    prices="£55 for a 45-minute session",
    opening_hours="Mon-Fri 9am-6pm",
    address="1 Example Street, Exampletown",
    parking="Free car park behind the clinic",
    practitioners="Our practitioners are members of a professional register.",
    covid_notice="Masks on request.",
)


def test_the_shipped_file_is_blank():
    """The article gives none of these details, so the clinic fills them in; nothing is guessed."""
    details = load_clinic_details(BLANK_DETAILS)
    assert set(vars(details).values()) == {""}


def test_blank_details_become_empty_slots():
    slots = clinic_detail_slots(ClinicDetails())
    assert slots.pop("clinic_contact_route") == "unknown"
    assert slots.pop("clinic_covid_notice_kind") == "none"
    assert set(slots.values()) == {None}


def test_filled_details_are_used_exactly_as_the_clinic_wrote_them():
    slots = clinic_detail_slots(FILLED)
    assert slots["clinic_prices"] == "£55 for a 45-minute session"
    assert slots["clinic_opening_hours"] == "Mon-Fri 9am-6pm"
    assert slots["clinic_location"] == "1 Example Street, Exampletown. Free car park behind the clinic."


@pytest.mark.parametrize(
    "details,expected",
    [
        (ClinicDetails(), "unknown"),
        (ClinicDetails(phone="01632 960 001"), "phone"),
        (ClinicDetails(email="hello@example.org"), "email"),
        (ClinicDetails(contact_page="https://example.org/contact"), "page"),
        (FILLED, "phone_email"),
    ],
)
def test_contact_route_uses_what_is_filled(details, expected):
    assert contact_route_kind(details) == expected


@pytest.mark.parametrize(
    "content,message",
    [
        ("prices: [1, 2]\n", "plain text"),
        ("pricez: '£10'\n", "unknown clinic detail"),
        ("prices: '" + "x" * 5000 + "'\n", "longer than"),
        ("prices: 'unclosed\n", "cannot read"),
        ("- a list\n", "name: value"),
    ],
)
def test_a_broken_details_file_is_refused_with_a_clear_reason(tmp_path, content, message):
    path = tmp_path / "details.yml"
    path.write_text(content)
    with pytest.raises(ClinicDetailsError, match=message):
        load_clinic_details(path)


def test_an_empty_details_file_means_everything_blank(tmp_path):
    path = tmp_path / "details.yml"
    path.write_text("")
    assert load_clinic_details(path) == ClinicDetails()


def test_whitespace_in_details_is_tidied(tmp_path):
    path = tmp_path / "details.yml"
    path.write_text("prices: |\n  £55 per\n  session\n")
    assert load_clinic_details(path).prices == "£55 per session"


NOTICE = "Masks are optional; please reschedule if you have symptoms."


@pytest.mark.parametrize(
    "details,expected",
    [
        (ClinicDetails(), "none"),
        (ClinicDetails(covid_notice_reviewed="2026-11-30"), "none"),  # a date without a notice says nothing
        (ClinicDetails(covid_notice=NOTICE), "undated"),
        (ClinicDetails(covid_notice=NOTICE, covid_notice_reviewed="2026-11-30"), "dated"),
        (ClinicDetails(covid_notice=NOTICE, covid_policy_url="https://example.org/covid"), "undated_link"),
        (
            ClinicDetails(
                covid_notice=NOTICE, covid_notice_reviewed="2026-11-30", covid_policy_url="https://example.org/covid"
            ),
            "dated_link",
        ),
    ],
)
def test_the_covid_answer_fits_what_the_clinic_filled_in(details, expected):
    assert covid_notice_kind(details) == expected
    assert clinic_detail_slots(details)["clinic_covid_notice_kind"] == expected


def test_a_covid_notice_date_must_be_a_date(tmp_path):
    path = tmp_path / "details.yml"
    path.write_text("covid_notice: 'Open as usual.'\ncovid_notice_reviewed: 'last spring'\n")
    with pytest.raises(ClinicDetailsError, match="covid_notice_reviewed"):
        load_clinic_details(path)
    path.write_text("covid_notice: 'Open as usual.'\ncovid_notice_reviewed: '2026-11-30'\n")
    assert load_clinic_details(path).covid_notice_reviewed == "2026-11-30"


def test_a_details_file_with_the_old_covid_policy_name_keeps_working(tmp_path):
    path = tmp_path / "details.yml"
    path.write_text("covid_policy: 'Masks on request.'\n")
    assert load_clinic_details(path).covid_notice == "Masks on request."
