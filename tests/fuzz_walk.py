"""Walk every public callable of ``widgets`` and call it with bad input (used by tests/test_fuzz.py and ``make fuzz``).

The callables are found by introspection, so a new function, class or method is fuzzed without anyone
listing it: every module named in ``widgets.__all__``, every name in that module's ``__all__``; a function
is called, a class is constructed, and each public method defined in the package (not inherited from
ipywidgets or the standard library) is called on an instance built from the class's defaults.

Each parameter gets a base value (its default, or a guess from its annotation) and, in turn, every
generic edge value (None, bools, huge ints, NaN, infinities, numpy arrays, wrong types, odd strings,
endless iterables, bad paths, ...); then hypothesis draws whole argument sets mixing valid words from
the package's own tables with bad values. The contract checked on every call:

* it returns, or raises ``ValueError`` / ``TypeError``: never another exception and never a hang;
* what it returns holds no NaN that was not passed in;
* a refusal's message is plain: not empty, not a Python-internal message, says what is accepted,
  names a simple bad value, is not thousands of characters long, and never shows the bad number
  equal to a bound it broke ("45 is out of range; accepted: 25 to 45").

Run from a scratch folder: the walk calls the handout writers with whatever path it draws.
"""
from __future__ import annotations

import dataclasses
import decimal
import fractions
import importlib
import inspect
import math
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

ENDLESS_LIMIT = 100_000  # items an endless iterable yields before the walk calls it a hang
MAX_MESSAGE_CHARS = 600

# Messages Python, numpy or matplotlib produce: they name neither the value nor what is accepted.
INTERNAL_PHRASES = (
    "truth value of an", "unhashable type", "object is not iterable", "has no len()", "can't multiply sequence",
    "not supported between instances", "object is not subscriptable", "could not convert", "invalid literal",
    "cannot be interpreted as an integer", "Can only output finite numbers", "must be real number, not",
    "unsupported operand type", "object is not callable", "bad operand type", "argument must be",
    "takes no arguments", "positional argument", "keyword argument", "Invalid selection", "expected str, bytes",
    "embedded null", "unexpected keyword", "object has no attribute", "not enough values to unpack",
    "too many values to unpack", "math domain error", "Invalid format specifier", "Unknown format code",
    "non-finite", "ambiguous",
)
ACCEPTED_WORDS = ("accepted", "must", "expected", "choose", "give", "type ", "use ", "only", "need", "at least",
                  "at most", "should", "exist", "not a", "cannot", "empty", "is not", "not recognised", "unknown")


class Hang(BaseException):
    """A call ran past its time limit, or drained an endless iterable (BaseException: no ``except Exception`` eats it)."""


class Endless:
    """An iterable that never ends (``itertools.repeat``), except that it stops the walk after ``ENDLESS_LIMIT`` items."""

    def __init__(self, item: object):
        self.item, self.count = item, 0

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        self.count += 1
        if self.count > ENDLESS_LIMIT:
            raise Hang(f"read {ENDLESS_LIMIT:,} items of an endless iterable without stopping")
        return self.item

    def __repr__(self) -> str:
        return f"Endless({self.item!r})"


class _Opaque:
    def __repr__(self) -> str:
        return "<an object>"


# ---------------------------------------------------------------------------------------------
# Finding the callables
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Target:
    name: str  # "clinical.sledai2k_score", "cart_views.LineageView", "cart_views.LineageView.update"
    func: Callable
    params: list[inspect.Parameter]
    module: str
    owner: type | None = None  # the class whose instance a method needs


def _is_ours(obj: object) -> bool:
    return getattr(obj, "__module__", "").split(".")[0] == "widgets"


def _signature_params(func: Callable) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]


