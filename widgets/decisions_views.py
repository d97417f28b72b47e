"""The interactive parts of notebook 05 (deciding together). Each wires controls to :mod:`widgets.decisions`.

Nothing here decides for anyone: the checklist lists topics to discuss, the balance shows what the
learner said matters to them, and the cost explorer adds up numbers the learner can change.
"""
from __future__ import annotations

import html
import textwrap

import ipywidgets
from matplotlib.patches import Patch, Rectangle

from . import decisions, static
from .figure import FigureView, new_figure, snap_up
from .style import OKABE_ITO, PALETTE
from .validate import require_choice, require_int

__all__ = ["refractory_table", "balance_table", "questions_list", "CandidateChecklist", "BalanceView", "CostExplorer", "CareTeamView"]

LEVEL_COLOURS = {"leads": PALETTE["highlight"], "involved": OKABE_ITO["sky_blue"], "on call": OKABE_ITO["yellow"]}
# Each level has its own hatch too: the levels stay apart in greyscale, in print and without colour vision.
LEVEL_HATCHES = {"leads": "xx", "involved": "//", "on call": ".."}
CELL_EDGE = "#555555"  # cell outlines and hatches: 7.5:1 on white (non-text contrast, WCAG 1.4.11)
MUTED_FILL, EMPTY_FILL = PALETTE["muted"], "#FFFFFF"
SIDE_COLOURS = {"benefit": PALETTE["positive"], "burden": PALETTE["highlight"]}
SIDE_HATCHES = {"benefit": "", "burden": "//"}  # risks and burdens hatched: the sides differ in more than colour


def refractory_table():
    """The trial definitions of refractory lupus side by side, as displayable markdown."""
    from IPython.display import Markdown

    from .references import BIBLIOGRAPHY

    labels = {d.source: f"[{BIBLIOGRAPHY[d.source].label}]" for d in decisions.REFRACTORY_DEFINITIONS}
    return Markdown(decisions.refractory_table_markdown(labels))


def questions_list():
    """The questions to ask the care team as displayable Markdown, so the text wraps on any screen."""
    from IPython.display import Markdown

    return Markdown(decisions.questions_markdown())


def balance_table():
    """The possible benefits and the risks and burdens side by side, as displayable markdown."""
    from IPython.display import Markdown

    return Markdown(decisions.balance_table_markdown())


class CandidateChecklist(ipywidgets.VBox):
    """A teaching checklist: each answer becomes a topic to discuss, never a verdict.

    Attributes
    ----------
    controls : dict[str, ipywidgets.ToggleButtons]
        One per :data:`widgets.decisions.CHECKLIST_ITEMS`, in order.
    topics : tuple of widgets.decisions.Topic
        The topics now listed (empty when nothing is answered).
    output_text : str
        The listed topics as plain text.
    message_text : str
        The plain message shown for an empty selection or bad input ("" when none).
    """

    FOOTER = ("This checklist teaches what trials ask about. It does not decide who can take part: "
              "only a study team, together with your own doctors, can assess that.")

    def __init__(self):
        self.controls: dict[str, ipywidgets.ToggleButtons] = {}
        rows = []
        for item in decisions.CHECKLIST_ITEMS:
            toggle = ipywidgets.ToggleButtons(
                options=[(a.capitalize(), a) for a in decisions.ANSWERS], value="not answered",
                style={"button_width": "110px"}, layout=ipywidgets.Layout(width="auto"),
            )
            self.controls[item.key] = toggle
            rows.append(ipywidgets.HTML(f"<b>{html.escape(item.question)}</b>"))
            rows.append(toggle)
        next(iter(self.controls.values())).add_class("course-primary-control")
        self.message = ipywidgets.HTML()
        self.message.add_class("course-message")
        self.output = ipywidgets.HTML()
        self.output.add_class("course-checklist-output")
        self.topics: tuple[decisions.Topic, ...] = ()
        self.output_text = ""
        self.message_text = ""
        super().__init__([*rows, self.message, self.output])
        # Not "course-interactive": that class marks figures whose picture the browser tests watch.
        self.add_class("course-checklist")
        for toggle in self.controls.values():
            toggle.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change) -> None:
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        # Without a kernel (site, PDF, GitHub): the questions the checklist asks, and its footer.
        asked = "".join(f"<li>{html.escape(item.question)}</li>" for item in decisions.CHECKLIST_ITEMS)
        page = (f'<div class="course-static course-static-checklist"><p>The checklist asks:</p><ol>{asked}</ol>'
                f"<p><i>{html.escape(self.FOOTER)}</i></p><p class=\"course-static-note\">"
                + static.live_links("To answer it and see the topics it raises, run the notebook live in JupyterLab, "
                                    "in Voila (workshop mode) or on Binder.") + "</p></div>")
        text = "\n".join(["The checklist asks:", *(f"- {i.question}" for i in decisions.CHECKLIST_ITEMS), self.FOOTER])
        return static.with_static(super()._repr_mimebundle_(**kwargs), page, text)

    def refresh(self) -> None:
        """Recompute the topics from the answers; show a plain message instead of an error."""
        answers = {key: toggle.value for key, toggle in self.controls.items()}
        try:
            topics = decisions.checklist_topics(answers)
        except (ValueError, TypeError) as exc:
            self.topics, self.output_text = (), ""
            self.message_text = str(exc)
            self.message.value = (
                '<div role="status" style="border-left:4px solid #999999;padding:4px 10px;color:#000">'
                f"{html.escape(self.message_text)}</div>"
            )
            self.output.value = f"<p><i>{html.escape(self.FOOTER)}</i></p>"
            return
        self.message_text = ""
        self.message.value = ""
        self.topics = topics
        raised = [t for t in topics if t.raised]
        confirmed = [t for t in topics if not t.raised]
        lines = [f"Topics to discuss with your care team ({len(raised)} to raise, {len(confirmed)} to confirm):"]
        lines += [f"- RAISE: {t.question} You answered '{t.answer}'. {t.text}" for t in raised]
        lines += [f"- CONFIRM: {t.question} You answered '{t.answer}'. {t.text}" for t in confirmed]
        lines.append(self.FOOTER)
        self.output_text = "\n".join(lines)
        items = "".join(
            f'<li style="margin-bottom:4px"><b>{"Raise" if t.raised else "Confirm"}:</b> '
            f"{html.escape(t.question)} <i>(you answered {html.escape(t.answer)})</i><br>{html.escape(t.text)}</li>"
            for t in (*raised, *confirmed)
        )
        self.output.value = (
            f'<div role="status"><p><b>{html.escape(lines[0])}</b></p><ul>{items}</ul>'
            f"<p><i>{html.escape(self.FOOTER)}</i></p></div>"
        )


