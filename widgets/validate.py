"""Input checks shared by every public function of the course.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the bad value
and says what is accepted. Functions are called by programmers, so their messages may name
the parameter (``temperature_c = 46 °C is out of range``); a widget turns a refused number
into its own words with :func:`learner_message` (``Temperature [°C]: 46 is too high;
accepted: 25 to 45``). Numbers in messages are shown with as many digits as it takes to tell
them apart from the bounds, so a message never reads "45 is out of range; accepted: 25 to 45".
"""
from __future__ import annotations

import decimal
import itertools
import math
import os
import re
import reprlib
from collections.abc import Iterable, Mapping
from numbers import Real
from pathlib import Path

__all__ = [
    "OutOfRange",
    "NotAChoice",
    "require_number",
    "require_int",
    "require_bool",
    "require_choice",
    "require_keys",
    "require_items",
    "require_text",
    "require_path",
    "parse_number",
    "plain_number",
    "learner_message",
]

MAX_ITEMS = 10_000  # more items than any list of keys, studies or figures the course takes: an endless iterable
_SHOWN_OPTIONS = 25  # options listed in a message before "... (N in all)": every SLEDAI-2K descriptor fits

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlong = 40
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxfrozenset = _repr.maxdict = 6


def shown(value: object) -> str:
    """``repr(value)`` cut to a readable length (a 10,000-character string is not quoted whole)."""
    try:
        return _repr.repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still named by its type
        return f"<{type(value).__name__}>"


def _label(name: object) -> str:
    """A parameter name or label as given, cut to a readable length."""
    text = name if isinstance(name, str) else shown(name)
    return text if len(text) <= 80 else text[:77] + "..."


class OutOfRange(ValueError):
    """A number outside its accepted range; carries what a widget needs to say it in its own words.

    Attributes
    ----------
    name : str
        The parameter's name.
    value, minimum, maximum : float or None
        The refused number and the inclusive bounds (``None``: no bound on that side).
    unit : str
    """

    def __init__(self, message: str, *, name: str, value: float, minimum: float | None, maximum: float | None,
                 unit: str = ""):
        super().__init__(message)
        self.name, self.value, self.minimum, self.maximum, self.unit = name, value, minimum, maximum, unit


class NotAChoice(ValueError):
    """A value that is not one of the accepted choices; carries the name, the value and the choices."""

    def __init__(self, message: str, *, name: str, value: object, options: list):
        super().__init__(message)
        self.name, self.value, self.options = name, value, options


# -- numbers in messages -------------------------------------------------------------------------
def _digits(value: float, sig: int, plain: bool) -> str:
    if value == 0:
        return "0"
    big = abs(value)
    if plain:
        if big >= 1e15 or big < 1e-4:
            return f"{value:.{sig}g}"
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if big >= scale:
                return f"{value / scale:,.{sig}g} {word}"
        return f"{value:,.{sig}g}" if big >= 1e4 or value == int(value) else f"{value:.{sig}g}"
    return f"{value:.{sig}g}"


def _number_texts(values: list, plain: bool = False) -> list[str]:
    """Show numbers with the fewest significant digits (at least 6) that keep unequal numbers apart."""
    out = []
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**30:
            out.append(f"{decimal.Decimal(v):.3e}")  # a huge integer: its size is what matters
            continue
        out.append(None)
    for i, v in enumerate(values):
        if out[i] is None and isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**15:
            out[i] = str(v)  # beyond float's exact integers: shown digit for digit
    floats = [float(v) if t is None else None for v, t in zip(values, out)]
    for sig in range(6, 18):
        texts = [t if t is not None else _digits(f, sig, plain) for t, f in zip(out, floats)]
        clash = any(texts[i] == texts[j] and floats[i] != floats[j]
                    for i in range(len(texts)) for j in range(i + 1, len(texts))
                    if floats[i] is not None and floats[j] is not None)
        if not clash:
            return texts
    return [t if t is not None else repr(f) for t, f in zip(out, floats)]


