"""The interactive simulator of notebook 03: what happens in the body after the infusion.

Wires three controls (dose, lymphodepletion, proliferation rate) to :func:`widgets.kinetics.simulate`.
"""
from __future__ import annotations

import ipywidgets
import numpy as np

from . import kinetics
from .figure import FigureView, new_figure
from .style import OKABE_ITO, PALETTE

__all__ = ["KineticsView"]

_FLOOR = 0.01  # cells/uL: the log axis shows values below this at its floor


class KineticsView(FigureView):
    """CAR T cells and B cells (top) and antibody levels (bottom) for the chosen dose and settings.

    Attributes
    ----------
    car_t_line, b_cell_line : matplotlib.lines.Line2D
        Blood counts [cells/uL] against days after infusion.
    autoantibody_line, protective_line : matplotlib.lines.Line2D
        Antibody levels [% of baseline].
    result : widgets.kinetics.KineticsResult
    """

    def __init__(self, dose_cells_per_kg: float = kinetics.DEFAULT_DOSE_CELLS_PER_KG, lymphodepletion: float = 1.0,
                 proliferation_rate_per_day: float = kinetics.PARAMETERS["proliferation_rate_per_day"].default,
                 days: int = 365):
        self.days = days
        self.figure, first = new_figure(figsize=(9, 6.4))
        first.remove()
        grid = self.figure.add_gridspec(2, 1, height_ratios=(3, 2))
        self.ax_cells = self.figure.add_subplot(grid[0])
        self.ax_antibody = self.figure.add_subplot(grid[1], sharex=self.ax_cells)
        ax = self.ax_cells
        ax.set_yscale("log")
        ax.set_ylim(_FLOOR, 5000)
        ax.set_xlim(0, days)
        low = kinetics.PUBLISHED_B_CELL_RETURN_DAYS - kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS
        high = kinetics.PUBLISHED_B_CELL_RETURN_DAYS + kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS
        ax.axvspan(low, high, color=OKABE_ITO["grey"], alpha=0.18, linewidth=0,
                   label=f"B cells returned in SLE: {kinetics.PUBLISHED_B_CELL_RETURN_DAYS:g} +/- "
                         f"{kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS:g} days (Mackensen 2022)")
        (self.car_t_line,) = ax.plot([0, 1], [1, 1], color=PALETTE["car_t"], linewidth=2.2, label="CAR T cells")
        (self.b_cell_line,) = ax.plot([0, 1], [1, 1], color=PALETTE["b_cell"], linewidth=2.2, label="B cells")
        (self.threshold_line,) = ax.plot([0, days], [1, 1], color=PALETTE["b_cell"], linestyle=":", linewidth=1.2,
                                         label="10% of baseline B cells ('returned')")
        self.return_line = ax.axvline(0, color=PALETTE["b_cell"], linestyle="--", linewidth=1.2)
        (self.peak_marker,) = ax.plot([0], [1], marker="v", color=PALETTE["car_t"], markersize=9, linestyle="none")
        ax.set_ylabel("Cells in blood [cells/uL]")
        ax.legend(loc="upper right", fontsize=8)
        ax.tick_params(labelbottom=False)

        bx = self.ax_antibody
        bx.axhline(100, color=OKABE_ITO["grey"], linewidth=1, linestyle=":")
        (self.autoantibody_line,) = bx.plot([0, 1], [100, 100], color=PALETTE["autoantibody"], linewidth=2.2,
                                            label="Anti-dsDNA (mostly short-lived plasmablasts)")
        (self.protective_line,) = bx.plot([0, 1], [100, 100], color=PALETTE["protective_antibody"], linewidth=2.2,
                                          linestyle="--", label="Protective antibodies (mostly long-lived plasma cells)")
        bx.set_ylim(0, 115)
        bx.set_ylabel("Antibody level [% of baseline]")
        bx.set_xlabel("Days after infusion [days]")
        bx.legend(loc="center right", fontsize=8)

        style = {"description_width": "initial"}
        layout = ipywidgets.Layout(width="430px")
        super().__init__({
            "dose_cells_per_kg": ipywidgets.FloatLogSlider(
                value=dose_cells_per_kg, base=10, min=5, max=7, step=0.1, description="Dose [CAR T cells/kg]:",
                readout_format=".1e", continuous_update=False, style=style, layout=layout),
            "lymphodepletion": ipywidgets.FloatSlider(
                value=lymphodepletion, min=0.0, max=1.0, step=0.1, description="Lymphodepletion (0 none, 1 full):",
                continuous_update=False, style=style, layout=layout),
            "proliferation_rate_per_day": ipywidgets.FloatSlider(
                value=proliferation_rate_per_day, min=0.3, max=2.0, step=0.05,
                description="CAR-T proliferation rate [1/day]:", continuous_update=False, style=style, layout=layout),
        })

    def update(self) -> str:
        res = kinetics.simulate(
            self.controls["dose_cells_per_kg"].value, self.days,
            lymphodepletion=self.controls["lymphodepletion"].value,
            proliferation_rate_per_day=self.controls["proliferation_rate_per_day"].value,
        )
        self.result = res
        t = res.t_days
        self.car_t_line.set_data(t, np.maximum(res.car_t_cells_per_ul, _FLOOR))
        self.b_cell_line.set_data(t, np.maximum(res.b_cells_per_ul, _FLOOR))
        baseline = res.parameters["baseline_b_cells_per_ul"]
        self.threshold_line.set_ydata([kinetics.B_CELL_RETURN_FRACTION * baseline] * 2)
        self.peak_marker.set_data([res.peak_day], [max(res.peak_car_t_cells_per_ul, _FLOOR) * 1.6])
        returned = res.b_cell_return_day is not None
        self.return_line.set_visible(returned)
        if returned:
            self.return_line.set_xdata([res.b_cell_return_day, res.b_cell_return_day])
        self.autoantibody_line.set_data(t, 100 * res.autoantibody_fraction)
        self.protective_line.set_data(t, 100 * res.protective_antibody_fraction)
        auto90 = 100 * res.at_day("autoantibody_fraction", 90)
        prot90 = 100 * res.at_day("protective_antibody_fraction", 90)
        ret_text = f"B cells return on day {res.b_cell_return_day:g}" if returned else (
            "B cells do not fall below 10% of baseline" if res.b_cell_nadir_fraction >= kinetics.B_CELL_RETURN_FRACTION
            else f"B cells have not returned by day {self.days}")
        self.ax_cells.set_title(f"Model: CAR T cells peak on day {res.peak_day:g}; {ret_text}")
        dose = self.controls["dose_cells_per_kg"].value
        return (f"Two panels against days after infusion, for a dose of {dose:.1e} CAR T cells per kg, lymphodepletion "
                f"{self.controls['lymphodepletion'].value:g} and proliferation rate "
                f"{self.controls['proliferation_rate_per_day'].value:g} per day. Top, log scale: CAR T cells peak on day "
                f"{res.peak_day:g} at {res.peak_car_t_cells_per_ul:.3g} cells per microlitre; B cells fall to "
                f"{100 * res.b_cell_nadir_fraction:.2g}% of baseline; {ret_text}; a grey band marks the published "
                f"{kinetics.PUBLISHED_B_CELL_RETURN_DAYS:g} plus or minus {kinetics.PUBLISHED_B_CELL_RETURN_SD_DAYS:g} days. Bottom: at day 90 anti-dsDNA is at {auto90:.0f}% of baseline and "
                f"protective antibodies at {prot90:.0f}%.")
