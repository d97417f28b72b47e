"""The figures and tables of notebook 04 (evidence and safety), wired to :mod:`widgets.evidence`.

Every number drawn here comes from :data:`widgets.evidence.STUDIES` or
:data:`widgets.evidence.LYMPHOMA_TRIALS`; nothing is typed in twice.
"""
from __future__ import annotations

import html
import textwrap

import ipywidgets
from matplotlib import rcParams
from matplotlib.lines import TICKLEFT, Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from . import evidence, static
from .figure import FigureView, WholePixels, new_figure, snap_up
from .style import PALETTE, ink_on
from .validate import require_choice, require_items, require_keys

__all__ = ["StudyExplorerView", "CrsComparisonView", "SafetyComparisonView", "StudyTable", "EXPLORER_DEFAULT"]

NOT_REPORTED = "not reported"
# The explorer opens on the five peer-reviewed series with the most numbers; every report in the
# table can be picked in its list, and the pooled figures (evidence.pool) cover all current reports.
EXPLORER_DEFAULT = ("mackensen2022", "mueller2024", "wang2024", "feng2025", "wangd2025")


def _small_series_note(rows) -> str:
    sizes = [evidence.STUDIES[r.key].patients_total for r in rows]
    low, high = min(sizes), max(sizes)
    span = f"{low} patient{'s' if low != 1 else ''} each" if low == high else f"{low} to {high} patients each"
    return f"Small, uncontrolled reports ({span}): encouraging, but not proof from controlled trials."


SMALL_SERIES_NOTE = "Small, uncontrolled reports: encouraging, but not proof from controlled trials."
ZERO_EVENTS_NOTE = ("A bar at 0 is not proof of zero risk: 0 of n fits a true rate up to about 3/n "
                    "(rule of three, Hanley 1983); the exact 95% upper limit is printed under each 0.")

SAFETY_CAVEAT = ("Grading scales and follow-up differ between trials, so the comparison is approximate; "
                 "the pooled lupus figure leaves out counts that mix lupus with other diseases.")

WHITE = "#FFFFFF"
NOTE_WIDTH_CHARS = 95  # wrap the notes under the x axis so that they fit the figure width
PERCENT_TOP = 112  # room above 100% for the "n =" labels; ticks stop at 100
PERCENT_TICKS = tuple(range(0, 101, 20))
INSIDE_MIN_PERCENT = 25  # taller bars carry their value label inside, in white
MAX_STUDIES_SHOWN = 6  # more bars than this leave no room for each one's numbers (tests/test_figure_legibility.py)
HATCH = "//"
LYMPHOMA_HATCH = ".."  # dots, not the stripes the explorer uses for means and maxima

# Titles state the message of each view; they are checked against the data in the tests.
_TITLES = {
    "patients_sle": "Each study treated only a handful of people with SLE",
    "doris": "Most patients reached DORIS remission in the studies that report it",
    "crs_any": "Cytokine release syndrome was common but mostly grade 1",
    "crs_grade2plus": "CRS of grade 2 or higher was rare in the lupus series",
    "icans": "Neurotoxicity (ICANS) was rare or absent where reported",
    "follow_up_months": "Follow-up is still short: months, not decades",
    "sledai": "Disease activity (SLEDAI-2K) fell after CAR-T where reported",
}

# Short y-axis labels (with units) that fit the figure height; the long names stay in evidence.OUTCOMES.
AXIS_LABELS = {
    "patients_sle": "Patients with SLE treated\n[people]",
    "doris": "DORIS remission\n[% of patients]",
    "crs_any": "CRS, any grade\n[% of patients]",
    "crs_grade2plus": "CRS, grade 2 or higher\n[% of patients]",
    "icans": "ICANS, any grade\n[% of patients]",
    "follow_up_months": "Follow-up\n[months]",
    "sledai": "SLEDAI-2K\n[points]",
}


def _percent_outcome(outcome: str) -> bool:
    return outcome in ("doris", "crs_any", "crs_grade2plus", "icans")


