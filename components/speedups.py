"""One measured speed-up of Rasa 3.6 itself, installed when the Rasa server loads our components.

Rasa looks up the class of every event it reads back from the tracker store (and of
every slot of every tracker it builds) by walking all subclasses of `Event` (or `Slot`)
and asking `inspect.isabstract` of each, once per event. For a conversation of 500
events that walk alone took 30 ms of every message here; remembered, 2 ms. Rasa reads
the whole conversation back for every message, so this cost grew with every turn.

The subclasses only change when a module defining events or slots is imported; all of
Rasa's are imported before a model is loaded, and this project defines none. The
remembered lists are checked against a fresh walk by tests/test_speedups.py.
"""

from __future__ import annotations

from typing import Any, Dict, List

import rasa.shared.utils.common as rasa_common

_walk_subclasses = rasa_common.all_subclasses
_known: Dict[Any, List[Any]] = {}


def remembered_subclasses(cls: Any) -> List[Any]:
    """Rasa's `all_subclasses`, computed once per class."""
    if cls not in _known:
        _known[cls] = _walk_subclasses(cls)
    return list(_known[cls])


def install() -> None:
    rasa_common.all_subclasses = remembered_subclasses
