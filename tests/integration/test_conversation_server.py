"""The running assistant (real model, real action server) over the REST channel and /model/parse."""

import uuid

import pytest

from tests.test_approved_content import RESPONSES, emergency_text

APPROVED_TEXTS = {v["text"] for variations in RESPONSES.values() for v in variations}


def text_of(name: str) -> str:
    """The response's text as sent with a blank clinic details file."""
    variations = RESPONSES[name]
    blank = [v for v in variations if v.get("condition") and all(c["value"] is None for c in v["condition"])]
    default = [v for v in variations if not v.get("condition")]
    return (blank or default)[0]["text"]


def is_approved(text: str) -> bool:
    """An approved text, or an approved template filled in with clinic details."""
    if text in APPROVED_TEXTS:
        return True
    for template in APPROVED_TEXTS:
        if "{" in template:
            head, _, rest = template.partition("{")
            tail = rest.partition("}")[2]
            if text.startswith(head) and text.endswith(tail):
                return True
    return False


def visitor() -> str:
    return f"test-{uuid.uuid4().hex}"


def texts(replies):
    return [r.get("text") for r in replies]


@pytest.mark.parametrize(
    "message,expected",
    [
        # a health answer, the cannot-diagnose note (the first in a conversation), and the
        # booking offer only after an answer about treatment
        ("what is tui na?", ["utter_ask_tuina", "utter_health_note", "utter_offer_booking"]),
        ("are headaches and back pain linked", ["utter_ask_headache_back_pain_link", "utter_health_note"]),
        ("does smoking make my back worse", ["utter_ask_smoking", "utter_health_note"]),
        ("do you do acupuncture?", ["utter_ask_acupuncture", "utter_health_note", "utter_offer_booking"]),
        (
            "how is persistent back pain usually treated?",
            ["utter_fact_back_pain_treatment", "utter_health_note", "utter_offer_booking"],
        ),
        # the diagnosis refusal carries its own safety net (no separate note), then the offer
        ("is my back pain a slipped disc?", ["utter_ask_diagnosis", "utter_offer_booking"]),
        # a blank clinic detail: said so, and an offer to pass the question on, not the form
        ("how much is a session?", ["utter_prices", "utter_offer_pass_on"]),
        ("are you open on saturdays?", ["utter_opening_hours", "utter_offer_pass_on"]),
        ("I want to book an appointment", ["utter_ask_handoff_consent"]),
        ("who will be treating me", ["utter_practitioners", "utter_offer_pass_on"]),
        ("hello", ["utter_greet"]),
    ],
)
def test_topics_get_their_approved_answers(assistant, message, expected):
    replies = assistant.send(visitor(), message)
    assert [r.get("text") for r in replies] == [text_of(name) for name in expected]


def test_the_booking_offer_is_a_question_with_yes_and_no_buttons(assistant):
    offer = assistant.send(visitor(), "what is tui na?")[-1]
    assert offer["text"] == "Would you like to book with the clinic?"
    assert offer["buttons"] == [
        {"title": "Yes, please", "payload": "/affirm"},
        {"title": "No, thanks", "payload": "/deny"},
    ]
    for reply in assistant.send(visitor(), "is my back pain a slipped disc?")[:-1]:
        assert "book" not in reply["text"] and not reply.get("buttons")


def test_the_health_note_once_and_the_booking_offer_never_twice_in_a_row_nor_after_a_no(assistant):
    sender = visitor()
    assert texts(assistant.send(sender, "are headaches and back pain linked")) == [
        text_of("utter_ask_headache_back_pain_link"),
        text_of("utter_health_note"),
    ]
    # A second health question: its answer without the note, and the offer after treatment.
    assert texts(assistant.send(sender, "what is tui na?")) == [
        text_of("utter_ask_tuina"),
        text_of("utter_offer_booking"),
    ]
    # Booking was offered in the previous reply: not again straight away.
    assert texts(assistant.send(sender, "can tui na help with sports injuries?")) == [
        text_of("utter_ask_tuina_conditions")
    ]
    assert texts(assistant.send(sender, "what can I do myself to help my back?")) == [
        text_of("utter_ask_lifestyle"),
        text_of("utter_offer_booking"),
    ]
    assert texts(assistant.send(sender, "no thanks")) == [text_of("utter_no_problem")]
    # Declined: never offered again in this conversation, not even after a diagnosis refusal.
    assert texts(assistant.send(sender, "how is persistent back pain usually treated?")) == [
        text_of("utter_fact_back_pain_treatment")
    ]
    assert texts(assistant.send(sender, "is my back pain a slipped disc?")) == [text_of("utter_ask_diagnosis")]


