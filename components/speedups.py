"""Two measured speed-ups of Rasa 3.6 itself (installed by rasa_patches.py when Rasa loads the model).

1. Rasa looks up the class of every event it reads back from the tracker store (and of
   every slot of every tracker it builds) by walking all subclasses of `Event` (or
   `Slot`) and asking `inspect.isabstract` of each, once per event. For a conversation
   of 500 events that walk alone took 30 ms of every message here; remembered, 2 ms.
   The subclasses only change when a module defining events or slots is imported; all
   of Rasa's are imported before a model is loaded, and this project defines none.

2. Rasa checks every answer of the action server against a JSON schema with
   `jsonschema.validate`, which first checks the schema itself against the JSON-Schema
   meta-schema, every time. Under 50 concurrent visitors that was 41% of the Rasa
   server's CPU (py-spy). The schema is a constant: it is checked once, and each answer
   is then checked against it exactly as before, with the same error.

tests/test_speedups.py compares both with Rasa's own results.
"""

from __future__ import annotations

from typing import Any, Dict, List

import rasa.shared.utils.common as rasa_common
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_walk_subclasses = rasa_common.all_subclasses
_known: Dict[Any, List[Any]] = {}


def remembered_subclasses(cls: Any) -> List[Any]:
    """Rasa's `all_subclasses`, computed once per class."""
    if cls not in _known:
        _known[cls] = _walk_subclasses(cls)
    return list(_known[cls])


_rasas_validate_action_result = RemoteAction._validate_action_result
_response_validator: List[Any] = []


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """Rasa's check of an action server's answer, with the schema checked only once."""
    if not _response_validator:
        schema = RemoteAction.action_response_format_spec()
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        _response_validator.append(cls(schema))
    error = best_match(_response_validator[0].iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True
