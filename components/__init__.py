"""Custom Rasa NLU components, referenced from config.yml by module path.

Rasa imports this package in every process that loads the model (`rasa run`, `rasa
shell`, `rasa test`), which also installs our one speed-up of Rasa itself (speedups.py).
"""

from components import speedups

speedups.install()