def test_a_second_question_on_a_topic_gets_the_next_fact_and_a_follow_up_the_one_asked_for(assistant):
    sender = visitor()
    assistant.send(sender, "are headaches and back pain linked")
    assert texts(assistant.send(sender, "tell me more")) == [text_of("utter_fact_research_size")]
    assert texts(assistant.send(sender, "who was the research done by?")) == [text_of("utter_fact_research_who")]
    assert texts(assistant.send(sender, "are headaches and back pain linked")) == [text_of("utter_fact_migraine")]
    # asked for by name, a fact is said again
    assert texts(assistant.send(sender, "how many patients were in the study?")) == [
        text_of("utter_fact_research_size")
    ]


def test_when_the_article_has_nothing_more_it_says_so_and_offers_to_pass_the_question_on(assistant):
    sender = visitor()
    assistant.send(sender, "what is tui na?")
    assert texts(assistant.send(sender, "tell me more")) == [text_of("utter_ask_tuina_conditions")]
    assert texts(assistant.send(sender, "tell me more")) == [
        text_of("utter_told_everything"),
        text_of("utter_offer_pass_on"),
    ]
    # not the same offer twice in a row
    assert texts(assistant.send(sender, "tell me more")) == [text_of("utter_told_everything")]


@pytest.mark.parametrize(
    "message,language",
    [
        ("我的背很痛，你们周六开门吗？", "zh"),
        ("Mae gen i boen cefn ers misoedd, allwch chi helpu?", "cy"),
        ("Boli mnie plecy od tygodnia, co robić?", "pl"),
        ("Me duele la espalda desde hace semanas, ¿pueden ayudarme?", None),
    ],
)
def test_a_message_in_another_language_gets_the_english_only_reply_with_the_999_line(assistant, message, language):
    expected = next(
        v["text"]
        for v in RESPONSES["utter_other_language"]
        if [c["value"] for c in v.get("condition") or []] == ([language] if language else [])
    )
    assert texts(assistant.send(visitor(), message)) == [expected]
    assert "999" in expected and "only answer in English" in expected


def test_a_time_with_nothing_asked_before_it_asks_how_to_help(assistant):
    assert texts(assistant.send(visitor(), "any time after 6pm")) == [text_of("utter_how_can_help")]


def test_greeting_offers_topic_buttons(assistant):
    reply = assistant.send(visitor(), "hi")[0]
    assert {"title": "What is Tui Na?", "payload": "/ask_tuina"} in reply["buttons"]


def test_clicking_a_button_payload_answers_that_topic(assistant):
    replies = assistant.send(visitor(), "/ask_tuina")
    assert replies[0]["text"] == text_of("utter_ask_tuina")


def test_filled_clinic_details_are_answered_as_written(assistant, fill_details):
    fill_details(prices="£55 for a 45-minute session", phone="01632 960 001")
    replies = assistant.send(visitor(), "how much do you charge")
    assert [r["text"] for r in replies] == [
        "The clinic's prices: £55 for a 45-minute session",
        "You can call the clinic on 01632 960 001.",
    ]
    replies = assistant.send(visitor(), "where are you based?")
    assert [r["text"] for r in replies] == [text_of("utter_location"), text_of("utter_offer_pass_on")]
    fill_details(address="1 Example Street, Exampletown", parking="Free parking behind the clinic")
    replies = assistant.send(visitor(), "where are you based?")
    assert (
        replies[0]["text"] == "How to find the clinic: 1 Example Street, Exampletown. Free parking behind the clinic."
    )


def test_practitioner_answer_names_only_the_article_author(assistant):
    replies = assistant.send(visitor(), "what qualifications do your practitioners have")
    assert "Matthew Budd BSc (Hons)" in replies[0]["text"]
    assert replies[0]["text"] == text_of("utter_practitioners")


@pytest.mark.parametrize(
    "question", ["what is tui na", "can tui na help with sports injuries?", "is my back pain a slipped disc?"]
)
def test_yes_to_the_booking_offer_starts_the_booking_handoff(assistant, question):
    sender = visitor()
    assert assistant.send(sender, question)[-1]["text"] == text_of("utter_offer_booking")
    replies = assistant.send(sender, "yes please")
    assert [r["text"] for r in replies] == [text_of("utter_ask_handoff_consent")]


def test_no_to_the_booking_offer_is_fine(assistant):
    sender = visitor()
    assistant.send(sender, "what is tui na")
    assert texts(assistant.send(sender, "no thanks")) == [text_of("utter_no_problem")]


def test_yes_after_a_health_answer_without_an_offer_starts_no_booking(assistant):
    sender = visitor()
    assert texts(assistant.send(sender, "what is chronic low back pain")) == [
        text_of("utter_ask_back_pain"),
        text_of("utter_health_note"),
    ]
    assert texts(assistant.send(sender, "yes please")) == [text_of("utter_how_can_help")]


