"""Which language a visitor wrote in, when it is clearly not English.

The assistant answers only in English, from approved English content. A message in
another language gets a short approved reply saying so, in that language where there is
an approved translation (Chinese, Welsh, Polish), with the 999 line.

Detection is lingua's (lingua-language-detector), restricted to English and the languages
most spoken in the UK after it, so that it chooses among plausible ones. Short and
informal English ("hiya", "ok", "bak pain n headahces") can look like anything to a
detector, so a message counts as another language only when all of these hold:
the detector is sure of it (CONFIDENT), it gives English next to nothing (ENGLISH_AT_MOST),
and the message has at least MIN_WORDS words, or is written in a non-Latin script.
On every English message in data/nlu/ and tests/evaluation/ (8,552) this flags none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Languages with an approved reply of their own (domain/conversation.yml, utter_other_language).
TRANSLATED = {Language.CHINESE: "zh", Language.WELSH: "cy", Language.POLISH: "pl"}
OTHER = "other"

CANDIDATES = (
    Language.ENGLISH,
    *TRANSLATED,
    Language.ARABIC,
    Language.BENGALI,
    Language.FRENCH,
    Language.GERMAN,
    Language.GUJARATI,
    Language.HINDI,
    Language.ITALIAN,
    Language.LITHUANIAN,
    Language.PERSIAN,
    Language.PORTUGUESE,
    Language.PUNJABI,
    Language.ROMANIAN,
    Language.RUSSIAN,
    Language.SOMALI,
    Language.SPANISH,
    Language.TURKISH,
    Language.UKRAINIAN,
    Language.URDU,
)

CONFIDENT = 0.8
ENGLISH_AT_MOST = 0.05
MIN_WORDS = 3
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*CANDIDATES).with_preloaded_language_models().build()


def _latin(text: str) -> bool:
    return all(ord(char) < 0x250 for char in text if char.isalpha())


def other_language(text: str) -> Optional[str]:
    """ "zh", "cy", "pl" or "other" for a message clearly not in English; None otherwise."""
    if not any(char.isalpha() for char in text):
        return None
    if _latin(text) and len(_WORD.findall(text)) < MIN_WORDS:
        return None
    values = detector().compute_language_confidence_values(text)
    best = values[0]
    english = next((value.value for value in values if value.language == Language.ENGLISH), 0.0)
    if best.language == Language.ENGLISH or best.value < CONFIDENT or english > ENGLISH_AT_MOST:
        return None
    return TRANSLATED.get(best.language, OTHER)
