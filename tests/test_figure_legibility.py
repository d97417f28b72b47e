"""Every figure of the course can be read, in every control state swept (issue 18, item 3).

For every interactive figure (each public :class:`~widgets.figure.FigureView` subclass in
``widgets.*_views``, found by introspection) and every static figure (each function there that returns a
:class:`~widgets.figure.StaticFigure`), the sweep shows control states and checks every text the figure
draws (``tests/legibility.py`` says how each is measured):

* **not clipped**: inside the canvas, and inside its clip box if it has one;
* **not overprinted**: no two texts overlap, and no legend covers a text that is not its own;
* **large enough**: at least 9 points in the figure. Why points in the figure are the measure: the
  pictures are 100-dpi PNGs shown in an ``<img>`` at their natural pixel size (``max-width: 100%`` only
  shrinks a picture wider than the lesson column; at 1366 px every course figure, 750 to 1100 px wide,
  fits, as the accessibility review measured in JupyterLab and Voila; a learner on a narrower screen
  opens the picture at full size with a click, ``widgets.style.PAGE_SCRIPT``). At natural size one
  figure point is 100/72 image pixels = 100/96 CSS points, so 9 points in the figure are shown at 9.4
  CSS points: the 9-point floor with 4 % to spare for a column a scrollbar narrows;
* **in enough contrast**: WCAG 2.x AA, 4.5:1, or 3:1 for large text (18 pt, or 14 pt bold, as shown),
  the text colour against the pixels the figure draws under the text (its own box's face where it has
  one), for all but 10 % of the text's box.

States swept: every combination of the controls' values where there are at most ``LEGIBILITY_STATES``
(12 by default: every option of a view with one control), else every value of each control alone and
seeded random combinations, ``LEGIBILITY_STATES`` in all. ``make legibility`` sweeps 150 states per view
and prints every problem with its state.

Colour is never the only carrier of meaning: where a figure tells categories apart by fill colour, the
artists also carry a hatch, a marker, a line style or the category's name, and a test below fails if
that second carrier is taken away.
"""
from __future__ import annotations

import os

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from tests import legibility
from widgets import style

STATES = int(os.environ.get("LEGIBILITY_STATES", "12"))
VIEWS = legibility.view_classes()


@pytest.fixture(autouse=True)
def _course_style():
    with style.course_style():
        yield


@pytest.mark.parametrize("name", sorted(legibility.static_figures()))
def test_every_static_figure_is_legible(name):
    fig = legibility.static_figures()[name]
    found, texts = legibility.problems(fig)
    assert texts >= 5
    assert not found, f"{name}:\n" + "\n".join(found)


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.__name__)
def test_every_view_is_legible_in_every_state_swept(cls):
    found, states, texts = legibility.sweep_view(cls, STATES)
    assert states >= 2, f"{cls.__name__}: the sweep showed {states} state(s)"
    assert texts >= 5 * states
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])


def test_the_sweep_finds_every_figure():
    names = {c.__name__ for c in VIEWS}
    assert {"CareTeamView", "SafetyComparisonView", "TreatmentLadderView", "JourneyView", "KineticsView"} <= names
    assert "recognition_figure" in legibility.static_figures()


# --- the checks can fail ---------------------------------------------------------------------------
def _figure() -> tuple[Figure, object]:
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_axis_off()
    return fig, ax


def _kinds(fig) -> list[str]:
    found, _ = legibility.problems(fig)
    return [line.split(":")[0] for line in found]


def test_white_on_vermillion_fails_and_black_on_it_passes():
    fig, ax = _figure()
    ax.add_patch(Rectangle((1, 1), 8, 3, facecolor=style.OKABE_ITO["vermillion"]))
    ax.text(5, 2.5, "CD3-zeta", ha="center", va="center", color="white", fontsize=11)
    assert _kinds(fig) == ["low contrast"]
    fig.axes[0].texts[0].set_color("black")
    assert _kinds(fig) == []


def test_a_label_on_its_own_box_is_judged_against_that_box():
    fig, ax = _figure()
    ax.add_patch(Rectangle((0, 0), 10, 10, facecolor=style.OKABE_ITO["blue"]))
    label = ax.text(5, 5, "met", color="white", fontsize=11, ha="center")
    assert _kinds(fig) == []  # white on Okabe-Ito blue: 5.0:1
    label.set_backgroundcolor(style.OKABE_ITO["orange"])
    assert _kinds(fig) == ["low contrast"]


