"""The patient edition: built from the same notebooks by audience tags, readable at grade 8, with its own
self-check in plain words."""
import statistics

import nbformat
import pytest

from canonical_notebooks import NOTEBOOK_DIR, notebooks
from widgets import content_loader, editions

LESSONS = notebooks(lessons_only=True)
MEDIAN_GRADE_MAX = 8.0  # Flesch-Kincaid grade: the course's target for plain words
PARAGRAPH_GRADE_MAX = 10.0


def _md(text, tags=None):
    cell = nbformat.v4.new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = tags
    return cell


def _code(text, tags=None):
    cell = nbformat.v4.new_code_cell(text)
    if tags:
        cell.metadata["tags"] = tags
    return cell


# --- the rules ---------------------------------------------------------------------------------------

def test_audience_follows_the_course_conventions():
    assert editions.audience(_md("## 1. What SLE is\n\n**In plain words.** Lupus is...")) == "audience-all"
    assert editions.audience(_md("**For clinicians.** SLE is a loss of tolerance...")) == "audience-clinician"
    assert editions.audience(_md("## Learning objectives\n\n1. ...")) == "audience-all"
    assert editions.audience(_code("import widgets\nfrom widgets import sle")) == "audience-all"
    assert editions.audience(_code("sle_views.PathogenesisView()")) == "audience-all"
    assert editions.audience(_code("clinical_views.Sledai2kView()")) == "audience-clinician"
    assert editions.audience(_code("# NBVAL_CHECK_OUTPUT\nprint(clinical.sledai2k_report(...))")) == "audience-clinician"
    assert editions.audience(_code("# NBVAL_CHECK_OUTPUT\nprint(decisions.questions_text())")) == "audience-all"


def test_a_written_tag_wins_over_the_convention():
    assert editions.audience(_md("**For clinicians.** x", ["audience-all"])) == "audience-all"
    assert editions.audience(_code("clinical_views.CrsView()", ["audience-patient"])) == "audience-patient"
    with pytest.raises(ValueError, match="more than one audience tag"):
        editions.audience(_md("x", ["audience-all", "audience-clinician"]))


def test_mixed_cell_is_split_into_plain_words_then_depth():
    nb = nbformat.v4.new_notebook(cells=[_md("## 2. Anatomy\n\n**In plain words.** A CAR is a chain.\n\n"
                                             "**For clinicians.** The domains are...\n\nMore depth.")])
    assert editions.split_mixed_cells(nb) == 1
    assert [c.source for c in nb.cells] == ["## 2. Anatomy\n\n**In plain words.** A CAR is a chain.",
                                            "**For clinicians.** The domains are...\n\nMore depth."]
    assert [editions.audience(c) for c in nb.cells] == ["audience-all", "audience-clinician"]


def test_patient_notebook_keeps_only_cells_for_patients_and_says_which_edition_it_is():
    nb = nbformat.v4.new_notebook(cells=[
        _md("# Lupus"), _md("**In plain words.** Plain."), _md("**For clinicians.** Deep."),
        _code("clinical_views.Sledai2kView()"), _code("x", ["audience-patient"])])
    nb.metadata["title"] = "Lupus"
    out = editions.patient_notebook(nb, "01_sle.ipynb")
    assert [c.source for c in out.cells][0] == "# Lupus"
    assert "Patient edition" in out.cells[1].source and "](../01_sle.ipynb)" in out.cells[1].source
    assert [c.source for c in out.cells][2:] == ["**In plain words.** Plain.", "x"]
    assert out.metadata["title"] == "Lupus (patient edition)"
    assert len(nb.cells) == 5, "the source notebook is not changed"


def test_build_writes_every_page_and_refuses_to_overwrite_the_source(tmp_path):
    written = editions.build_patient_edition(NOTEBOOK_DIR, tmp_path / "patient")
    names = {p.name for p in written}
    assert {p.name for p in NOTEBOOK_DIR.glob("*.ipynb")} == names
    for lesson in LESSONS:
        full = nbformat.read(lesson, as_version=4)
        patient = nbformat.read(tmp_path / "patient" / lesson.name, as_version=4)
        assert len(patient.cells) < len(full.cells), f"{lesson.name}: the patient edition should be shorter"
        assert not any(editions.audience(c) == "audience-clinician" for c in patient.cells)
        assert "(patient edition)" in patient.metadata["title"]
    with pytest.raises(ValueError, match="another folder"):
        editions.build_patient_edition(NOTEBOOK_DIR, NOTEBOOK_DIR)


# --- readability --------------------------------------------------------------------------------------

def test_reading_grade_orders_easy_and_hard_text():
    easy = editions.reading_grade("The cat sat on the mat. It was warm. We went home.")
    hard = editions.reading_grade("Autologous chimeric antigen receptor T-cell immunotherapy necessitates "
                                  "lymphodepleting chemotherapy preceding administration.")
    assert easy < 3 < 12 < hard
    with pytest.raises(ValueError):
        editions.reading_grade("  ")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_plain_words_of_each_lesson_read_at_grade_8(path):
    nb = nbformat.read(path, as_version=4)
    editions.split_mixed_cells(nb)
    report = editions.readability_report(editions.patient_notebook(nb, path.name))
    assert report["grades"], f"{path.name} has no plain-words paragraph"
    assert report["median"] <= MEDIAN_GRADE_MAX, f"{path.name}: median grade {report['median']:.1f}"
    hard = [(round(g, 1), text[:80]) for g, text in report["grades"] if g > PARAGRAPH_GRADE_MAX]
    assert not hard, f"{path.name}: paragraphs above grade {PARAGRAPH_GRADE_MAX:g}: {hard}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_each_lesson_has_a_self_check_in_plain_words(path):
    name = f"{path.stem}_plain"
    assert name in content_loader.question_files(), f"add widgets/content/questions/{name}.yaml"
    questions = content_loader.questions(name)
    assert len(questions) >= 3
    grades = [editions.reading_grade(" ".join([q["prompt"], *q["options"], *q["explanations"]])) for q in questions]
    assert statistics.median(grades) <= MEDIAN_GRADE_MAX and max(grades) <= PARAGRAPH_GRADE_MAX, grades


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_a_tagged_lesson_marks_every_cell_with_one_audience(path):
    """Once a lesson is marked (python -m widgets.editions tag), every cell carries exactly one audience tag."""
    cells = nbformat.read(path, as_version=4).cells
    counts = [sum(t in editions.AUDIENCES for t in c.metadata.get("tags", [])) for c in cells]
    if any(counts):
        missing = [i for i, n in enumerate(counts) if n != 1]
        assert not missing, (f"{path.name}: cells {missing} need exactly one of {editions.AUDIENCES}; "
                             f"run `python -m widgets.editions tag notebooks/{path.name}` and review the tags")
