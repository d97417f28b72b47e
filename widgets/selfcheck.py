"""Self-check questions built from plain ipywidgets (nothing fetched; works in JupyterLab and Voila).

Each option carries its own explanation, so a learner who picks a wrong answer learns why it
is wrong, and one who picks the right answer learns why it is right.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets

__all__ = ["Question", "SelfCheck"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Parameters
    ----------
    prompt : str
        The question.
    options : tuple of str
        The choices, at least two.
    correct : int
        Index of the right option in ``options``.
    explanations : tuple of str
        One explanation per option, in the same order: why it is right or wrong.
    """

    prompt: str
    options: tuple[str, ...]
    correct: int
    explanations: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.prompt.strip():
            raise ValueError("a question needs a prompt.")
        if len(self.options) < 2:
            raise ValueError(f"a question needs at least two options; got {len(self.options)}: {self.prompt!r}.")
        if len(self.explanations) != len(self.options):
            raise ValueError(
                f"every option needs an explanation: {len(self.options)} options but "
                f"{len(self.explanations)} explanations in {self.prompt!r}."
            )
        if not (isinstance(self.correct, int) and 0 <= self.correct < len(self.options)):
            raise ValueError(f"correct must be an option index 0-{len(self.options) - 1}; got {self.correct!r}.")

    def feedback(self, choice: int | None) -> tuple[bool, str]:
        """Return (is_correct, explanation) for the option index ``choice``."""
        if choice is None:
            return False, "Choose an answer first, then press Check."
        if not (isinstance(choice, int) and 0 <= choice < len(self.options)):
            raise ValueError(f"choice must be an option index 0-{len(self.options) - 1}; got {choice!r}.")
        return choice == self.correct, self.explanations[choice]


class _QuestionWidget(ipywidgets.VBox):
    def __init__(self, number: int, question: Question):
        self.question = question
        self.answered_correctly = False
        self.prompt = ipywidgets.HTML(f"<b>{number}. {html.escape(question.prompt)}</b>")
        self.choices = ipywidgets.RadioButtons(
            options=[(text, i) for i, text in enumerate(question.options)],
            value=None,
            layout=ipywidgets.Layout(width="auto"),
        )
        self.check = ipywidgets.Button(description="Check answer", button_style="primary")
        self.feedback = ipywidgets.HTML()
        self.feedback.add_class("course-feedback")
        self.check.on_click(self._on_check)
        super().__init__([self.prompt, self.choices, self.check, self.feedback])
        self.add_class("course-question")

    def _on_check(self, _button=None) -> None:
        ok, text = self.question.feedback(self.choices.value)
        if self.choices.value is None:
            verdict, colour = "", "#555555"
        elif ok:
            verdict, colour = "Correct. ", "#009E73"
        else:
            verdict, colour = "Not quite. ", "#D55E00"
        self.answered_correctly = ok
        self.feedback.value = (
            f'<div role="status" style="border-left:4px solid {colour};padding:4px 10px">'
            f"<b>{verdict}</b>{html.escape(text)}</div>"
        )


class SelfCheck(ipywidgets.VBox):
    """A column of :class:`Question` widgets with a running count of correct answers.

    Attributes
    ----------
    items : list
        One widget per question, each with ``choices`` (RadioButtons), ``check`` (Button)
        and ``feedback`` (HTML).
    """

    def __init__(self, questions: Sequence[Question], title: str = "Self-check"):
        if not questions:
            raise ValueError("a self-check needs at least one question.")
        self.items = [_QuestionWidget(i + 1, q) for i, q in enumerate(questions)]
        header = ipywidgets.HTML(f"<h3>{html.escape(title)}</h3>")
        super().__init__([header, *self.items])
        self.add_class("course-selfcheck")

    @property
    def score(self) -> int:
        """How many questions were last checked with the right answer."""
        return sum(item.answered_correctly for item in self.items)
