"""Input checks shared by every public function of the course.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the bad value
and says what is accepted, so that a widget can show the message to a learner as it is.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Real

__all__ = ["require_number", "require_int", "require_bool", "require_choice", "require_keys"]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def require_number(
    name: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    unit: str = "",
    allow_none: bool = False,
) -> float | None:
    """Return ``value`` as a float after checking it is a finite number within bounds.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    value : object
        What the caller passed.
    minimum, maximum : float, optional
        Inclusive bounds.
    unit : str
        Unit shown in the message, e.g. ``"x10^9/L"``.
    allow_none : bool
        Accept ``None`` (meaning "not measured") and return it unchanged.
    """
    unit_txt = f" {unit}" if unit else ""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, Real):
        accepted = "a number" + (" or None" if allow_none else "")
        raise TypeError(f"{name} must be {accepted}; got {value!r} ({type(value).__name__}).")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}.")
    if minimum is not None and maximum is not None and not (minimum <= value <= maximum):
        raise ValueError(
            f"{name} = {_fmt(value)}{unit_txt} is out of range; accepted: {_fmt(minimum)} to {_fmt(maximum)}{unit_txt}."
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} = {_fmt(value)}{unit_txt} is too small; accepted: at least {_fmt(minimum)}{unit_txt}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} = {_fmt(value)}{unit_txt} is too large; accepted: at most {_fmt(maximum)}{unit_txt}.")
    return value


def require_int(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` after checking it is a whole number (not a bool) within inclusive bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number; got {value!r} ({type(value).__name__}).")
    require_number(name, value, minimum=minimum, maximum=maximum)
    return value


def require_bool(name: str, value: object) -> bool:
    """Return ``value`` after checking it is ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__}).")
    return value


def require_choice(name: str, value: object, accepted: Iterable[object]) -> object:
    """Return ``value`` after checking it is one of ``accepted``."""
    options = list(accepted)
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} = {value!r} is not recognised; accepted: {listed}.")
    return value


def require_keys(name: str, keys: object, accepted: Iterable[str] | Mapping[str, object]) -> set[str]:
    """Return ``keys`` as a set after checking it is an iterable of known string keys.

    A bare string is refused (iterating it would give letters, a classic silent error).
    """
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
        raise TypeError(f"{name} must be a collection of keys such as a list or set; got {keys!r}.")
    allowed = set(accepted)
    found = set()
    for key in keys:
        if not isinstance(key, str):
            raise TypeError(f"{name} must hold strings; got {key!r} ({type(key).__name__}).")
        found.add(key)
    unknown = sorted(found - allowed)
    if unknown:
        raise ValueError(
            f"{name}: unknown key(s) {', '.join(repr(k) for k in unknown)}; accepted: {', '.join(sorted(allowed))}."
        )
    return found
