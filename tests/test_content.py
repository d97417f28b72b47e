"""The content files in widgets/content/: every file loads, each schema rule rejects its bad entry with a
message naming the file and the entry, and what the views show comes from the files."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from widgets import content_loader
from widgets.content_loader import ContentError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path):
    """A private copy of the content folder to break or edit."""
    folder = tmp_path / "content"
    shutil.copytree(content_loader.CONTENT_DIR, folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _term(entries, term):
    return next(e for e in entries if e["term"] == term)


# --- everything that ships loads ------------------------------------------------------------------------

def test_every_content_file_and_glossary_link_is_in_order():
    assert content_loader.check_all(notebooks=ROOT / "notebooks") == []


def test_every_yaml_file_in_the_folder_is_read_by_some_loader():
    files = {p.relative_to(content_loader.CONTENT_DIR).as_posix() for p in content_loader.CONTENT_DIR.rglob("*.yaml")}
    known = {"bibliography.yaml", "glossary.yaml", "journey.yaml", "care_team.yaml", "checklist.yaml", "consent.yaml",
             "refractory.yaml", "studies.yaml"} | {f"questions/{nb}.yaml" for nb in content_loader.question_files()}
    assert files <= known, f"files no loader reads: {sorted(files - known)}"


def test_check_content_command_says_all_is_well():
    run = subprocess.run([sys.executable, "-m", "widgets.content_loader"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "in order" in run.stdout


def test_check_content_command_lists_problems_in_plain_words(content):
    _edit(content, "glossary.yaml", lambda d: _term(d, "Anti-dsDNA").update(defintion="typo"))
    env = {**__import__("os").environ, content_loader.CONTENT_DIR_ENV: str(content)}
    run = subprocess.run([sys.executable, "-m", "widgets.content_loader"], capture_output=True, text=True, cwd=ROOT,
                         env=env)
    assert run.returncode == 1
    assert "glossary.yaml, entry 'Anti-dsDNA': unknown field 'defintion'" in run.stderr


# --- one test per schema rule ---------------------------------------------------------------------------

def test_unknown_field_is_named_with_the_accepted_fields(content):
    _edit(content, "journey.yaml", lambda d: d[0].update(duration="weeks"))
    with pytest.raises(ContentError, match=r"journey\.yaml, entry 'evaluation': unknown field 'duration'; "
                                           r"accepted fields: key, name"):
        content_loader.journey(content)


def test_missing_required_field(content):
    _edit(content, "checklist.yaml", lambda d: d[1].pop("why"))
    with pytest.raises(ContentError, match=r"checklist\.yaml, entry 'still_active': the field 'why' is missing"):
        content_loader.checklist(content)


def test_wrong_type(content):
    _edit(content, "bibliography.yaml", lambda d: d[0].update(year="twenty"))
    with pytest.raises(ContentError, match=r"bibliography\.yaml, entry 'tian2023': 'year' must be a whole number"):
        content_loader.bibliography(content)


def test_duplicate_key(content):
    _edit(content, "bibliography.yaml", lambda d: d.append(dict(d[0], label="Tian 2023b")))
    with pytest.raises(ContentError, match=r"the key 'tian2023' is used twice"):
        content_loader.bibliography(content)


def test_duplicate_label(content):
    _edit(content, "bibliography.yaml", lambda d: d.append(dict(d[0], key="tian2023x")))
    with pytest.raises(ContentError, match=r"entry 'tian2023x': the label 'Tian 2023' is already used by 'tian2023'"):
        content_loader.bibliography(content)


def test_a_key_written_twice_in_one_entry_is_refused(content):
    path = content / "checklist.yaml"
    path.write_text("- key: a\n  key: b\n  question: q\n  why: w\n  usual_in_trials: 'yes'\n  discuss: d\n")
    with pytest.raises(ContentError, match=r"checklist\.yaml, line 2: the key 'key' is written twice"):
        content_loader.checklist(content)


def test_broken_yaml_is_reported_with_its_line(content):
    (content / "consent.yaml").write_text("points:\n  - one\n questions: [\n")
    with pytest.raises(ContentError, match=r"consent\.yaml: not valid YAML near line"):
        content_loader.consent(content)


def test_answer_must_be_one_of_the_options(content):
    _edit(content, "questions/01_sle.yaml", lambda d: d[0].update(answer="None of these"))
    with pytest.raises(ContentError, match=r"questions/01_sle\.yaml, question 1: the answer 'None of these' is not "
                                           r"among its options"):
        content_loader.questions("01_sle", content)


def test_question_needs_two_options(content):
    _edit(content, "questions/02_cart_principles.yaml", lambda d: d[0].update(options=d[0]["options"][:1],
                                                                               answer=d[0]["options"][0]["text"]))
    with pytest.raises(ContentError, match=r"question 1: needs at least two options"):
        content_loader.questions("02_cart_principles", content)


def test_every_option_needs_its_explanation(content):
    _edit(content, "questions/03_process.yaml", lambda d: d[0]["options"][1].pop("why"))
    with pytest.raises(ContentError, match=r"question 1, entry .*: the field 'why' is missing"):
        content_loader.questions("03_process", content)


def test_glossary_source_must_be_in_the_bibliography(content):
    _edit(content, "glossary.yaml", lambda d: _term(d, "Anti-dsDNA").update(sources=["nosuchpaper2030"]))
    with pytest.raises(ContentError, match=r"glossary\.yaml, entry 'Anti-dsDNA': source 'nosuchpaper2030' is not in "
                                           r"bibliography\.yaml"):
        content_loader.glossary(content)


def test_glossary_must_stay_alphabetical(content):
    _edit(content, "glossary.yaml", lambda d: d.append({"term": "Aardvark", "definition": "Not a lupus term."}))
    with pytest.raises(ContentError, match=r"entry 'Aardvark': terms must be in alphabetical order"):
        content_loader.glossary(content)


def test_a_glossary_term_linked_but_not_defined(content, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "x.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": '
                                       '"See [storm](glossary.ipynb#Cytokine-storm)."}]}')
    problems = content_loader.check_all(content, notebooks)
    assert problems == ["x.ipynb: links the glossary term '#Cytokine-storm', which glossary.yaml does not define; "
                        "add the term or correct the link."]


def test_care_team_task_must_name_a_journey_step(content):
    _edit(content, "care_team.yaml", lambda d: d[1]["tasks"].append({"step": "holiday", "level": "leads", "task": "x"}))
    with pytest.raises(ContentError, match=r"care_team\.yaml, entry 'rheumatologist': the step 'holiday' is not a "
                                           r"step of journey\.yaml"):
        content_loader.care_team(content)


def test_care_team_level_is_one_of_three(content):
    _edit(content, "care_team.yaml", lambda d: d[0]["tasks"][0].update(level="sometimes"))
    with pytest.raises(ContentError, match=r"'level' must be one of: leads, involved, on call"):
        content_loader.care_team(content)


def test_checklist_usual_answer_is_yes_or_no(content):
    _edit(content, "checklist.yaml", lambda d: d[0].update(usual_in_trials="maybe"))
    with pytest.raises(ContentError, match=r"entry 'diagnosis': 'usual_in_trials' must be yes or no"):
        content_loader.checklist(content)


def test_refractory_definition_needs_a_known_source(content):
    _edit(content, "refractory.yaml", lambda d: d[0].update(source="nct00000000"))
    with pytest.raises(ContentError, match=r"refractory\.yaml, entry '.*': source 'nct00000000' is not in bibliography"):
        content_loader.refractory(content)


def test_empty_text_is_refused(content):
    _edit(content, "consent.yaml", lambda d: d["questions"][0].update(question="  "))
    with pytest.raises(ContentError, match=r"consent\.yaml, questions, entry 1: 'question' is empty"):
        content_loader.consent(content)


def test_placeholder_with_an_unknown_study_is_named():
    with pytest.raises(ContentError, match=r"q1: the placeholder \{studies\[nosuch\]\.n\} cannot be filled"):
        content_loader.fill_placeholders("{studies[nosuch].n} patients", {"studies": {}}, "q1")
    assert content_loader.fill_placeholders("{x} and {studies[a]}", {"studies": {"a": 5}}, "q") == "{x} and 5"


def test_unknown_notebook_and_missing_folder_are_plain_errors(tmp_path):
    with pytest.raises(ValueError, match="accepted: 01_sle"):
        content_loader.questions("99_nothing")
    with pytest.raises(ValueError, match="does not exist"):
        content_loader.glossary(tmp_path / "absent")


# --- what the course shows comes from the files ----------------------------------------------------------

def test_an_edited_question_appears_in_the_self_check_widget(content):
    from widgets.question import Question
    from widgets.selfcheck import SelfCheck

    def change(data):
        data[0]["question"] = "Which organ did the nurse educator ask about?"
    _edit(content, "questions/01_sle.yaml", change)
    questions = tuple(Question(**q) for q in content_loader.questions("01_sle", content))
    view = SelfCheck(questions)
    shown = [w.value for w in _walk(view) if isinstance(getattr(w, "value", None), str)]
    assert any("Which organ did the nurse educator ask about?" in text for text in shown)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


VIEW_FROM_EDITED_FILES = """
import widgets.decisions as d, widgets.glossary as g, widgets.references as r
from widgets.decisions_views import CareTeamView
view = CareTeamView()
print([t.get_text() for t in view.figure.axes[0].get_yticklabels()][5])
print(g.lookup("Anti-dsDNA").definition)
print("Edited A, et al. Global epidemiology" in r.BIBLIOGRAPHY["tian2023"].markdown())
"""


def test_edits_to_the_files_reach_the_views(content):
    _edit(content, "care_team.yaml", lambda d: d[5].update(label="Lupus nurse specialist"))
    _edit(content, "glossary.yaml", lambda d: _term(d, "Anti-dsDNA").update(definition="Edited by a rheumatologist."))
    _edit(content, "bibliography.yaml", lambda d: d[0].update(authors="Edited A, et al"))
    env = {**__import__("os").environ, content_loader.CONTENT_DIR_ENV: str(content), "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, "-c", VIEW_FROM_EDITED_FILES], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["Lupus nurse specialist", "Edited by a rheumatologist.", "True"]


def test_check_all_covers_the_evidence_table(content):
    path = content / "studies.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nsurprise_field: true\n", encoding="utf-8")
    problems = content_loader.check_all(content)
    assert any("studies.yaml" in p for p in problems), problems


# --- the place of the right answer gives nothing away ----------------------------------------------------

def test_options_are_shown_in_an_order_fixed_by_their_words_not_by_the_file(content):
    before = content_loader.questions("03_process", content)

    def reverse(data):
        for q in data:
            q["options"].reverse()
    _edit(content, "questions/03_process.yaml", reverse)
    after = content_loader.questions("03_process", content)
    assert [q["options"] for q in after] == [q["options"] for q in before]
    assert [q["correct"] for q in after] == [q["correct"] for q in before]
    for q in after:  # each explanation still belongs to its option
        raw = {o["text"]: o["why"] for o in next(d for d in yaml.safe_load(
            (content / "questions/03_process.yaml").read_text()) if d["question"] == q["prompt"])["options"]}
        assert all(raw[t] == why for t, why in zip(q["options"], q["explanations"]) if "{" not in t + why)


def test_the_right_answer_is_not_always_in_the_same_place():
    places = []
    for name in content_loader.question_files():
        file_places = [q["correct"] for q in content_loader.questions(name)]
        if len(file_places) >= 3:
            assert len(set(file_places)) > 1, f"questions/{name}.yaml: the right answer is always option {file_places[0] + 1}"
        places += file_places
    first = places.count(0) / len(places)
    assert first < 0.5, f"the right answer is the first option in {first:.0%} of {len(places)} questions"
