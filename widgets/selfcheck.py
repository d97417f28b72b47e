"""The self-check widget, built from plain ipywidgets (nothing fetched; works in JupyterLab and Voila).

Questions are plain data (:class:`widgets.question.Question`), defined in each topic's pure module.

Each option carries its own explanation, so a learner who picks a wrong answer learns why it
is wrong, and one who picks the right answer learns why it is right.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets

from . import static
from .question import Question, load_questions
from .style import PAGE_CSS
from .validate import require_items, require_text, shown

__all__ = ["Question", "SelfCheck"]


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
        # A verdict belongs to the answer it judged: choosing another option clears it.
        self.choices.observe(self._on_choice, names="value")
        super().__init__([self.prompt, self.choices, self.check, self.feedback])
        self.add_class("course-question")

    def _on_choice(self, _change=None) -> None:
        self.answered_correctly = False
        self.feedback.value = ""

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
        questions = require_items("questions", questions, max_items=100, what="questions")
        if not questions:
            raise ValueError("a self-check needs at least one question; got none.")
        for i, q in enumerate(questions):
            if not isinstance(q, Question):
                raise TypeError(f"questions[{i}] must be a Question; got {shown(q)} ({type(q).__name__}).")
        require_text("title", title)
        self.questions = tuple(questions)
        self.title = title
        self.items = [_QuestionWidget(i + 1, q) for i, q in enumerate(questions)]
        header = ipywidgets.HTML(f"<style>{PAGE_CSS}</style><h3>{html.escape(title)}</h3>")
        super().__init__([header, *self.items])
        self.add_class("course-selfcheck")

    @classmethod
    def from_content(cls, name: str, title: str = "Self-check") -> "SelfCheck":
        """The self-check whose questions are in ``widgets/content/questions/<name>.yaml``.

        For example ``SelfCheck.from_content("01_sle_plain", title="Self-check in plain words")``.
        """
        return cls(load_questions(name), title=title)

    def _repr_mimebundle_(self, **kwargs):
        # Without a kernel (site, PDF, GitHub) every question is readable, its answer in a <details> fold-out.
        return static.with_static(super()._repr_mimebundle_(**kwargs), static.questions_html(self.questions, self.title),
                                  static.questions_text(self.questions, self.title))

    @property
    def score(self) -> int:
        """How many questions were last checked with the right answer."""
        return sum(item.answered_correctly for item in self.items)
