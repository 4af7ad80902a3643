"""The triage component's last word on the classifier's intent (components/triage_net.py)."""

from rasa.shared.nlu.training_data.message import Message

from components.triage_net import CHECK_INTENT, RED_FLAG_INTENT, _demote


def test_without_a_route_neither_emergency_intent_survives():
    """The classifier said red_flag, the triage found no route: the visitor gets the next
    real topic, never "is this happening now?" about nothing."""
    message = Message(data={"text": "no fever, no weight loss, just a stiff back"})
    message.set(
        "intent_ranking",
        [
            {"name": RED_FLAG_INTENT, "confidence": 0.6},
            {"name": CHECK_INTENT, "confidence": 0.2},
            {"name": "ask_back_pain", "confidence": 0.1},
        ],
    )
    _demote(message)
    assert message.get("intent")["name"] == "ask_back_pain"
    assert [e["name"] for e in message.get("intent_ranking")] == ["ask_back_pain"]
