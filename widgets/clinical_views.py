"""Teaching widgets for the clinical instruments of ``widgets.clinical``.

Each view wires ipywidgets controls to the pure functions and draws one small chart:

* :class:`Sledai2kView`: SLEDAI-2K descriptors by organ system, optional measured values that
  tick their descriptors by the published thresholds, the score and band, and points by system.
* :class:`EularAcr2019View`: the 2019 EULAR/ACR criteria, entry criterion first, the counted
  item of each domain and the ignored ones, and the total against the threshold of 10.
* :class:`CrsView`: the ASTCT CRS grade from fever, hypotension and hypoxia.
* :class:`IcansView`: the ICE score and the ASTCT ICANS grade, showing which domain sets it.
* :class:`IcahtView`: the EHA/EBMT early and late ICAHT grades, showing which criterion sets each.

Each exposes ``.result`` (what the learner's inputs give) and ``.report()`` (the plain-text
report of ``widgets.clinical``) for the next notebook cell. Teaching tools, not for care decisions.
"""
from __future__ import annotations

import html
import math
import textwrap

import ipywidgets
from matplotlib.patches import Patch

from widgets import clinical as c
from widgets.figure import FigureView, new_figure, snap_up
from widgets.style import PALETTE
from widgets.validate import parse_number, require_choice

__all__ = ["Sledai2kView", "EularAcr2019View", "CrsView", "IcansView", "IcahtView", "parse_optional_number"]

_SMALL = "font-size:90%;color:#333"
_FULL = ipywidgets.Layout(width="100%")


def _html(text: str, style: str = _SMALL) -> str:
    return f'<span style="{style}">{text}</span>'


def _note(text: str) -> ipywidgets.HTML:
    return ipywidgets.HTML(f'<div style="{_SMALL};border-left:3px solid {PALETTE["neutral"]};padding-left:6px">'
                           f"{html.escape(text)}</div>", layout=_FULL)


def parse_optional_number(name: str, text: str) -> float | None:
    """Read a text box: blank means not measured (None); "150,000" is one hundred and fifty thousand.

    See :func:`widgets.validate.parse_number`: a comma as a decimal mark ("1,5") and numbers too
    large or too small to compute with ("1e309", "1e-400") are refused with a plain message.
    """
    return parse_number(name, text, allow_blank=True)


def _fill(controls: dict, values: dict) -> None:
    for name, value in values.items():
        controls[name].value = value


class _PresetView(FigureView):
    """A figure whose first control is a preset Dropdown that fills the other controls."""

    _syncing = False
    prerender_skip = ("case",)  # a preset changes the other controls too: no neighbouring state to draw ahead

    def _apply(self, values: dict) -> None:
        """Set several controls at once without redrawing after each."""
        self._syncing = True
        try:
            _fill(self.controls, values)
        finally:
            self._syncing = False

    def _preset_values(self, case: str) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        if change is not None and change.get("owner") is self.controls.get("case"):
            try:
                values = self._preset_values(change["new"])
            except (ValueError, TypeError) as exc:  # e.g. no case chosen (a front end can send None)
                self.show_message(str(exc))
                return
            self._apply(values)
        self.refresh()


# =====================================================================================
# SLEDAI-2K
# =====================================================================================
_SLEDAI_LAB_LABELS = {
    "temperature_c": "Temperature [°C]",
    "platelets_e9_per_l": "Platelets [x10^9/L]",
    "leukocytes_e9_per_l": "White cells [x10^9/L]",
    "proteinuria_g_per_24h": "Urine protein [g/24 h]",
    "urine_rbc_per_hpf": "Urine red cells [/hpf]",
    "urine_wbc_per_hpf": "Urine white cells [/hpf]",
}
_SLEDAI_CASES = {
    "blank": {"findings": ()},
    # The ticks a clinician makes; the measured values then decide their own descriptors.
    "fictional case A": {"findings": c.EXAMPLE_SLEDAI_CASE - set(c.SLEDAI2K_LAB_THRESHOLDS),
                         **c.EXAMPLE_SLEDAI_MEASUREMENTS},
}


