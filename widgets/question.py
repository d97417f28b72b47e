"""A self-check question as plain data: no ipywidgets, so pure topic modules can define their questions.

The questions themselves are data, one YAML file per notebook in ``widgets/content/questions/``;
:func:`load_questions` reads them. The widget that asks them is :class:`widgets.selfcheck.SelfCheck`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import content_loader
from .validate import require_int, require_items, require_text, shown

__all__ = ["Question", "load_questions"]


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
        require_text("prompt", self.prompt)
        for field in ("options", "explanations"):
            items = require_items(field, getattr(self, field), max_items=26, what="texts")
            for i, text in enumerate(items):
                require_text(f"{field}[{i}]", text)
            object.__setattr__(self, field, tuple(items))
        if len(self.options) < 2:
            raise ValueError(f"a question needs at least two options; got {len(self.options)}: {shown(self.prompt)}.")
        if len(self.explanations) != len(self.options):
            raise ValueError(
                f"every option needs an explanation: {len(self.options)} options but "
                f"{len(self.explanations)} explanations in {shown(self.prompt)}."
            )
        require_int("correct (an option index)", self.correct, minimum=0, maximum=len(self.options) - 1)

    def feedback(self, choice: int | None) -> tuple[bool, str]:
        """Return (is_correct, explanation) for the option index ``choice``."""
        if choice is None:
            return False, "Choose an answer first, then press Check."
        require_int("choice (an option index)", choice, minimum=0, maximum=len(self.options) - 1)
        return choice == self.correct, self.explanations[choice]


def load_questions(notebook: str, values: Mapping[str, Any] | None = None) -> tuple[Question, ...]:
    """The self-check of ``notebook`` (e.g. ``"05_decisions"``), read from ``widgets/content/questions/``.

    ``values`` fills placeholders such as ``{studies[mueller2024].crs_any.N}`` (pass
    ``{"studies": widgets.evidence.STUDIES}``), so study numbers are typed only in the evidence table.
    """
    return tuple(Question(**q) for q in content_loader.questions(notebook, values=values))