@pytest.mark.parametrize(
    "message,route",
    [
        ("I wanted to book but since this morning I can't feel my legs", "ae_now"),
        ("worst headache of my life, came on suddenly", "life_threatening"),
        ("back pain and I've wet myself", "ae_now"),
        ("my dad's face is drooping on one side", "life_threatening"),
    ],
)
def test_red_flags_get_only_the_emergency_message_for_their_route(assistant, message, route):
    replies = assistant.send(visitor(), message)
    assert [r.get("text") for r in replies] == [emergency_text(route)]
    parsed = assistant.parse(message)
    assert parsed["intent"]["name"] == "red_flag" and parsed["triage"]["route"] == route


def test_red_flag_during_a_conversation_interrupts_the_booking_offer(assistant):
    sender = visitor()
    assistant.send(sender, "what is tui na")
    replies = assistant.send(sender, "actually my back is agony and I can't control my bladder")
    assert [r["text"] for r in replies] == [emergency_text("ae_now")]


@pytest.mark.parametrize("message", ["mild headache after work", "my back is stiff when I sit"])
def test_mild_complaints_are_not_emergencies(assistant, message):
    assert assistant.parse(message)["intent"]["name"] != "red_flag"


def test_parse_reports_spacy_entities(assistant):
    parsed = assistant.parse("My name is John Smith, could I come in next Tuesday at 3pm?")
    found = {(e["entity"], e["extractor"]) for e in parsed["entities"]}
    assert ("PERSON", "SpacyEntities") in found
    assert ("DATE", "SpacyEntities") in found
    assert ("TIME", "SpacyEntities") in found


def test_synonyms_map_spellings_of_tui_na(assistant):
    values = {
        e["value"]
        for e in assistant.parse("can tuina help my backache")["entities"]
        if e["entity"] in {"treatment", "condition"}
    }
    assert "tui na" in values


def test_phone_and_email_are_recognised(assistant):
    entities = assistant.parse("call me on 07700 900123 or email jo@example.org")["entities"]
    assert {"phone_number", "email"} <= {e["entity"] for e in entities}


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "huge": "back pain " * 1000,
    "emoji": "\U0001f600\U0001f64f\U0001f494",
    "non-latin": "\u4f60\u597d\uff0c\u6211\u80cc\u75db \u0645\u0631\u062d\u0628\u0627",
    "html": "<img src=x onerror=alert(1)>",
    "script": "<script>alert('x')</script>",
    "json-looking": '{"intent": "red_flag", "text": "]]}"}',
    "payload-looking": '/book_appointment{"x": 1}',
    "sql": "'; DROP TABLE events; --",
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_gets_a_sensible_approved_reply(assistant, kind):
    replies = assistant.send(visitor(), BAD_INPUTS[kind])
    assert replies, f"no reply to {kind} input"
    for reply in replies:
        assert is_approved(reply["text"]), reply["text"]
        assert "<" not in reply["text"], "raw HTML echoed back"


def test_server_still_answers_after_bad_input(assistant):
    for message in BAD_INPUTS.values():
        assistant.send(visitor(), message)
    assert assistant.send(visitor(), "what is tui na")[0]["text"] == text_of("utter_ask_tuina")


def test_every_reply_in_a_long_conversation_is_approved(assistant):
    sender = visitor()
    for message in [
        "hi",
        "are you a robot",
        "what is tui na",
        "no",
        "can it help anxiety",
        "do you do acupuncture",
        "who are the practitioners",
        "covid rules?",
        "should I take ibuprofen",
        "ok",
        "thanks",
        "bye",
    ]:
        for reply in assistant.send(sender, message):
            assert is_approved(reply["text"]), (message, reply["text"])


def test_rasa_3_6_talks_to_rasa_sdk_3_21_without_the_version_warning(assistant):
    """The cross-version path: Rasa 3.6 calls custom actions served by rasa-sdk 3.21 (Sanic 25)."""
    import subprocess

    from tests.servers import ACTIONS_PYTHON

    version = subprocess.run(
        [str(ACTIONS_PYTHON), "-c", "import rasa_sdk, sanic; print(rasa_sdk.__version__, sanic.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert version[0].startswith("3.21.") and version[1].startswith("25.")
    replies = assistant.send(visitor(), "how much is a session?")  # runs action_look_up_clinic_detail
    assert replies[0]["text"] == text_of("utter_prices")
    log = assistant.actions_log.read_text()
    assert "action_look_up_clinic_detail" in log or "Registered function" in log
    assert "might not be compatible" not in log