class Sledai2kView(_PresetView):
    """SLEDAI-2K calculator: tick descriptors, optionally type measured values, see the score.

    Parameters
    ----------
    case : str
        Preset to start from: ``"blank"`` or ``"fictional case A"`` (``EXAMPLE_SLEDAI_CASE``).

    Attributes
    ----------
    result : dict
        ``score``, ``band``, ``findings`` (sorted keys counted), ``system_points``, ``lab_checks``.
    """

    def __init__(self, case: str = "blank"):
        self.result: dict = {}
        self._lab_owned: dict[str, bool] = {}  # descriptor -> the learner's tick before a measurement took over
        self.figure, self.ax = new_figure((8, 4.5))
        systems = list(c.SLEDAI2K_SYSTEMS)
        self._systems = systems
        ypos = list(range(len(systems)))[::-1]
        self.bars = self.ax.barh(ypos, [0] * len(systems), color=PALETTE["primary"], height=0.65)
        self.ax.set_yticks(ypos, [c.SLEDAI2K_SYSTEM_LABELS[s] for s in systems])
        max_points = max(sum(c.SLEDAI2K_WEIGHTS[k] for k in keys) for keys in c.SLEDAI2K_SYSTEMS.values())
        self.ax.set_xlim(0, max_points + 6)
        self.ax.set_xlabel("SLEDAI-2K points from this organ system [points]")
        self.value_labels = [self.ax.text(0, y, "", va="center", ha="left", fontsize=9, in_layout=False) for y in ypos]

        case_box = ipywidgets.Dropdown(options=list(_SLEDAI_CASES), value=require_case(case, _SLEDAI_CASES),
                                       description="Case", layout=ipywidgets.Layout(width="280px"))
        self.checkboxes = {
            key: ipywidgets.Checkbox(value=False, description=f"{c.SLEDAI2K_LABELS[key]} ({w})", indent=False,
                                     layout=ipywidgets.Layout(width="230px"))
            for key, w in c.SLEDAI2K_WEIGHTS.items()
        }
        self.lab_boxes = {
            arg: ipywidgets.Text(value="", placeholder="not measured", description=label, continuous_update=False,
                                 style={"description_width": "170px"}, layout=ipywidgets.Layout(width="300px"))
            for arg, label in _SLEDAI_LAB_LABELS.items()
        }
        self.lab_status = {arg: ipywidgets.HTML() for arg in _SLEDAI_LAB_LABELS}
        self.summary = ipywidgets.HTML(layout=_FULL)

        groups = []
        for system, keys in c.SLEDAI2K_SYSTEMS.items():
            rows = [ipywidgets.HTML(f"<b>{html.escape(c.SLEDAI2K_SYSTEM_LABELS[system])}</b>")]
            for key in keys:
                rows.append(ipywidgets.HBox([self.checkboxes[key], ipywidgets.HTML(
                    _html(html.escape(c.SLEDAI2K_DEFINITIONS[key])), layout=ipywidgets.Layout(width="520px"))]))
            groups.append(ipywidgets.VBox(rows, layout=_FULL))
        labs = ipywidgets.VBox(
            [ipywidgets.HTML("<b>Measured values (optional)</b>: a value ticks or clears its descriptor by the "
                             "published threshold; leave blank if not measured.")]
            + [ipywidgets.HBox([self.lab_boxes[a], self.lab_status[a]]) for a in _SLEDAI_LAB_LABELS],
            layout=_FULL,
        )
        note = _note(c.TEACHING_NOTE + " SLEDAI-2K counts a descriptor present at the visit or in the 10 days "
                     "before it [Gladman 2002]. The band words (none, mild, moderate, high, very high) are a "
                     "convention; Cook 2000 gives the numeric categories 0, 1-5, 6-10, 11-19, 20 and above.")
        panel = ipywidgets.VBox([case_box, note, *groups, labs, self.summary], layout=_FULL)
        controls = {"case": case_box, **self.checkboxes, **self.lab_boxes}
        _fill(controls, self._preset_values(case_box.value))  # before the first drawing
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _preset_values(self, case: str) -> dict:
        preset = _SLEDAI_CASES[require_case(case, _SLEDAI_CASES)]
        self._lab_owned = {}
        values = {key: key in preset.get("findings", ()) for key in self.checkboxes}
        for arg in self.lab_boxes:
            v = preset.get(arg)
            values[arg] = "" if v is None else f"{v:g}"
        for box in self.checkboxes.values():
            box.disabled = False
        return values

    def update(self) -> str:
        measured = {arg: parse_optional_number(_SLEDAI_LAB_LABELS[arg], box.value)
                    for arg, box in self.lab_boxes.items()}
        checks = {chk.descriptor: chk for chk in c.sledai2k_lab_checks(**measured)}
        # Measured values decide their descriptors; the learner's own tick comes back when the value is cleared.
        sync = {}
        for descriptor, (arg, *_rest) in c.SLEDAI2K_LAB_THRESHOLDS.items():
            box = self.checkboxes[descriptor]
            if descriptor in checks:
                if descriptor not in self._lab_owned:
                    self._lab_owned[descriptor] = box.value
                sync[descriptor] = checks[descriptor].met
                box.disabled = True
                chk = checks[descriptor]
                colour = PALETTE["highlight"] if chk.met else PALETTE["neutral"]
                self.lab_status[arg].value = _html(
                    f"needs {chk.comparison} {chk.threshold:g} {html.escape(chk.unit)}: "
                    f"<b style='color:{colour}'>{'met' if chk.met else 'not met'}</b>")
            else:
                if descriptor in self._lab_owned:
                    sync[descriptor] = self._lab_owned.pop(descriptor)
                box.disabled = False
                op, thr, unit = c.SLEDAI2K_LAB_THRESHOLDS[descriptor][1:4]
                self.lab_status[arg].value = _html(f"threshold {op} {thr:g} {html.escape(unit)}; not measured")
        self._apply(sync)

        findings = {k for k, box in self.checkboxes.items() if box.value}
        score = c.sledai2k_score(findings)
        band = c.sledai2k_band(score)
        points = c.sledai2k_system_points(findings)
        for bar, label, system in zip(self.bars, self.value_labels, self._systems):
            bar.set_width(points[system])
            bar.set_color(PALETTE["highlight"] if points[system] else PALETTE["muted"])
            label.set_x(points[system] + 0.5)
            label.set_text(str(points[system]) if points[system] else "")
        # Zoom to the points present (at least 0-20) so small contributions stay visible; 56 is the most one system gives.
        self.ax.set_xlim(0, max(20, snap_up(max(points.values()) + 6)))
        self.ax.set_title(f"SLEDAI-2K {score} of {c.SLEDAI2K_MAX_SCORE} ({band}): points by organ system")
        self.result = {"score": score, "band": band, "findings": sorted(findings), "system_points": points,
                       "lab_checks": list(checks.values())}
        self._measured = measured
        self.summary.value = (f"<b>Score {score}</b> of {c.SLEDAI2K_MAX_SCORE}; band <b>{band}</b> "
                              "(band words are convention).")
        contributing = [f"{c.SLEDAI2K_SYSTEM_LABELS[s].lower()} {p}" for s, p in points.items() if p]
        if not contributing:
            return f"Bar chart of SLEDAI-2K points by organ system: no descriptor ticked, score 0 (band {band})."
        return (f"Bar chart of SLEDAI-2K points by organ system. Score {score}, band {band}. "
                f"Contributing systems: {', '.join(contributing)}.")

    def report(self) -> str:
        """The plain-text report of the current inputs (see :func:`widgets.clinical.sledai2k_report`)."""
        clinical_only = [k for k in self.result["findings"] if k not in self._lab_owned]
        return c.sledai2k_report(clinical_only, **self._measured)


def require_case(case: str, cases: dict) -> str:
    """Check a preset name for a view and return it."""
    return require_choice("case", case, cases)


# =====================================================================================
# EULAR/ACR 2019
# =====================================================================================
_EULAR_CASES = {
    "blank": {"ana_positive": False, "criteria": ()},
    "fictional case A": dict(c.EXAMPLE_EULAR_CASE),
    "fictional case B (immunology only)": dict(c.EXAMPLE_EULAR_IMMUNOLOGY_ONLY_CASE),
    "fictional case A without ANA": {**c.EXAMPLE_EULAR_CASE, "ana_positive": False},
}


_IMMUNOLOGY_HATCH = "//"