def plain_number(value: float) -> str:
    """A number in ordinary words for a learner: ``1,000``, ``2.5 million``, ``100 billion``, ``0.25``."""
    require_number("value", value)
    return _number_texts([value], plain=True)[0]


def _range_message(subject: str, value, minimum, maximum, unit: str, plain: bool) -> str:
    subject, unit = _label(subject), _label(unit) if unit else ""
    unit_txt = f" {unit}" if unit else ""
    v, lo, hi = _number_texts([value, minimum if minimum is not None else 0, maximum if maximum is not None else 0],
                              plain=plain)
    is_word = "is" if plain else "="
    value_txt = f"{subject}: {v}" if plain else f"{subject} {is_word} {v}{unit_txt}"
    if minimum is not None and maximum is not None:
        verdict = ("too low" if value < minimum else "too high") if plain else "out of range"
        return f"{value_txt} is {verdict}; accepted: {lo} to {hi}{unit_txt}."
    if minimum is not None:
        return f"{value_txt} is too {'low' if plain else 'small'}; accepted: at least {lo}{unit_txt}."
    return f"{value_txt} is too {'high' if plain else 'large'}; accepted: at most {hi}{unit_txt}."


def learner_message(exc: BaseException, labels: Mapping[str, str]) -> str:
    """The message a widget shows for ``exc``: a refused number in the control's own words.

    ``labels`` maps a parameter name to the label the learner sees (``{"temperature_c":
    "Temperature [°C]"}``). Other errors keep their own message.
    """
    name = getattr(exc, "name", None)
    if isinstance(name, str) and name not in labels:
        name = re.sub(r"\[\d+\]$", "", name)  # one item of a list: the list's own box ("counts[2]" -> "counts")
    if isinstance(exc, (OutOfRange, NotAChoice)) and name in labels:
        label = _label(str(labels[name]).strip().rstrip(":").strip())
        if isinstance(exc, NotAChoice):
            return f"{label}: {shown(exc.value)} is not one of the choices; accepted: {_listing(exc.options)}."
        return _range_message(label, exc.value, exc.minimum, exc.maximum, exc.unit, plain=True)
    return str(exc)


# -- the checks ---------------------------------------------------------------------------------
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

    Raises
    ------
    TypeError
        ``value`` is not a real number (a bool is not a number here).
    OutOfRange
        (a ``ValueError``) ``value`` is outside the bounds.
    ValueError
        ``value`` is NaN or infinite.
    """
    for bound_name, bound in (("minimum", minimum), ("maximum", maximum)):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, Real)
                                  or (isinstance(bound, float) and math.isnan(bound))):
            raise TypeError(f"require_number: {bound_name} must be a number or None; got {shown(bound)}.")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValueError(f"require_number: minimum {shown(minimum)} is above maximum {shown(maximum)}.")
    if value is None and allow_none is True:
        return None
    if isinstance(value, bool) or not isinstance(value, Real):
        accepted = "a number" + (" or None" if allow_none is True else "")
        raise TypeError(f"{_label(name)} must be {accepted}; got {shown(value)} ({type(value).__name__}).")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range: refuse it by its size
        number = math.inf if value > 0 else -math.inf
        if (maximum is None and number > 0) or (minimum is None and number < 0):
            raise ValueError(f"{_label(name)} = {_number_texts([value])[0]} is too large to compute with; "
                             "accepted: a number between -1e308 and 1e308.") from None
    except (TypeError, ValueError):
        raise TypeError(f"{_label(name)} must be a number; got {shown(value)} ({type(value).__name__}).") from None
    if math.isnan(number) or (math.isinf(number) and not isinstance(value, int)):
        raise ValueError(f"{_label(name)} must be a finite number; got {shown(value)}.")
    low_bad = minimum is not None and number < minimum
    high_bad = maximum is not None and number > maximum
    if low_bad or high_bad:
        raise OutOfRange(_range_message(name, value, minimum, maximum, unit, plain=False),
                         name=name, value=value, minimum=minimum,
                         maximum=maximum, unit=unit)
    return number


def require_int(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` after checking it is a whole number (not a bool) within inclusive bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        if getattr(value, "dtype", None) is not None and getattr(value, "shape", None) == () and \
                str(value.dtype).startswith(("int", "uint")):
            value = int(value)  # a numpy integer scalar
        else:
            raise TypeError(f"{_label(name)} must be a whole number; got {shown(value)} ({type(value).__name__}).")
    require_number(name, value, minimum=minimum, maximum=maximum)
    return value


def require_bool(name: str, value: object) -> bool:
    """Return ``value`` after checking it is ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise TypeError(f"{_label(name)} must be True or False; got {shown(value)} ({type(value).__name__}).")
    return value


