"""The self-check questions give no hint of their answer through the length of the options.

Rule: a reader who always picks the longest option must not pass a self-check. An option is "the
longest" when its text, with the study placeholders filled in as the lesson shows it, has strictly
more characters than every other option of its question. Within one questions file:

- a clinician file (``<notebook>.yaml``) may have the right answer as the longest option in at most
  half of its questions (``LONGEST_SHARE_MAX``); with three options chance alone gives about a third;
- a patient file (``<notebook>_plain.yaml``, three to five questions) may have it in at most
  ``PLAIN_LONGEST_MAX`` = 1 question, because a guessing patient would otherwise score most of the set;
- across the whole course it may be so in at most a third of all questions (``COURSE_SHARE_MAX``), the
  share that picking at random among three options would reach anyway.

Wrong options are written as specific, plausible misunderstandings so the right one need not be the
longest; the order of the options is a separate matter (the loader shuffles it).
"""
from __future__ import annotations

import pytest

from widgets import content_loader
from widgets.evidence import REVIEWS, STUDIES

LONGEST_SHARE_MAX = 0.5  # clinician files: share of questions whose right answer is the strictly longest option
PLAIN_LONGEST_MAX = 1    # patient files: number of such questions
COURSE_SHARE_MAX = 1 / 3  # all files together: share of such questions
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


def test_thresholds_are_consistent_and_both_kinds_of_file_exist():
    assert 0 < COURSE_SHARE_MAX <= LONGEST_SHARE_MAX < 1 and PLAIN_LONGEST_MAX >= 0
    plain = [nb for nb in FILES if nb.endswith(PLAIN_SUFFIX)]
    assert plain and len(plain) < len(FILES), "expected both clinician and plain-words question files"


@pytest.mark.parametrize("notebook", [nb for nb in FILES if not nb.endswith(PLAIN_SUFFIX)])
def test_right_answer_is_rarely_the_longest_option_in_a_clinician_file(notebook):
    total = len(content_loader.questions(notebook, values={"studies": STUDIES, "reviews": REVIEWS}))
    longest = longest_answers(notebook)
    assert len(longest) <= LONGEST_SHARE_MAX * total, (
        f"questions/{notebook}.yaml: the right answer is the longest option in {len(longest)} of {total} "
        f"questions ({longest}); at most {LONGEST_SHARE_MAX:.0%} allowed. Make the wrong options as specific "
        f"as the right one, or tighten the right one's words.")


@pytest.mark.parametrize("notebook", [nb for nb in FILES if nb.endswith(PLAIN_SUFFIX)])
def test_right_answer_is_rarely_the_longest_option_in_a_plain_words_file(notebook):
    longest = longest_answers(notebook)
    assert len(longest) <= PLAIN_LONGEST_MAX, (
        f"questions/{notebook}.yaml: the right answer is the longest option in questions {longest}; "
        f"at most {PLAIN_LONGEST_MAX} allowed in a plain-words set.")


def test_right_answer_is_the_longest_option_in_at_most_a_third_of_all_questions():
    counts = {nb: (len(longest_answers(nb)), len(content_loader.questions(nb))) for nb in FILES}
    longest, total = sum(n for n, _ in counts.values()), sum(t for _, t in counts.values())
    assert longest <= COURSE_SHARE_MAX * total, f"right answer longest in {longest} of {total} questions: {counts}"