class EularAcr2019View(_PresetView):
    """2019 EULAR/ACR classification: entry criterion, domains, counted items and the total against 10.

    Parameters
    ----------
    case : str
        Preset to start from (``"blank"``, ``"fictional case A"``, ...).

    Attributes
    ----------
    result : widgets.clinical.EularAcr2019Result
    """

    def __init__(self, case: str = "blank"):
        self.result: c.EularAcr2019Result | None = None
        self.figure, self.ax = new_figure((8, 4.8))
        self._domains = list(c.EULAR_ACR_2019_DOMAINS)
        labels = ["Total"] + [c.EULAR_ACR_2019_DOMAIN_LABELS[d] for d in self._domains]
        ypos = list(range(len(labels)))[::-1]
        self.total_bar = self.ax.barh(ypos[0], 0, color=PALETTE["neutral"], height=0.7)[0]
        self.bars = self.ax.barh(ypos[1:], [0] * len(self._domains), height=0.6, color=PALETTE["muted"])
        self.value_labels = [self.ax.text(0, y, "", va="center", ha="left", fontsize=9, in_layout=False) for y in ypos]
        self.ax.set_yticks(ypos, labels)
        self.ax.axvline(c.EULAR_ACR_2019_THRESHOLD, color=PALETTE["text"], linestyle="--", linewidth=1.2)
        self.ax.text(c.EULAR_ACR_2019_THRESHOLD + 0.4, ypos[0] + 0.45, "threshold 10", fontsize=9, va="bottom")
        self.ax.set_xlim(0, c.EULAR_ACR_2019_MAX_POINTS + 4)
        self.ax.set_xlabel("Points counted (highest item per domain) [points]")
        # Immunology domains are hatched as well as coloured, so the two kinds differ in more than colour.
        self.ax.legend(handles=[Patch(facecolor=PALETTE["primary"], edgecolor=PALETTE["text"], linewidth=0.6,
                                      label="clinical domain"),
                                Patch(facecolor=PALETTE["autoantibody"], edgecolor=PALETTE["text"], linewidth=0.6,
                                      hatch=_IMMUNOLOGY_HATCH, label="immunology domain (hatched)"),
                                Patch(facecolor=PALETTE["neutral"], edgecolor=PALETTE["text"], linewidth=0.6,
                                      label="not applied (ANA negative)")],
                       loc="lower right", fontsize=9)

        case_box = ipywidgets.Dropdown(options=list(_EULAR_CASES), value=require_case(case, _EULAR_CASES),
                                       description="Case", layout=ipywidgets.Layout(width="340px"))
        self.ana_box = ipywidgets.Checkbox(value=False, indent=False,
                                           description="ANA at a titre of 1:80 or higher (HEp-2 or equivalent)",
                                           layout=ipywidgets.Layout(width="420px"))
        self.checkboxes = {}
        self.status = {}
        for key, w in c.EULAR_ACR_2019_WEIGHTS.items():
            desc = f"{c.EULAR_ACR_2019_LABELS[key]} ({w})"
            self.checkboxes[key] = ipywidgets.Checkbox(value=False, description=desc, indent=False,
                                                       layout=ipywidgets.Layout(width="330px"))
            self.status[key] = ipywidgets.HTML(layout=ipywidgets.Layout(width="420px"))
        groups = [ipywidgets.HTML("<b>Entry criterion</b> (without it the criteria are not applied)"), self.ana_box]
        for domain, keys in c.EULAR_ACR_2019_DOMAINS.items():
            kind = "clinical" if domain in c.EULAR_ACR_2019_CLINICAL_DOMAINS else "immunology"
            extra = " (low C3 and low C4 together: 4)" if domain == "complement_proteins" else ""
            groups.append(ipywidgets.HTML(f"<b>{html.escape(c.EULAR_ACR_2019_DOMAIN_LABELS[domain])}</b> "
                                          f"<i>({kind})</i>{extra}"))
            for key in keys:
                groups.append(ipywidgets.HBox([self.checkboxes[key], self.status[key]]))
        self.explanation = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " Classification criteria define research cohorts [Aringer 2019]; they "
                     "do not diagnose one patient. A criterion counts only if nothing explains it better than SLE.")
        panel = ipywidgets.VBox([case_box, note, *groups, self.explanation], layout=_FULL)
        controls = {"case": case_box, "ana_positive": self.ana_box, **self.checkboxes}
        _fill(controls, self._preset_values(case_box.value))  # before the first drawing
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _preset_values(self, case: str) -> dict:
        preset = _EULAR_CASES[require_case(case, _EULAR_CASES)]
        values = {key: key in preset["criteria"] for key in self.checkboxes}
        values["ana_positive"] = preset["ana_positive"]
        return values

    def update(self) -> str:
        criteria = {k for k, box in self.checkboxes.items() if box.value}
        r = c.eular_acr_2019(self.ana_box.value, criteria)
        self.result = r
        applied = r.ana_positive
        for bar, label, domain in zip(self.bars, self.value_labels[1:], self._domains):
            pts = r.domain_points[domain]
            bar.set_width(pts)
            clinical = domain in c.EULAR_ACR_2019_CLINICAL_DOMAINS
            colour = PALETTE["primary"] if clinical else PALETTE["autoantibody"]
            bar.set_facecolor(colour if applied else PALETTE["neutral"])
            bar.set_edgecolor(PALETTE["text"])
            bar.set_linewidth(0.6 if pts else 0)
            bar.set_hatch("" if clinical else _IMMUNOLOGY_HATCH)
            label.set_x(pts + 0.4)
            label.set_text(str(pts) if pts else "")
        self.total_bar.set_width(r.points)
        self.total_bar.set_color(PALETTE["positive"] if r.classified else PALETTE["neutral"])
        self.value_labels[0].set_x(r.points + 0.4)
        self.value_labels[0].set_text(str(r.points))
        if r.classified:
            title = f"Classified as SLE: {r.points} points (10 needed)"
        elif not r.ana_positive:
            title = f"Not classified: no ANA entry criterion ({r.points} points shown for teaching)"
        elif not r.clinical_criterion:
            title = f"Not classified: {r.points} points but no clinical criterion"
        else:
            title = f"Not classified: {r.points} points, under 10"
        self.ax.set_title(textwrap.fill(title, 56))

        for domain, keys in c.EULAR_ACR_2019_DOMAINS.items():
            for key in keys:
                if key in r.counted.get(domain, ()):
                    text = (f"<b style='color:{PALETTE['highlight']}'>counted: "
                            f"{r.domain_points[domain]} points for this domain</b>")
                elif key in r.ignored.get(domain, ()):
                    text = ("<s>ignored</s>: a higher (or equal, listed earlier) item in this domain counts")
                else:
                    text = ""
                self.status[key].value = _html(text) if text else ""
        if r.classified:
            expl = "Classified: the entry criterion is met, there is at least one clinical criterion, and the total is at least 10."
        else:
            expl = "Not classified: " + "; ".join(r.reasons) + "."
        self.explanation.value = f"<div style='{_SMALL}'><b>{r.points} points.</b> {html.escape(expl)}</div>"
        counted = [f"{c.EULAR_ACR_2019_DOMAIN_LABELS[d]} {p}" for d, p in r.domain_points.items() if p]
        return (f"Horizontal bar chart of 2019 EULAR/ACR points per domain with a line at 10. {title}. "
                + (f"Counted: {', '.join(counted)}." if counted else "No criterion ticked."))

    def report(self) -> str:
        """The plain-text report of the current inputs (see :func:`widgets.clinical.eular_acr_2019_report`)."""
        return c.eular_acr_2019_report(self.ana_box.value, [k for k, b in self.checkboxes.items() if b.value])