_LISTING_MAX_CHARS = 300  # a list of accepted values longer than this is cut, so a message stays readable


def _listing(options: list) -> str:
    parts, used = [], 0
    for option in options[:_SHOWN_OPTIONS]:
        text = repr(option)
        if parts and used + len(text) > _LISTING_MAX_CHARS:
            break
        parts.append(text)
        used += len(text) + 2
    listed = ", ".join(parts)
    if len(parts) < len(options):
        listed += f", ... ({len(options)} in all)"
    return listed


def require_choice(name: str, value: object, accepted: Iterable[object]) -> object:
    """Return ``value`` after checking it is one of ``accepted`` (compared by equality, same kind of value)."""
    options = list(accepted) if isinstance(accepted, Mapping) else require_items("accepted", accepted, what="choices")
    try:
        hash(value)
    except TypeError:  # a list, dict or numpy array is never one of the choices
        raise TypeError(f"{_label(name)} must be one of {_listing(options)}; got {shown(value)} ({type(value).__name__}).") \
            from None
    found = any(value == o and isinstance(value, bool) == isinstance(o, bool) for o in options)
    if not found:
        raise NotAChoice(f"{_label(name)} = {shown(value)} is not recognised; accepted: {_listing(options)}.",
                         name=name, value=value, options=options)
    return value


def require_items(name: str, items: object, *, max_items: int = MAX_ITEMS, what: str = "items") -> list:
    """Return the items of a list-like ``items`` as a list, refusing text, non-collections and endless iterables.

    A bare string is refused (iterating it would give letters, a classic silent error), and so is
    a mapping (its keys would be taken silently); more than ``max_items`` items is refused, so an
    endless iterator cannot hang the caller.
    """
    what = _label(what)
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0:
        raise TypeError(f"require_items: max_items must be a whole number 0 or more; got {shown(max_items)}.")
    if isinstance(items, (str, bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        raise TypeError(f"{_label(name)} must be a collection of {what} such as a list; got {shown(items)} "
                        f"({type(items).__name__}).")
    try:
        taken = list(itertools.islice(items, max_items + 1))
    except TypeError as exc:  # e.g. iterating a 0-d numpy array
        raise TypeError(f"{_label(name)} must be a collection of {what} such as a list; got {shown(items)}.") from exc
    if len(taken) > max_items:
        raise ValueError(f"{_label(name)} has more than {max_items:,} {what}; accepted: a list of at most {max_items:,}.")
    return taken


def require_keys(name: str, keys: object, accepted: Iterable[str] | Mapping[str, object]) -> set[str]:
    """Return ``keys`` as a set after checking it is a collection of known string keys."""
    if isinstance(keys, Mapping):  # a mapping's keys are the keys (e.g. a table of weights)
        keys = list(keys.keys())
    allowed = {a for a in require_items("accepted", list(accepted) if isinstance(accepted, Mapping) else accepted,
                                        what="keys") if isinstance(a, str)}
    found = set()
    for key in require_items(name, keys, what="keys"):
        if not isinstance(key, str):
            raise TypeError(f"{_label(name)} must hold strings; got {shown(key)} ({type(key).__name__}).")
        found.add(key)
    unknown = sorted(found - allowed)
    if unknown:
        raise ValueError(f"{_label(name)}: unknown key(s) {', '.join(shown(k) for k in unknown[:5])}"
                         f"{' ...' if len(unknown) > 5 else ''}; accepted: {_listing(sorted(allowed))}.")
    return found


def require_text(name: str, value: object, *, allow_empty: bool = False, max_chars: int | None = None) -> str:
    """Return ``value`` after checking it is a string (non-blank unless ``allow_empty``), at most ``max_chars`` long."""
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int)):
        raise TypeError(f"require_text: max_chars must be a whole number or None; got {shown(max_chars)}.")
    if not isinstance(value, str):
        raise TypeError(f"{_label(name)} must be text (a string); got {shown(value)} ({type(value).__name__}).")
    if not allow_empty and not value.strip():
        raise ValueError(f"{_label(name)} must not be blank; got {value!r}.")
    if max_chars is not None and len(value) > max_chars:
        raise ValueError(f"{_label(name)} is {len(value):,} characters long; accepted: at most {max_chars:,}.")
    return value


