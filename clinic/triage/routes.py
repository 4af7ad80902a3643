"""The five emergency routes, their order of urgency, and what counts as routed correctly.

Each route has its own approved reply (`utter_emergency` variations in domain/safety.yml,
chosen by the slot `triage_route`).
"""

from __future__ import annotations

from typing import Dict, FrozenSet

LIFE_THREATENING = "life_threatening"  # call 999 now
AE_NOW = "ae_now"  # 999 or A&E now
URGENT = "urgent"  # GP today or NHS 111, not 999
MENTAL_HEALTH = "mental_health"  # 999 if life in danger; Samaritans 116 123; NHS 111 mental-health option
PREGNANCY = "pregnancy"  # maternity unit or midwife now; 999 if very unwell

ROUTES = (LIFE_THREATENING, AE_NOW, URGENT, MENTAL_HEALTH, PREGNANCY)

# A message is routed correctly when it gets its own route or one at least as urgent that
# still tells the visitor what to do. The mental-health reply starts with 999 for a life in
# danger or an overdose, so it also serves an overdose taken on purpose.
ACCEPTABLE: Dict[str, FrozenSet[str]] = {
    LIFE_THREATENING: frozenset({LIFE_THREATENING}),
    AE_NOW: frozenset({AE_NOW, LIFE_THREATENING}),
    URGENT: frozenset({URGENT, AE_NOW, LIFE_THREATENING, PREGNANCY}),
    MENTAL_HEALTH: frozenset({MENTAL_HEALTH}),
    PREGNANCY: frozenset({PREGNANCY, LIFE_THREATENING}),
}


def routed_correctly(expected: str, got: str | None) -> bool:
    return got is not None and got in ACCEPTABLE[expected]


# How staff see each route (console, API, notification e-mail).
LABELS: Dict[str, str] = {
    LIFE_THREATENING: "999 now (life-threatening)",
    AE_NOW: "A&E now",
    URGENT: "GP today or NHS 111",
    MENTAL_HEALTH: "Mental-health crisis",
    PREGNANCY: "Pregnancy: maternity unit now",
}
