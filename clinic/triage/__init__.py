"""Emergency triage: which help a message describing symptoms needs, if any.

`triage(text)` reads a message with medspaCy (signs in `signs.py`, their context in
`context.py`) and decides a route (`routes.py`) by the NHS combinations in `decide.py`.
Plain Python with spaCy and medspaCy only: the Rasa NLU component
(components/triage_net.py), the tests and the evaluation all call it without a server.
"""

from clinic.triage.decide import Triage, explain, triage
from clinic.triage.routes import ACCEPTABLE, ROUTES, routed_correctly

__all__ = ["ACCEPTABLE", "ROUTES", "Triage", "explain", "routed_correctly", "triage"]
