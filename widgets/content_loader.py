"""Read and check the course content kept as data in ``widgets/content/``.

The clinical content that code renders lives in YAML files a clinician can edit without writing
Python: the bibliography, the glossary, the self-check questions of each notebook, the steps of the
treatment journey, the care team, the candidate checklist, and the consent points and questions.
This module reads them and checks each entry against a small schema; the topic modules
(:mod:`widgets.references`, :mod:`widgets.glossary`, :mod:`widgets.process`, :mod:`widgets.decisions`
and the others) call it and keep their public names.

Every problem is a :class:`ContentError` (a ``ValueError``) that names the file, the entry and what
is accepted, e.g. ``glossary.yaml, entry 'CRS': unknown field 'defintion'; accepted fields: term,
definition, sources.`` ``make check-content`` prints every problem in every file at once.

Why YAML: it is what the anchor courses use for quizzes and metadata (the Galaxy Training Network),
it reads like the text it holds, and PyYAML's ``safe_load`` builds plain lists and dictionaries, never
objects. Duplicate keys inside one mapping are an error here (PyYAML would silently keep the last).

Nothing here imports ipywidgets or plots; reading a file happens on first use, not on import.
"""
from __future__ import annotations

import hashlib

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .validate import shown

__all__ = [
    "CONTENT_DIR",
    "ContentError",
    "Field",
    "content_dir",
    "read",
    "check_entries",
    "fill_placeholders",
    "bibliography",
    "glossary",
    "questions",
    "question_files",
    "journey",
    "care_team",
    "checklist",
    "consent",
    "refractory",
    "check_all",
]

CONTENT_DIR = Path(__file__).with_name("content")
# A test or a translator can point the course at another copy of the content folder.
CONTENT_DIR_ENV = "SLE_COURSE_CONTENT_DIR"


class ContentError(ValueError):
    """A content file or one of its entries breaks the schema; the message names both."""


def content_dir(directory: str | os.PathLike | None = None) -> Path:
    """The content folder: ``directory`` if given, else ``$SLE_COURSE_CONTENT_DIR``, else the package's own."""
    if directory is None:
        directory = os.environ.get(CONTENT_DIR_ENV) or CONTENT_DIR
    if not isinstance(directory, (str, os.PathLike)) or isinstance(directory, bytes):
        raise TypeError(f"directory must be a path or None; got {shown(directory)}.")
    path = Path(directory)
    try:
        is_dir = "\x00" not in str(path) and path.is_dir()
    except OSError as exc:  # a name too long for the file system, a folder we may not look into
        raise ValueError(f"content folder {shown(str(path))} cannot be read ({exc.strerror or exc}); accepted: "
                         "a folder holding the course's YAML files.") from None
    if not is_dir:
        raise ValueError(f"content folder {shown(str(path))} does not exist; accepted: a folder holding the course's YAML files.")
    return path


# --- Reading ---------------------------------------------------------------------------------------

class _StrictLoader(yaml.SafeLoader):
    """``safe_load`` that refuses a key written twice in one mapping."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ContentError(f"line {key_node.start_mark.line + 1}: the key {key!r} is written twice in one entry; "
                               "keep one.")
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime_ns: int, size: int) -> Any:
    text = Path(path).read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except ContentError as exc:
        raise ContentError(f"{Path(path).name}, {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" near line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(f"{Path(path).name}: not valid YAML{line} ({problem}). Check the indentation and that "
                           "text containing ': ' or starting with a quote is put in quotes.") from None


def read(name: str, directory: str | os.PathLike | None = None) -> Any:
    """Parse the YAML file ``name`` (relative to the content folder); re-read only when the file changes."""
    if not isinstance(name, str) or not name.endswith(".yaml"):
        raise ValueError(f"name must be a .yaml file name; got {shown(name)}.")
    path = content_dir(directory) / name
    try:
        if not path.is_file():
            raise ContentError(f"{name}: file not found in {path.parent}; accepted: a content folder that holds "
                               f"{name}.")
        stat = path.stat()
        return _read_cached(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{name}: cannot be read ({getattr(exc, 'strerror', None) or exc}); accepted: a UTF-8 "
                           "text file the course may read.") from None


# --- The schema ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One field of an entry: its accepted type(s), whether it must be there, and an extra check.

    ``check`` receives the value and returns an error sentence, or ``None`` when the value is fine.
    """

    types: type | tuple[type, ...]
    required: bool = True
    check: Callable[[Any], str | None] | None = None


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a set of named fields",
               bool: "true or false"}