def test_large_bold_text_needs_three_to_one_only():
    fig, ax = _figure()
    ax.text(1, 5, "Big", color="#D55E00", fontsize=14, fontweight="bold")  # 14 pt bold: 14.6 CSS pt shown, large
    assert _kinds(fig) == []
    ax.texts[0].set_fontweight("normal")
    assert _kinds(fig) == ["low contrast"]


def test_clipped_small_and_overprinted_text_fail():
    fig, ax = _figure()
    ax.text(9.5, 5, "runs off the right edge", fontsize=10)
    assert _kinds(fig) == ["clipped by the canvas edge"]
    ax.texts[0].remove()
    ax.text(1, 5, "tiny", fontsize=8)
    assert _kinds(fig) == ["too small"]
    ax.texts[0].set_fontsize(10)
    ax.text(1.5, 5.1, "on top", fontsize=10)
    assert _kinds(fig) == ["overprinted"]


def test_a_legend_over_a_text_fails():
    fig, ax = _figure()
    ax.text(0.5, 9, "A task list under the legend", fontsize=10, va="top")
    ax.legend(handles=[Patch(facecolor="red", label="leads"), Patch(facecolor="blue", label="on call")],
              loc="upper left", fontsize=10)
    assert "legend over text" in _kinds(fig)


def test_slanted_tick_labels_that_only_share_a_corner_of_their_upright_boxes_pass():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_axes((0.1, 0.5, 0.85, 0.45))
    names = ["Leukapheresis", "Manufacturing", "Infusion", "Monitoring", "Follow-up", "Evaluation"]
    ax.set_xticks(range(6), names, rotation=35, ha="right", fontsize=9.5)
    ax.set_yticks([])
    measured, *_ = legibility.measure(fig)
    boxes = [m.extent for m in measured]
    assert any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))  # the upright boxes do overlap
    assert "overprinted" not in _kinds(fig)
    ax.set_xticks(range(6), names, rotation=0, ha="center", fontsize=9.5)
    assert "overprinted" in _kinds(fig)


def test_contrast_ratio_matches_wcag_examples():
    assert legibility.contrast_ratio("white", "black") == pytest.approx(21.0)
    assert legibility.contrast_ratio("white", "#D55E00") == pytest.approx(3.87, abs=0.01)
    assert legibility.contrast_ratio("#767676", "white") == pytest.approx(4.54, abs=0.01)


def test_the_states_cover_every_option_and_stay_within_the_limit():
    from widgets.decisions_views import CareTeamView
    from widgets.decisions_views import CostExplorer

    view = CareTeamView()
    assert {s["step"] for s in legibility.states(view, 12)} == {o[1] for o in view.controls["step"].options}
    many = list(legibility.states(CostExplorer(), 12))
    assert len(many) == 12 and len({tuple(sorted(s.items())) for s in many}) == 12
    assert list(legibility.states(CostExplorer(), 12)) == many  # seeded: the same states every run


# --- colour is never the only carrier ------------------------------------------------------------
def _legend_hatches(legend) -> dict[str, str]:
    return {t.get_text(): (h.get_hatch() or "") for t, h in zip(legend.get_texts(), legend.legend_handles)}


@pytest.mark.parametrize("step", ["evaluation", "monitoring", "follow_up"])
def test_care_team_levels_differ_by_hatch_as_well_as_colour(step):
    from widgets.decisions_views import LEVEL_HATCHES, CareTeamView

    view = CareTeamView(step)
    levels = {role.key: role.tasks.get(step, ("", ""))[0] for role in view.roles}
    assert len(set(LEVEL_HATCHES.values())) == len(LEVEL_HATCHES) and all(LEVEL_HATCHES.values())
    seen = set()
    for role, level in levels.items():
        cell = view.cells[(role, step)]
        assert (cell.get_hatch() or "") == LEVEL_HATCHES.get(level, ""), (role, level)
        seen.add(level)
    assert {"leads", "involved"} <= seen or {"involved", "on call"} <= seen
    legend = _legend_hatches(view.ax_text.get_legend())
    assert [legend[level] for level in LEVEL_HATCHES] == list(LEVEL_HATCHES.values())