def require_path(name: str, value: object) -> Path:
    """Return ``value`` as a Path after checking it is a file or folder name (text or path-like, no NUL).

    An integer is refused: ``open(1)`` would silently use file descriptor 1, the program's own output.
    """
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{_label(name)} must be a file or folder name such as 'notes/file.ipynb'; got {shown(value)} "
                        f"({type(value).__name__}).")
    try:
        path = Path(value)
    except TypeError:  # a PathLike whose __fspath__ returns bytes or something else
        raise TypeError(f"{_label(name)} must be a file or folder name; got {shown(value)}.") from None
    if "\x00" in str(path) or not str(path).strip():
        raise ValueError(f"{_label(name)} {shown(str(path))} is not a usable name; accepted: a file or folder name "
                         "without NUL characters.")
    return path


def parse_number(label: str, text: object, *, allow_blank: bool = True) -> float | None:
    """Read a number a learner typed: ``"1,000"`` is one thousand, ``"1.5"`` one and a half; blank is ``None``.

    Refused with a plain ``ValueError`` naming ``label``: text that is not a number, a comma used
    as a decimal mark (``"1,5"``), misplaced thousands separators (``"1,00"``), a number too large
    or too small to compute with (``"1e309"``, ``"1e-400"``), NaN and infinity.
    """
    if not isinstance(text, str):
        raise TypeError(f"{_label(label)} must be text; got {shown(text)} ({type(text).__name__}).")
    stripped = text.strip().replace("\u00a0", "").replace(" ", "")
    if not stripped:
        if allow_blank:
            return None
        raise ValueError(f"{_label(label)}: the box is empty; type a number.")
    if "," in stripped:
        whole, _, rest = stripped.lstrip("+-").partition(".")
        groups = whole.split(",")
        if not (groups[0].isdigit() and len(groups[0]) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups[1:])):
            raise ValueError(f"{_label(label)}: {shown(text)} is not a number we can read; type digits with a point for "
                             "decimals (1.5) and commas only between thousands (150,000).")
        stripped = stripped.replace(",", "")
    if stripped.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError(f"{_label(label)}: {shown(text)} is not a finite number; type a number"
                         f"{', or leave it blank' if allow_blank else ''}.")
    if "_" in stripped or not all(ch in "0123456789.eE+-" for ch in stripped):
        raise ValueError(f"{_label(label)}: {shown(text)} is not a number; type a number such as 150000 or 150,000"
                         f"{', or leave it blank' if allow_blank else ''}.")
    try:
        value = float(stripped)
    except ValueError:
        raise ValueError(f"{_label(label)}: {shown(text)} is not a number; type a number such as 150000 or 150,000"
                         f"{', or leave it blank' if allow_blank else ''}.") from None
    if not math.isfinite(value):
        raise ValueError(f"{_label(label)}: {shown(text)} is too large to compute with; type a smaller number.")
    if value == 0 and any(ch in "123456789" for ch in stripped.lower().split("e")[0]):
        raise ValueError(f"{_label(label)}: {shown(text)} is too small to compute with; type 0 or a larger number.")
    return value
