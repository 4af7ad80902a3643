"""Everything the assistant can say is an approved content entry with a traceable source."""

import ast
import datetime
import re
import string

import pytest
import yaml

from clinic.answers import clinic_detail_slots
from clinic.details import ClinicDetails
from tests.conftest import ARTICLE, PROJECT_ROOT

SOURCES = {"article", "clinic details", "visitor details", "clinic wording", "NHS guidance", "NICE guidance"}
# Guidance pages that may back a claim that a treatment helps a condition (CAP Code: claims
# need evidence the ASA accepts; for acupuncture that is NICE's headache guideline).
CLAIM_SOURCES = {"NICE guidance", "NHS guidance"}
# What a visitor gave in the handoff form, echoed back to them.
VISITOR_SLOTS = {"handoff_name", "handoff_reference"}
# The console name of the staff member who joins a conversation (domain/takeover.yml).
STAFF_SLOTS = {"staff_name"}
# UK advertising rules for health claims: no cures, no promised outcomes.
FORBIDDEN_CLAIMS = re.compile(
    r"\bcur(e|es|ed|ing)\b|guarantee|will (fix|heal|stop|get rid)|100 ?%|proven to|miracle", re.I
)
DETAIL_SLOTS = set(clinic_detail_slots(ClinicDetails()))


def load_responses():
    responses = {}
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
            assert name not in responses, f"{name} is defined twice"
            responses[name] = variations
    return responses


RESPONSES = load_responses()


