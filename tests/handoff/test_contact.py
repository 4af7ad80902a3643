"""What the handoff form accepts as a name, contact details and preferred times."""

import pytest

from handoff.contact import Contact, clean_name, normalise_times, parse_contact


@pytest.mark.parametrize(
    "text,expected",
    [
        ("07911 123456", Contact("phone", "+447911123456")),
        ("call me on 07911123456 please", Contact("phone", "+447911123456")),
        ("+44 7911 123456", Contact("phone", "+447911123456")),
        ("020 7946 0018", Contact("phone", "+442079460018")),
        ("jo@example.org", Contact("email", "jo@example.org")),
        ("my email is Jo.Bloggs@Example.co.uk thanks", Contact("email", "Jo.Bloggs@example.co.uk")),
    ],
)
def test_uk_phone_numbers_and_emails_are_accepted(text, expected):
    assert parse_contact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "999",
        "not an email@",
        "me@localhost",
        "<script>@x.com",
        "+1 212 555 0100",
        "07911 12345",
        "0" * 1000,
        "jo@@example.org",
        "\u0000\u0001",
        '{"phone": 1}',
    ],
)
def test_anything_else_is_refused(text):
    assert parse_contact(text) is None


@pytest.mark.parametrize(
    "text,people,expected",
    [
        ("Jo Bloggs", [], "Jo Bloggs"),
        ("my name is Sam Patel", [], "Sam Patel"),
        ("it's Priya", ["Priya"], "Priya"),
        ("  Anne-Marie   O'Neill ", [], "Anne-Marie O'Neill"),
        ("\u674e\u534e", [], "\u674e\u534e"),
    ],
)
def test_names_are_kept_as_written(text, people, expected):
    assert clean_name(text, people) == expected


@pytest.mark.parametrize("text", ["", "yes", "no", "12345", "<b>x</b>", "http://spam.example", "x" * 101, "   "])
def test_non_names_are_refused(text):
    assert clean_name(text) is None


def test_times_are_normalised_and_spacy_entities_kept():
    assert normalise_times("Tuesday afternoon or thurs at 3pm") == "Tuesday; Thursday; afternoon; 15:00"
    assert normalise_times("weekday mornings after 9:30") == "Weekdays; morning; 09:30"
    assert normalise_times("whenever suits", ["next week"]) == "next week"
    assert normalise_times("no idea") == ""
