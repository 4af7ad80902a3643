"""Emergency triage: which help a message describing symptoms needs, if any.

`clinic.triage.decide.triage(text)` reads a message with medspaCy (signs in `signs.py`,
their context in `context.py`) and decides a route (`routes.py`) by the NHS combinations
in `decide.py`. Plain Python with spaCy and medspaCy only: the Rasa NLU component
(components/triage_net.py), the tests and the evaluation call it without a server.
`routes.py` needs neither, so the action server and the staff console use it too.
"""