def flatten(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def placeholders(text: str):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_domain_has_responses():
    assert len(RESPONSES) >= 20


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_is_an_approved_entry(name):
    for variation in RESPONSES[name]:
        entry = (variation.get("metadata") or {}).get("approved_content")
        assert entry, f"{name} has no approved_content metadata"
        assert entry["source"] in SOURCES, f"{name}: unknown source {entry['source']!r}"
        approved = datetime.date.fromisoformat(entry["approved"])
        reviewed = datetime.date.fromisoformat(entry["reviewed"])
        assert approved <= reviewed, f"{name}: reviewed before it was approved"
        text = variation["text"]
        assert not FORBIDDEN_CLAIMS.search(text), f"{name} makes a health claim: {text}"
        assert "<" not in text and ">" not in text, f"{name} contains markup"
        used = placeholders(text)
        if entry["source"] in {"clinic details", "visitor details"}:
            assert (
                used and used <= DETAIL_SLOTS | VISITOR_SLOTS
            ), f"{name} must be filled only from clinic or visitor details, uses {used}"
        else:
            assert (
                not used - STAFF_SLOTS
            ), f"{name} has placeholders {used} but is not sourced from clinic or visitor details"


def article_variations(name):
    return [v for v in RESPONSES[name] if v["metadata"]["approved_content"]["source"] == "article"]


@pytest.mark.parametrize("name", sorted(n for n in RESPONSES if article_variations(n)))
def test_article_answers_quote_passages_that_are_in_the_article(name):
    article = flatten(ARTICLE.read_text(encoding="utf-8"))
    for variation in article_variations(name):
        passages = variation["metadata"]["approved_content"].get("passages") or []
        assert passages, f"{name} is sourced from the article but quotes no passage"
        for passage in passages:
            assert flatten(passage) in article, f"{name}: passage not in the article: {passage}"


def _python_files():
    return sorted((PROJECT_ROOT / "actions").glob("*.py")) + sorted((PROJECT_ROOT / "clinic").glob("*.py"))


def test_actions_send_no_free_text():
    """Actions may only name an approved response; here they send nothing and set slots."""
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "utter_message":
                keywords = {k.arg for k in node.keywords}
                assert not node.args and "response" in keywords, f"{path.name}:{node.lineno} sends free text"
                assert not keywords & {
                    "text",
                    "json_message",
                    "custom",
                    "image",
                    "attachment",
                    "buttons",
                    "elements",
                }, f"{path.name}:{node.lineno} sends content that is not an approved response"


def test_a_blank_detail_always_has_an_unknown_variation_and_a_filled_one():
    """Every response that shows a clinic detail falls back to "the team will tell you" when it is blank."""
    for name, variations in RESPONSES.items():
        for variation in variations:
            used = placeholders(variation["text"]) & DETAIL_SLOTS
            if not used or name in {"utter_contact_route", "utter_handoff_outcome", "utter_covid_policy"}:
                continue
            blank = [v for v in variations if v.get("condition") and all(c["value"] is None for c in v["condition"])]
            assert blank and set(c["name"] for c in blank[0]["condition"]) == used, f"{name} has no blank variation"
            assert not placeholders(blank[0]["text"]) & DETAIL_SLOTS


def test_the_covid_answer_has_one_variation_per_kind_and_never_says_the_clinic_is_open():
    """Conditional variations that all match are picked at random, so each kind has exactly one."""
    variations = RESPONSES["utter_covid_policy"]
    kinds = [c["value"] for v in variations for c in v.get("condition") or []]
    assert sorted(kinds) == sorted({"undated", "dated", "undated_link", "dated_link"})
    default = [v for v in variations if not v.get("condition")]
    assert len(default) == 1 and not placeholders(default[0]["text"]) & DETAIL_SLOTS
    for variation in variations:
        kind = next((c["value"] for c in variation.get("condition") or []), "none")
        used = placeholders(variation["text"])
        assert ("clinic_covid_notice_reviewed" in used) == kind.startswith("dated"), kind
        assert ("clinic_covid_policy_url" in used) == kind.endswith("_link"), kind
    # The article's notice has no date: the assistant says the clinic is open only in its
    # own words (the notice the clinic filled in), never in a response of ours.
    for name, variations in RESPONSES.items():
        for variation in variations:
            assert not re.search(
                r"\b(?:clinic|we) (?:is|are|'re) (?:still )?open\b", flatten(variation["text"]), re.I
            ), name


def test_contact_route_covers_every_kind():
    variations = RESPONSES["utter_contact_route"]
    kinds = {c["value"] for v in variations for c in v.get("condition") or []}
    assert kinds == {"phone_email", "phone", "email", "page"}
    assert [v for v in variations if not v.get("condition")], "no default route for a blank details file"


def test_every_article_fact_can_be_said_and_every_health_question_reaches_it():
    """Each health answer quoting the article is a fact some question leads to, and each
    health intent has a rule sending it to action_answer_health (which adds the note)."""
    from clinic.health_answers import FACT_INTENTS, HEALTH_INTENTS, TOPIC_FACTS

    reachable = {fact for facts in TOPIC_FACTS.values() for fact in facts} | {f for f, _ in FACT_INTENTS.values()}
    for name, variations in RESPONSES.items():
        if name.startswith(("utter_ask_", "utter_fact_")) and variations[0]["metadata"]["approved_content"].get(
            "passages"
        ):
            assert name in reachable, f"{name} quotes the article but no question leads to it"
    assert reachable <= set(RESPONSES), f"facts without a response: {reachable - set(RESPONSES)}"
    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "health_topics.yml").read_text())["rules"]
    answered = {r["steps"][0]["intent"] for r in rules if r["steps"][1:2] == [{"action": "action_answer_health"}]}
    assert set(HEALTH_INTENTS) <= answered, f"no rule answers {set(HEALTH_INTENTS) - answered}"


def emergency_text(route=None) -> str:
    """utter_emergency's text for a triage route (None: the general reply)."""
    for variation in RESPONSES["utter_emergency"]:
        values = [c["value"] for c in variation.get("condition") or []]
        if values == ([route] if route else []):
            return variation["text"]
    raise KeyError(route)


SAFETY_NET = "If you feel very unwell, call NHS 111, or 999 in an emergency."
# What each route must tell the visitor, from the NHS pages named in its metadata.
ROUTE_WORDS = {
    "life_threatening": ["Call 999 now", "do not drive"],
    "ae_now": ["A&E", "999"],
    "urgent": ["GP", "today", "NHS 111", "999"],
    "mental_health": ["999", "Samaritans", "116 123", "free", "NHS 111", "mental health option", "Lifeline"],
    "pregnancy": ["maternity unit", "midwife", "999"],
    None: ["999", "A&E", "111"],
}


