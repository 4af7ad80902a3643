"""Custom Rasa NLU components, referenced from config.yml by module path.

Rasa imports this package in every process that loads the model (`rasa run`, `rasa
shell`, `rasa test`), which also installs our two changes to Rasa itself:
speedups.py (a remembered subclass lookup) and long_conversations.py (a long
conversation session is rolled over, as an idle one is).
"""

from components import long_conversations, speedups

speedups.install()
long_conversations.install()
