"""Which health facts the assistant says, and what it offers after them (clinic/health_answers.py)."""

from clinic.health_answers import (
    DIAGNOSIS,
    NOTE,
    NOTHING_MORE,
    OFFER_BOOKING,
    OFFER_PASS_ON,
    TOPIC_FACTS,
    Conversation,
    answer,
)


def play(*intents, **start):
    """The answers to a run of questions, each seeing what the ones before it said and offered."""
    conversation = Conversation(**start)
    answers = []
    for intent in intents:
        said = answer(intent, conversation)
        answers.append(said)
        conversation = Conversation(told=said.told, topic=said.topic, note_given=said.note_given, last_offer=said.offer)
    return answers


def test_a_follow_up_gets_the_fact_it_asked_for():
    link, who, size = play("ask_headache_back_pain_link", "ask_research_who", "ask_research_size")
    assert link.responses[0] == "utter_ask_headache_back_pain_link"
    assert who.responses == ["utter_fact_research_who"]
    assert size.responses == ["utter_fact_research_size"]


def test_the_same_topic_asked_again_gets_the_next_fact_not_the_same_paragraph():
    first, second, more = play("ask_headache_back_pain_link", "ask_headache_back_pain_link", "ask_more")
    facts = TOPIC_FACTS["ask_headache_back_pain_link"]
    assert [first.responses[0], second.responses[0], more.responses[0]] == list(facts[:3])


def test_a_one_fact_question_asked_twice_gets_its_fact_again():
    first, again = play("ask_research_who", "ask_research_who")
    assert first.responses[0] == again.responses[0] == "utter_fact_research_who"


def test_when_the_article_has_nothing_more_it_says_so_and_offers_to_pass_the_question_on():
    answers = play(*["ask_smoking"] * (len(TOPIC_FACTS["ask_smoking"]) + 1))
    assert answers[-1].responses == [NOTHING_MORE]
    assert answers[-1].offer == OFFER_PASS_ON


def test_the_health_note_comes_once_per_conversation():
    answers = play("ask_back_pain", "ask_headache", "ask_smoking", "ask_link_cause")
    assert [NOTE in a.responses for a in answers] == [True, False, False, False]


def test_booking_is_offered_after_a_treatment_answer_but_never_twice_in_a_row():
    tuina, conditions, acupuncture = play("ask_tuina", "ask_tuina_conditions", "ask_acupuncture")
    assert [tuina.offer, conditions.offer, acupuncture.offer] == [OFFER_BOOKING, "none", OFFER_BOOKING]


def test_research_answers_offer_nothing():
    assert [a.offer for a in play("ask_headache_back_pain_link", "ask_research_who", "ask_migraine")] == ["none"] * 3


def test_no_booking_offer_once_the_visitor_said_no_or_while_a_booking_is_under_way():
    assert answer("ask_tuina", Conversation(booking_declined=True)).offer == "none"
    assert answer("ask_tuina", Conversation(in_form=True)).offer == "none"


def test_a_question_with_a_diagnosis_request_gets_the_answer_and_the_refusal_instead_of_the_note():
    said = answer("ask_tuina", Conversation(), diagnosis=True)
    assert said.responses == ["utter_ask_tuina", DIAGNOSIS]
    assert said.note_given


def test_the_diagnosis_refusal_counts_as_the_note():
    refusal, later = play("ask_diagnosis", "ask_back_pain")
    assert refusal.responses == [DIAGNOSIS] and refusal.offer == OFFER_BOOKING
    assert NOTE not in later.responses


def test_tell_me_more_with_nothing_said_yet_asks_how_to_help():
    assert answer("ask_more", Conversation()).responses == ["utter_how_can_help"]
