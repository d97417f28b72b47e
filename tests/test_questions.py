"""The self-check questions give no hint of their answer through the length of the options.

Rule: a reader who always picks the longest option must not pass a self-check. An option is "the
longest" when its text, with the study placeholders filled in as the lesson shows it, has strictly
more characters than every other option of its question. Within one questions file:

- a patient file (``<notebook>_plain.yaml``, three to five questions) may have it in at most
  ``PLAIN_LONGEST_MAX`` = 1 question, because a guessing patient would otherwise score most of the set.

Wrong options are written as specific, plausible misunderstandings so the right one need not be the
longest; the order of the options is a separate matter (the loader shuffles it).
"""
from __future__ import annotations

import pytest

from widgets import content_loader
from widgets.evidence import REVIEWS, STUDIES

PLAIN_LONGEST_MAX = 1    # patient files: number of such questions
PLAIN_SUFFIX = "_plain"

FILES = content_loader.question_files()


def answer_is_longest(question: dict) -> bool:
    """True when the right option has strictly more characters than every other option."""
    lengths = [len(text) for text in question["options"]]
    right = lengths[question["correct"]]
    return all(right > n for i, n in enumerate(lengths) if i != question["correct"])


def longest_answers(notebook: str) -> list[int]:
    """The 1-based numbers of the questions of ``notebook`` whose right answer is the longest option."""
    questions = content_loader.questions(notebook, values={"studies": STUDIES, "reviews": REVIEWS})
    return [i for i, q in enumerate(questions, start=1) if answer_is_longest(q)]


def test_answer_is_longest_counts_only_a_strict_lead():
    q = {"options": ("abc", "abc", "a"), "correct": 0}
    assert not answer_is_longest(q)
    assert answer_is_longest({"options": ("abcd", "abc", "a"), "correct": 0})
    assert not answer_is_longest({"options": ("abcd", "abc", "a"), "correct": 1})


def test_thresholds_are_reachable_and_stricter_than_guessing_allows():
    assert PLAIN_LONGEST_MAX >= 0
    plain = [nb for nb in FILES if nb.endswith(PLAIN_SUFFIX)]
    assert plain and len(plain) < len(FILES), "expected both clinician and plain-words question files"


@pytest.mark.parametrize("notebook", [nb for nb in FILES if nb.endswith(PLAIN_SUFFIX)])
def test_right_answer_is_rarely_the_longest_option_in_a_plain_words_file(notebook):
    longest = longest_answers(notebook)
    assert len(longest) <= PLAIN_LONGEST_MAX, (
        f"questions/{notebook}.yaml: the right answer is the longest option in questions {longest}; "
        f"at most {PLAIN_LONGEST_MAX} allowed in a plain-words set.")