def _slider(description: str, value: int) -> ipywidgets.IntSlider:
    return ipywidgets.IntSlider(
        value=value, min=0, max=decisions.WEIGHT_MAX, step=1, description=description,
        style={"description_width": "260px"}, layout=ipywidgets.Layout(width="480px"),
    )


class BalanceView(FigureView):
    """How much each possible benefit and each risk or burden matters to the learner (0-5 sliders).

    A workshop conversation aid: the bars show the learner's own weights and the two side totals.
    It does not compute a right choice.
    """

    def __init__(self, default_weight: int = 3):
        require_int("default_weight", default_weight, minimum=0, maximum=decisions.WEIGHT_MAX)
        self.items = decisions.BALANCE_ITEMS
        self.figure, self.ax = new_figure(figsize=(10, 5.2))
        grid = self.figure.add_gridspec(1, 2, width_ratios=[3, 1.1])
        self.ax.set_subplotspec(grid[0])
        self.ax_total = self.figure.add_subplot(grid[1])
        n_benefit = sum(1 for i in self.items if i.side == "benefit")
        self.rows = [i if i < n_benefit else i + 1 for i in range(len(self.items))]  # a gap between the sides
        self.bars = self.ax.barh(self.rows, [0] * len(self.items), height=0.7,
                                 color=[SIDE_COLOURS[i.side] for i in self.items],
                                 hatch=[SIDE_HATCHES[i.side] for i in self.items], edgecolor=PALETTE["text"],
                                 linewidth=0.6)
        self.values = [self.ax.text(0, r, "", va="center", fontsize=10, in_layout=False) for r in self.rows]
        self.ax.set_yticks(self.rows, [i.label for i in self.items])
        self.ax.set_ylim(max(self.rows) + 0.6, -0.6)
        self.ax.set_xlim(0, decisions.WEIGHT_MAX + 0.8)
        self.ax.set_xticks(range(decisions.WEIGHT_MAX + 1))
        self.ax.set_xlabel("How much it matters to you [points, 0-5]")
        self.ax.legend(handles=[Patch(facecolor=SIDE_COLOURS[s], hatch=SIDE_HATCHES[s], edgecolor=PALETTE["text"],
                                      linewidth=0.6, label=label) for s, label in decisions.BALANCE_SIDES.items()],
                       # below the axis, so that no bar a learner lengthens runs under it
                       loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=9.5, frameon=False)
        sides = list(decisions.BALANCE_SIDES)
        self.total_bars = self.ax_total.bar(range(2), [0, 0], width=0.6, color=[SIDE_COLOURS[s] for s in sides],
                                            hatch=[SIDE_HATCHES[s] for s in sides], edgecolor=PALETTE["text"],
                                            linewidth=0.6)
        self.total_values = [self.ax_total.text(i, 0, "", ha="center", va="bottom", fontsize=10, in_layout=False)
                             for i in range(2)]
        self.ax_total.set_xticks(range(2), ["Possible\nbenefits", "Risks and\nburdens"])
        self.ax_total.set_ylim(0, 112)
        self.ax_total.set_ylabel("Share of the most you could give [%]")
        self.ax_total.set_title("Both sides", fontsize=11)
        controls = {i.key: _slider(i.label, default_weight) for i in self.items}
        super().__init__(controls)
        self.add_class("course-pinned")  # on a narrow screen the picture stays in view above the controls (widgets/style.py)

    def update(self) -> str:
        weights = {key: w.value for key, w in self.controls.items()}
        result = decisions.balance(weights)
        self.result = result
        for bar, text, item, row in zip(self.bars, self.values, self.items, self.rows):
            w = result.weights[item.key]
            bar.set_width(w)
            text.set_position((w + 0.08, row))
            text.set_text(str(w))
        for i, side in enumerate(decisions.BALANCE_SIDES):
            pct = result.percent[side]
            self.total_bars[i].set_height(pct)
            self.total_values[i].set_position((i, pct + 1.5))
            self.total_values[i].set_text(f"{pct:.0f}%")
        self.ax.set_title("What matters to you: a conversation aid, not a decision")
        listed = "; ".join(f"{i.label} {result.weights[i.key]}" for i in self.items)
        return (f"Bar chart of how much each item matters to the learner, 0 to 5 points: {listed}. "
                f"{result.summary}")


