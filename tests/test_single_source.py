"""Numbers from the SLE CAR-T studies are typed once, in widgets/evidence.py, and read from there elsewhere."""
import re
from pathlib import Path

from widgets import evidence, kinetics, process

WIDGETS = Path(__file__).resolve().parent.parent / "widgets"
STUDY_LABELS = r"(Mackensen|M[uü]ller|Mueller|Wang|Feng) 20\d\d"
# A named constant assigned a bare number whose comment credits an SLE CAR-T study.
TYPED_AGAIN = re.compile(rf"^\s*[A-Z][A-Z0-9_]*\s*(:[^=]+)?=\s*[-+0-9.e_]+\s*#.*{STUDY_LABELS}", re.M)


def test_no_study_number_is_typed_outside_the_evidence_table():
    offenders = []
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name == "evidence.py":
            continue
        offenders += [f"{path.name}: {m.group(0).strip()}" for m in TYPED_AGAIN.finditer(path.read_text())]
    assert not offenders, "read these from widgets.evidence.STUDIES instead:\n" + "\n".join(offenders)


def test_pattern_catches_a_retyped_number():
    assert TYPED_AGAIN.search("B_CELL_RETURN_DAYS = 110  # Mackensen 2022, mean")


def test_models_use_the_table():
    row = evidence.STUDIES["mackensen2022"]
    assert kinetics.PUBLISHED_B_CELL_RETURN_DAYS == row.b_cell_return_days_mean
    assert kinetics.DEFAULT_DOSE_CELLS_PER_KG == row.dose_cells_per_kg == process.DEFAULT_TARGET_DOSE_CELLS_PER_KG
    assert process.B_CELL_APLASIA_DAYS == row.b_cell_return_days_mean
