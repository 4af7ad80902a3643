"""The learned second opinion (clinic/triage/learned.py): its corpus, and what it may and may
not change in the rules' decision.

How it does on messages nobody on the team wrote is measured with the whole model in
tests/nlu/test_triage_evaluation.py.
"""

import collections

import pytest

from clinic.triage.decide import Triage, combine, rules, triage
from clinic.triage.learned import (
    MIN_WORDS,
    SURE,
    THRESHOLD,
    Opinion,
    SecondOpinion,
    corpus_fingerprint,
    load_corpus,
    training_examples,
)
from clinic.triage.routes import AE_NOW, LIFE_THREATENING, MENTAL_HEALTH, PREGNANCY, ROUTES, URGENT
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def second_opinion():
    """Trained as `rasa train` trains it: the corpus and the everyday NLU examples."""
    from rasa.shared.nlu.training_data.loading import load_data

    everyday = load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples
    return SecondOpinion.fit(
        training_examples(m.get("text") for m in everyday if m.get("intent") not in ("red_flag", "triage_check"))
    )


def test_the_corpus_covers_every_route_and_plenty_of_look_alikes():
    counts = collections.Counter(route for _, route in load_corpus())
    assert set(counts) == set(ROUTES) | {"none"}
    assert min(counts[route] for route in ROUTES) >= 150
    assert counts["none"] >= 500  # negations, history, questions, idioms: what must not alarm


def test_an_unknown_route_in_the_corpus_is_refused(tmp_path):
    (tmp_path / "bad.yml").write_text('examples:\n  - text: "help"\n    route: ambulance\n')
    with pytest.raises(ValueError, match="ambulance"):
        load_corpus(tmp_path)


