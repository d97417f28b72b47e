"""Layer 1 and 2 for the shared parts: validation, style, figures, self-check, bibliography."""
import subprocess
import sys

import ipywidgets
import pytest
from matplotlib.figure import Figure

from widgets import figure, references, selfcheck, style, validate


# --- importing changes nothing ---------------------------------------------------------

def test_import_has_no_side_effects():
    code = (
        "import sys, matplotlib, random; before = dict(matplotlib.rcParams); state = random.getstate();"
        "import widgets;"
        "assert dict(matplotlib.rcParams) == before, 'rcParams changed';"
        "assert random.getstate() == state, 'random state changed';"
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported';"
        "assert not [m for m in sys.modules if m.startswith('widgets.')], 'submodules imported'"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "", "import printed something"


def test_unknown_attribute_names_what_exists():
    import widgets

    with pytest.raises(AttributeError, match="available"):
        widgets.no_such_module  # noqa: B018


# --- validation -------------------------------------------------------------------------

def test_require_number_accepts_bounds_inclusive():
    assert validate.require_number("x", 0, minimum=0, maximum=1) == 0.0
    assert validate.require_number("x", 1, minimum=0, maximum=1) == 1.0


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan"), float("inf")])
def test_require_number_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="x"):
        validate.require_number("x", bad, minimum=0, maximum=1)


@pytest.mark.parametrize("bad", ["3", True, None, [1]])
def test_require_number_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="must be a number"):
        validate.require_number("x", bad)


def test_require_number_message_names_value_unit_and_range():
    with pytest.raises(ValueError) as info:
        validate.require_number("platelets", 5000, minimum=0, maximum=2000, unit="x10^9/L")
    msg = str(info.value)
    assert "platelets = 5000 x10^9/L" in msg and "0 to 2000 x10^9/L" in msg


def test_require_number_allows_none_only_when_asked():
    assert validate.require_number("x", None, allow_none=True) is None
    with pytest.raises(TypeError):
        validate.require_number("x", None)


def test_require_int_and_bool():
    assert validate.require_int("n", 3, minimum=0) == 3
    with pytest.raises(TypeError):
        validate.require_int("n", 3.0)
    with pytest.raises(TypeError):
        validate.require_bool("flag", 1)
    assert validate.require_bool("flag", False) is False


def test_require_choice_lists_accepted():
    with pytest.raises(ValueError, match="accepted: 'a', 'b'"):
        validate.require_choice("mode", "c", ["a", "b"])


def test_require_keys_rejects_unknown_and_bare_strings():
    assert validate.require_keys("k", ["a"], {"a", "b"}) == {"a"}
    with pytest.raises(ValueError, match="'z'"):
        validate.require_keys("k", ["a", "z"], {"a", "b"})
    with pytest.raises(TypeError, match="collection"):
        validate.require_keys("k", "a", {"a"})
    with pytest.raises(TypeError):
        validate.require_keys("k", [1], {"a"})


# --- style ------------------------------------------------------------------------------

