"""The interactive figures of notebook 01 (SLE). Each wires controls to a pure function in :mod:`widgets.sle`."""
from __future__ import annotations

import textwrap

import ipywidgets
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import sle
from .figure import FigureView, new_figure
from .style import OKABE_ITO, PALETTE, ink_on
from .validate import require_choice

__all__ = ["PathogenesisView", "EpidemiologyView", "OrganInvolvementView", "TreatmentLadderView"]

ACTIVE_FILL, MUTED_FILL, MUTED_TEXT = OKABE_ITO["sky_blue"], "#EEEEEE", "#666666"


def _dropdown(options: dict[str, str], value: str, description: str, width: str = "420px", *,
              name: str) -> ipywidgets.Dropdown:
    require_choice(name, value, options)
    return ipywidgets.Dropdown(
        options=[(label, key) for key, label in options.items()], value=value, description=description,
        style={"description_width": "initial"}, layout=ipywidgets.Layout(width=width),
    )


class PathogenesisView(FigureView):
    """The chain from triggers to organ damage; the learner picks an organ and sees its path.

    Attributes
    ----------
    boxes : dict[str, FancyBboxPatch]
        One box per step of :data:`widgets.sle.PATHOGENIC_STEPS`, plus ``"manifestation"``.
    result : widgets.sle.OrganPathway
        The pathway now shown.
    """

    # Snake layout: first row left to right, second row right to left, ending at the organ.
    POSITIONS = {
        "triggers": (0, 1), "nuclear_material": (1, 1), "b_cells": (2, 1), "autoantibodies": (3, 1),
        "immune_complexes": (3, 0), "complement": (2, 0), "inflammation": (1, 0), "manifestation": (0, 0),
    }

    def __init__(self, organ: str = "kidney"):
        self.figure, self.ax = new_figure(figsize=(9, 4.6))
        ax = self.ax
        ax.set_xlim(-0.55, 3.55)
        ax.set_ylim(-0.6, 1.5)
        ax.set_axis_off()
        self.boxes, self.labels = {}, {}
        for step in [*sle.PATHOGENIC_STEPS, sle.Step("manifestation", "", "")]:
            x, y = self.POSITIONS[step.key]
            box = FancyBboxPatch((x - 0.45, y - 0.3), 0.9, 0.6, boxstyle="round,pad=0.02,rounding_size=0.08",
                                 linewidth=1.5, edgecolor=PALETTE["text"], facecolor=MUTED_FILL)
            ax.add_patch(box)
            self.boxes[step.key] = box
            self.labels[step.key] = ax.text(x, y, step.label, ha="center", va="center", fontsize=10.5, in_layout=False)
        order = [s.key for s in sle.PATHOGENIC_STEPS] + ["manifestation"]
        self.arrows = []
        for a, b in zip(order, order[1:]):
            (xa, ya), (xb, yb) = self.POSITIONS[a], self.POSITIONS[b]
            start = (xa + 0.46 * (xb - xa > 0) - 0.46 * (xb - xa < 0), ya - 0.31 * (yb < ya))
            end = (xb - 0.46 * (xb - xa > 0) + 0.46 * (xb - xa < 0), yb + 0.31 * (yb < ya))
            arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, linewidth=1.5, color=PALETTE["text"])
            ax.add_patch(arrow)
            self.arrows.append(arrow)
        self.caption = ax.text(1.5, -0.5, "", ha="center", va="center", fontsize=10.5, in_layout=False)
        organ_names = {k: k.capitalize() for k in sle.ORGAN_PATHWAYS}
        organ_names.update({"serosa": "Linings of lungs and heart", "blood": "Blood cells", "brain": "Brain and nerves"})
        super().__init__({"organ": _dropdown(organ_names, organ, "Organ:", name="organ")})

    def update(self) -> str:
        path = sle.pathogenic_chain(self.controls["organ"].value)
        self.result = path
        for step in sle.PATHOGENIC_STEPS:
            active = step.key in path.steps
            self.boxes[step.key].set_facecolor(ACTIVE_FILL if active else MUTED_FILL)
            self.boxes[step.key].set_linestyle("-" if active else "--")
            self.labels[step.key].set_color(PALETTE["text"] if active else MUTED_TEXT)
        self.labels["autoantibodies"].set_text(path.autoantibodies)
        self.boxes["manifestation"].set_facecolor(PALETTE["secondary"])
        self.labels["manifestation"].set_text(path.manifestation)
        self.labels["manifestation"].set_fontweight("bold")
        self.labels["manifestation"].set_fontsize(10)
        self.caption.set_text("Dashed, grey steps play a smaller part in this organ. Simplified from Tsokos 2011 and Kaul 2016.")
        title = {"kidney": "the kidneys", "skin": "the skin", "joints": "the joints", "blood": "the blood cells",
                 "serosa": "the linings of lungs and heart", "brain": "the brain"}[path.organ]
        self.ax.set_title(f"How lupus harms {title}")
        steps = [(path.autoantibodies if s.key == "autoantibodies" else s.label).replace("\n", " ")
                 for s in sle.PATHOGENIC_STEPS if s.key in path.steps]
        return (f"Flow diagram of how lupus harms {title}. The path runs through: {'; '.join(steps)}; "
                f"and ends in: {path.manifestation.replace(chr(10), ' ')}. {path.plain}")