def _wrap(*notes: str) -> str:
    return "\n".join(textwrap.fill(n, NOTE_WIDTH_CHARS) for n in notes)


def _statistic(key: str, outcome: str) -> str | None:
    """Which statistic a follow-up or SLEDAI-2K bar shows ("median", "maximum", "mean"), else None."""
    s = evidence.STUDIES[key]
    if outcome == "follow_up_months":
        return s.follow_up_statistic
    if outcome == "sledai":
        return s.sledai_statistic
    return None


class StudyExplorerView(FigureView):
    """Published CAR-T studies in SLE side by side for one outcome, with n on every bar.

    Controls: ``outcome`` (Dropdown, first: it changes the picture) and ``studies``
    (SelectMultiple of study keys). An empty selection shows "Choose at least one study" and
    keeps the learner's selection. Attributes a test can read: ``bars``, ``bars_after``,
    ``value_labels``, ``n_labels``, ``name_labels`` (the study names under the bars), ``note``
    (the notes under them), ``y_label``, ``y_tick_labels``, ``y_ticks`` (the tick values),
    ``result`` (the :class:`widgets.evidence.OutcomeRow` list).

    Percentages run on an axis capped at 100% (ticks 0-100). Follow-up and SLEDAI-2K bars that
    are not medians (a maximum, a mean) are drawn hatched with a white fill, and the legend and
    the names under the bars say which statistic each bar is. A bar at 0 of n carries the exact 95%
    upper limit of the true rate (:func:`widgets.evidence.zero_events_upper_percent`).

    The layout is fixed (no constrained layout): the x axis always has ``MAX_STUDIES_SHOWN`` slots,
    the chosen bars centred in them, and the margins hold the longest names and notes. The axes
    frame, ticks, tick labels, names and notes are artists of this view rather than matplotlib axis
    objects, so that every update changes the same artists and is drawn over the saved background
    (``widgets.figure.FigureView._render``), whatever the outcome's scale.
    """

    SLOTS = MAX_STUDIES_SHOWN
    SLOT_IN = 1.34  # 134 px at 100 dpi: an even number, so slot centres (and half-slot shifts) are whole pixels
    LEFT_IN, BOTTOM_IN, TOP_IN = 0.9, 1.45, 0.32  # room for the y label, the longest names and notes, the title
    TICK_PT, PAD_PT = 3.5, 3.5
    Y_TICKS_MAX = 8
    NAME_LINES_MAX = 3  # a study's name under its bar, wrapped at 16 characters, plus "(maximum)" or "(mean)"

    def __init__(self, outcome: str = "crs_any", studies: tuple[str, ...] | None = None):
        require_choice("outcome", outcome, evidence.OUTCOMES)
        if studies is not None:
            studies = tuple(require_items("studies", studies, what="study keys"))
            require_keys("studies", studies, evidence.STUDY_ORDER)
            if not 1 <= len(studies) <= MAX_STUDIES_SHOWN:
                raise ValueError(f"studies must name 1 to {MAX_STUDIES_SHOWN} studies; got {len(studies)}.")
        width_in, height_in = 9, 5.4
        self.figure, self.ax = new_figure(figsize=(width_in, height_in))
        fig, ax = self.figure, self.ax
        fig.set_layout_engine("none")
        ax.set_position((self.LEFT_IN / width_in, self.BOTTOM_IN / height_in, self.SLOTS * self.SLOT_IN / width_in,
                         (height_in - self.BOTTOM_IN - self.TOP_IN) / height_in))
        ax.set_axis_off()
        ax.set_xlim(-0.5, self.SLOTS - 0.5)
        whole = WholePixels()
        data = ax.transData + whole
        x = list(range(self.SLOTS))
        self.bars = ax.bar(x, [0] * self.SLOTS, width=0.6, color=PALETTE["primary"])
        self.bars_after = ax.bar(x, [0] * self.SLOTS, width=0.3, color=PALETTE["secondary"])
        self.value_labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=10, transform=data) for i in x]
        self.after_labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=10, transform=data) for i in x]
        self.n_labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=10, fontweight="bold", transform=data)
                         for i in x]
        # The axes frame (left and bottom), the y ticks and the labels, drawn as this view's own artists.
        edge = rcParams["axes.edgecolor"]
        ax.add_artist(Line2D([0, 0, 1], [1, 0, 0], transform=ax.transAxes, color=edge,
                             linewidth=rcParams["axes.linewidth"], clip_on=False))
        gap = self.TICK_PT + self.PAD_PT
        self.y_tick_marks = ax.add_artist(Line2D(
            [], [], transform=ax.get_yaxis_transform(), marker=TICKLEFT, linestyle="None", color=edge,
            markersize=self.TICK_PT, markeredgewidth=rcParams["ytick.major.width"], clip_on=False))
        ticks = offset_copy(ax.get_yaxis_transform(), fig, x=-gap, units="points") + whole
        self.y_tick_labels = [ax.text(0, 0, "", ha="right", va="center", fontsize=rcParams["ytick.labelsize"],
                                      transform=ticks) for _ in range(self.Y_TICKS_MAX)]
        self.y_ticks: list[float] = []
        self.y_label = ax.text(0, 0.5, "", rotation=90, ha="right", va="center", fontsize=rcParams["axes.labelsize"],
                               transform=offset_copy(ax.transAxes, fig, x=-gap - 27, units="points") + whole)
        names = offset_copy(ax.get_xaxis_transform(), fig, y=-gap, units="points") + whole
        self.name_labels = [ax.text(i, 0, "", ha="center", va="top", fontsize=rcParams["xtick.labelsize"],
                                    transform=names) for i in x]
        # The notes start under the names; where depends on how many lines the longest name has.
        line_pt = self.name_labels[0].get_fontsize() * 1.2 * 1.05  # matplotlib's line step: 1.2 x the height of "lp"
        self._note_transforms = {
            lines: offset_copy(ax.transAxes, fig, y=-gap - lines * line_pt - 6, units="points") + whole
            for lines in range(1, self.NAME_LINES_MAX + 1)}
        self.note = ax.text(0.5, 0, "", ha="center", va="top", fontsize=rcParams["axes.labelsize"],
                            transform=self._note_transforms[1])
        self.legend_follow_up = ax.legend(
            handles=[Patch(facecolor=PALETTE["primary"], edgecolor=PALETTE["primary"], label="Median follow-up"),
                     Patch(facecolor=WHITE, edgecolor=PALETTE["primary"], hatch=HATCH,
                           label="Not a median: the longest follow-up\nreported (maximum), or a mean")],
            loc="upper left")
        ax.add_artist(self.legend_follow_up)
        self.legend = ax.legend(
            handles=[Patch(color=PALETTE["primary"], label="Before CAR-T"),
                     Patch(color=PALETTE["secondary"], label="After CAR-T"),
                     Patch(facecolor=WHITE, edgecolor=PALETTE["text"], hatch=HATCH,
                           label="Hatched: mean; solid: median")],
            loc="upper right")
        # Every update sets all of these, so each picture after the first redraws the same artists over the
        # same background (the title and legends included: they change with the outcome).
        self._changing = [*self.bars, *self.bars_after, *self.value_labels, *self.after_labels, *self.n_labels,
                          *self.name_labels, *self.y_tick_labels, self.y_tick_marks, self.y_label, self.note,
                          ax.title, self.legend, self.legend_follow_up]
        outcome_control = ipywidgets.Dropdown(
            options=[(label, key) for key, label in evidence.OUTCOMES.items()], value=outcome,
            description="Outcome:", style={"description_width": "initial"}, layout=ipywidgets.Layout(width="520px"))
        chosen = EXPLORER_DEFAULT if studies is None else tuple(studies)
        study_control = ipywidgets.SelectMultiple(
            options=[(evidence.STUDIES[k].title_short + ("" if evidence.STUDIES[k].current else " [superseded]"), k)
                     for k in evidence.STUDY_ORDER], value=chosen,
            description="Studies:", rows=min(10, len(evidence.STUDY_ORDER)), style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="420px"))
        super().__init__({"outcome": outcome_control, "studies": study_control})

    def _style_bar(self, bar, colour: str, hatched: bool) -> None:
        bar.set_facecolor(WHITE if hatched else colour)
        bar.set_edgecolor(colour)
        bar.set_linewidth(1.5)
        bar.set_hatch(HATCH if hatched else "")

    def _set_y_axis(self, top: float, ticks) -> None:
        self.ax.set_ylim(0, top)
        self.y_ticks = [float(t) for t in ticks if 0 <= t <= top][:self.Y_TICKS_MAX]
        self.y_tick_marks.set_data([0] * len(self.y_ticks), self.y_ticks)
        for i, label in enumerate(self.y_tick_labels):
            shown = i < len(self.y_ticks)
            label.set_visible(shown)
            if shown:
                label.set_position((0, self.y_ticks[i]))
                label.set_text(f"{self.y_ticks[i]:g}")

    def update(self) -> str:
        outcome = self.controls["outcome"].value
        chosen = tuple(self.controls["studies"].value)
        if not chosen:
            raise ValueError("Choose at least one study (hold Ctrl or Cmd to pick several).")
        if len(chosen) > MAX_STUDIES_SHOWN:
            raise ValueError(f"Choose at most {MAX_STUDIES_SHOWN} studies at once, so that every bar keeps its numbers "
                             f"readable; {len(chosen)} are chosen.")
        rows = evidence.outcome_table(chosen, outcome)
        self.result = rows
        paired = outcome == "sledai"
        percent = _percent_outcome(outcome)
        reported = [r for r in rows if r.value is not None]
        top = max([r.value for r in reported] + [r.value_after or 0 for r in reported] + [1.0])
        ymax = 100.0 if percent else top * 1.35
        pad = ymax * 0.015
        line = ymax * 0.075
        if percent:
            self._set_y_axis(PERCENT_TOP, PERCENT_TICKS)
        else:
            limit = snap_up(ymax + line * 1.5)
            self._set_y_axis(limit, MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(0, limit))
        shift = (self.SLOTS - len(rows)) / 2  # the chosen bars sit in the middle slots
        zero_rows = []
        name_lines = 1
        for i in range(self.SLOTS):
            bar, after, value_label, after_label, n_label, name_label = (
                self.bars[i], self.bars_after[i], self.value_labels[i], self.after_labels[i], self.n_labels[i],
                self.name_labels[i])
            visible = i < len(rows)
            for artist in (bar, after, value_label, after_label, n_label, name_label):
                artist.set_visible(visible)
            if not visible:
                continue
            row = rows[i]
            x = i + shift
            statistic = _statistic(row.key, outcome)
            hatched = statistic in ("maximum", "mean")
            height = 0.0 if row.value is None else row.value
            bar.set_height(height)
            bar.set_x(x - (0.32 if paired else 0.3))
            bar.set_width(0.3 if paired else 0.6)
            self._style_bar(bar, PALETTE["primary"], hatched)
            after.set_visible(paired and row.value_after is not None)
            after.set_height(row.value_after or 0.0)
            after.set_x(x + 0.02)
            after.set_width(0.3)
            self._style_bar(after, PALETTE["secondary"], hatched)
            after_label.set_visible(paired and row.value_after is not None)
            inside = False
            if row.value is None:
                value_label.set_text(NOT_REPORTED)
            elif percent:
                text = f"{row.count.n}/{row.count.N}\n{row.value:.0f}%"
                if row.count.n == 0:
                    upper = evidence.zero_events_upper_percent(row.count.N)
                    text += f"\n(true rate could\nbe up to {upper:.0f}%)"
                    zero_rows.append(row)
                value_label.set_text(text)
                inside = height >= INSIDE_MIN_PERCENT
            elif outcome == "follow_up_months":
                value_label.set_text(row.text.replace(" months", " mo").replace(" patients)", ")"))
            else:
                value_label.set_text(f"{row.value:g}")
            label_x = x - 0.17 if paired and row.value is not None else x
            if inside:
                value_label.set_position((label_x, height - pad))
                value_label.set_verticalalignment("top")
                value_label.set_color(WHITE)
            else:
                value_label.set_position((label_x, height + pad))
                value_label.set_verticalalignment("bottom")
                value_label.set_color(PALETTE["text"])
            after_label.set_position((x + 0.17, (row.value_after or 0.0) + pad))
            after_label.set_text("" if row.value_after is None else f"{row.value_after:g}")
            lines = 0 if inside else value_label.get_text().count("\n") + 1
            n_top = max(height, row.value_after or 0.0) + pad + lines * line
            n_label.set_text(f"n = {row.patients}")
            n_label.set_position((x, n_top))
            name = textwrap.fill(row.label, 16)  # "Kyverna abstract\n2024": six names fit side by side
            if statistic not in (None, "not reported") and row.value is not None:
                name = f"{name}\n({statistic})"
            name_label.set_text(name)
            name_label.set_x(x)
            name_lines = max(name_lines, name.count("\n") + 1)
            if name_lines > self.NAME_LINES_MAX:  # room is kept for three lines; tests/test_evidence_views.py
                raise ValueError(f"the study name {row.label!r} needs {name_lines} lines under its bar; "
                                 f"at most {self.NAME_LINES_MAX} fit (shorten its label in studies.yaml).")
        self.y_label.set_text(AXIS_LABELS[outcome])
        small = _small_series_note(rows)
        kinds = sorted({evidence.STUDIES[r.key].source_kind for r in rows})
        # Under the bars the notes vary only with the kinds of source (each new line costs its glyph layout, about
        # 50 us a character): the reports' sizes, in all patients, are in the text alternative; each bar gives its n.
        notes = [f"Sources: {', '.join(kinds)}.", SMALL_SERIES_NOTE]
        notes += [ZERO_EVENTS_NOTE] if zero_rows else []
        self.note.set_text(_wrap(*notes))
        self.note.set_transform(self._note_transforms[name_lines])
        self.legend.set_visible(paired)
        self.legend_follow_up.set_visible(outcome == "follow_up_months")
        self.ax.set_title(_TITLES[outcome])
        for artist in self._changing:
            artist.stale = True
        shown = "; ".join(f"{r.label}: {r.text}, n = {r.patients}" for r in rows)
        alt = (f"Bar chart of '{evidence.OUTCOMES[outcome]}' for {len(rows)} "
               f"{'study' if len(rows) == 1 else 'studies'}. {shown}. {small}")
        if outcome == "follow_up_months":
            alt += (" Solid bars are medians; hatched bars are not: the longest follow-up reported (a maximum) "
                    "or a mean, neither comparable with a median.")
        if paired:
            alt += " Solid bars are medians, hatched bars means; blue is before CAR-T, orange after."
        if zero_rows:
            alt += " " + " ".join(
                f"{r.label}: 0 of {r.count.N}, compatible with a true rate up to "
                f"{evidence.zero_events_upper_percent(r.count.N):.0f}% (95% upper limit)." for r in zero_rows)
        return alt


