"""The interactive figures of notebook 03 (the treatment process). Each wires controls to :mod:`widgets.process`."""
from __future__ import annotations

import math
import textwrap

import ipywidgets
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from . import process
from .figure import FigureView, WholePixels, new_figure, snap_up
from .style import OKABE_ITO, PALETTE
from .validate import require_int

__all__ = ["JourneyView", "TimelineView", "ExpansionView", "after_infusion_rules"]

MUTED_FILL, MUTED_TEXT = "#EEEEEE", "#555555"
LAB_FILL = "#FFF3D6"  # a pale tint of the Okabe-Ito orange marks the laboratory steps


DAY_LIMIT_STEPS = (1, 1.5, 2, 3, 4, 5, 6, 8)  # the expansion chart's last day: one of these times a power of ten
_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_of_ten(value: float, _position=None) -> str:
    """A log axis's tick label: 10 with its exponent in superscript digits (10\u2078 for 1e8)."""
    if not value > 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return f"{value:g}"
    return "10" + str(round(exponent)).translate(_SUPERSCRIPT)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or " "


def after_infusion_rules(audience: str = "plain"):
    """The after-infusion rules (``process.after_infusion_rules_text``) as displayable Markdown, so they wrap as prose."""
    from IPython.display import Markdown

    return Markdown(process.after_infusion_rules_text(audience))


class JourneyView(FigureView):
    """The journey as a cycle from the patient to the laboratory and back, one step highlighted.

    Controls: ``step`` (slider 1-8); the Previous/Next buttons move the slider.

    Attributes
    ----------
    boxes : list of FancyBboxPatch
        One box per step of :data:`widgets.process.JOURNEY`, in order.
    detail : matplotlib.text.Text
        The description of the highlighted step.
    result : widgets.process.JourneyStep
        The step now shown.
    """

    CENTRE, RADIUS = (2.75, 2.45), 1.95
    BOX_W, BOX_H = 1.55, 0.62

    def __init__(self, step: int = 1):
        self.figure, self.ax = new_figure(figsize=(10, 5.2))
        ax = self.ax
        ax.set_xlim(-0.05, 10.6)
        ax.set_ylim(-0.1, 5.0)
        ax.set_axis_off()
        ax.set_aspect("equal")
        n = len(process.JOURNEY)
        cx, cy = self.CENTRE
        self.centres = []
        for i in range(n):
            angle = math.radians(112.5 - 360.0 / n * i)  # clockwise from the top left
            self.centres.append((cx + self.RADIUS * math.cos(angle) * 1.05, cy + self.RADIUS * math.sin(angle)))
        ax.text(cx, cy + 0.18, "Patient", ha="center", va="center", fontsize=13, fontweight="bold", in_layout=False)
        ax.text(cx, cy - 0.25, "cells leave at step 2,\ncome back at step 6", ha="center", va="center",
                fontsize=9, color=MUTED_TEXT, in_layout=False)
        self.arrows = []
        for i in range(n - 1):
            arrow = FancyArrowPatch(self.centres[i], self.centres[i + 1], arrowstyle="-|>", mutation_scale=13,
                                    linewidth=1.3, color=MUTED_TEXT, connectionstyle="arc3,rad=-0.25",
                                    shrinkA=24, shrinkB=24)
            ax.add_patch(arrow)
            self.arrows.append(arrow)
        self.boxes, self.labels = [], []
        for i, s in enumerate(process.JOURNEY):
            x, y = self.centres[i]
            box = FancyBboxPatch((x - self.BOX_W / 2, y - self.BOX_H / 2), self.BOX_W, self.BOX_H,
                                 boxstyle="round,pad=0.02,rounding_size=0.1", linewidth=1.4,
                                 edgecolor=PALETTE["text"], facecolor=MUTED_FILL,
                                 linestyle="--" if s.place == "laboratory" else "-")
            ax.add_patch(box)
            self.boxes.append(box)
            name = s.name.split(" (")[0]
            self.labels.append(ax.text(x, y, f"{i + 1}. " + _wrap(name, 16), ha="center", va="center",
                                       fontsize=9, in_layout=False))
        self.heading = ax.text(5.75, 4.75, "", ha="left", va="top", fontsize=12.5, fontweight="bold", in_layout=False)
        self.detail = ax.text(5.75, 3.95, "", ha="left", va="top", fontsize=9, linespacing=1.2, in_layout=False)
        ax.legend(handles=[Patch(facecolor=PALETTE["highlight"], edgecolor=PALETTE["text"], label="Step shown"),
                           Patch(facecolor=LAB_FILL, edgecolor=PALETTE["text"], linestyle="--",
                                 label="Done to the cells in the laboratory"),
                           Patch(facecolor=MUTED_FILL, edgecolor=PALETTE["text"], label="Done with the patient")],
                  loc="lower right", fontsize=9, frameon=False)
        require_int("step", step, minimum=1, maximum=n)
        slider = ipywidgets.IntSlider(value=step, min=1, max=n, description="Step:", continuous_update=False)
        self.previous_button = ipywidgets.Button(description="Previous", icon="arrow-left")
        self.next_button = ipywidgets.Button(description="Next", icon="arrow-right")
        self.previous_button.on_click(lambda _b: self._move(-1))
        self.next_button.on_click(lambda _b: self._move(+1))
        super().__init__({"step": slider}, layout_controls=[self.previous_button, slider, self.next_button])

    def _move(self, delta: int) -> None:
        slider = self.controls["step"]
        slider.value = min(slider.max, max(slider.min, slider.value + delta))

    def update(self) -> str:
        number = self.controls["step"].value
        step = process.journey_step(number)
        self.result = step
        for i, (s, box, label) in enumerate(zip(process.JOURNEY, self.boxes, self.labels)):
            active = i == number - 1
            box.set_facecolor(PALETTE["highlight"] if active else (LAB_FILL if s.place == "laboratory" else MUTED_FILL))
            box.set_linewidth(2.6 if active else 1.4)
            label.set_fontweight("bold" if active else "normal")
        self.heading.set_text(f"Step {number} of {len(process.JOURNEY)}:\n" + _wrap(step.name, 38))
        parts = [("What happens", step.what), ("Where", step.where), ("Who", step.who),
                 ("How long", step.how_long), ("What can go wrong", step.can_go_wrong)]
        self.detail.set_text("\n".join(_wrap(f"{title}: {text}", 60).replace("\n", "\n   ") for title, text in parts))
        stage = {"patient": "with the patient", "laboratory": "in the laboratory"}[step.place]
        self.ax.set_title(f"The CAR-T journey: step {number} of {len(process.JOURNEY)} happens {stage}")
        return (f"Cycle diagram of the eight steps of CAR-T treatment, from the patient to the laboratory and back; "
                f"step {number}, {step.name}, is highlighted. What happens: {step.what} Where: {step.where} "
                f"Who: {step.who} How long: {step.how_long} What can go wrong: {step.can_go_wrong}")