# =====================================================================================
# ASTCT CRS
# =====================================================================================
def _grade_colour(grade: int) -> str:
    return [PALETTE["muted"], PALETTE["positive"], PALETTE["secondary"], PALETTE["highlight"],
            PALETTE["autoantibody"]][grade]


class CrsView(FigureView):
    """ASTCT CRS grader: fever, CRS already diagnosed and treated, hypotension and hypoxia.

    Parameters
    ----------
    fever, crs_diagnosed_then_treated : bool
    hypotension, hypoxia : str
        Starting values (keys of ``CRS_HYPOTENSION_GRADES`` / ``CRS_HYPOXIA_GRADES``).

    Attributes
    ----------
    result : dict
        ``grade`` and ``domain_grades``.
    """

    def __init__(self, fever: bool = False, crs_diagnosed_then_treated: bool = False, hypotension: str = "none",
                 hypoxia: str = "none"):
        c.crs_grade(fever=fever, hypotension=hypotension, hypoxia=hypoxia, crs_diagnosed_then_treated=crs_diagnosed_then_treated)
        self.result: dict = {}
        self.figure, self.ax = new_figure((8, 3.6))
        self._names = ["fever", "hypotension", "hypoxia"]
        xs = [0, 1, 2, 3.4]
        self.bars = self.ax.bar(xs, [0, 0, 0, 0], color=PALETTE["muted"], width=0.7)
        self.ax.set_xticks(xs, ["Fever", "Hypotension", "Hypoxia", "CRS grade"])
        self.ax.set_ylim(0, 4.6)
        self.ax.set_yticks(range(5))
        self.ax.set_ylabel("ASTCT grade [0-4]")
        self.value_labels = [self.ax.text(x, 0, "", ha="center", va="bottom", in_layout=False) for x in xs]
        controls = {
            "fever": ipywidgets.Checkbox(value=fever, description="Fever >= 38 °C (no other cause)", indent=False),
            "crs_diagnosed_then_treated": ipywidgets.Checkbox(
                value=crs_diagnosed_then_treated, indent=False,
                description="CRS already diagnosed, then treated with antipyretic, tocilizumab or steroids "
                            "(not premedication)",
                layout=ipywidgets.Layout(width="640px")),
            "hypotension": ipywidgets.Dropdown(options=[(v, k) for k, v in c.CRS_HYPOTENSION_LABELS.items()],
                                               value=hypotension, description="Hypotension",
                                               layout=ipywidgets.Layout(width="460px")),
            "hypoxia": ipywidgets.Dropdown(options=[(v, k) for k, v in c.CRS_HYPOXIA_LABELS.items()], value=hypoxia,
                                           description="Hypoxia", layout=ipywidgets.Layout(width="560px")),
        }
        self.summary = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " ASTCT consensus [Lee 2019]: fever is required, except to grade CRS that "
                     "was already diagnosed and then treated with an antipyretic or anti-cytokine therapy; routine "
                     "paracetamol before the infusion does not count. The grade is the more severe of hypotension "
                     "and hypoxia, and each counts only when no other cause (such as sepsis) explains it.")
        panel = ipywidgets.VBox([*controls.values(), note, self.summary], layout=_FULL)
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _inputs(self) -> dict:
        return {name: self.controls[name].value for name in ("fever", "hypotension", "hypoxia", "crs_diagnosed_then_treated")}

    def update(self) -> str:
        inputs = self._inputs()
        d = c.crs_domain_grades(**inputs)
        grade = c.crs_grade(**inputs)
        gated = not (inputs["fever"] or inputs["crs_diagnosed_then_treated"])
        heights = [d[n] for n in self._names] + [grade]
        for i, (bar, label, h) in enumerate(zip(self.bars, self.value_labels, heights)):
            bar.set_height(h)
            colour = PALETTE["neutral"] if (gated and i < 3) else _grade_colour(h)
            if i < 3 and not gated and h == grade and grade > 0:
                bar.set_edgecolor(PALETTE["text"])
                bar.set_linewidth(2.0)
            else:
                bar.set_linewidth(0)
            bar.set_facecolor(colour)
            label.set_y(h + 0.05)
            label.set_text(str(h))
        if gated:
            title = "CRS grade 0: no fever and no CRS diagnosed and treated before"
            setters = []
        elif grade == 0:
            title = "CRS grade 0: no fever, hypotension or hypoxia after treated CRS"
            setters = []
        else:
            setters = [n for n in ("hypotension", "hypoxia") if d[n] == grade] or ["fever"]
            title = f"CRS grade {grade}, set by {' and '.join(setters)}"
        self.ax.set_title(title)
        self.result = {"grade": grade, "domain_grades": d, "set_by": setters, "inputs": inputs}
        self.summary.value = f"<pre style='{_SMALL}'>{html.escape(c.crs_report(**inputs))}</pre>"
        return (f"Bar chart of the grade each CRS domain gives on its own and the overall grade. {title}. "
                f"Fever {d['fever']}, hypotension {d['hypotension']}, hypoxia {d['hypoxia']}.")

    def report(self) -> str:
        """The plain-text report of the current inputs (see :func:`widgets.clinical.crs_report`)."""
        return c.crs_report(**self._inputs())