class SafetyComparisonView(FigureView):
    """One safety measure in SLE (this course's pooled reports, the 2025 systematic review) next to the
    pivotal lymphoma trials ZUMA-1 and JULIET: CRS, neurotoxicity and serious infections.

    Every SLE figure is computed from the evidence table (:func:`widgets.evidence.safety_comparison`).
    The percentage axis stops at 100%; a bar with no verified number says so; a zero bar carries the
    exact 95% upper limit of the true rate.
    """

    MEASURE_BUTTONS = (("Severe CRS (grade 3+)", "crs_grade3plus"), ("CRS, any grade", "crs_any"),
                       ("ICANS, any grade", "icans"), ("Severe neurotoxicity (grade 3+)", "icans_grade3plus"),
                       ("Serious infections", "serious_infections"))

    def __init__(self, measure: str = "crs_grade3plus"):
        self.figure, self.ax = new_figure(figsize=(9, 5.0))
        n = len(evidence.safety_comparison("crs_any"))
        self.bars = self.ax.barh(list(range(n)), [0] * n, height=0.6, color=PALETTE["primary"])
        self.labels = [self.ax.text(0, i, "", va="center", fontsize=10, in_layout=False) for i in range(n)]
        self.ax.invert_yaxis()
        self.ax.set_xlim(0, PERCENT_TOP)
        self.ax.set_xticks(PERCENT_TICKS)
        # Lymphoma bars are hatched as well as coloured: the two groups differ in more than colour.
        self.ax.legend(handles=[Patch(facecolor=PALETTE["primary"], label="CAR-T in SLE"),
                                Patch(facecolor=PALETTE["highlight"], edgecolor=WHITE, linewidth=0.6,
                                      hatch=LYMPHOMA_HATCH, label="CAR-T in lymphoma\n(pivotal trials, dotted)")],
                       loc="upper left", bbox_to_anchor=(1.01, 1.0))
        require_choice("measure", measure, [key for _label, key in self.MEASURE_BUTTONS])
        super().__init__({"measure": ipywidgets.Dropdown(
            options=list(self.MEASURE_BUTTONS), value=measure, description="Side effect:",
            style={"description_width": "initial"}, layout=ipywidgets.Layout(width="420px"))})

    def update(self) -> str:
        measure = self.controls["measure"].value
        rows = evidence.safety_comparison(measure)
        self.result = rows
        zero_notes = []
        for i, (label, group, pct, n_text, _note) in enumerate(rows):
            bar = self.bars[i]
            bar.set_width(0.0 if pct is None else pct)
            fill = PALETTE["highlight"] if group == "Lymphoma" else PALETTE["primary"]
            bar.set_facecolor(fill)
            bar.set_edgecolor(WHITE)  # the hatch's colour: white dots, so a black label on the bar still reads
            bar.set_linewidth(0)
            bar.set_hatch(LYMPHOMA_HATCH if group == "Lymphoma" else "")
            value = NOT_REPORTED if pct is None and n_text == "not reported" else (
                "not verified here" if pct is None else f"{pct:.0f}%")
            text = value if n_text in ("not reported", "not verified here") else f"{value}  ({n_text})"
            if pct == 0 and group == "SLE":
                n_patients = int(n_text.split(" of ")[1])
                upper = evidence.zero_events_upper_percent(n_patients)
                text += f": could be up to {upper:.0f}%"
                zero_notes.append(f"{label} 0 of {n_patients}, up to {upper:.0f}%")
            self.labels[i].set_text(text)
            inside = pct is not None and pct >= 60
            self.labels[i].set_position(((pct - 1.5) if inside else (pct or 0.0) + 1.5, i))
            self.labels[i].set_horizontalalignment("right" if inside else "left")
            self.labels[i].set_color(ink_on(fill) if inside else PALETTE["text"])
            # Inside a bar, the label sits on a patch of the bar's own colour, clear of the hatch's dots.
            self.labels[i].set_bbox({"facecolor": fill, "edgecolor": "none", "pad": 1.5} if inside else None)
        self.ax.set_yticks(range(len(rows)), [textwrap.fill(r[0], 28) for r in rows])
        notes = [SAFETY_CAVEAT] + ([ZERO_EVENTS_NOTE.replace("printed under each 0", "printed beside each 0")]
                                   if zero_notes else [])
        self.ax.set_xlabel(f"{evidence.SAFETY_MEASURES[measure]}\n" + _wrap(*notes))
        sle = [r for r in rows if r[1] == "SLE" and r[2] is not None]
        lymph = [r[2] for r in rows if r[1] == "Lymphoma" and r[2] is not None]
        name = dict((v, k) for k, v in self.MEASURE_BUTTONS)[measure]
        sle_txt = " and ".join(f"{r[3]}" for r in sle) if sle else "not reported"
        lymph_txt = (f"{min(lymph):.0f}%" if len(lymph) == 1 or min(lymph) == max(lymph)
                     else f"{min(lymph):.0f}-{max(lymph):.0f}%") if lymph else "not verified"
        self.ax.set_title(textwrap.fill(f"{name}: {sle_txt} in lupus; {lymph_txt} in lymphoma trials", 70))
        listed = "; ".join(f"{r[0]} {NOT_REPORTED if r[2] is None else f'{r[2]:.0f}%'} ({r[3]})" for r in rows)
        alt = (f"Horizontal bar chart of {evidence.SAFETY_MEASURES[measure].split(' [')[0]}: {listed}. "
               "Grading scales and follow-up differ, so the comparison is approximate.")
        if zero_notes:
            alt += (" Zero is not proof of zero risk; exact 95% upper limits: " + "; ".join(zero_notes) + ".")
        return alt