class TimelineView(FigureView):
    """Gantt chart from evaluation to one year after infusion; manufacturing time moves everything after it.

    Attributes
    ----------
    bars : dict[str, matplotlib.patches.Rectangle]
        One bar per phase key of :func:`widgets.process.timeline`.
    result : widgets.process.Timeline
    """

    COLOURS = {
        "evaluation": OKABE_ITO["grey"], "leukapheresis": OKABE_ITO["blue"], "manufacturing": OKABE_ITO["orange"],
        "lymphodepletion": OKABE_ITO["reddish_purple"], "infusion": OKABE_ITO["vermillion"],
        "monitoring": OKABE_ITO["yellow"], "b_cell_aplasia": OKABE_ITO["sky_blue"], "follow_up": OKABE_ITO["bluish_green"],
    }
    X_LIMITS = (-35, 480)

    def __init__(self, manufacturing_days: int = process.DEFAULT_MANUFACTURING_DAYS):
        self.figure, self.ax = new_figure(figsize=(10, 4.8))
        ax = self.ax
        phases = process.timeline().phases
        self.phase_keys = [p.key for p in phases]
        y = np.arange(len(phases))
        bars = ax.barh(y, [1] * len(phases), left=[0] * len(phases), height=0.6,
                       color=[self.COLOURS[k] for k in self.phase_keys], edgecolor=PALETTE["text"], linewidth=0.6)
        self.bars = dict(zip(self.phase_keys, bars))
        # The notes move with the bars: anchored on whole pixels, their words are drawn from the text cache.
        self.notes = {k: ax.text(0, i, "", va="center", fontsize=9, in_layout=False,
                                 transform=ax.transData + WholePixels()) for i, k in enumerate(self.phase_keys)}
        ax.set_yticks(list(y), [p.label for p in phases])
        ax.invert_yaxis()
        ax.set_xlim(*self.X_LIMITS)
        ax.xaxis.set_major_locator(FixedLocator(range(0, self.X_LIMITS[1] + 1, 100)))  # the days never change
        ax.set_ylim(len(phases) - 0.4, -2.2)  # room for the legend above the first phase's note
        ax.set_xlabel("Days from leukapheresis (cell collection) [days]")
        (self.v2v_line,) = ax.plot([0, 1], [-1.05, -1.05], color=PALETTE["text"], marker="|", markersize=12,
                                   linewidth=2, label="Vein-to-vein time (this calendar)")
        self.v2v_text = ax.text(0, -1.3, "", fontsize=9, va="bottom", in_layout=False)
        self.infusion_line = ax.axvline(0, color=PALETTE["highlight"], linestyle="--", linewidth=1.2,
                                        label="Infusion day")
        for name, days in process.PUBLISHED_VEIN_TO_VEIN_DAYS.items():
            ax.plot([days], [-1.05], marker="v", color=OKABE_ITO["grey"], markersize=7, linestyle="none")
        ax.plot([], [], marker="v", color=OKABE_ITO["grey"], linestyle="none",
                label="Published median vein-to-vein, lymphoma (30.4, 35.9, 48.4 days)")
        ax.legend(loc="upper right", fontsize=9)
        # A title that does not change: the numbers are in the vein-to-vein note (a title with them would be new
        # text to lay out on every change).
        ax.set_title("Manufacturing time moves the infusion and every later step")
        require_int("manufacturing_days", manufacturing_days, minimum=process.MANUFACTURING_DAYS_RANGE[0],
                    maximum=process.MANUFACTURING_DAYS_RANGE[1])
        slider = ipywidgets.IntSlider(value=manufacturing_days, min=process.MANUFACTURING_DAYS_RANGE[0],
                                      max=process.MANUFACTURING_DAYS_RANGE[1], description="Manufacturing [days]:",
                                      style={"description_width": "initial"}, continuous_update=False,
                                      layout=ipywidgets.Layout(width="480px"))
        super().__init__({"manufacturing_days": slider})

    def update(self) -> str:
        tl = process.timeline(self.controls["manufacturing_days"].value)
        self.result = tl
        for phase in tl.phases:
            bar = self.bars[phase.key]
            bar.set_x(phase.start_day)
            bar.set_width(phase.duration_days)
            note = self.notes[phase.key]
            note.set_position((phase.end_day + 4, self.phase_keys.index(phase.key)))
            note.set_text(f"{phase.duration_days:g} d: {phase.note}" if phase.end_day < 300 else f"{phase.duration_days:g} d")
            if phase.end_day >= 300:
                note.set_position((phase.start_day + 4, self.phase_keys.index(phase.key)))
        v2v = tl.vein_to_vein_days
        self.v2v_line.set_data([0, v2v], [-1.05, -1.05])
        self.v2v_text.set_text(f"vein-to-vein {v2v:g} days")
        self.infusion_line.set_xdata([tl.infusion_day, tl.infusion_day])
        listed = "; ".join(f"{p.label} from day {p.start_day:g} to {p.end_day:g}" for p in tl.phases)
        return (f"Gantt chart of the CAR-T calendar in days from cell collection, with manufacturing set to "
                f"{tl.manufacturing_days:g} days. Vein-to-vein time {v2v:g} days. {listed}.")