def public_callables() -> list[Target]:
    """Every public function, constructor and method of the package, once each.

    A method is listed under the public class that defines it (an inherited method is walked once,
    with the class that defines it, or with the first public subclass if that class is private).
    """
    import widgets

    seen: set[int] = set()
    targets: list[Target] = []
    classes: list[tuple[str, type]] = []
    for module_name in widgets.__all__:
        module = importlib.import_module(f"widgets.{module_name}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if id(obj) in seen or not callable(obj) or not _is_ours(obj):
                continue
            seen.add(id(obj))
            targets.append(Target(f"{module_name}.{name}", obj, _signature_params(obj), module_name))
            if inspect.isclass(obj):
                classes.append((f"{module_name}.{name}", obj))
    public_classes = {klass for _qual, klass in classes}
    for qual, obj in classes:
        for klass in obj.__mro__:
            if not _is_ours(klass) or (klass is not obj and klass in public_classes):
                continue
            for attr, value in sorted(vars(klass).items()):
                if attr.startswith("_") or not inspect.isfunction(value) or id(value) in seen:
                    continue
                seen.add(id(value))
                if getattr(value, "__isabstractmethod__", False):
                    continue
                targets.append(Target(f"{qual}.{attr}", value, _signature_params(value), qual.split(".")[0], owner=obj))
    return targets


def vocabulary(module_name: str) -> list[str]:
    """Short strings from a module's public tables (keys, choices): words a valid call may need."""
    module = importlib.import_module(f"widgets.{module_name}")
    words: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str) and 0 < len(value) <= 40 and value not in words:
            words.append(value)

    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if isinstance(obj, dict) or hasattr(obj, "keys") and not inspect.isclass(obj) and not callable(obj):
            try:
                for key in list(obj.keys())[:60]:
                    add(key)
            except Exception:  # noqa: BLE001 - a table we cannot read is simply skipped
                pass
        elif isinstance(obj, (tuple, list, frozenset, set)):
            for item in list(obj)[:60]:
                add(item)
                if isinstance(item, tuple) and item:
                    add(item[0])
                key = getattr(item, "key", None)
                add(key)
    return words


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------
def _figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1.5))
    fig.add_subplot().plot([0, 1], [0, 1])
    return fig


def base_value(param: inspect.Parameter, scratch: str) -> object:
    """A value the parameter is likely to accept: its default, or a guess from its annotation."""
    if param.default is not inspect.Parameter.empty:
        return param.default
    ann = str(param.annotation)
    name = param.name
    if "Figure" in ann:
        return _figure()
    if "PathLike" in ann or name in ("path", "out_dir"):
        return os.path.join(scratch, "walk.pdf" if name == "path" else "walk-out")
    if "bytes" in ann:
        from widgets import handouts

        return handouts.pdf_bytes(_figure())
    if "Sequence[Question]" in ann:
        from widgets.question import Question

        return [Question("Which?", ("a", "b"), 0, ("Right.", "Not this one."))]
    if "Mapping" in ann or "dict" in ann:
        return {}
    if "bool" in ann:
        return False
    if "int" in ann:
        return 1
    if "float" in ann:
        return 1.0
    if "tuple[str" in ann:
        return ("a", "b")
    if "tuple" in ann or "Iterable" in ann or "Sequence" in ann or "set" in ann:
        return ()
    if "str" in ann:
        return "a"
    return None


def edge_values(words: list[str], scratch: str) -> list[tuple[str, Callable[[], object]]]:
    """Generic bad or extreme values, each as (label, factory): factories give fresh iterators per call.

    Non-text values come first: a string is often a valid path, and writing a handout is slow.
    """
    a_file = os.path.join(scratch, "a-file")
    if not os.path.exists(a_file):
        with open(a_file, "w") as fh:
            fh.write("x")
    a_dir = os.path.join(scratch, "a-dir.pdf")
    os.makedirs(a_dir, exist_ok=True)
    some = (words + ["fever"])[:3]
    edges: list[tuple[str, Callable[[], object]]] = [
        ("None", lambda: None), ("True", lambda: True), ("False", lambda: False),
        ("0", lambda: 0), ("-1", lambda: -1), ("10**400", lambda: 10**400), ("-10**400", lambda: -10**400),
        ("2**63", lambda: 2**63), ("1e-320", lambda: 1e-320), ("1e308", lambda: 1e308), ("-1e308", lambda: -1e308),
        ("nan", lambda: math.nan), ("inf", lambda: math.inf), ("-inf", lambda: -math.inf),
        ("np.nan", lambda: np.float64("nan")), ("np.int64", lambda: np.int64(3)), ("np.float32", lambda: np.float32(2.5)),
        ("np.bool_", lambda: np.bool_(True)),
        ("empty array", lambda: np.array([])), ("array", lambda: np.array([1.0, 2.0])),
        ("word array", lambda: np.array(some[:1])),
        ("Fraction", lambda: fractions.Fraction(1, 3)), ("Decimal", lambda: decimal.Decimal("1.5")),
        ("Decimal nan", lambda: decimal.Decimal("NaN")), ("complex", lambda: 1 + 2j),
        ("bytes", lambda: b"abc"), ("[]", lambda: []), ("[None]", lambda: [None]), ("{}", lambda: {}),
        ("{word: nan}", lambda: {some[0]: math.nan}), ("{word: 10**400}", lambda: {some[0]: 10**400}),
        ("{word: None}", lambda: {some[0]: None}), ("{1: 1}", lambda: {1: 1}),
        ("set()", lambda: set()), ("object", _Opaque), ("function", lambda: (lambda: None)), ("Ellipsis", lambda: ...),
        ("[nan]", lambda: [math.nan]), ("[[word]]", lambda: [[some[0]]]), ("(word, word)", lambda: tuple(some[:2])),
        ("generator", lambda: (w for w in some)),
    ]
    edges += [(f"Endless({w!r})", (lambda w=w: Endless(w))) for w in some]
    edges += [
        ("NUL", lambda: "\x00"), ("long text", lambda: "x" * 10_000),
        ("under a file", lambda: os.path.join(a_file, "x.pdf")),
        ("long name", lambda: os.path.join(scratch, "n" * 300 + ".pdf")),
        ("missing folder", lambda: os.path.join(scratch, "missing", "x.pdf")), ("a folder.pdf", lambda: a_dir),
        ("abc", lambda: "abc"), ("'nan'", lambda: "nan"), ("'1e308'", lambda: "1e308"), ("'1,000'", lambda: "1,000"),
        ("unicode", lambda: "é∞\u202e"), ("", lambda: ""), (" ", lambda: " "),
    ]
    edges += [(repr(w), (lambda w=w: w)) for w in some]
    edges += [(repr(w.upper()), (lambda w=w: w.upper())) for w in some[:1]]
    return edges


