import sys
from pathlib import Path

# The action server runs from the project root, like `rasa run actions`.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