class ExpansionView(FigureView):
    """The expansion calculator: CAR T cells in culture against the target dose for a body weight.

    Controls are number boxes, so an impossible entry (a negative count, 150% transduction)
    shows a plain message and keeps what was typed.

    Attributes
    ----------
    line : matplotlib.lines.Line2D
        CAR T cells in culture by day.
    result : widgets.process.ExpansionResult
    """

    def __init__(self, t_cells_collected: float = 5e7, transduction_efficiency_percent: float = 20.0,
                 doubling_time_hours: float = 36.0, days_in_culture: float = 10.0, body_weight_kg: float = 70.0,
                 target_dose_cells_per_kg: float = process.DEFAULT_TARGET_DOSE_CELLS_PER_KG):
        process.expansion(t_cells_collected, transduction_efficiency_percent, doubling_time_hours, days_in_culture,
                          body_weight_kg, target_dose_cells_per_kg)  # refuses bad starting values plainly
        self.figure, self.ax = new_figure(figsize=(8.5, 4.6))
        ax = self.ax
        ax.set_yscale("log")
        (self.line,) = ax.plot([0, 1], [1, 1], color=PALETTE["car_t"], linewidth=2.2, label="CAR T cells in culture")
        self.target_line = ax.axhline(1, color=PALETTE["text"], linestyle="--", linewidth=1.3, label="Target dose")
        self.reached_line = ax.axvline(0, color=PALETTE["positive"], linestyle=":", linewidth=1.6,
                                       label="Day the dose is reached")
        self.note = ax.text(0.02, 0.97, "", transform=ax.transAxes + WholePixels(), va="top", fontsize=9,
                            bbox={"facecolor": "white", "edgecolor": MUTED_FILL, "alpha": 0.9}, in_layout=False)
        # Powers of ten written with superscript digits, not mathtext (which is drawn afresh every time),
        # and no minor ticks (about a hundred over a dozen decades, each re-placed whenever the limits move).
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("Day of culture [days]")
        ax.tick_params(axis="x", pad=7)  # the first day's label clear of the lowest decade's label at the corner
        ax.set_ylabel("CAR T cells in culture [cells]")
        ax.legend(loc="lower right", fontsize=9)

        def box(value, description, width="300px"):
            return ipywidgets.FloatText(value=value, description=description, style={"description_width": "190px"},
                                        layout=ipywidgets.Layout(width=width))

        super().__init__({
            "t_cells_collected": box(t_cells_collected, "T cells into culture:"),
            "transduction_efficiency_percent": box(transduction_efficiency_percent, "Transduction [%]:"),
            "doubling_time_hours": box(doubling_time_hours, "Doubling time [hours]:"),
            "days_in_culture": box(days_in_culture, "Days in culture:"),
            "body_weight_kg": box(body_weight_kg, "Body weight [kg]:"),
            "target_dose_cells_per_kg": box(target_dose_cells_per_kg, "Target dose [cells/kg]:"),
        })

    def update(self) -> str:
        values = {name: widget.value for name, widget in self.controls.items()}
        res = process.expansion(**values)
        self.result = res
        cells = np.maximum(np.asarray(res.car_t_cells), 1.0)  # a log axis cannot show zero: draw it at 1
        self.line.set_data(res.day, cells)
        self.target_line.set_ydata([res.target_cells, res.target_cells])
        reached = res.dose_reached_day is not None
        self.reached_line.set_visible(reached)
        if reached:
            self.reached_line.set_xdata([res.dose_reached_day, res.dose_reached_day])
        self.note.set_text(_wrap(res.explanation, 70))
        # Even powers of ten (10^6, 10^8 ...): the axis keeps its ticks (and the picture its layout and saved
        # background) while the numbers move within them.
        low = 10.0 ** (2 * math.floor(math.log10(min(cells.min(), res.target_cells) / 5) / 2))
        high = 10.0 ** (2 * math.ceil(math.log10(max(cells.max(), res.target_cells) * 20) / 2))
        if self.ax.get_ylim() != (low, high):  # limits set only when they move: the axis is then left as drawn
            self.ax.set_ylim(low, high)
        # Round day limits (10, 15, 20, 30 ...): the axis and its ticks stay while the number of days moves within them.
        last_day = snap_up(float(res.day[-1]), DAY_LIMIT_STEPS)
        if self.ax.get_xlim() != (0, last_day):
            self.ax.set_xlim(0, last_day)
        # The day is in the note and on the dotted line; a title without it is drawn from the text cache.
        self.ax.set_title("Target dose reached in culture" if reached else "Target dose not reached with these settings")
        return (f"Line chart, log scale: CAR T cells in culture over {res.day[-1]:g} days, from "
                f"{res.car_t_cells[0]:.2g} to {res.final_car_t_cells:.2g} cells, against a dashed target of "
                f"{res.target_cells:.2g} cells. {res.explanation}")
