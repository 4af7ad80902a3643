"""The triage engine (clinic/triage) without a model: routes, context, timing, hostile input.

These sentences were written by the team to pin behaviour down; how the triage does on
messages the team did not write is measured in tests/nlu/test_triage_evaluation.py.
"""

import pytest

from clinic.triage.decide import triage
from clinic.triage.routes import AE_NOW, LIFE_THREATENING, MENTAL_HEALTH, PREGNANCY, URGENT, routed_correctly


@pytest.mark.parametrize(
    "route,text",
    [
        (LIFE_THREATENING, "my husband collapsed and isn't responding"),
        (LIFE_THREATENING, "her face has dropped on one side and her speech is slurred"),
        (LIFE_THREATENING, "crushing pain in my chest going down my left arm"),
        (LIFE_THREATENING, "worst headache of my life, came on in seconds"),
        (LIFE_THREATENING, "headache, stiff neck and a high temperature"),
        (LIFE_THREATENING, "my toddler swallowed some of my tablets"),
        (LIFE_THREATENING, "hit my head, was knocked out and keep being sick"),
        (AE_NOW, "back pain and I can't feel my legs"),
        (AE_NOW, "my bum is numb and I can't pee"),
        (AE_NOW, "fell off a ladder, my wrist is bent the wrong way"),
        (URGENT, "my back hurts and I've got a fever"),
        (URGENT, "I had breast cancer in 2016 and now my back aches all the time"),
        (URGENT, "I'm 70, my temples ache and my jaw hurts when I chew"),
        (MENTAL_HEALTH, "I want to kill myself"),
        (MENTAL_HEALTH, "my son has been cutting himself"),
        (MENTAL_HEALTH, "I took all my pills on purpose"),
        (PREGNANCY, "I'm 34 weeks pregnant with a terrible headache and flashing lights"),
        (PREGNANCY, "I'm 36 weeks and I haven't felt the baby move since last night"),
        (LIFE_THREATENING, "been doubling up on cold and flu tablets and paracetamol all weekend"),
        (URGENT, "my back pain is worse and the epidural site is red and hot"),
        (URGENT, "fever and back ache ever since my operation last week"),
        (MENTAL_HEALTH, "I keep finding razor blades hidden in my son's room"),
        (LIFE_THREATENING, "she's been fitting for ten minutes and is not coming round"),
        (MENTAL_HEALTH, "I swallowed all my sleeping tablets to make everything stop"),
        (MENTAL_HEALTH, "most nights I lie there hoping I won't wake up"),
        (LIFE_THREATENING, "he sliced his hand on a broken bottle and it's soaking through everything"),
        (LIFE_THREATENING, "been taking 16 paracetamol a day for my toothache"),
        (URGENT, "a completely new kind of headache, building over three days"),
    ],
)
def test_each_route(route, text):
    result = triage(text)
    assert result.route == route and result.is_emergency, (text, result)


@pytest.mark.parametrize(
    "mine,theirs",
    [
        ("I can't feel my legs and my back is agony", "my dad can't feel his legs and his back is agony"),
        ("I want to end my life", "my wife says she wants to end her life"),
    ],
)
def test_someone_else_gets_the_same_route(mine, theirs):
    assert triage(mine).route == triage(theirs).route is not None


@pytest.mark.parametrize(
    "text",
    [
        "no numbness in my legs, no bladder problems, just a stiff lower back",
        "had a stroke 3 years ago, would Tui Na suit her shoulder?",
        "I was in a car accident in 2015 and my back has ached since",
        "what is a thunderclap headache?",
        "what are the signs of cauda equina?",
        "my back is killing me",
        "I'm dying to try tui na",
        "the price nearly gave me a heart attack",
        "I'm 20 weeks pregnant, feeling well, is Tui Na safe?",
        "my mum is in hospital after a stroke so I need to cancel",
        "I'm fed up with this headache",
        "how much is a session?",
        "the cupping left dark purple circles on my back",
        "I couldn't breathe for laughing at the film",
        "the health form asks if I've ever had a seizure",
        "if someone faints during acupuncture what happens?",
        "Diabetes? No. Epilepsy? No. Stroke? No. Just a stiff neck",
        "my old knee where I had a fracture has a plate in it",
        "my mum had pre-eclampsia with my brother, I'm 12 weeks, is acupuncture ok?",
        "can you get a stroke from having your neck massaged?",
        "my dad had a fit at the weekend, he was seen at the hospital and they started him on tablets",
        "not breathing a word to my wife about the voucher",
        "",
    ],
)
def test_negations_history_questions_and_idioms_are_not_emergencies(text):
    result = triage(text)
    assert result.route is None, (text, result)


