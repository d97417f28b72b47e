"""The interactive simulator of notebook 03: what happens in the body after the infusion.

Wires a scenario and four controls (dose, lymphodepletion, proliferation rate, B-cell detection limit)
to :func:`widgets.kinetics.simulate` and draws the published observations beside the model.
"""
from __future__ import annotations

import html

import ipywidgets
import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from . import kinetics
from .figure import FigureView, new_figure
from .evidence import STUDIES
from .style import OKABE_ITO, PALETTE

__all__ = ["KineticsView", "parameter_table"]

_FLOOR = 0.001  # cells/uL: the log axis shows values below this at its floor
# Published observations drawn on the figure, each with its source (see also scripts/fit_kinetics.py).
_VACCINE_DAY = 180  # Bhoj 2016 (leukaemia): vaccine titres persisted for months after CD19 CAR-T
_RELAPSE_DAY = 270  # Nat Med case 2025: relapse 9 months after CD19 CAR T cells (anti-synthetase syndrome)


def _freeze_ticks(axis) -> None:
    """Fix an axis's automatic ticks and labels as they are now (the same picture, no tick search per update)."""
    locations = [float(v) for v in axis.get_major_locator()()]
    labels = axis.get_major_formatter().format_ticks(locations)
    axis.set_major_locator(FixedLocator(locations))
    axis.set_major_formatter(FixedFormatter(labels))


def parameter_table():
    """Every model parameter with its value, unit, meaning and source, as a displayable Markdown table."""
    from IPython.display import Markdown

    def cell(text: str) -> str:
        return text.replace("|", "/").replace("\n", " ")

    rows = ["| parameter (name in `kinetics.simulate`) | default | unit | what it is | source or reason |",
            "|---|---|---|---|---|"]
    for name, spec in kinetics.PARAMETERS.items():
        rows.append(f"| `{name}` | {spec.default:g} | {cell(spec.unit)} | {cell(spec.meaning)} | {cell(spec.source)} |")
    rows.append(f"| dose (`dose_cells_per_kg`) | {kinetics.DEFAULT_DOSE_CELLS_PER_KG:.0e} | CAR T cells/kg | "
                "Infused dose | Mackensen 2022 |")
    return Markdown("\n".join(rows))