class CrsComparisonView(SafetyComparisonView):
    """CRS only (kept for existing notebooks): ``measure`` is "grade3plus" or "any"."""

    def __init__(self, measure: str = "grade3plus"):
        evidence.crs_comparison(measure)  # validates
        super().__init__("crs_any" if measure == "any" else "crs_grade3plus")


def _row_name(key: str) -> str:
    s = evidence.STUDIES[key]
    return s.title_short if s.label in s.title_short else f"{s.title_short} [{s.label}]"


class StudyTable(ipywidgets.VBox):
    """The evidence table as an HTML table, one row per report, with the notes underneath."""

    COLUMNS = ("source_kind", "status", "patients", "target", "follow_up", "doris", "crs", "icans", "sae")

    def __init__(self, studies: tuple[str, ...] | None = None):
        keys = tuple(evidence.STUDY_ORDER) if studies is None else tuple(require_items("studies", studies, what="study keys"))
        for k in keys:
            evidence.study(k)
        self.study_keys = keys
        summaries = {k: evidence.study_summary(k) for k in keys}
        head = "".join(f"<th scope='col'>{html.escape(evidence.SUMMARY_FIELDS[c])}</th>" for c in self.COLUMNS)
        body = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(_row_name(k))}</th>"
            + "".join(f"<td>{html.escape(summaries[k][c])}</td>" for c in self.COLUMNS) + "</tr>"
            for k in keys)
        notes = "".join(
            f"<li><b>{html.escape(evidence.STUDIES[k].label)}</b>, {html.escape(f)}: {html.escape(text)}</li>"
            for k in keys for f, text in evidence.STUDIES[k].notes.items())
        self.table = ipywidgets.HTML(
            "<div style='overflow-x:auto'><table style='font-size:85%;border-collapse:collapse' border='1' "
            f"cellpadding='4'><thead><tr><th scope='col'>Report</th>{head}</tr></thead><tbody>{body}</tbody>"
            "</table></div>")
        self.notes = ipywidgets.HTML(
            f"<details><summary>Notes: what is missing, and where sources disagree</summary><ul>{notes}</ul></details>")
        super().__init__([self.table, self.notes])
        self.add_class("course-table")

    def _repr_mimebundle_(self, **kwargs):
        # Without a kernel (site, PDF, GitHub) the same table and notes, as plain HTML.
        page = f'<div class="course-static course-static-table">{self.table.value}{self.notes.value}</div>'
        text = "Evidence table of " + ", ".join(evidence.STUDIES[k].label for k in self.study_keys) + "."
        return static.with_static(super()._repr_mimebundle_(**kwargs), page, text)