def _type_words(types: type | tuple[type, ...]) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(_TYPE_WORDS.get(t, t.__name__) for t in types)


def _entry_name(entry: Any, key_field: str | None, index: int) -> str:
    key = entry.get(key_field) if key_field and isinstance(entry, Mapping) else None
    if isinstance(key, int) or isinstance(key, str) and key.strip():
        return f"entry {entry[key_field]!r}"
    return f"entry {index + 1}"


def check_entries(file: str, entries: Any, spec: Mapping[str, Field], key_field: str | None = None) -> list[dict]:
    """Check a list of entries against ``spec``; return them as dicts with absent optional fields omitted.

    Raises
    ------
    ContentError
        For the first entry that is not a mapping, has an unknown field, misses a required one, has a
        value of the wrong type or fails its field's check, or repeats the ``key_field`` of an earlier entry.
    """
    if not isinstance(file, str) or not 0 < len(file) <= 200:
        raise TypeError(f"file must be a content file name such as 'glossary.yaml'; got {shown(file)}.")
    if not isinstance(entries, list):
        raise ContentError(f"{file}: expected a list of entries (each starting with '- '); got {_type_words(type(entries))}.")
    seen: dict[Any, int] = {}
    out = []
    for i, entry in enumerate(entries):
        where = f"{file}, {_entry_name(entry, key_field, i)}"
        if not isinstance(entry, Mapping):
            raise ContentError(f"{where}: expected named fields ({', '.join(spec)}); got {shown(entry)}.")
        unknown = [k for k in entry if k not in spec]
        if unknown:
            raise ContentError(f"{where}: unknown field {unknown[0]!r}; accepted fields: {', '.join(spec)}.")
        for name, field in spec.items():
            if name not in entry or entry[name] is None:
                if field.required:
                    raise ContentError(f"{where}: the field {name!r} is missing; it must be {_type_words(field.types)}.")
                continue
            value = entry[name]
            types = field.types if isinstance(field.types, tuple) else (field.types,)
            if isinstance(value, bool) and bool not in types or not isinstance(value, types):
                raise ContentError(f"{where}: {shown(name)} must be {_type_words(field.types)}; got {shown(value)}.")
            if isinstance(value, str) and not value.strip():
                raise ContentError(f"{where}: {name!r} is empty; write the text or remove the field.")
            if field.check is not None:
                problem = field.check(value)
                if problem:
                    raise ContentError(f"{where}: {name!r} {problem}")
        if key_field:
            key = entry[key_field]
            if key in seen:
                raise ContentError(f"{where}: the {key_field} {key!r} is used twice (entries {seen[key] + 1} and "
                                   f"{i + 1}); each {key_field} must be unique.")
            seen[key] = i
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _list_of_text(value: Any) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty texts."
    return None


def _check_sources(file: str, entries: Iterable[Mapping], keys: set[str], key_field: str,
                   source_field: str = "sources") -> None:
    for entry in entries:
        for source in entry.get(source_field, ()):
            if source not in keys:
                raise ContentError(f"{file}, entry {entry[key_field]!r}: source {source!r} is not in "
                                   "bibliography.yaml; add it there or correct the key.")


_PLACEHOLDER = re.compile(r"\{((?:studies|reviews)\[[^\]{}]+\][^{}]*)\}")