def test_palette_is_okabe_ito_and_style_applies_it():
    import matplotlib

    with style.course_style():
        cycle = [c.upper() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
    okabe = {c.upper() for c in style.OKABE_ITO.values()}
    assert cycle and set("#" + c.lstrip("#") for c in cycle) <= okabe


def test_no_rainbow_colormap_in_style():
    text = style.STYLE_PATH.read_text()
    assert "jet" not in text and "rainbow" not in text


# --- figures ----------------------------------------------------------------------------

def test_figure_html_carries_alt_text_and_png():
    fig, ax = figure.new_figure()
    ax.plot([0, 1], [0, 1])
    out = figure.figure_html(fig, 'A "line" rising')
    assert 'alt="A &quot;line&quot; rising"' in out
    assert "data:image/png;base64," in out


def test_figure_html_refuses_missing_alt():
    fig, _ = figure.new_figure()
    with pytest.raises(ValueError, match="text alternative"):
        figure.figure_html(fig, "  ")


class _Doubler(figure.FigureView):
    """A minimal view used to test the base class."""

    def __init__(self):
        self.figure, self.ax = figure.new_figure()
        (self.line,) = self.ax.plot([0, 1], [0, 1])
        super().__init__({"slope": ipywidgets.FloatText(value=1.0)})

    def update(self):
        slope = validate.require_number("slope", self.controls["slope"].value, minimum=0, maximum=10)
        if slope == 7:
            raise RuntimeError("a bug")
        self.line.set_ydata([0, slope])
        return f"A line from 0 to {slope:g}."


def test_view_updates_artist_in_place_and_alt_text():
    view = _Doubler()
    line, first = view.line, view.image.value
    view.controls["slope"].value = 3.0
    assert view.line is line
    assert list(view.line.get_ydata()) == [0, 3.0]
    assert view.alt_text == "A line from 0 to 3."
    assert view.image.value != first


def test_view_shows_plain_message_on_bad_input_and_keeps_control_value():
    view = _Doubler()
    view.controls["slope"].value = 2.0
    shown = view.image.value
    view.controls["slope"].value = 50.0
    assert "slope = 50 is out of range; accepted: 0 to 10" in view.message_text
    assert view.controls["slope"].value == 50.0  # what the learner typed is kept
    assert view.image.value == shown  # last good picture stays
    view.controls["slope"].value = 4.0
    assert view.message_text == ""


def test_view_hides_unexpected_errors_behind_a_plain_message():
    view = _Doubler()
    view.controls["slope"].value = 7.0
    assert "could not be redrawn" in view.message_text
    assert "Traceback" not in view.message.value
    assert isinstance(view.last_error, RuntimeError)


def test_static_figure():
    fig, ax = figure.new_figure()
    ax.bar([0], [1])
    w = figure.StaticFigure(fig, "One bar.")
    assert 'alt="One bar."' in w.value and isinstance(w.figure, Figure)


# --- self-check ---------------------------------------------------------------------------

QUESTION = selfcheck.Question(
    prompt="2 + 2?", options=("3", "4"), correct=1, explanations=("Too small.", "Yes: 2 + 2 = 4.")
)


def test_question_validates_its_shape():
    with pytest.raises(ValueError, match="explanation"):
        selfcheck.Question("q", ("a", "b"), 0, ("only one",))
    with pytest.raises(ValueError, match="correct"):
        selfcheck.Question("q", ("a", "b"), 2, ("x", "y"))


def test_selfcheck_gives_feedback_for_every_option():
    check = selfcheck.SelfCheck([QUESTION])
    item = check.items[0]
    item.check.click()
    assert "Choose an answer first" in item.feedback.value
    item.choices.value = 0
    item.check.click()
    assert "Not quite" in item.feedback.value and "Too small." in item.feedback.value
    assert check.score == 0
    item.choices.value = 1
    item.check.click()
    assert "Correct" in item.feedback.value and check.score == 1


def test_selfcheck_verdict_never_outlives_the_answer_it_judged():
    check = selfcheck.SelfCheck([QUESTION])
    item = check.items[0]
    item.choices.value = 1
    item.check.click()
    assert "Correct" in item.feedback.value and check.score == 1
    item.choices.value = 0  # another answer: the old "Correct" would now be a lie
    assert item.feedback.value == "" and check.score == 0


def test_selfcheck_ships_the_rules_that_keep_long_options_apart():
    check = selfcheck.SelfCheck([QUESTION])
    header = check.children[0].value
    assert "<style>" in header and ".course-selfcheck .widget-radio-box label" in header and "height: auto" in header


def test_selfcheck_needs_questions():
    with pytest.raises(ValueError):
        selfcheck.SelfCheck([])


# --- bibliography -------------------------------------------------------------------------

def test_bibliography_entries_are_complete():
    labels = [r.label for r in references.BIBLIOGRAPHY.values()]
    assert len(labels) == len(set(labels)), "two references share a label"
    for key, ref in references.BIBLIOGRAPHY.items():
        assert ref.key == key
        assert ref.authors and ref.title and ref.journal and 1900 < ref.year < 2100
        assert ref.doi or ref.pmid or ref.url, f"{key} has no DOI, PMID or URL"


def test_references_markdown_sorted_and_linked():
    md = references.references_markdown(["mackensen2022", "gladman2002"])
    assert md.index("[Gladman 2002]") < md.index("[Mackensen 2022]")
    assert "https://doi.org/10.1038/s41591-022-02017-5" in md


def test_references_reject_unknown_keys():
    with pytest.raises(ValueError, match="nope"):
        references.references_markdown(["nope"])
    with pytest.raises(ValueError):
        references.cite("nope")
    assert references.cite("lee2019") == "[Lee 2019]"


def test_layout_is_recomputed_only_when_labels_change():
    view = _Doubler()
    first = view.ax.get_position().bounds
    view.controls["slope"].value = 2.0  # same labels: layout reused, axes do not move
    assert view.ax.get_position().bounds == first
    view.ax.set_ylabel("A much longer label that needs room [units]")
    view.controls["slope"].value = 3.0  # a label changed: layout recomputed, axes shift right
    assert view.ax.get_position().x0 > first[0]