# =====================================================================================
# ICE and ICANS
# =====================================================================================
class IcansView(FigureView):
    """ICE score and ASTCT ICANS grader (adults), showing which domain sets the grade.

    Parameters
    ----------
    consciousness, seizure, cerebral_edema : str
    motor_weakness : bool
        Starting values, as in :func:`widgets.clinical.icans_grade`. The ICE items start full (10).

    Attributes
    ----------
    result : dict
        ``grade``, ``ice`` (None when not assessable) and ``domain_grades``.
    """

    def __init__(self, consciousness: str = "alert", seizure: str = "none", motor_weakness: bool = False,
                 cerebral_edema: str = "none"):
        c.icans_grade(ice=10, consciousness=consciousness, seizure=seizure, motor_weakness=motor_weakness,
                      cerebral_edema=cerebral_edema)
        self.result: dict = {}
        self.figure, self.ax = new_figure((8, 3.6))
        self._names = list(c.ICANS_DOMAIN_LABELS)
        xs = list(range(len(self._names)))
        self.bars = self.ax.bar(xs, [0] * len(xs), color=PALETTE["muted"], width=0.65)
        self.ax.set_xticks(xs, ["ICE score", "Consciousness", "Seizure", "Motor", "ICP / oedema"])
        self.ax.set_ylim(0, 4.6)
        self.ax.set_yticks(range(5))
        self.ax.set_ylabel("ASTCT grade of the domain [0-4]")
        self.grade_line = self.ax.axhline(0, color=PALETTE["text"], linestyle="--", linewidth=1.2)
        self.value_labels = [self.ax.text(x, 0, "", ha="center", va="bottom", in_layout=False) for x in xs]

        def choices(mapping):
            return [(f"{k.replace('_', ' ')} (grade {g})", k) for k, g in mapping.items()]

        wide = ipywidgets.Layout(width="420px")
        style = {"description_width": "150px"}
        controls = {
            "consciousness": ipywidgets.Dropdown(options=choices(c.ICANS_CONSCIOUSNESS_GRADES), value=consciousness,
                                                 description="Consciousness", layout=wide, style=style),
            "orientation": ipywidgets.IntSlider(value=4, min=0, max=4, description="ICE orientation", style=style),
            "naming": ipywidgets.IntSlider(value=3, min=0, max=3, description="ICE naming", style=style),
            "commands": ipywidgets.Checkbox(value=True, description="ICE: follows simple commands", indent=False),
            "writing": ipywidgets.Checkbox(value=True, description="ICE: writes a standard sentence", indent=False),
            "attention": ipywidgets.Checkbox(value=True, description="ICE: counts back from 100 by 10", indent=False),
            "ice_not_assessable": ipywidgets.Checkbox(value=False, indent=False,
                                                      description="ICE cannot be assessed (unarousable)"),
            "seizure": ipywidgets.Dropdown(options=choices(c.ICANS_SEIZURE_GRADES), value=seizure,
                                           description="Seizure", layout=wide, style=style),
            "motor_weakness": ipywidgets.Checkbox(value=motor_weakness, indent=False,
                                                  description="Deep focal motor weakness (grade 4)"),
            "cerebral_edema": ipywidgets.Dropdown(options=choices(c.ICANS_EDEMA_GRADES), value=cerebral_edema,
                                                  description="Cerebral oedema", layout=wide, style=style),
        }
        self.ice_readout = ipywidgets.HTML()
        self.summary = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " ASTCT adult ICANS grading [Lee 2019]: the grade is the most severe "
                     "domain not explained by another cause. ICE 10 with nothing else is no ICANS.")
        panel = ipywidgets.VBox([*controls.values(), self.ice_readout, note, self.summary], layout=_FULL)
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _inputs(self) -> dict:
        v = {name: w.value for name, w in self.controls.items()}
        ice = None if v["ice_not_assessable"] else c.ice_score(
            orientation=v["orientation"], naming=v["naming"], commands=int(v["commands"]),
            writing=int(v["writing"]), attention=int(v["attention"]))
        return {"ice": ice, "consciousness": v["consciousness"], "seizure": v["seizure"],
                "motor_weakness": v["motor_weakness"], "cerebral_edema": v["cerebral_edema"]}

    def update(self) -> str:
        inputs = self._inputs()
        d = c.icans_domain_grades(**inputs)
        grade = max(d.values())
        ice_txt = "not assessable" if inputs["ice"] is None else f"{inputs['ice']} of 10"
        self.ice_readout.value = f"<b>ICE score: {ice_txt}</b> (grade {d['ice']} on its own)"
        for bar, label, name in zip(self.bars, self.value_labels, self._names):
            h = d[name]
            bar.set_height(h)
            bar.set_facecolor(_grade_colour(h))
            bar.set_edgecolor(PALETTE["text"])
            bar.set_linewidth(2.0 if (h == grade and grade > 0) else 0)
            label.set_y(h + 0.05)
            label.set_text(str(h))
        self.grade_line.set_ydata([grade, grade])
        setters = [c.ICANS_DOMAIN_LABELS[n] for n in self._names if d[n] == grade] if grade else []
        title = f"ICANS grade {grade}, set by {' and '.join(setters)}" if grade else "ICANS grade 0: no ICANS"
        self.ax.set_title(textwrap.fill(title, 64))
        self.result = {"grade": grade, "ice": inputs["ice"], "domain_grades": d, "set_by": setters, "inputs": inputs}
        self.summary.value = f"<pre style='{_SMALL}'>{html.escape(c.icans_report(**inputs))}</pre>"
        ice_said = ("ICE score not assessable (unarousable)" if inputs["ice"] is None
                    else f"ICE score {inputs['ice']} of 10")
        per = ", ".join(f"{c.ICANS_DOMAIN_LABELS[n]} domain grade {d[n]}" for n in self._names)
        return (f"Bar chart of the grade each ICANS domain gives on its own, with a line at the overall grade. {title}. "
                f"{ice_said}. {per}.")

    def report(self) -> str:
        """The plain-text report of the current inputs (see :func:`widgets.clinical.icans_report`)."""
        return c.icans_report(**self._inputs())