class KineticsView(FigureView):
    """CAR T cells and B cells (top) and antibody levels (bottom) for the chosen scenario and settings.

    Attributes
    ----------
    car_t_line, b_cell_line : matplotlib.lines.Line2D
        Blood counts [cells/uL] against days after infusion.
    detection_line : matplotlib.lines.Line2D
        The B-cell detection limit [cells/uL].
    autoantibody_line, protective_line : matplotlib.lines.Line2D
        Antibody levels [% of baseline].
    scenario_text : ipywidgets.HTML
        The sentence naming the published case the chosen scenario stands for.
    result : widgets.kinetics.KineticsResult
    """

    def __init__(self, scenario: str = "typical", dose_cells_per_kg: float = kinetics.DEFAULT_DOSE_CELLS_PER_KG,
                 lymphodepletion: float | None = None,
                 proliferation_rate_per_day: float = kinetics.PARAMETERS["proliferation_rate_per_day"].default,
                 b_cell_detection_limit_cells_per_ul: float = kinetics.B_CELL_DETECTION_LIMIT_CELLS_PER_UL,
                 days: int = 365):
        kinetics.scenario_parameters(scenario)  # checks the name
        self.days = days
        self.figure, first = new_figure(figsize=(9, 6.6))
        first.remove()
        grid = self.figure.add_gridspec(2, 1, height_ratios=(3, 2))
        self.ax_cells = self.figure.add_subplot(grid[0])
        self.ax_antibody = self.figure.add_subplot(grid[1], sharex=self.ax_cells)
        ax = self.ax_cells
        ax.set_yscale("log")
        ax.set_ylim(_FLOOR, 5000)
        # Plain numbers instead of powers of ten: easier to read, and cheaper to draw than mathtext.
        ticks = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(FixedFormatter([f"{v:g}" for v in ticks]))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlim(0, days)
        first = STUDIES["mackensen2022"]
        mean, sd = kinetics.PUBLISHED_B_CELL_RETURN_DAYS, kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS
        ax.axvspan(mean - sd, mean + sd, color=OKABE_ITO["grey"], alpha=0.18, linewidth=0,
                   label=f"B cells reappeared in SLE: {mean:g} +/- {sd:g} days (Mackensen 2022, "
                         f"{first.patients_sle} patients)")
        (self.car_t_line,) = ax.plot([0, 1], [1, 1], color=PALETTE["car_t"], linewidth=2.2, label="CAR T cells (model)")
        (self.b_cell_line,) = ax.plot([0, 1], [1, 1], color=PALETTE["b_cell"], linewidth=2.2, linestyle="-.",
                                      label="B cells (model)")
        (self.detection_line,) = ax.plot([0, days], [1, 1], color=OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                                         label="B-cell detection limit (assumed; a parameter)")
        self.return_line = ax.axvline(0, color=PALETTE["b_cell"], linestyle="--", linewidth=1.2)
        (self.peak_marker,) = ax.plot([0], [1], marker="v", color=PALETTE["car_t"], markersize=9, linestyle="none")
        ax.set_ylabel("Cells in blood [cells/uL]")
        ax.legend(loc="upper right", fontsize=9)
        ax.tick_params(labelbottom=False)

        bx = self.ax_antibody
        bx.axhline(100, color=OKABE_ITO["grey"], linewidth=1, linestyle=":")
        (self.autoantibody_line,) = bx.plot([0, 1], [100, 100], color=PALETTE["autoantibody"], linewidth=2.2,
                                            label="Anti-dsDNA (model)")
        (self.protective_line,) = bx.plot([0, 1], [100, 100], color=PALETTE["protective_antibody"], linewidth=2.2,
                                          linestyle="--", label="Protective antibodies (model)")
        bx.plot([kinetics.SEROCONVERSION_DAY], [30], marker="v", markersize=8, linestyle="none",
                color=PALETTE["autoantibody"], markeredgecolor=OKABE_ITO["black"],
                label=f"Anti-dsDNA negative by {first.doris_timepoint}, {first.doris.n} of {first.doris.N} "
                      "(Mackensen 2022)")
        bx.plot([_VACCINE_DAY], [100], marker="D", markersize=7, linestyle="none", color=PALETTE["protective_antibody"],
                markeredgecolor=OKABE_ITO["black"], label="Vaccine titres kept (Bhoj 2016, leukaemia)")
        bx.plot([_RELAPSE_DAY], [30], marker="X", markersize=8, linestyle="none", color=OKABE_ITO["black"],
                label="One relapse at 9 months (Nat Med case 2025, myositis)")
        bx.set_ylim(0, 115)
        bx.set_ylabel("Antibody level\n[% of baseline]")
        bx.set_xlabel("Days after infusion [days]")
        bx.legend(loc="center right", fontsize=9)
        # The limits never change: the automatic ticks are fixed as first found, so no tick search runs per update.
        for axis in (ax.xaxis, bx.yaxis):
            _freeze_ticks(axis)

        style = {"description_width": "initial"}
        layout = ipywidgets.Layout(width="430px")
        if lymphodepletion is None:
            lymphodepletion = kinetics.scenario_parameters(scenario).get("lymphodepletion", 1.0)
        controls = {
            "scenario": ipywidgets.Dropdown(
                options=[(spec.label, key) for key, spec in kinetics.SCENARIOS.items()], value=scenario,
                description="Scenario:", style=style, layout=layout),
            "dose_cells_per_kg": ipywidgets.FloatLogSlider(
                value=dose_cells_per_kg, base=10, min=5, max=7, step=0.1, description="Dose [CAR T cells/kg]:",
                readout_format=".1e", continuous_update=False, style=style, layout=layout),
            "lymphodepletion": ipywidgets.FloatSlider(
                value=lymphodepletion, min=0.0, max=1.0, step=0.1, description="Lymphodepletion (0 none, 1 full):",
                continuous_update=False, style=style, layout=layout),
            "proliferation_rate_per_day": ipywidgets.FloatSlider(
                value=proliferation_rate_per_day, min=0.3, max=2.0, step=0.05,
                description="CAR-T proliferation rate [1/day]:", continuous_update=False, style=style, layout=layout),
            "b_cell_detection_limit_cells_per_ul": ipywidgets.FloatLogSlider(
                value=b_cell_detection_limit_cells_per_ul, base=10, min=-1, max=1, step=0.1,
                description="B-cell detection limit [cells/uL]:", readout_format=".2g", continuous_update=False,
                style=style, layout=layout),
        }
        self.scenario_text = ipywidgets.HTML(layout=ipywidgets.Layout(width="100%"))
        # Choosing a scenario sets the lymphodepletion slider to that scenario's value, without a second redraw.
        controls["scenario"].observe(self._sync_lymphodepletion, names="value")
        shown = [controls["scenario"], self.scenario_text] + [w for k, w in controls.items() if k != "scenario"]
        super().__init__(controls, layout_controls=shown)
        self.add_class("course-pinned")  # on a narrow screen the picture stays in view above the controls (widgets/style.py)

    def _sync_lymphodepletion(self, change) -> None:
        if change["new"] not in kinetics.SCENARIOS:
            return  # update() shows the message
        slider = self.controls["lymphodepletion"]
        slider.unobserve(self._on_change, names="value")
        try:
            slider.value = kinetics.scenario_parameters(change["new"]).get("lymphodepletion", 1.0)
        finally:
            slider.observe(self._on_change, names="value")

    def update(self) -> str:
        name = self.controls["scenario"].value
        params = kinetics.scenario_parameters(name)
        params.update(
            lymphodepletion=self.controls["lymphodepletion"].value,
            proliferation_rate_per_day=self.controls["proliferation_rate_per_day"].value,
            b_cell_detection_limit_cells_per_ul=self.controls["b_cell_detection_limit_cells_per_ul"].value,
        )
        res = kinetics.simulate(self.controls["dose_cells_per_kg"].value, self.days, **params)
        self.result = res
        spec = kinetics.SCENARIOS[name]
        self.scenario_text.value = f"<b>{html.escape(spec.label)}.</b> {html.escape(spec.stands_for)}"
        t = res.t_days
        self.car_t_line.set_data(t, np.maximum(res.car_t_cells_per_ul, _FLOOR))
        self.b_cell_line.set_data(t, np.maximum(res.b_cells_per_ul, _FLOOR))
        limit = res.parameters["b_cell_detection_limit_cells_per_ul"]
        self.detection_line.set_ydata([limit, limit])
        self.peak_marker.set_data([res.peak_day], [max(res.peak_car_t_cells_per_ul, _FLOOR) * 1.6])
        returned = res.b_cell_return_day is not None
        self.return_line.set_visible(returned)
        # Set on every update, shown or not: the same artists change each time, so the picture is redrawn over
        # the saved background instead of in full when B cells stop (or start) coming back.
        day = res.b_cell_return_day if returned else self.return_line.get_xdata()[0]
        self.return_line.set_xdata([day, day])
        self.autoantibody_line.set_data(t, 100 * res.autoantibody_fraction)
        self.protective_line.set_data(t, 100 * res.protective_antibody_fraction)
        auto90 = 100 * res.at_day("autoantibody_fraction", min(90, self.days))
        auto_end = 100 * res.autoantibody_fraction[-1]
        prot90 = 100 * res.at_day("protective_antibody_fraction", min(90, self.days))
        if res.b_cell_aplasia_day is None:
            b_text = "B cells never fall below the detection limit"
            headline, numbers = b_text, f"CAR T cells peak on day {res.peak_day:g}"
        else:
            span = f"undetectable from day {res.b_cell_aplasia_day:g}" + (
                f" to day {res.b_cell_return_day:g}" if returned else f", not back by day {self.days}")
            b_text = f"B cells {span}"
            headline = "CAR T cells expand; B cells vanish" + (", then return" if returned else " from blood")
            numbers = f"Peak on day {res.peak_day:g}; {span}"
        # The first line depends only on the scenario and the outcome, so it is laid out once; only the
        # second, short line with the numbers is new text on an update (laying out text costs per new string
        # and per character: about 60 us a character at this size).
        self.ax_cells.set_title(f"{spec.label}: {headline}\n{numbers}")
        dose = self.controls["dose_cells_per_kg"].value
        return (f"{spec.label} scenario. Two panels against days after infusion, for a dose of {dose:.1e} CAR T cells "
                f"per kg, lymphodepletion {self.controls['lymphodepletion'].value:g} and proliferation rate "
                f"{self.controls['proliferation_rate_per_day'].value:g} per day. Top, log scale: CAR T cells peak on day "
                f"{res.peak_day:g} at {res.peak_car_t_cells_per_ul:.3g} cells per microlitre; {b_text}, with a "
                f"detection limit of {limit:g} cells per microlitre; a grey band marks the published reappearance at "
                f"{kinetics.PUBLISHED_B_CELL_RETURN_DAYS:g} plus or minus {kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS:g} "
                f"days. Bottom: anti-dsDNA is at {auto90:.0f}% of baseline on day 90 and {auto_end:.0f}% on day "
                f"{self.days}; protective antibodies at {prot90:.0f}% on day 90. Markers show published observations: "
                "anti-dsDNA negative by month 3, vaccine titres kept, and one relapse at 9 months.")