# ---------------------------------------------------------------------------------------------
# Calling and judging
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Outcome:
    kind: str  # "ok", "refused", "fail"
    detail: str = ""
    seconds: float = 0.0


def _alarm(_signum, _frame):
    raise Hang("did not return in time")


def _contains_nan(value: object, inputs: set[int], depth: int = 0) -> bool:
    if depth > 4 or id(value) in inputs:
        return False
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and bool(np.isnan(value).any())
    if isinstance(value, np.floating):
        return bool(np.isnan(value))
    if isinstance(value, dict):
        return any(_contains_nan(v, inputs, depth + 1) for v in list(value.values())[:200])
    if isinstance(value, (list, tuple)):
        return any(_contains_nan(v, inputs, depth + 1) for v in list(value)[:200])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_contains_nan(getattr(value, f.name), inputs, depth + 1) for f in dataclasses.fields(value))
    return False


def _input_ids(value: object, out: set[int], depth: int = 0) -> set[int]:
    out.add(id(value))
    if depth < 3 and isinstance(value, (list, tuple, dict, set, frozenset)):
        for item in list(value.values() if isinstance(value, dict) else value)[:50]:
            _input_ids(item, out, depth + 1)
    return out


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?(?: (?:thousand|million|billion|trillion))?")
_VERDICT = re.compile(r" is (?:out of range|too (?:small|large|low|high|few|many))")


def _shown_equal_to_bound(message: str) -> bool:
    """True when the number refused is shown exactly like a bound it broke ("45 is out of range; accepted: 25 to 45")."""
    verdict = _VERDICT.search(message)
    accepted = message.find("accepted:", verdict.end() if verdict else 0)
    if not verdict or accepted < 0:
        return False
    before = _NUMBER.findall(message[max(0, verdict.start() - 80):verdict.start()])
    bounds = _NUMBER.findall(message[accepted:accepted + 120])[:2]
    return bool(before) and before[-1] in bounds


def message_problems(message: str, bad_value: object = None, named: bool = False) -> list[str]:
    """What is wrong with a refusal's message (an empty list: nothing)."""
    problems = []
    if not message.strip():
        return ["empty message"]
    if len(message) > MAX_MESSAGE_CHARS:
        problems.append(f"message of {len(message)} characters")
    internal = [p for p in INTERNAL_PHRASES if p in message]
    if internal:
        problems.append(f"Python-internal wording {internal[0]!r}")
    lowered = message.lower()
    if not any(w in lowered for w in ACCEPTED_WORDS):
        problems.append("does not say what is accepted")
    if _shown_equal_to_bound(message):
        problems.append("the value shown equals the bound it broke")
    if named and isinstance(bad_value, (int, float, str)) and not isinstance(bad_value, bool):
        shown = repr(bad_value)
        if 0 < len(shown) <= 30 and bad_value != "":
            texts = {shown, str(bad_value)}
            if isinstance(bad_value, (int, float)):
                texts |= {f"{bad_value:g}", f"{bad_value:,}"}
            if not any(t in message for t in texts):
                problems.append(f"does not name the value {shown}")
    return problems


