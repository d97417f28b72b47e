"""The interactive simulator of notebook 03: what happens in the body after the infusion.

Wires a scenario and four controls (dose, lymphodepletion, proliferation rate, B-cell detection limit)
to :func:`widgets.kinetics.simulate` and draws the published observations beside the model.
"""
from __future__ import annotations

import html

import ipywidgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator
from matplotlib.transforms import ScaledTranslation

from . import kinetics
from .figure import FigureView, WholePixels, new_figure
from .evidence import STUDIES
from .style import OKABE_ITO, PALETTE

__all__ = ["KineticsView", "parameter_table"]

_FLOOR = 0.001  # cells/uL: the log axis shows values below this at its floor
# Published observations drawn on the figure, each with its source (see also scripts/fit_kinetics.py).
_VACCINE_DAY = 180  # Bhoj 2016 (leukaemia): vaccine titres persisted for months after CD19 CAR-T
_RELAPSE_DAY = 270  # Nat Med case 2025: relapse 9 months after CD19 CAR T cells (anti-synthetase syndrome)
# The title's second line (the numbers) is drawn as pieces, words and numbers apart: text costs its layout once per
# new string and character (about 60 us a character in matplotlib 3.11), and the words and most numbers recur.
_NUMBER_PIECES = 6
_WIDTHS_KEPT = 4096  # widths of pieces measured (a few kB); the words and the day numbers of a year fit


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
    number_texts : list of matplotlib.text.Text
        The pieces of the title's second line (peak day, days without detectable B cells); :attr:`heading`
        gives the title as read.
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
        FigureCanvasAgg(self.figure)  # the canvas FigureView draws on, made now: update() measures text with it
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
        # The title is two lines: the headline (ax.title, raised by one line) and the numbers below it, drawn in
        # pieces at whole pixels (see update()); the pieces stay out of the layout, the raised title keeps their room.
        pad = matplotlib.rcParams["axes.titlepad"]
        ax.set_title(" ", pad=pad + self._title_line_step_pt())
        self._number_baseline = ScaledTranslation(0, pad / 72, self.figure.dpi_scale_trans)
        self._piece_widths: dict[tuple[str, float], float] = {}  # (piece, dpi) -> width [pixels]
        self.number_texts = [
            ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="left", va="baseline", in_layout=False, clip_on=False,
                    fontsize=ax.title.get_fontsize(), fontweight=ax.title.get_fontweight(), color=ax.title.get_color())
            for _ in range(_NUMBER_PIECES)]
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

    def _title_line_step_pt(self) -> float:
        """How far apart two lines of the title are [points]: where a two-line title would put its second line."""
        title, renderer = self.ax_cells.title, self.figure.canvas.get_renderer()
        heights = []
        for text in ("Lp", "Lp\nLp"):
            title.set_text(text)
            heights.append(title.get_window_extent(renderer).height)
        return (heights[1] - heights[0]) * 72 / self.figure.dpi

    @property
    def heading(self) -> str:
        """The title as read: the headline, a line break, then the numbers line."""
        return self.ax_cells.get_title() + "\n" + "".join(t.get_text() for t in self.number_texts)

    def _place_numbers(self, pieces: list[str]) -> None:
        """Set the title's numbers line, piece by piece, centred above the top panel, each piece on a whole pixel.

        Widths come from matplotlib's own text metrics (kept per string), so a piece drawn before costs no layout
        and, on the same whole-pixel grid, no glyph rendering either (widgets.figure keeps drawn strings).
        """
        pieces = pieces + [""] * (len(self.number_texts) - len(pieces))
        dpi = self.figure.dpi
        widths = []
        for text, piece in zip(self.number_texts, pieces):
            text.set_text(piece)
            width = self._piece_widths.get((piece, dpi))
            if width is None:
                if len(self._piece_widths) > _WIDTHS_KEPT:
                    self._piece_widths.clear()
                width = text.get_window_extent(self.figure.canvas.get_renderer()).width if piece else 0.0
                self._piece_widths[piece, dpi] = width
            widths.append(width)
        x = -sum(widths) / 2
        for text, width in zip(self.number_texts, widths):
            # A new transform on every update, even for an unchanged piece: the same artists change each time.
            shift = ScaledTranslation(x / dpi, 0, self.figure.dpi_scale_trans)
            text.set_transform(self.ax_cells.transAxes + self._number_baseline + shift + WholePixels())
            x += width

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
            headline, pieces = b_text, ["CAR T cells peak on day ", f"{res.peak_day:g}"]
        else:
            headline = "CAR T cells expand; B cells vanish" + (", then return" if returned else " from blood")
            pieces = ["Peak on day ", f"{res.peak_day:g}", "; undetectable from day ", f"{res.b_cell_aplasia_day:g}"]
            pieces += ([" to day ", f"{res.b_cell_return_day:g}"] if returned else [", not back by day ", f"{self.days}"])
            b_text = "B cells " + "".join(pieces[2:]).removeprefix("; ")
        title = self.ax_cells.title
        title.set_text(f"{spec.label}: {headline}")  # not set_title(), which would reset the pad
        title.stale = True  # redrawn on every update, changed or not: the same artists change each time
        self._place_numbers(pieces)
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
