"""Custom Rasa NLU components, referenced from config.yml by module path.

triage_net.py and other_language.py are graph components; rasa_patches.py is the one
list of our changes to Rasa itself (speedups.py, long_conversations.py), installed when
Rasa loads the model.
"""