def judge(func: Callable, kwargs: dict[str, Any], *, limit_s: float, bad: str | None = None) -> Outcome:
    """Call ``func(**kwargs)`` under a time limit and judge the result against the contract.

    ``bad`` names the parameter that holds the edge value, so the message must name that value.
    """
    inputs: set[int] = set()
    for v in kwargs.values():
        _input_ids(v, inputs)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit_s)
    start = time.perf_counter()
    try:
        result = func(**kwargs)
    except (ValueError, TypeError) as exc:
        elapsed = time.perf_counter() - start
        problems = message_problems(str(exc), kwargs.get(bad) if bad else None, named=bad is not None)
        if problems:
            return Outcome("fail", f"{type(exc).__name__} with a poor message ({'; '.join(problems)}): {str(exc)[:300]!r}",
                           elapsed)
        return Outcome("refused", type(exc).__name__, elapsed)
    except Hang as exc:
        return Outcome("fail", f"hang: {exc}", time.perf_counter() - start)
    except BaseException as exc:  # noqa: BLE001 - the point of the walk
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome("fail", f"{type(exc).__name__}: {str(exc)[:300]}", time.perf_counter() - start)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    try:
        if _contains_nan(result, inputs):
            return Outcome("fail", "returned a NaN", elapsed)
    except Exception as exc:  # noqa: BLE001
        return Outcome("fail", f"result could not be inspected: {type(exc).__name__}", elapsed)
    return Outcome("ok", "", elapsed)


def describe_call(name: str, kwargs: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
    return f"{name}({shown})"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------------------------------------
# Walking one callable
# ---------------------------------------------------------------------------------------------
_INSTANCES: dict[type, object] = {}


def _instance_of(owner: type, module_name: str, scratch: str) -> object | None:
    """An instance to call a method on (built once per class and kept)."""
    if owner not in _INSTANCES:
        made = _build_instance(owner, module_name, scratch)
        pending = list(owner.__subclasses__())
        while made is None and pending:  # a base class that cannot stand alone: use a subclass of the package
            sub = pending.pop(0)
            pending += sub.__subclasses__()
            if _is_ours(sub) and not sub.__name__.startswith("_"):
                made = _build_instance(sub, sub.__module__.split(".")[-1], scratch)
        _INSTANCES[owner] = made
    return _INSTANCES[owner]


def _build_instance(owner: type, module_name: str, scratch: str) -> object | None:
    """From the module's own tables, the class's defaults, or a call of a module function without arguments."""
    module = importlib.import_module(f"widgets.{module_name}")
    public = [getattr(module, n) for n in getattr(module, "__all__", ())]
    for obj in public:
        if isinstance(obj, owner):
            return obj
        items = list(obj.values()) if isinstance(obj, dict) else list(obj) if isinstance(obj, (tuple, list)) else []
        for item in items[:100]:
            if isinstance(item, owner):
                return item
    params = [p for p in _signature_params(owner) if p.default is inspect.Parameter.empty]
    for word in [None, *vocabulary(module_name)[:80]]:  # text fields filled with the module's own words in turn
        try:
            return owner(**{p.name: word if word is not None and "str" == str(p.annotation) else base_value(p, scratch)
                            for p in params})
        except Exception:  # noqa: BLE001 - try the next way
            continue
    for obj in public:
        if inspect.isfunction(obj) and all(p.default is not inspect.Parameter.empty for p in _signature_params(obj)):
            try:
                made = obj()
            except Exception:  # noqa: BLE001
                continue
            for item in (made if isinstance(made, (list, tuple)) else [made])[:100]:
                if isinstance(item, owner):
                    return item
    return None


@dataclasses.dataclass
class Report:
    target: str
    calls: int = 0
    refused: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)
    skipped: str = ""