class CostExplorer(FigureView):
    """Editable cost lines (US dollars) and their total, as horizontal bars.

    Starting values are cited anchors where one exists (the product's 2017 list price, care in the
    3 months after infusion) and 0 elsewhere; a negative or non-numeric line gives a plain message
    naming the line, and the typed values are kept.
    """

    def __init__(self):
        self.items = decisions.COST_ITEMS
        self.figure, self.ax = new_figure(figsize=(9.5, 4.8))
        rows = range(len(self.items))
        self.bars = self.ax.barh(list(rows), [0] * len(self.items), height=0.65, color=PALETTE["primary"])
        self.values = [self.ax.text(0, r, "", va="center", fontsize=10, in_layout=False) for r in rows]
        self.ax.set_yticks(list(rows), [i.label for i in self.items])
        self.ax.invert_yaxis()
        self.ax.set_xlabel("Cost [US dollars]")
        self.ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:,.0f}")
        controls = {
            i.key: ipywidgets.FloatText(value=float(i.default_usd), description=f"{i.label} [US$]",
                                        style={"description_width": "320px"}, layout=ipywidgets.Layout(width="480px"))
            for i in self.items
        }
        super().__init__(controls)
        self.add_class("course-pinned")  # on a narrow screen the picture stays in view above the controls (widgets/style.py)

    def update(self) -> str:
        costs = {key: w.value for key, w in self.controls.items()}
        result = decisions.cost_breakdown(costs)
        self.result = result
        top = max(result.amounts_usd.values())
        for bar, text, item, row in zip(self.bars, self.values, self.items, range(len(self.items))):
            amount = result.amounts_usd[item.key]
            bar.set_width(amount)
            bar.set_color(PALETTE["highlight"] if item.key == result.largest else PALETTE["primary"])
            text.set_position((amount + 0.01 * max(top, 1), row))
            text.set_text(f"{amount:,.0f} ({100 * result.shares[item.key]:.0f}%)" if result.total_usd else "0")
        self.ax.set_xlim(0, snap_up(max(top, 1) * 1.3))
        if result.largest is None:
            self.ax.set_title("All lines are 0: type amounts to see the breakdown")
            return "Horizontal bar chart of cost lines; every line is 0 US dollars, so the total is 0."
        largest = next(i for i in self.items if i.key == result.largest)
        share = 100 * result.shares[result.largest]
        missing = len(result.unestimated)
        more = f"; {missing} line{'s' if missing != 1 else ''} without an estimate, so more" if missing else ""
        self.ax.set_title(textwrap.fill(f"Total {result.total_usd:,.0f} US dollars{more}; '{largest.label}' is "
                                        f"{share:.0f}% of it", 64))
        listed = "; ".join(f"{i.label} {result.amounts_usd[i.key]:,.0f}" for i in self.items)
        gaps = ""
        if missing:
            names = ", ".join(i.label for i in self.items if i.key in result.unestimated)
            gaps = f" Lines with no estimate yet (counted as 0, so the real total is higher): {names}."
        return (f"Horizontal bar chart of the cost of one treatment episode in US dollars: {listed}. "
                f"Total {result.total_usd:,.0f}; the largest line is {largest.label} ({share:.0f}%).{gaps}")


