"""The course's importable package: models, schematic plots and interactive widgets.

Importing ``widgets`` changes nothing: it sets no rcParams, seeds no random generator,
prints nothing and imports no submodule. Submodules load on first use::

    import widgets
    widgets.style.use_course_style()   # the notebooks apply the look explicitly

Modules come in pairs: a pure module (data and functions, no ipywidgets, no plotting)
and a ``*_views`` module with the widget classes that wire controls to it.
"""
from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "validate",
    "content_loader",
    "style",
    "figure",
    "question",
    "selfcheck",
    "references",
    "sle",
    "sle_views",
    "clinical",
    "clinical_views",
    "cart",
    "cart_views",
    "process",
    "process_views",
    "kinetics",
    "kinetics_views",
    "evidence",
    "evidence_data",
    "evidence_views",
    "decisions",
    "decisions_views",
    "glossary",
    "handouts",
    "static",
    "editions",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> ModuleType:
    # PEP 562 lazy submodules: `import widgets.clinical` stays free of ipywidgets and matplotlib.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'widgets' has no attribute {name!r}; available: {', '.join(__all__)}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