def fill_placeholders(text: str, values: Mapping[str, Any], where: str) -> str:
    """Replace ``{studies[key].field}`` placeholders with numbers from the evidence table.

    So a question can quote a study's numbers without typing them a second time, e.g.
    ``Grade 1 CRS occurred in {studies[mueller2024].crs_by_grade[1]} of {studies[mueller2024].crs_any.N}``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {shown(text)} ({type(text).__name__}).")
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a mapping such as {{'studies': STUDIES}}; got {shown(values)}.")

    def one(match: re.Match) -> str:
        try:
            return ("{" + match.group(1) + "}").format(**values)
        except (KeyError, AttributeError, IndexError, TypeError, ValueError) as exc:
            raise ContentError(f"{where}: the placeholder {match.group(0)} cannot be filled ({exc!r}); write "
                               "{studies[<study key>].<field>} with a key of studies.yaml.") from None
    return _PLACEHOLDER.sub(one, text)


# --- The files ---------------------------------------------------------------------------------------

_BIBLIOGRAPHY_SPEC = {
    "key": Field(str), "label": Field(str), "authors": Field(str), "title": Field(str), "journal": Field(str),
    "year": Field(int, check=lambda y: None if 1800 <= y <= 2100 else "must be a year such as 2024."),
    "volume": Field((str, int), required=False), "pages": Field((str, int), required=False),
    "doi": Field(str, required=False), "url": Field(str, required=False), "pmid": Field((str, int), required=False),
    "kind": Field(str, required=False, check=lambda k: None if k in ("article", "congress abstract", "press release",
                                                                    "regulatory", "registry", "web page", "book")
                  else "must be one of: article, congress abstract, press release, regulatory, registry, web page, book."),
    "accessed": Field(str, required=False),
}


def bibliography(directory: str | os.PathLike | None = None) -> list[dict]:
    """The entries of ``bibliography.yaml``: key, label, authors, title, journal, year and optional details.

    Keys and labels are unique; an author list ending in "et al" is written without a full stop
    (the renderer adds one).
    """
    file = "bibliography.yaml"
    entries = check_entries(file, read(file, directory), _BIBLIOGRAPHY_SPEC, key_field="key")
    labels: dict[str, str] = {}
    for e in entries:
        if e["label"] in labels:
            raise ContentError(f"{file}, entry {e['key']!r}: the label {e['label']!r} is already used by "
                               f"{labels[e['label']]!r}; labels must be unique (add b, c... to the year).")
        labels[e["label"]] = e["key"]
        for name in ("volume", "pages", "pmid"):
            if name in e:
                e[name] = str(e[name])
    return entries


def _bibliography_keys(directory) -> set[str]:
    return {e["key"] for e in bibliography(directory)}


_GLOSSARY_SPEC = {"term": Field(str), "definition": Field(str), "sources": Field(list, required=False, check=_list_of_text)}


def glossary(directory: str | os.PathLike | None = None) -> list[dict]:
    """The entries of ``glossary.yaml`` in alphabetical order: term, definition and optional sources."""
    file = "glossary.yaml"
    entries = check_entries(file, read(file, directory), _GLOSSARY_SPEC, key_field="term")
    lower: dict[str, str] = {}
    for e in entries:
        if e["term"].lower() in lower:
            raise ContentError(f"{file}, entry {e['term']!r}: the same term as {lower[e['term'].lower()]!r} "
                               "apart from capitals; keep one.")
        lower[e["term"].lower()] = e["term"]
    for before, entry in zip(entries, entries[1:]):
        if entry["term"].lower() < before["term"].lower():
            raise ContentError(f"{file}, entry {entry['term']!r}: terms must be in alphabetical order (ignoring "
                               f"capitals), but it comes after {before['term']!r}; move it to its place.")
    _check_sources(file, entries, _bibliography_keys(directory), "term")
    return entries


_OPTION_SPEC = {"text": Field(str), "why": Field(str)}
_QUESTION_SPEC = {"question": Field(str), "options": Field(list), "answer": Field(str)}


def question_files(directory: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The notebooks that have a questions file, e.g. ``("01_sle", "02_cart_principles", ...)``."""
    return tuple(sorted(p.stem for p in (content_dir(directory) / "questions").glob("*.yaml")))


def questions(notebook: str, directory: str | os.PathLike | None = None,
              values: Mapping[str, Any] | None = None) -> list[dict]:
    """The self-check questions of ``notebook`` (e.g. ``"05_decisions"``) from ``questions/<notebook>.yaml``.

    Each question has a ``question``, two or more ``options`` (each with its ``text`` and ``why``: why it
    is right or wrong) and the ``answer``, written as the exact text of the right option. Returned as
    dicts with ``prompt``, ``options``, ``correct`` (index) and ``explanations``, ready for
    :class:`widgets.question.Question`. ``values`` fills ``{studies[...]...}`` placeholders.
    """
    if not isinstance(notebook, str):
        raise TypeError(f"notebook must be a notebook name such as '05_decisions'; got {shown(notebook)}.")
    available = question_files(directory)
    if notebook not in available:
        raise ValueError(f"no questions file for {shown(notebook)}; accepted: {', '.join(available)}.")
    file = f"questions/{notebook}.yaml"
    entries = check_entries(file, read(file, directory), _QUESTION_SPEC)
    out = []
    for i, q in enumerate(entries):
        where = f"{file}, question {i + 1}"
        options = check_entries(where, q["options"], _OPTION_SPEC, key_field="text")
        if len(options) < 2:
            raise ContentError(f"{where}: needs at least two options; got {len(options)}.")
        options = shown_order(q["question"], options)
        texts = [o["text"] for o in options]
        if q["answer"] not in texts:
            raise ContentError(f"{where}: the answer {q['answer']!r} is not among its options; write the exact text "
                               f"of one of: {'; '.join(repr(t) for t in texts)}.")
        fill = (lambda s: fill_placeholders(s, values, where)) if values else (lambda s: s)
        out.append({
            "prompt": fill(q["question"]),
            "options": tuple(fill(t) for t in texts),
            "correct": texts.index(q["answer"]),
            "explanations": tuple(fill(o["why"]) for o in options),
        })
    return out