class CareTeamView(FigureView):
    """Who does what at each step of the journey: a role x step grid; the chosen step is highlighted."""

    def __init__(self, step: str = "infusion"):
        self.roles, self.steps = decisions.CARE_TEAM, decisions.JOURNEY_STEPS
        # Taller with more roles, so that the task list and the legend beside the grid do not overlap.
        self.figure, self.ax = new_figure(figsize=(11, max(5.4, 0.45 * len(self.roles) + 2.2)))
        grid = self.figure.add_gridspec(1, 2, width_ratios=[1.55, 1])
        self.ax.set_subplotspec(grid[0])
        self.ax_text = self.figure.add_subplot(grid[1])
        self.ax_text.set_axis_off()
        self.cells: dict[tuple[str, str], Rectangle] = {}
        for r, role in enumerate(self.roles):
            for c, column_step in enumerate(self.steps):
                cell = Rectangle((c - 0.45, r - 0.42), 0.9, 0.84, facecolor=EMPTY_FILL, edgecolor=CELL_EDGE, linewidth=0.8)
                self.ax.add_patch(cell)
                self.cells[(role.key, column_step.key)] = cell
        self.frame = Rectangle((-0.5, -0.5), 1, len(self.roles), fill=False, edgecolor=PALETTE["text"], linewidth=2.2)
        self.ax.add_patch(self.frame)
        self.ax.set_xlim(-0.55, len(self.steps) - 0.45)
        self.ax.set_ylim(len(self.roles) - 0.45, -0.55)
        self.ax.set_xticks(range(len(self.steps)), [s.label for s in self.steps], rotation=35, ha="right", fontsize=9.5)
        self.ax.set_yticks(range(len(self.roles)), [r.label for r in self.roles], fontsize=9.5)
        self.ax.set_xlabel("Step of the journey (notebook 03)")
        self.ax.set_ylabel("Member of the care team")
        for spine in self.ax.spines.values():
            spine.set_visible(False)
        handles = [Patch(facecolor=c, edgecolor=CELL_EDGE, hatch=LEVEL_HATCHES[lvl], label=lvl)
                   for lvl, c in LEVEL_COLOURS.items()]
        handles.append(Patch(facecolor=MUTED_FILL, edgecolor=CELL_EDGE, label="involved at another step"))
        # Under the task list, beside the slanted step names: a long list never runs into it.
        legend = self.ax_text.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.02), fontsize=9.5,
                                     title="At the chosen step", title_fontsize=9.5)
        legend.set_in_layout(False)
        self.tasks_text = self.ax_text.text(0, 1, "", va="top", ha="left", fontsize=9.5, transform=self.ax_text.transAxes,
                                            in_layout=False)
        require_choice("step", step, [s.key for s in self.steps])
        super().__init__({"step": ipywidgets.Dropdown(
            options=[(s.label, s.key) for s in self.steps], value=step, description="Step:",
            style={"description_width": "initial"}, layout=ipywidgets.Layout(width="360px"))})

    def update(self) -> str:
        step = self.controls["step"].value
        team = decisions.team_at_step(step)
        self.result = team
        column = decisions.STEP_KEYS.index(step)
        for role in self.roles:
            for s in self.steps:
                level = role.tasks.get(s.key, ("", ""))[0]
                if s.key == step:
                    colour, hatch = LEVEL_COLOURS.get(level, EMPTY_FILL), LEVEL_HATCHES.get(level, "")
                else:
                    colour, hatch = (MUTED_FILL if level else EMPTY_FILL), ""
                self.cells[(role.key, s.key)].set_facecolor(colour)
                self.cells[(role.key, s.key)].set_hatch(hatch)
        # The thick frame marks the chosen column (the step names keep one weight: a bold name would change the
        # layout with every step, and each step would cost a new layout before its first picture).
        self.frame.set_x(column - 0.5)
        label = self.steps[column].label
        involved = [t for t in team if t.level]
        leads = [t.label for t in involved if t.level == "leads"]
        self.ax.set_title(textwrap.fill(f"{label}: {len(involved)} of {len(team)} team members take part"
                                        + (f", led by {' and '.join(leads)}" if leads else ""), 62), fontsize=12)
        lines = []
        for t in involved:
            lines.append(textwrap.fill(f"{t.label} ({t.level}): {t.task}", width=44, subsequent_indent="   "))
        self.tasks_text.set_text(textwrap.fill(f"Who does what at: {label}", width=44) + "\n\n" + "\n".join(lines))
        described = "; ".join(f"{t.label} {t.level}: {t.task}" for t in involved)
        return (f"Grid of care-team members against the steps of the journey, with the step '{label}' highlighted. "
                f"{len(involved)} members take part: {described}.")