# =====================================================================================
# ICAHT (EHA/EBMT) -- issue 12 block
# =====================================================================================
class IcahtView(FigureView):
    """EHA/EBMT ICAHT grader: early (day 0 to +30) and late (after day +30) neutropenia [Rejeski 2023].

    Controls: days at or below 500/uL and at or below 100/uL in the first 30 days (sliders), and the
    neutrophil counts measured after day +30 (a comma-separated text box).

    Attributes
    ----------
    result : dict
        ``early`` and ``late`` (:class:`widgets.clinical.IcahtResult`; ``late`` is None when fewer
        than two counts are typed).
    """

    def __init__(self, days_anc_500_or_less: int = 0, days_anc_100_or_less: int = 0,
                 late_anc_per_ul: str = ""):
        c.icaht_early_grade(days_anc_500_or_less=days_anc_500_or_less, days_anc_100_or_less=days_anc_100_or_less)
        self.result: dict = {}
        self.figure, self.ax = new_figure((8, 3.6))
        self._keys = ["anc_500", "anc_100", "early", "late"]
        xs = [0, 1, 2.4, 3.6]
        self.bars = self.ax.bar(xs, [0, 0, 0, 0], color=PALETTE["muted"], width=0.7)
        self.ax.set_xticks(xs, ["ANC <= 500/uL\n(days)", "ANC <= 100/uL\n(days)", "Early ICAHT\n(day 0-30)",
                                "Late ICAHT\n(after day 30)"])
        self.ax.set_ylim(0, 4.6)
        self.ax.set_yticks(range(5))
        self.ax.set_ylabel("EHA/EBMT grade [0-4]")
        self.value_labels = [self.ax.text(x, 0, "", ha="center", va="bottom", in_layout=False) for x in xs]
        window = c.ICAHT_EARLY_LAST_DAY + 1
        style = {"description_width": "250px"}
        wide = ipywidgets.Layout(width="620px")
        controls = {
            "days_anc_500_or_less": ipywidgets.IntSlider(
                value=days_anc_500_or_less, min=0, max=window, style=style, layout=wide, continuous_update=False,
                description="Days with ANC <= 500/uL (31 = never recovered)"),
            "days_anc_100_or_less": ipywidgets.IntSlider(
                value=days_anc_100_or_less, min=0, max=window, style=style, layout=wide, continuous_update=False,
                description="Days with ANC <= 100/uL"),
            "late_anc_per_ul": ipywidgets.Text(
                value=late_anc_per_ul, style=style, layout=wide, continuous_update=False,
                description="ANC after day 30 [cells/uL], e.g. 900, 1200"),
        }
        self.summary = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " EHA/EBMT ICAHT grading [Rejeski 2023]: early ICAHT by how long neutrophils "
                     "stay at or below 500 and 100 per microlitre; late ICAHT by the lowest count confirmed on two "
                     "measurements after day 30. Fever with neutropenia is treated as a possible infection at once.")
        panel = ipywidgets.VBox([*controls.values(), note, self.summary], layout=_FULL)
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _late_values(self) -> list[float]:
        text = self.controls["late_anc_per_ul"].value.strip()
        if not text:
            return []
        values = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            try:
                values.append(float(part))
            except ValueError:
                raise ValueError(f"late ANC {part!r} is not a number; accepted: counts per microlitre separated "
                                 "by commas, e.g. 900, 1200.") from None
        return values

    def control_labels(self) -> dict[str, str]:
        """The late-ICAHT box also speaks for the grader's list of counts."""
        labels = super().control_labels()
        labels["anc_per_ul_after_day_30"] = self.controls["late_anc_per_ul"].description
        return labels

    def update(self) -> str:
        early = c.icaht_early_grade(days_anc_500_or_less=self.controls["days_anc_500_or_less"].value,
                                    days_anc_100_or_less=self.controls["days_anc_100_or_less"].value)
        late_values = self._late_values()
        late = c.icaht_late_grade(late_values) if len(late_values) >= 2 else None
        if len(late_values) == 1:
            c.icaht_late_grade(late_values)  # raises the plain message: two measurements are needed
        heights = [early.criteria["anc_500"], early.criteria["anc_100"], early.grade, late.grade if late else 0]
        for i, (bar, label, h) in enumerate(zip(self.bars, self.value_labels, heights)):
            bar.set_height(h)
            missing = i == 3 and late is None
            bar.set_facecolor(PALETTE["neutral"] if missing else _grade_colour(h))
            setter = i < 2 and early.grade > 0 and h == early.grade
            bar.set_edgecolor(PALETTE["text"])
            bar.set_linewidth(2.0 if setter else 0)
            label.set_y(h + 0.05)
            days = (self.controls["days_anc_500_or_less"].value, self.controls["days_anc_100_or_less"].value)
            label.set_text("not entered" if missing else f"{h} ({days[i]} d)" if i < 2 else str(h))
        late_txt = f"late ICAHT grade {late.grade}" if late else "late ICAHT not graded (fewer than two counts)"
        title = f"Early ICAHT grade {early.grade}; {late_txt}"
        self.ax.set_title(title)
        self.result = {"early": early, "late": late}
        reports = [c.icaht_report(early)] + ([c.icaht_report(late)] if late else [])
        self.summary.value = f"<pre style='{_SMALL}'>{html.escape(chr(10).join(reports))}</pre>"
        return (f"Bar chart of the grade each ICAHT criterion gives on its own and the early and late grades. "
                f"{early.explanation} " + (late.explanation if late else "Late ICAHT: fewer than two counts after "
                                           "day 30 entered, not graded."))

    def report(self) -> str:
        """The plain-text reports of the early (and, if entered, late) ICAHT grade."""
        return "\n".join(c.icaht_report(r) for r in (self.result["early"], self.result["late"]) if r)


# =====================================================================================
# SLE damage and treatment targets (the SLE clinician's block): SDI, LLDAS, DORIS
# =====================================================================================
_SDI_CASES = {"blank": {}, "fictional case C": dict(c.EXAMPLE_SDI_CASE)}