class EpidemiologyView(FigureView):
    """Global incidence or prevalence of SLE for everyone, women and men, with uncertainty intervals."""

    GROUPS = ("everyone", "women", "men")
    COLOURS = (OKABE_ITO["grey"], OKABE_ITO["reddish_purple"], OKABE_ITO["blue"])

    def __init__(self, measure: str = "prevalence"):
        self.figure, self.ax = new_figure(figsize=(7.5, 4.2))
        x = range(len(self.GROUPS))
        self.bars = self.ax.bar(x, [1, 1, 1], color=self.COLOURS, width=0.6)
        self.intervals = self.ax.vlines(x, [0, 0, 0], [1, 1, 1], colors=PALETTE["text"], linewidth=1.5,
                                        label="Uncertainty interval of the model")
        self.values = [self.ax.text(i, 0, "", ha="left", va="bottom", fontsize=11, in_layout=False) for i in x]
        self.ax.set_xticks(list(x), ["Everyone", "Women", "Men"])
        self.ax.legend(loc="upper right")
        require_choice("measure", measure, ("prevalence", "incidence"))
        super().__init__({"measure": ipywidgets.ToggleButtons(
            options=[("People living with SLE (prevalence)", "prevalence"), ("New cases each year (incidence)", "incidence")],
            value=measure, style={"button_width": "260px"})})

    def update(self) -> str:
        measure = self.controls["measure"].value
        est = sle.epidemiology(measure)
        segments = []
        for i, group in enumerate(self.GROUPS):
            e = est[group]
            self.bars[i].set_height(e.value)
            segments.append([(i, e.low), (i, e.high)])
            self.values[i].set_position((i + 0.05, e.value))
            self.values[i].set_text(f"{e.value:g}")
        self.intervals.set_segments(segments)
        self.ax.set_ylim(0, max(e.high for e in est.values()) * 1.05)
        self.ax.set_ylabel(sle.EPIDEMIOLOGY_MEASURES[measure])
        ratio = sle.female_to_male_ratio(measure)
        noun = "living with SLE" if measure == "prevalence" else "diagnosed each year"
        self.ax.set_title(f"About {ratio:.1f} women for every man {noun}")
        self.result = est
        return (f"Bar chart of global SLE {measure} per 100,000"
                + (" person-years" if measure == "incidence" else " people")
                + f": everyone {est['everyone'].value:g}, women {est['women'].value:g}, men {est['men'].value:g}, "
                f"each with a wide uncertainty interval (for everyone {est['everyone'].low:g} to {est['everyone'].high:g}). "
                f"Women outnumber men about {ratio:.1f} to 1.")