def walk(target: Target, *, budget_s: float, scratch: str, limit_s: float = 120.0, examples: int = 10_000,
         seed: int = 0) -> Report:
    """Call ``target`` with every edge value per parameter, then hypothesis examples, until ``budget_s`` runs out."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    report = Report(target.name)
    if not target.params:
        report.skipped = "no parameters: no bad input can be given"
        return report
    deadline = time.monotonic() + budget_s
    func = target.func
    if target.owner is not None:
        instance = _instance_of(target.owner, target.module, scratch)
        if instance is None:
            report.skipped = "no instance could be built"
            return report
        func = getattr(instance, func.__name__)
    words = vocabulary(target.module)
    edges = edge_values(words, scratch)
    base = {p.name: base_value(p, scratch) for p in target.params}

    def record(kwargs: dict, bad: str | None) -> Outcome:
        outcome = judge(func, kwargs, limit_s=limit_s, bad=bad)
        report.calls += 1
        report.refused += outcome.kind == "refused"
        if outcome.kind == "fail" and len(report.failures) < 50:
            report.failures.append(f"{describe_call(target.name, kwargs)} -> {outcome.detail}")
        return outcome

    # The base call comes last (a valid call can be slow: writing every handout takes seconds), so
    # whether a refusal must name its value is decided afterwards: only when the base call is valid.
    unnamed: list[tuple[dict, str]] = []
    for param in target.params:
        for _label, make in edges:
            if report.calls and time.monotonic() > deadline:
                break
            kwargs = dict(base)
            kwargs[param.name] = make()
            outcome = record(kwargs, None)
            if outcome.kind == "refused" and len(unnamed) < 200:
                unnamed.append((kwargs, param.name))
    if time.monotonic() <= deadline and record(dict(base), None).kind == "ok":
        for kwargs, bad in unnamed:
            if time.monotonic() > deadline:
                break
            try:
                func(**kwargs)
            except (ValueError, TypeError) as exc:
                problems = message_problems(str(exc), kwargs[bad], named=True)
                if problems and len(report.failures) < 50:
                    report.failures.append(f"{describe_call(target.name, kwargs)} -> {type(exc).__name__} with a "
                                           f"poor message ({'; '.join(problems)}): {str(exc)[:300]!r}")
            except BaseException:  # noqa: BLE001 - already judged in the first pass
                pass
    if time.monotonic() > deadline:
        return report

    word = st.sampled_from(words or ["a"])
    bad_value = st.sampled_from(edges).map(lambda pair: pair[1]())
    anything = st.one_of(
        word, bad_value, st.integers(min_value=-(10**30), max_value=10**30), st.floats(), st.text(max_size=12),
        st.booleans(), st.none(), st.lists(word, max_size=4), st.frozensets(word, max_size=4),
        st.dictionaries(word, st.one_of(st.floats(), st.integers(), word), max_size=3),
    )
    strategy = st.fixed_dictionaries({p.name: st.one_of(st.just(base[p.name]), anything) for p in target.params})

    class _BudgetSpent(Exception):
        pass

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(strategy)
    def draw(kwargs):
        if time.monotonic() > deadline:
            raise _BudgetSpent  # hypothesis has no time budget: stop it by failing on purpose
        record(kwargs, None)

    try:
        draw()
    except _BudgetSpent:
        pass
    except Exception as exc:  # noqa: BLE001 - hypothesis gave up (e.g. too many filtered); keep what was walked
        report.failures.append(f"hypothesis stopped: {type(exc).__name__}: {exc}")
    return report


def main() -> int:  # python -m tests.fuzz_walk [seconds]: the long run behind `make fuzz`
    import sys
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    total = float(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "-v" else 300.0
    targets = [t for t in public_callables() if t.params]  # a callable without parameters takes no bad input
    calls = refused = 0
    failing: list[Report] = []
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, resource.getrlimit(resource.RLIMIT_AS)[1]))
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        os.chdir(scratch)
        for target in targets:
            if "-v" in sys.argv:
                print(f"... {target.name}", flush=True)
            report = walk(target, budget_s=total / len(targets), scratch=scratch)
            calls, refused = calls + report.calls, refused + report.refused
            if report.failures:
                failing.append(report)
                print(f"FAIL {target.name}: {len(report.failures)} failing call(s)", flush=True)
                for line in report.failures[:5]:
                    print(f"    {line}", flush=True)
    print(f"{len(targets)} callables walked, {calls:,} calls ({refused:,} refused with ValueError/TypeError), "
          f"{sum(len(r.failures) for r in failing)} failing calls in {len(failing)} callables.")
    return 1 if failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