def shown_order(question: str, options: list[dict]) -> list[dict]:
    """The options in the order a learner sees them: a shuffle fixed by the question's and options' words.

    Authors tend to write the right answer first; shown in file order, its place would give it away.
    The order depends only on the texts (a SHA-256 of question and option), so it is the same on every
    run, in every edition and on the website, and changes only when the words change.
    """
    def key(option):
        return hashlib.sha256(f"{question}\0{option['text']}".encode("utf-8")).hexdigest()
    return sorted(options, key=key)


_STAGES = ("collect", "engineer", "expand", "infuse", "patient")
_PLACES = ("patient", "laboratory")
_JOURNEY_SPEC = {
    "key": Field(str), "name": Field(str),
    "stage": Field(str, check=lambda s: None if s in _STAGES else f"must be one of: {', '.join(_STAGES)}."),
    "place": Field(str, check=lambda s: None if s in _PLACES else f"must be one of: {', '.join(_PLACES)}."),
    "what": Field(str), "where": Field(str), "who": Field(str), "how_long": Field(str), "can_go_wrong": Field(str),
    "sources": Field(list, required=False, check=_list_of_text),
}


def journey(directory: str | os.PathLike | None = None) -> list[dict]:
    """The steps of the treatment journey from ``journey.yaml``, in order."""
    file = "journey.yaml"
    entries = check_entries(file, read(file, directory), _JOURNEY_SPEC, key_field="key")
    _check_sources(file, entries, _bibliography_keys(directory), "key")
    return entries


_LEVELS = ("leads", "involved", "on call")
_TASK_SPEC = {
    "step": Field(str), "level": Field(str, check=lambda s: None if s in _LEVELS else f"must be one of: {', '.join(_LEVELS)}."),
    "task": Field(str),
}
_ROLE_SPEC = {"key": Field(str), "label": Field(str), "plain": Field(str), "tasks": Field(list),
              "sources": Field(list, required=False, check=_list_of_text)}


def care_team(directory: str | os.PathLike | None = None) -> list[dict]:
    """The care team from ``care_team.yaml``: each role with its task at the journey steps it takes part in.

    Every task names a step of ``journey.yaml`` and a level: leads, involved or on call.
    """
    file = "care_team.yaml"
    roles = check_entries(file, read(file, directory), _ROLE_SPEC, key_field="key")
    steps = [s["key"] for s in journey(directory)]
    for role in roles:
        where = f"{file}, entry {role['key']!r}"
        tasks = check_entries(f"{where}, tasks", role["tasks"], _TASK_SPEC, key_field="step")
        for task in tasks:
            if task["step"] not in steps:
                raise ContentError(f"{where}: the step {task['step']!r} is not a step of journey.yaml; accepted: "
                                   f"{', '.join(steps)}.")
        role["tasks"] = {t["step"]: (t["level"], t["task"]) for t in tasks}
    _check_sources(file, roles, _bibliography_keys(directory), "key")
    return roles


_CHECKLIST_SPEC = {
    "key": Field(str), "question": Field(str), "why": Field(str),
    "usual_in_trials": Field(str, check=lambda s: None if s in ("yes", "no") else "must be yes or no (in quotes: 'yes')."),
    "discuss": Field(str),
}


def checklist(directory: str | os.PathLike | None = None) -> list[dict]:
    """The candidate checklist's items from ``checklist.yaml``, in order."""
    file = "checklist.yaml"
    return check_entries(file, read(file, directory), _CHECKLIST_SPEC, key_field="key")


_CONSENT_SPEC = {"points": Field(list, check=_list_of_text), "questions": Field(list)}
_ASK_SPEC = {"topic": Field(str), "question": Field(str)}


