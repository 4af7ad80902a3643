"""The deterministic red-flag net (clinic/safety.py), without any model."""

import pytest

from clinic.safety import is_red_flag, red_flag_reason

EMERGENCIES = {
    "sudden_severe_headache": [
        "worst headache of my life, came on in seconds",
        "I've got a thunderclap headache",
        "suddenly got an excruciating headache out of nowhere",
        "my head feels like it's going to explode",
    ],
    "head_injury": [
        "I fell and hit my head last night and now I have a headache",
        "headache after a head injury at rugby",
    ],
    "speech_problems": ["bad headache and my speech is slurred", "terrible headache and I can't get my words out"],
    "vision_loss": ["headache and I've lost the sight in one eye", "my head is pounding and I can't see properly"],
    "confusion_drowsiness": ["severe headache and I feel confused", "my husband has a headache and is very drowsy"],
    "neck_rash_fever": ["headache with a stiff neck and a rash", "stiff neck, high temperature and my head hurts"],
    "face_drooping": ["one side of my face has dropped", "headache and my face is drooping"],
    "legs_numb_weak": ["back pain and numbness in both legs", "I wanted to book but since this morning I can't feel my legs",
                       "my legs have gone weak and my back is agony"],
    "saddle_numbness": ["my bum feels numb and my back hurts", "numbness around my genitals with back pain"],
    "bladder_bowel": ["back pain and I've lost control of my bladder", "cant pee and my lower back is killing me",
                      "wet myself and my back is agony"],
    "chest_pain": ["back pain and chest pain", "pain in my chest going to my back"],
    "serious_accident": ["back pain after a car crash this morning", "fell off a ladder and my back really hurts"],
}

# Phrasings of frightened visitors: third person, slang, no punctuation.
MORE_EMERGENCIES = [
    "i think im having a stroke", "my arm and leg on one side went weak and my head hurts",
    "i've lost all feeling in my legs", "back pain and i can't walk, legs wont hold me",
    "i haven't been able to go to the toilet since yesterday and my back is in agony",
    "my partner collapsed with a terrible headache", "peeing myself and back pain",
    "I feel like my head is going to burst", "my speech has gone weird and my headache is awful",
    "I was in a road traffic accident and now my back is agony", "pain in my chest and down my left arm",
    "got hit by a car yesterday and my back is sore", "back pain and numb bum", "i can't move my legs",
    "fell from scaffolding at work, back pain", "my headache started suddenly and is 10 out of 10",
]

NOT_EMERGENCIES = [
    "mild headache after work",
    "my back is stiff when I sit",
    "stiff neck and a headache from my desk",
    "I'm confused about your prices",
    "can tui na help with numbness?",
    "my left leg tingles a bit",
    "no chest pain, just a sore lower back",
    "I had a car accident years ago and my back's never been right",
    "headache most days for months",
    "what is tui na",
    "how much is a session",
    "i get tension headaches when stressed", "my lower back aches after gardening",
    "my neck is stiff from sleeping funny", "can tui na help with sciatica in my leg",
    "numbness in my fingers from typing", "can tuina help with numbness in my feet",
    "i sometimes get dizzy when i stand up quickly, can tui na help", "my back hurts when i cough",
    "i feel a bit sick with my migraines", "my legs ache after running",
    "I had a fall on the ice last winter and my back still hurts",
    "i'm confused, what is the difference between tui na and massage",
    "",
    "   ",
]


@pytest.mark.parametrize("reason,text", [(r, t) for r, texts in EMERGENCIES.items() for t in texts])
def test_each_nhs_emergency_category_is_flagged(reason, text):
    assert red_flag_reason(text) == reason


@pytest.mark.parametrize("text", MORE_EMERGENCIES)
def test_everyday_phrasings_of_emergencies_are_flagged(text):
    assert is_red_flag(text)


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_mild_complaints_and_questions_are_not_flagged(text):
    assert not is_red_flag(text)


def test_flagged_inside_a_long_message():
    text = ("Hi there, I was hoping to book a tui na session for next week as my back has been bad for ages, "
            "but since this morning I can't feel my legs properly and I'm a bit worried. What are your prices?")
    assert red_flag_reason(text) == "legs_numb_weak"


def test_typing_variants_are_flagged():
    assert is_red_flag("CANT FEEL MY LEGS!!!")
    assert is_red_flag("i cant feel my legs")
    assert is_red_flag("I can\u2019t feel my legs")


def test_huge_and_odd_input_does_not_break_the_net():
    assert not is_red_flag("a" * 100_000)
    assert not is_red_flag("\U0001F600" * 1000 + " \u4f60\u597d")
    assert not is_red_flag("<script>alert(1)</script>")