def test_lupus_and_lymphoma_bars_differ_by_hatch_as_well_as_colour():
    from widgets.evidence_views import LYMPHOMA_HATCH, SafetyComparisonView

    view = SafetyComparisonView("crs_any")
    groups = [row[1] for row in view.result]
    assert {"SLE", "Lymphoma"} <= set(groups)
    for bar, group in zip(view.bars, groups):
        assert (bar.get_hatch() or "") == (LYMPHOMA_HATCH if group == "Lymphoma" else "")
    hatches = list(_legend_hatches(view.ax.get_legend()).values())
    assert hatches == ["", LYMPHOMA_HATCH]


def test_benefits_and_burdens_differ_by_hatch_as_well_as_colour():
    from widgets.decisions_views import SIDE_HATCHES, BalanceView

    view = BalanceView()
    for bar, item in zip(view.bars, view.items):
        assert (bar.get_hatch() or "") == SIDE_HATCHES[item.side]
    assert len(set(SIDE_HATCHES.values())) == 2
    assert [b.get_hatch() or "" for b in view.total_bars] == list(SIDE_HATCHES.values())
    assert sorted(_legend_hatches(view.ax.get_legend()).values()) == sorted(SIDE_HATCHES.values())


@pytest.mark.parametrize("shown", ["system", "found_by"])
def test_organ_groups_differ_by_hatch_as_well_as_colour(shown):
    from widgets.sle_views import OrganInvolvementView

    view = OrganInvolvementView(shown)
    groups = [group for _label, _pct, group in view.result]
    hatch_of = {}
    for bar, group in zip(view.bars, groups):
        hatch_of.setdefault(group, bar.get_hatch() or "")
        assert (bar.get_hatch() or "") == hatch_of[group]
    assert len(set(hatch_of.values())) == len(hatch_of) >= 2
    assert _legend_hatches(view.ax.get_legend()) == hatch_of


def test_eular_immunology_domains_differ_by_hatch_as_well_as_colour():
    from widgets import clinical
    from widgets.clinical_views import EularAcr2019View

    view = EularAcr2019View("fictional case A")
    for bar, domain in zip(view.bars, view._domains):
        clinical_domain = domain in clinical.EULAR_ACR_2019_CLINICAL_DOMAINS
        assert bool(bar.get_hatch()) is not clinical_domain, domain
    legend = _legend_hatches(view.ax.get_legend())
    assert legend["clinical domain"] == "" and legend["immunology domain (hatched)"]


def test_kinetics_lines_differ_by_line_style_as_well_as_colour():
    from widgets.kinetics_views import KineticsView

    view = KineticsView()
    assert view.car_t_line.get_linestyle() != view.b_cell_line.get_linestyle()
    assert view.autoantibody_line.get_linestyle() != view.protective_line.get_linestyle()


# --- what the fixes rest on ---------------------------------------------------------------------
@pytest.mark.parametrize("fill", list(style.OKABE_ITO.values()) + list(style.PALETTE.values()))
def test_ink_on_reaches_wcag_aa_on_every_course_colour(fill):
    assert legibility.contrast_ratio(style.ink_on(fill), fill) >= 4.5


@pytest.mark.parametrize("name", sorted(style.TEXT_ON_WHITE))
def test_text_shades_reach_wcag_aa_on_white(name):
    assert legibility.contrast_ratio(style.TEXT_ON_WHITE[name], "white") >= 4.5
    assert legibility.contrast_ratio(style.PALETTE[name], "white") < 4.5  # why the shade exists


def test_study_explorer_refuses_more_bars_than_it_can_label_plainly():
    from widgets import evidence
    from widgets.evidence_views import MAX_STUDIES_SHOWN, StudyExplorerView

    view = StudyExplorerView()
    picture = view.png
    view.controls["studies"].value = tuple(evidence.STUDY_ORDER[:MAX_STUDIES_SHOWN + 1])
    assert f"at most {MAX_STUDIES_SHOWN} studies" in view.message_text and view.png == picture
    view.controls["studies"].value = tuple(evidence.STUDY_ORDER[:MAX_STUDIES_SHOWN])
    assert view.message_text == "" and len(view.result) == MAX_STUDIES_SHOWN
    with pytest.raises(ValueError, match="1 to 6 studies"):
        StudyExplorerView(studies=tuple(evidence.STUDY_ORDER))