def test_every_triage_route_has_its_own_emergency_reply():
    slot = yaml.safe_load((PROJECT_ROOT / "domain" / "intents.yml").read_text())["slots"]["triage_route"]
    routes = slot["values"] + [None]
    for route in routes:
        text = emergency_text(route)
        for words in ROUTE_WORDS[route]:
            assert words in text, f"{route}: {words!r} missing from {text!r}"
        assert "book" not in text.lower()
    assert len({emergency_text(route) for route in routes}) == len(routes)
    assert all("buttons" not in v for v in RESPONSES["utter_emergency"])


def test_emergency_replies_name_help_in_all_four_nations():
    for variation in RESPONSES["utter_emergency"] + RESPONSES["utter_triage_not_now"]:
        text = variation["text"]
        if "111" in text:
            assert "Scotland" in text and "Wales" in text and "Northern Ireland" in text, text


# A treatment claim: one of these verbs, then a condition within a few words ("used to treat
# pain", "helps with anxiety", "relieves headaches"). "Traditionally used for" describes a
# tradition and is not one.
CLAIM = re.compile(
    r"\b(?:treat(?:s|ed|ing)?|cur(?:e|es|ed|ing)|heal(?:s|ed|ing)?|fix(?:es|ed|ing)?|reliev(?:e|es|ed|ing)|"
    r"help(?:s|ed|ing)? (?:with|to (?:relieve|ease|reduce))|eas(?:e|es|ing))\b(?:\W+(?!questions|about|information|booking)\w+){0,4}?\W+"
    r"(?:pain|aches?|headaches?|migraines?|back|anxiety|stress|dizziness|numbness|injur\w*|spasms?|conditions?|"
    r"problems?|misalignment|symptoms?|insomnia|arthritis|sciatica|tension|fatigue|depression)\b",
    re.I,
)


@pytest.mark.parametrize(
    "text,claims",
    [
        ("Tui Na is used to treat pain and anxiety.", True),
        ("Acupuncture helps with migraines.", True),
        ("It relieves tension headaches quickly.", True),
        ("It doesn't treat the symptoms.", True),
        ("In Chinese medicine, Tui Na is traditionally used for pain.", False),
        ("Sorry, I can only help with questions about the clinic: back pain, headaches.", False),
    ],
)
def test_the_claims_lexicon_knows_a_claim(text, claims):
    assert bool(CLAIM.search(text)) == claims


def test_no_response_claims_a_treatment_works_without_guidance_that_says_so():
    for name, variations in RESPONSES.items():
        for variation in variations:
            found = CLAIM.search(flatten(variation["text"]))
            source = variation["metadata"]["approved_content"]["source"]
            assert not found or source in CLAIM_SOURCES, f"{name}: {found.group(0)!r} needs NICE or NHS guidance"


@pytest.mark.parametrize(
    "source,prefix", [("NHS guidance", "https://"), ("NICE guidance", "https://www.nice.org.uk/guidance/")]
)
def test_guidance_names_the_pages_it_comes_from(source, prefix):
    for name, variations in RESPONSES.items():
        for variation in variations:
            entry = variation["metadata"]["approved_content"]
            if entry["source"] == source:
                pages = entry.get("pages") or []
                assert pages and all(p.startswith(prefix) for p in pages), name


@pytest.mark.parametrize(
    "name", ["utter_out_of_scope", "utter_ask_diagnosis", "utter_handoff_outcome", "utter_message_unreadable"]
)
def test_replies_that_are_not_an_answer_carry_the_safety_net(name):
    for variation in RESPONSES[name]:
        assert SAFETY_NET in variation["text"], f"{name}: {variation['text']}"


def test_handoff_outcome_never_claims_success_it_did_not_have():
    variations = RESPONSES["utter_handoff_outcome"]
    failed = [
        v
        for v in variations
        if {"name": "handoff_outcome", "type": "slot", "value": "failed"} in (v.get("condition") or [])
    ]
    assert failed and "NOT" in failed[0]["text"] and "{handoff_reference}" not in failed[0]["text"]
    stored = [v for v in variations if v is not failed[0]]
    assert all("{handoff_reference}" in v["text"] for v in stored)