class DamageIndexView(_PresetView):
    """SLICC/ACR damage index [Gladman 1996]: tick damage items, see the points by organ system.

    Items that score 2 for a second episode or site take a count (0, 1, 2); the others a tick.
    The bars show each system's points against its maximum; the title and the summary name the
    items that set the score.

    Attributes
    ----------
    result : dict
        ``score``, ``item_points`` and ``system_points``.
    """

    def __init__(self, case: str = "blank"):
        self.result: dict = {}
        self.figure, self.ax = new_figure((8, 4.6))
        self._systems = list(c.SDI_SYSTEMS)
        ypos = list(range(len(self._systems)))[::-1]
        self.max_bars = self.ax.barh(ypos, [c.SDI_SYSTEM_MAX[s] for s in self._systems], height=0.65,
                                     color="white", edgecolor=PALETTE["neutral"], linewidth=1.0, hatch="//")
        self.bars = self.ax.barh(ypos, [0] * len(ypos), height=0.65, color=PALETTE["primary"])
        self.value_labels = [self.ax.text(0, y, "", va="center", ha="left", fontsize=9, in_layout=False)
                             for y in ypos]
        self.ax.set_yticks(ypos, [c.SDI_SYSTEM_LABELS[s] for s in self._systems])
        self.ax.set_xlim(0, max(c.SDI_SYSTEM_MAX.values()) + 2)
        self.ax.set_xlabel("Damage index points from this organ system [points]")
        self.ax.legend(handles=[Patch(facecolor=PALETTE["primary"], label="points scored"),
                                Patch(facecolor="white", edgecolor=PALETTE["neutral"], hatch="//",
                                      label="most the system can give")], loc="lower right", fontsize=9)
        case_box = ipywidgets.Dropdown(options=list(_SDI_CASES), value=require_case(case, _SDI_CASES),
                                       description="Case", layout=ipywidgets.Layout(width="280px"))
        self.items = {}
        groups = []
        for system, keys in c.SDI_SYSTEMS.items():
            rows = [ipywidgets.HTML(f"<b>{html.escape(c.SDI_SYSTEM_LABELS[system])}</b> "
                                    f"(up to {c.SDI_SYSTEM_MAX[system]})")]
            for key in keys:
                label, most = c.SDI_ITEMS[key][1], c.SDI_ITEMS[key][2]
                # Each control carries its item as its own label (screen readers name it by that).
                if most == 2:
                    box = ipywidgets.Dropdown(options=[("none", 0), ("one", 1), ("more than one", 2)], value=0,
                                              description=label.split(" (")[0], style={"description_width": "initial"},
                                              layout=ipywidgets.Layout(width="auto"))
                else:
                    box = ipywidgets.Checkbox(value=False, indent=False, description=label,
                                              layout=ipywidgets.Layout(width="auto"))
                self.items[key] = box
                rows.append(box)
            groups.append(ipywidgets.VBox(rows, layout=_FULL))
        self.summary = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " Damage is permanent change since lupus began, present for at least 6 "
                     "months, whatever its cause (lupus, its treatment or something else) [Gladman 1996].")
        panel = ipywidgets.VBox([case_box, note, self.summary, *groups], layout=_FULL)
        controls = {"case": case_box, **self.items}
        _fill(controls, self._preset_values(case_box.value))
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _preset_values(self, case: str) -> dict:
        preset = _SDI_CASES[require_case(case, _SDI_CASES)]
        return {key: (min(preset.get(key, 0), 2) if isinstance(box, ipywidgets.Dropdown) else bool(preset.get(key)))
                for key, box in self.items.items()}

    def _counts(self) -> dict[str, int]:
        return {key: int(box.value) for key, box in self.items.items() if box.value}

    def update(self) -> str:
        counts = self._counts()
        item_points = c.sdi_item_points(counts)
        points = c.sdi_system_points(counts)
        score = sum(points.values())
        for bar, label, system in zip(self.bars, self.value_labels, self._systems):
            bar.set_width(points[system])
            label.set_x(max(points[system], c.SDI_SYSTEM_MAX[system]) + 0.15)
            label.set_text(f"{points[system]} of {c.SDI_SYSTEM_MAX[system]}" if points[system] else "")
        contributing = [f"{c.SDI_SYSTEM_LABELS[s].lower()} {p}" for s, p in points.items() if p]
        self.ax.set_title(textwrap.fill(  # a long system name would run off the canvas on one line
            f"Damage index {score} of {c.SDI_MAX_SCORE}" +
            (f", most from {c.SDI_SYSTEM_LABELS[max(points, key=points.get)].lower()}" if score else
             ": no damage scored"), 50))
        self.result = {"score": score, "item_points": item_points, "system_points": points}
        self.summary.value = f"<pre style='{_SMALL}'>{html.escape(c.sdi_report(counts))}</pre>"
        if not score:
            return "Bar chart of damage index points by organ system: no item scored, score 0 of 47."
        return (f"Bar chart of damage index points by organ system against each system's maximum. Score {score} "
                f"of {c.SDI_MAX_SCORE}. Systems with damage: {', '.join(contributing)}.")

    def report(self) -> str:
        """The plain-text report of the current inputs (see :func:`widgets.clinical.sdi_report`)."""
        return c.sdi_report(self._counts())


_TARGET_CASES = {
    "fictional case D": {"findings": tuple(c.EXAMPLE_TARGET_CASE["sledai2k_findings"]),
                         "pga": c.EXAMPLE_TARGET_CASE["pga"],
                         "prednisolone_mg_per_day": c.EXAMPLE_TARGET_CASE["prednisolone_mg_per_day"]},
    "active arthritis on 7.5 mg": {"findings": ("arthritis",), "pga": 1.0, "prednisolone_mg_per_day": 7.5},
    "nephritis": {"findings": ("proteinuria",), "pga": 1.5, "prednisolone_mg_per_day": 10.0},
}