def test_a_change_to_the_corpus_changes_the_fingerprint_rasa_retrains_on(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text('examples:\n  - text: "my chest hurts"\n    route: life_threatening\n')
    before = corpus_fingerprint(tmp_path)
    path.write_text('examples:\n  - text: "my chest hurts"\n    route: none\n')
    assert corpus_fingerprint(tmp_path) != before


@pytest.mark.parametrize(
    "route,text",
    [
        (MENTAL_HEALTH, "I keep thinking everyone would cope better if I just wasn't here"),
        (
            MENTAL_HEALTH,
            "my mate has been handing out all his stuff and keeps saying thanks for everything like it's the end",
        ),
        (PREGNANCY, "she's 30 weeks and says her rings won't go on and her face looks different since this morning"),
    ],
)
def test_it_routes_emergencies_told_without_a_listed_sign(second_opinion, route, text):
    assert triage(text).route is None  # the rules alone find nothing here
    result = triage(text, second_opinion.opinion)
    assert result.route == route and result.is_emergency
    assert result.reason.startswith("learned second opinion")


@pytest.mark.parametrize(
    "text",
    [
        "no thoughts of ending it or hurting myself, just fed up with this back",
        "I had a stroke three years ago, would acupuncture help my shoulder now?",
        "what are the warning signs of pre-eclampsia?",
    ],
)
def test_it_never_overrides_what_the_rules_set_aside(second_opinion, text):
    assert triage(text, second_opinion.opinion).route is None


def test_it_never_removes_or_changes_a_route_the_rules_gave_with_certainty(second_opinion):
    text = "I'm 34 weeks pregnant with a terrible headache and flashing lights"
    assert triage(text, second_opinion.opinion) == triage(text)
    assert triage(text).route == PREGNANCY


def opinion(route, probability, words=MIN_WORDS, reassured=False):
    return Opinion(route, probability, words, reassured)


RULED_AE = Triage(AE_NOW, "serious injury", ("cut my hand",))
RULED_LIFE = Triage(LIFE_THREATENING, "overdose or poisoning", ("swallowed all my",))


@pytest.mark.parametrize(
    "ruled,learned,expected",
    [
        # more urgent: bleeding the rules took for an injury, the corpus for 999
        (RULED_AE, LIFE_THREATENING, LIFE_THREATENING),
        # more specific: the mental-health reply still starts with 999 for an overdose
        (RULED_LIFE, MENTAL_HEALTH, MENTAL_HEALTH),
        (RULED_AE, PREGNANCY, PREGNANCY),
        # never lower
        (RULED_LIFE, URGENT, LIFE_THREATENING),
        (RULED_LIFE, AE_NOW, LIFE_THREATENING),
        (RULED_LIFE, PREGNANCY, LIFE_THREATENING),
        (Triage(MENTAL_HEALTH, "suicidal thoughts"), LIFE_THREATENING, MENTAL_HEALTH),
    ],
)
def test_a_sure_second_opinion_raises_a_route_and_never_lowers_one(ruled, learned, expected):
    assert combine(ruled, False, opinion(learned, SURE)).route == expected
    assert combine(ruled, False, opinion(learned, SURE - 0.01)).route == ruled.route  # not sure enough
    assert combine(ruled, False, opinion(learned, 1.0, words=MIN_WORDS - 1)).route == ruled.route  # too short


def test_a_sign_at_an_unclear_time_is_still_asked_about_however_sure_the_second_opinion():
    """It reads no time: "my legs went weak and numb a few days ago" is the visitor's to date."""
    ruled = Triage(AE_NOW, "cauda equina: both legs numb or weak", ("legs went weak and numb",), ask_if_now=True)
    assert combine(ruled, False, opinion(AE_NOW, 1.0)) == ruled
    assert combine(ruled, False, opinion(LIFE_THREATENING, 1.0)).ask_if_now


def test_with_a_sign_set_aside_as_past_only_a_sure_opinion_routes():
    ruled = Triage(None, set_aside=("written letters",))
    assert combine(ruled, False, opinion(MENTAL_HEALTH, SURE)).route == MENTAL_HEALTH
    assert combine(ruled, False, opinion(MENTAL_HEALTH, SURE - 0.01)).route is None
    assert combine(Triage(None), True, opinion(MENTAL_HEALTH, THRESHOLD)).route == MENTAL_HEALTH


def test_what_the_visitor_denied_in_so_many_words_is_never_routed():
    ruled, clear = rules("no thoughts of ending it or hurting myself, just fed up with this back")
    assert ruled.route is None and MENTAL_HEALTH in ruled.denied and not clear
    assert combine(ruled, clear, opinion(MENTAL_HEALTH, 1.0)).route is None
    assert combine(ruled, clear, opinion(PREGNANCY, 1.0)).route == PREGNANCY  # a denial is about its own route


def test_a_plain_statement_of_safety_holds_whatever_the_probability():
    assert combine(Triage(None), True, opinion(MENTAL_HEALTH, 1.0, reassured=True)).route is None
    assert combine(RULED_LIFE, False, opinion(MENTAL_HEALTH, 1.0, reassured=True)).route == LIFE_THREATENING


def test_ordinary_questions_stay_ordinary(second_opinion):
    for text in (
        "how much is a tui na session?",
        "are you open on saturdays?",
        "",
        "   ",
        # The clinic's own topics in a few words: once taken for "GP today" by the classifier.
        "my back hurts",
        "my head hurts",
        "headaches and back pain",
        "back pain for 3 weeks",
        "my back hurts when I sit for a long time",
        "I've had a headache since this morning, can I book for tomorrow?",
        "hello, my friend told me to message you",
        "i want to speak to a real person not a bot",
    ):
        assert triage(text, second_opinion.opinion).route is None, text
    assert 0 < THRESHOLD < 1


def test_a_plain_statement_of_safety_is_taken_at_its_word(second_opinion):
    worried = "I don't see the point of carrying on with any of it anymore"
    assert triage(worried).route is None and triage(worried, second_opinion.opinion).route == MENTAL_HEALTH
    assert triage(worried + ", but I'm not in any danger, I have good support", second_opinion.opinion).route is None


@pytest.mark.parametrize(
    "text",
    [
        "my lower back has ached most days for months and I get headaches too, what could it be",
        "headaches on and off for years and my back's bad as well, would tui na help",
        "I've had a sore back for about six weeks and a lot of headaches lately",
    ],
)
def test_the_everyday_complaint_told_as_lasting_needs_a_sure_second_opinion_for_the_gp_today(text):
    """The clinic's own enquiry: "headaches most days... back aches too... what's wrong?"."""
    ruled, clear = rules(text)
    assert ruled.route is None and ruled.lasting
    assert combine(ruled, clear, opinion(URGENT, SURE - 0.01)).route is None
    assert combine(ruled, clear, opinion(URGENT, SURE)).route == URGENT
    # what the rules cannot read beside it keeps the usual threshold: "nothing matters any more"
    assert combine(ruled, clear, opinion(MENTAL_HEALTH, THRESHOLD)).route == MENTAL_HEALTH
    # a warning sign beside it still routes by the rules, however long the complaint
    assert rules(text + ". Both my legs went numb an hour ago")[0].route == AE_NOW


def test_a_self_care_question_is_not_read_as_self_harm(second_opinion):
    assert second_opinion.opinion("what can my mum do for herself at home between appointments").reassured
    for text in (
        "she keeps saying she wants to do something to herself tonight",
        "my mum can't do anything for herself now, she is tired of being a burden",
    ):
        assert not second_opinion.opinion(text).reassured, text


def test_cutting_down_on_something_is_not_read_as_self_harm(second_opinion):
    """A smoking question got the crisis reply: "cutting" weighed as self-harm."""
    for text in (
        "is cutting down on the ciggies enough or should I pack them in altogether",
        "I've been cutting back on coffee for my headaches, is that sensible",
    ):
        assert not second_opinion.opinion(text).at_least(THRESHOLD), text
    for text in (
        "I've started cutting again and I don't want to be here any more",
        "been cutting myself most nights this week and it's getting deeper",
    ):
        assert second_opinion.opinion(text).route == MENTAL_HEALTH, text
