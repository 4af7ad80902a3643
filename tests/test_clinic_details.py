"""Clinic details: blank details are never guessed; filled ones are used as written."""

import pytest

from clinic.answers import clinic_detail_replies, contact_route
from clinic.details import ClinicDetails, ClinicDetailsError, load_clinic_details
from tests.conftest import BLANK_DETAILS

BLANK = ClinicDetails()
FILLED = ClinicDetails(
    phone="01632 960 001", email="hello@example.org", prices="£55 for a 45-minute session",
    opening_hours="Mon-Fri 9am-6pm", address="1 Example Street, Exampletown", parking="Free car park behind the clinic",
    practitioners="Our practitioners are members of a professional register.", covid_policy="Masks on request.",
)


def names(replies):
    return [name for name, _ in replies]


def test_the_shipped_file_is_blank_except_what_the_article_states():
    details = load_clinic_details(BLANK_DETAILS)
    assert details.article_author == "Matthew Budd BSc (Hons)"
    others = {k: v for k, v in vars(details).items() if k != "article_author"}
    assert set(others.values()) == {""}, "only facts stated in the article may ship filled in"


@pytest.mark.parametrize("topic,unknown", [
    ("ask_prices", "utter_prices_unknown"), ("ask_opening_hours", "utter_opening_hours_unknown"),
    ("ask_location", "utter_location_unknown"), ("ask_covid_policy", "utter_covid_policy_unknown"),
    ("ask_practitioner", "utter_practitioner_unknown"),
])
def test_blank_detail_says_the_team_will_answer_and_how_to_reach_them(topic, unknown):
    assert names(clinic_detail_replies(topic, BLANK)) == [unknown, "utter_contact_unknown"]


def test_filled_details_are_used_exactly_as_the_clinic_wrote_them():
    assert clinic_detail_replies("ask_prices", FILLED) == [("utter_prices", {"prices": "£55 for a 45-minute session"})]
    assert names(clinic_detail_replies("ask_location", FILLED)) == ["utter_address", "utter_parking"]
    assert clinic_detail_replies("ask_opening_hours", FILLED)[0][1] == {"opening_hours": "Mon-Fri 9am-6pm"}


def test_practitioner_answer_names_only_the_article_author_when_blank():
    replies = clinic_detail_replies("ask_practitioner", ClinicDetails(article_author="Matthew Budd BSc (Hons)"))
    assert replies[0] == ("utter_practitioner_unknown_author", {"article_author": "Matthew Budd BSc (Hons)"})


@pytest.mark.parametrize("details,expected", [
    (BLANK, "utter_contact_unknown"),
    (ClinicDetails(phone="01632 960 001"), "utter_contact_phone"),
    (ClinicDetails(email="hello@example.org"), "utter_contact_email"),
    (ClinicDetails(contact_page="https://example.org/contact"), "utter_contact_page"),
    (FILLED, "utter_contact_phone_email"),
])
def test_contact_route_uses_what_is_filled(details, expected):
    assert names(contact_route(details)) == [expected]


def test_unknown_topic_is_handed_to_the_team():
    assert names(clinic_detail_replies("ask_weather", BLANK)) == ["utter_no_approved_answer", "utter_contact_unknown"]


@pytest.mark.parametrize("content,message", [
    ("prices: [1, 2]\n", "plain text"),
    ("pricez: '£10'\n", "unknown clinic detail"),
    ("prices: '" + "x" * 5000 + "'\n", "longer than"),
    ("prices: 'unclosed\n", "cannot read"),
    ("- a list\n", "name: value"),
])
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