class TreatToTargetView(_PresetView):
    """LLDAS [Franklyn 2016] and DORIS remission [van Vollenhoven 2021] side by side for one visit.

    Each criterion is a bar: full and solid when met, hatched and marked "not met" otherwise,
    so the criteria that set each result are visible without relying on colour.

    Attributes
    ----------
    result : dict
        ``lldas`` and ``doris`` (:class:`widgets.clinical.TargetResult`).
    """

    def __init__(self, case: str = "fictional case D"):
        self.result: dict = {}
        require_case(case, _TARGET_CASES)
        self.figure, self.ax = new_figure((8, 4.6))
        self._rows = [("lldas", k) for k in ("activity", "no_new_activity", "pga", "glucocorticoid", "maintenance")]
        self._rows += [("doris", k) for k in ("clinical_sledai", "pga", "glucocorticoid", "background")]
        labels = ["LLDAS: SLEDAI-2K <= 4, no major organ", "LLDAS: no new activity", "LLDAS: PGA <= 1",
                  "LLDAS: prednisolone <= 7.5 mg/day", "LLDAS: maintenance drugs",
                  "DORIS: clinical SLEDAI 0", "DORIS: PGA < 0.5", "DORIS: prednisolone rule",
                  "DORIS: stable background drugs"]
        ypos = [9.5, 8.5, 7.5, 6.5, 5.5, 3.5, 2.5, 1.5, 0.5]
        self.bars = self.ax.barh(ypos, [1] * len(ypos), height=0.7, color=PALETTE["muted"])
        self.marks = [self.ax.text(0.5, y, "", ha="center", va="center", fontsize=9, in_layout=False) for y in ypos]
        self.ax.set_yticks(ypos, labels)
        self.ax.set_xlim(0, 1)
        self.ax.set_xticks([])
        self.ax.set_xlabel("Each criterion: met (solid) or not met (hatched)")
        self.ax.axhline(4.5, color=PALETTE["text"], linewidth=0.8)

        style = {"description_width": "190px"}
        wide = ipywidgets.Layout(width="520px")
        case_box = ipywidgets.Dropdown(options=list(_TARGET_CASES), value=case, description="Case",
                                       layout=ipywidgets.Layout(width="320px"))
        controls = {
            "case": case_box,
            "findings": ipywidgets.SelectMultiple(
                options=[(f"{c.SLEDAI2K_LABELS[k]} ({w})", k) for k, w in c.SLEDAI2K_WEIGHTS.items()],
                rows=8, description="SLEDAI-2K findings", style=style, layout=wide),
            "pga": ipywidgets.FloatSlider(value=0.0, min=0.0, max=3.0, step=0.1, readout_format=".1f",
                                          description="Physician global (0-3)", style=style, layout=wide),
            "prednisolone_mg_per_day": ipywidgets.FloatText(value=0.0, step=0.5,
                                                                   description="Prednisolone [mg/day]", style=style),
            "new_activity": ipywidgets.Checkbox(value=False, indent=False, description="New activity since last visit"),
            "hemolytic_anemia": ipywidgets.Checkbox(value=False, indent=False, description="Haemolytic anaemia"),
            "gastrointestinal_activity": ipywidgets.Checkbox(value=False, indent=False,
                                                             description="Gastrointestinal lupus activity"),
            "maintenance_tolerated": ipywidgets.Checkbox(value=True, indent=False,
                                                         description="Maintenance drugs well tolerated"),
            "investigational_drug": ipywidgets.Checkbox(value=False, indent=False,
                                                        description="Takes an investigational drug"),
            "background_stable": ipywidgets.Checkbox(value=True, indent=False,
                                                     description="Background drugs at stable doses"),
            "prednisolone_rule": ipywidgets.Dropdown(
                options=[(text, key) for key, text in c.DORIS_PREDNISOLONE_RULES.items()], value="at_most_5",
                description="DORIS wording", style=style, layout=wide),
        }
        self.summary = ipywidgets.HTML(layout=_FULL)
        note = _note(c.TEACHING_NOTE + " LLDAS [Franklyn 2016] and DORIS remission [van Vollenhoven 2021] are "
                     "targets for one visit. The DORIS paper words the glucocorticoid limit two ways (5 mg/day or "
                     "less in the abstract, below 5 mg/day in its final recommendation): choose one.")
        panel = ipywidgets.VBox([*controls.values(), note, self.summary], layout=_FULL)
        _fill(controls, self._preset_values(case))
        super().__init__(controls, layout_controls=[panel])
        self.add_class("course-beside")  # picture beside its long list of controls, kept in view (widgets/style.py)

    def _preset_values(self, case: str) -> dict:
        preset = _TARGET_CASES[require_case(case, _TARGET_CASES)]
        return {"findings": tuple(preset["findings"]), "pga": preset["pga"],
                "prednisolone_mg_per_day": preset["prednisolone_mg_per_day"], "new_activity": False,
                "hemolytic_anemia": False, "gastrointestinal_activity": False, "maintenance_tolerated": True,
                "investigational_drug": False, "background_stable": True}

    def _inputs(self) -> tuple[dict, dict]:
        v = {name: w.value for name, w in self.controls.items()}
        common = {"sledai2k_findings": tuple(v["findings"]), "pga": round(float(v["pga"]), 2),
                  "prednisolone_mg_per_day": v["prednisolone_mg_per_day"]}
        lldas_kw = {**common, **{k: v[k] for k in ("new_activity", "hemolytic_anemia", "gastrointestinal_activity",
                                                   "maintenance_tolerated", "investigational_drug")}}
        doris_kw = {**common, "background_stable": v["background_stable"], "prednisolone_rule": v["prednisolone_rule"]}
        return lldas_kw, doris_kw

    def update(self) -> str:
        lldas_kw, doris_kw = self._inputs()
        results = {"lldas": c.lldas(**lldas_kw), "doris": c.doris_remission(**doris_kw)}
        for bar, mark, (target, key) in zip(self.bars, self.marks, self._rows):
            crit = next(x for x in results[target].criteria if x.key == key)
            bar.set_facecolor(PALETTE["primary"] if crit.met else "white")
            bar.set_edgecolor(PALETTE["primary"] if crit.met else PALETTE["highlight"])
            bar.set_hatch("" if crit.met else "xx")
            short = crit.detail.split(";")[0].split(" (")[0]  # the full detail is in the report below
            mark.set_text(f"met: {short}" if crit.met else f"NOT MET: {short}")
            mark.set_color("white" if crit.met else PALETTE["text"])
            mark.set_backgroundcolor(PALETTE["primary"] if crit.met else "white")
        words = {t: ("met" if r.met else "not met") for t, r in results.items()}
        self.ax.set_title(f"LLDAS {words['lldas']}; DORIS remission {words['doris']}")
        self.result = results
        self.summary.value = (f"<pre style='{_SMALL}'>{html.escape(results['lldas'].report())}\n\n"
                              f"{html.escape(results['doris'].report())}</pre>")
        why = []
        for target, r in results.items():
            if not r.met:
                why.append(f"{'LLDAS' if target == 'lldas' else 'DORIS'} fails on "
                           + "; ".join(f"{x.label.lower()} ({x.detail})" for x in r.failing))
        return (f"Chart of the LLDAS and DORIS criteria for this visit, each marked met or not met. LLDAS "
                f"{words['lldas']}, DORIS remission {words['doris']}." + (" " + ". ".join(why) + "." if why else ""))

    def report(self) -> str:
        """Both plain-text reports for the current inputs."""
        lldas_kw, doris_kw = self._inputs()
        return c.lldas(**lldas_kw).report() + "\n\n" + c.doris_remission(**doris_kw).report()


__all__ += ["DamageIndexView", "TreatToTargetView"]