class OrganInvolvementView(FigureView):
    """How often each feature occurred in the Euro-Lupus cohort (Cervera 2003), in four views."""

    MAX_ROWS = max(len(sle.EURO_LUPUS_1990_2000), len(sle.EURO_LUPUS_COMPLICATIONS))
    GROUP_COLOURS = [OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "reddish_purple", "vermillion",
                                             "sky_blue", "black", "yellow")]
    # Each group also has its own hatch, so the groups stay apart in greyscale and in print.
    GROUP_HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++"]

    def __init__(self, view: str = "frequency"):
        self.figure, self.ax = new_figure(figsize=(8.5, 4.6))
        rows = range(self.MAX_ROWS)
        self.bars = self.ax.barh(list(rows), [0] * self.MAX_ROWS, height=0.65, color=PALETTE["primary"])
        self.values = [self.ax.text(0, i, "", va="center", fontsize=10, in_layout=False) for i in rows]
        self.ax.invert_yaxis()
        self.ax.set_xlim(0, 60)
        self.ax.set_xlabel("Patients affected at least once, 1990-2000 [% of 1,000]")
        super().__init__({"view": _dropdown(sle.INVOLVEMENT_VIEWS, view, "Show:", name="view")})

    def update(self) -> str:
        view = self.controls["view"].value
        rows = sle.organ_involvement(view)
        groups = list(dict.fromkeys(g for _, _, g in rows))
        colour_of = {g: self.GROUP_COLOURS[i % len(self.GROUP_COLOURS)] for i, g in enumerate(groups)}
        hatch_of = {g: self.GROUP_HATCHES[i % len(self.GROUP_HATCHES)] for i, g in enumerate(groups)}
        if view in ("frequency", "complications"):
            colour_of = {g: PALETTE["primary"] if view == "frequency" else PALETTE["highlight"] for g in groups}
            hatch_of = {g: "" for g in groups}
        for i, bar in enumerate(self.bars):
            visible = i < len(rows)
            bar.set_visible(visible)
            self.values[i].set_visible(visible)
            if visible:
                label, pct, group = rows[i]
                bar.set_width(pct)
                bar.set_facecolor(colour_of[group])
                bar.set_edgecolor(ink_on(colour_of[group]) if hatch_of[group] else colour_of[group])  # the hatch's colour
                bar.set_linewidth(0.6 if hatch_of[group] else 0)
                bar.set_hatch(hatch_of[group])
                self.values[i].set_position((pct + 0.7, i))
                self.values[i].set_text(f"{pct:g}%")
        self.ax.set_yticks(range(len(rows)), [r[0] for r in rows])
        self.ax.set_ylim(len(rows) - 0.5, -0.5)
        legend = self.ax.get_legend()
        if legend is not None:
            legend.remove()
        if len(groups) > 1:
            from matplotlib.patches import Patch
            self.ax.legend(handles=[Patch(facecolor=colour_of[g], edgecolor=ink_on(colour_of[g]), linewidth=0.6,
                                          hatch=hatch_of[g], label=g) for g in groups], loc="lower right", fontsize=9.5)
        titles = {
            "frequency": "Joints, skin and kidneys are the most often involved",
            "system": "Lupus reaches almost every organ system",
            "found_by": "Kidney and blood involvement are usually found by tests first",
            "complications": "Infections were the commonest complication; 92% survived 10 years",
        }
        self.ax.set_title(textwrap.fill(titles[view], 52))
        self.result = rows
        listed = "; ".join(f"{label} {pct:g}%" + (f" ({g})" if len(groups) > 1 else "") for label, pct, g in rows)
        return (f"Horizontal bar chart from the Euro-Lupus cohort of 1,000 patients, 1990 to 2000, view: "
                f"{sle.INVOLVEMENT_VIEWS[view].lower()}. {listed}.")


class TreatmentLadderView(FigureView):
    """Treatment options as a ladder (EULAR 2023 and 2025, ACR 2024 and 2025, approvals to 2026-12); pick a situation."""

    def __init__(self, situation: str = "everyone"):
        n = len(sle.TREATMENT_LADDER)
        self.figure, self.ax = new_figure(figsize=(9, 5.8))
        ax = self.ax
        ax.set_xlim(0, 10)
        ax.set_ylim(-1.0, n - 0.3)
        ax.set_axis_off()
        self.boxes, self.names, self.details, self.sources = [], [], [], []
        for i, rung in enumerate(sle.TREATMENT_LADDER):
            box = FancyBboxPatch((0.1, i - 0.4), 9.8, 0.8, boxstyle="round,pad=0.01,rounding_size=0.1",
                                 linewidth=1.4, edgecolor=PALETTE["text"], facecolor=MUTED_FILL,
                                 linestyle="--" if rung.investigational else "-")
            ax.add_patch(box)
            self.boxes.append(box)
            self.names.append(ax.text(0.3, i, rung.label, va="center", fontsize=11, fontweight="bold", in_layout=False))
            self.details.append(ax.text(2.75, i + 0.13, rung.detail, va="center", fontsize=9, in_layout=False))
            self.sources.append(ax.text(2.75, i - 0.2, f"source: {rung.source}", va="center", fontsize=9,
                                        style="italic", in_layout=False))
        self.footnote = ax.text(0.1, -0.55, "", fontsize=9.5, va="top", in_layout=False)
        super().__init__({"situation": _dropdown(sle.TREATMENT_SITUATIONS, situation, "Situation:", name="situation")})

    def update(self) -> str:
        situation = self.controls["situation"].value
        ladder = sle.treatment_ladder(situation)
        for (rung, applies), box, name, detail, source in zip(ladder, self.boxes, self.names, self.details, self.sources):
            fill = (PALETTE["secondary"] if rung.investigational else ACTIVE_FILL) if applies else MUTED_FILL
            box.set_facecolor(fill)
            colour = PALETTE["text"] if applies else MUTED_TEXT
            name.set_color(colour)
            detail.set_color(colour)
            source.set_color(colour)
        label = sle.TREATMENT_SITUATIONS[situation]
        self.ax.set_title(f"{label}:\noptions in guidelines and approvals as of {sle.TREATMENT_AS_OF}")
        self.footnote.set_text("Dashed rung: outside the recommendations. A simplification, not a prescribing guide.")
        self.result = [rung.key for rung, applies in ladder if applies]
        on = [f"{r.label} ({r.detail}; source: {r.source})" for r, applies in ladder if applies]
        return (f"Treatment ladder as of {sle.TREATMENT_AS_OF}, base at the bottom. For '{label}' the highlighted options are: "
                + "; ".join(on) + ". Dashed rung: clinical trials, investigational, outside the recommendations.")