def consent(directory: str | os.PathLike | None = None) -> dict:
    """The consent points and the questions to ask the care team, from ``consent.yaml``.

    Returns ``{"points": [text, ...], "questions": [(topic, question), ...]}``.
    """
    file = "consent.yaml"
    data = read(file, directory)
    (top,) = check_entries(file, [data], _CONSENT_SPEC)
    asks = check_entries(f"{file}, questions", top["questions"], _ASK_SPEC, key_field="question")
    return {"points": list(top["points"]), "questions": [(a["topic"], a["question"]) for a in asks]}


_REFRACTORY_SPEC = {"key": Field(str), "study": Field(str), "source": Field(str), "ages": Field(str),
                    "activity": Field(str), "prior_treatment": Field(str), "other": Field(str)}


def refractory(directory: str | os.PathLike | None = None) -> list[dict]:
    """How trials define refractory lupus, from ``refractory.yaml``; each source is a bibliography key."""
    file = "refractory.yaml"
    entries = check_entries(file, read(file, directory), _REFRACTORY_SPEC, key_field="key")
    keys = _bibliography_keys(directory)
    for e in entries:
        if e["source"] not in keys:
            raise ContentError(f"{file}, entry {e['key']!r}: source {e['source']!r} is not in bibliography.yaml; "
                               "add it there or correct the key.")
    return entries


# --- Everything at once ------------------------------------------------------------------------------

_GLOSSARY_LINK = re.compile(r"\]\(glossary\.ipynb#([^)\s]+)\)")


def check_all(directory: str | os.PathLike | None = None,
              notebooks: str | os.PathLike | None = None) -> list[str]:
    """Check every content file (and, if ``notebooks`` is a folder, every glossary link in its notebooks).

    Returns one plain sentence per problem; an empty list means everything is in order.
    """
    if notebooks is not None and (not isinstance(notebooks, (str, os.PathLike)) or isinstance(notebooks, bytes)):
        raise TypeError(f"notebooks must be a folder or None; got {shown(notebooks)}.")
    content_dir(directory)  # refuses a bad folder once, plainly
    problems: list[str] = []
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("bibliography.yaml", lambda: bibliography(directory)),
        ("glossary.yaml", lambda: glossary(directory)),
        ("journey.yaml", lambda: journey(directory)),
        ("care_team.yaml", lambda: care_team(directory)),
        ("checklist.yaml", lambda: checklist(directory)),
        ("consent.yaml", lambda: consent(directory)),
        ("refractory.yaml", lambda: refractory(directory)),
    ]
    checks += [(f"questions/{nb}.yaml", lambda nb=nb: questions(nb, directory)) for nb in question_files(directory)]

    def studies():  # the evidence table has its own, larger schema (widgets/evidence_data.py)
        from .evidence_data import load_studies

        load_studies(content_dir(directory) / "studies.yaml")
    checks.append(("studies.yaml", studies))
    for _name, check in checks:
        try:
            check()
        except ContentError as exc:
            problems.append(str(exc))
    if notebooks is not None:
        try:
            anchors = {term_anchor(e["term"]) for e in glossary(directory)}
        except ContentError:
            anchors = None
        if anchors is not None:
            import json

            try:
                found = sorted(Path(notebooks).glob("*.ipynb"))
            except OSError as exc:
                raise ValueError(f"notebooks folder {shown(str(notebooks))} cannot be read ({exc.strerror or exc}); "
                                 "accepted: the course's notebooks folder.") from None
            for nb in found:
                cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
                text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
                for target in _GLOSSARY_LINK.findall(text):
                    if target not in anchors:
                        problems.append(f"{nb.name}: links the glossary term '#{target}', which glossary.yaml does "
                                        "not define; add the term or correct the link.")
    return problems


def term_anchor(term: str) -> str:
    """The heading anchor of a glossary term: its text with spaces as hyphens (JupyterLab's rule)."""
    return term.replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.content_loader``: print every problem in the content files; exit 1 if any."""
    import sys

    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    problems = check_all(notebooks=notebooks if notebooks.is_dir() else None)
    folder = content_dir()
    if problems:
        print(f"{len(problems)} problem(s) in the course content ({folder}):", file=sys.stderr)
        for p in problems:
            print(" -", p, file=sys.stderr)
        return 1
    print(f"All content files in {folder} are in order.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