def test_unclear_timing_asks_whether_it_is_happening_now():
    result = triage("my legs went numb and weak last week")
    assert result.ask_if_now and result.route == AE_NOW and not result.is_emergency


def test_now_outweighs_an_earlier_time():
    assert triage("I fell last week and now I can't feel my legs").is_emergency


def test_the_words_that_decided_are_kept_for_staff():
    result = triage("Hi, can I book for Tuesday? Also since this morning I can't feel my legs at all")
    assert any("feel my legs" in words for words in result.matched)
    assert result.reason.startswith("cauda equina")


def test_typos_dialect_and_shouting():
    assert triage("CANT FEEL MY LEGS!!!").route == AE_NOW
    assert triage("ma heid is pure banging, came on in a second like a gunshot").route == LIFE_THREATENING
    assert triage("wanna kill myslef").route == MENTAL_HEALTH


def test_buried_in_a_long_message():
    text = (
        "Hello, I'd like to book a course of Tui Na for my shoulders, ideally on a Saturday morning, and I "
        "wondered about parking and prices. " * 5 + "Also my face has gone droopy on one side in the last hour."
    )
    assert triage(text).route == LIFE_THREATENING


@pytest.mark.parametrize(
    "text", ["a" * 100_000, "\U0001f600" * 1000 + " \u4f60\u597d", "<script>alert(1)</script>", "\x00\x01", "   "]
)
def test_hostile_input_is_read_without_error(text):
    assert triage(text).route is None


def test_a_more_urgent_route_counts_as_routed():
    assert routed_correctly(URGENT, AE_NOW) and routed_correctly(AE_NOW, LIFE_THREATENING)
    assert not routed_correctly(LIFE_THREATENING, AE_NOW) and not routed_correctly(MENTAL_HEALTH, LIFE_THREATENING)
    assert not routed_correctly(AE_NOW, None)


def test_a_dose_doubled_by_mistake_stays_999_whatever_the_second_opinion_says():
    from clinic.triage.learned import Opinion

    text = "I've been double dosing paracetamol and lemsip by mistake since yesterday"
    result = triage(text, lambda _: Opinion("mental_health", 0.99, words=12, reassured=False))
    assert result.route == LIFE_THREATENING, result


def test_a_checklist_answer_never_hides_a_vital_sign():
    """ "breathing? no" is an emergency, not a denial."""
    assert triage("my dad has collapsed on the floor. breathing? no").route == LIFE_THREATENING


def test_an_idiom_that_hid_a_sign_needs_a_sure_second_opinion():
    from clinic.triage.learned import SURE, Opinion

    text = "my sister would kill herself laughing if she saw me on the couch"
    assert triage(text, lambda _: Opinion(MENTAL_HEALTH, 0.6, words=13, reassured=False)).route is None
    assert triage(text, lambda _: Opinion(MENTAL_HEALTH, SURE, words=13, reassured=False)).route == MENTAL_HEALTH


def test_feeling_well_does_not_cancel_wanting_to_die():
    assert triage("I feel fine physically but I want to end my life").route == MENTAL_HEALTH


def test_feeling_fine_at_first_does_not_cancel_an_injury():
    result = triage("came off my bike an hour ago, felt fine at first but now my arm is numb and weak")
    assert routed_correctly(AE_NOW, result.route) and result.is_emergency, result


def test_a_heavy_arm_and_a_mouth_that_will_not_work_are_stroke_signs():
    text = "while typing my left arm's gone heavy and I can't seem to make my mouth work properly"
    assert triage(text).route == LIFE_THREATENING
    assert triage("my arm's gone dead from sleeping on it").route is None


@pytest.mark.parametrize(
    "text",
    [
        "I have had back pain for years and I want to end it all",
        "headaches on and off for years, she says she wants it all to be over",
        "my back's been bad for ages and honestly I want to kill myself",
    ],
)
def test_how_long_the_pain_has_lasted_never_dates_wanting_to_die(text):
    """ "For years" says how long the complaint has lasted, not when the crisis was."""
    assert triage(text).route == MENTAL_HEALTH
