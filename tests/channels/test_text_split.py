"""Splitting long answers at channel limits, without a server."""

import pytest

from channels.text_split import TELEGRAM_TEXT_LIMIT, length, split_for_channel

SENTENCE = "Tui Na is a massage technique used in Chinese medicine."


def test_a_short_answer_is_one_message_exactly_as_written():
    text = "Line one\nline two."
    assert split_for_channel(text, 100) == [text]


def test_paragraphs_are_separate_messages_as_on_the_website():
    assert split_for_channel("First.\n\nSecond.\n\n\n\nThird.", 100) == ["First.", "Second.", "Third."]


@pytest.mark.parametrize("limit", [60, 120, 400])
def test_a_long_paragraph_is_cut_between_sentences(limit):
    text = " ".join([SENTENCE] * 20)
    parts = split_for_channel(text, limit)
    assert len(parts) > 1
    assert all(length(part) <= limit for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_a_sentence_over_the_limit_is_cut_between_words():
    sentence = "word " * 30 + "end."
    parts = split_for_channel(sentence, 22)
    assert all(length(part) <= 22 for part in parts)
    assert " ".join(parts).split() == sentence.split()


def test_only_a_single_overlong_word_is_cut_mid_word():
    link = "https://example.com/" + "a" * 50
    parts = split_for_channel(f"See {link} now.", 30)
    assert all(length(part) <= 30 for part in parts)
    assert "".join(parts).replace(" ", "") == f"See{link}now."


def test_emoji_count_twice_as_telegram_counts_them():
    assert length("\U0001f44d") == 2
    parts = split_for_channel("\U0001f44d" * TELEGRAM_TEXT_LIMIT, TELEGRAM_TEXT_LIMIT)
    assert len(parts) == 2 and all(length(p) <= TELEGRAM_TEXT_LIMIT for p in parts)


def test_nothing_to_say_sends_nothing():
    assert split_for_channel("", 100) == [] and split_for_channel(None, 100) == []
