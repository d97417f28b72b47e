"""Systemic lupus erythematosus: the data and pure functions behind notebook 01.

Nothing here imports ipywidgets or plots. Every number carries its source in a comment;
the notebook cites the same sources in its References.
"""
from __future__ import annotations

from dataclasses import dataclass

from .question import Question, load_questions
from .validate import require_choice, require_number

__all__ = [
    "Estimate",
    "EPIDEMIOLOGY",
    "EPIDEMIOLOGY_MEASURES",
    "epidemiology",
    "female_to_male_ratio",
    "Manifestation",
    "EURO_LUPUS_1990_2000",
    "EURO_LUPUS_COMPLICATIONS",
    "INVOLVEMENT_VIEWS",
    "organ_involvement",
    "Step",
    "PATHOGENIC_STEPS",
    "OrganPathway",
    "ORGAN_PATHWAYS",
    "pathogenic_chain",
    "Rung",
    "TREATMENT_LADDER",
    "TREATMENT_SITUATIONS",
    "TREATMENT_AS_OF",
    "treatment_ladder",
    "SELF_CHECK",
    "SELF_CHECK_CARE",
    "HCQ_MAX_MG_PER_KG_PER_DAY",
    "hydroxychloroquine_max_dose_mg_per_day",
]


# --- Who gets it -----------------------------------------------------------------------

@dataclass(frozen=True)
class Estimate:
    """A modelled estimate with its uncertainty interval, per 100,000 (people or person-years)."""

    value: float
    low: float
    high: float


# Tian et al., Ann Rheum Dis 2023;82:351-6 (abstract): Bayesian model over 112 studies.
# Incidence per 100,000 person-years; prevalence per 100,000 people; brackets are the model's uncertainty intervals.
EPIDEMIOLOGY: dict[str, dict[str, Estimate]] = {
    "incidence": {
        "everyone": Estimate(5.14, 1.40, 15.13),
        "women": Estimate(8.82, 2.40, 25.99),
        "men": Estimate(1.53, 0.41, 4.46),
    },
    "prevalence": {
        "everyone": Estimate(43.7, 15.87, 108.92),
        "women": Estimate(78.73, 28.61, 196.33),
        "men": Estimate(9.26, 3.36, 22.97),
    },
}
# Tian 2023: people newly diagnosed each year (incidence) and living with SLE (prevalence), in millions.
EPIDEMIOLOGY_PEOPLE_MILLIONS: dict[str, dict[str, float]] = {
    "incidence": {"everyone": 0.40, "women": 0.34, "men": 0.06},
    "prevalence": {"everyone": 3.41, "women": 3.04, "men": 0.36},
}
EPIDEMIOLOGY_MEASURES = {
    "incidence": "New cases per 100,000 person-years",
    "prevalence": "People living with SLE per 100,000",
}


def epidemiology(measure: str) -> dict[str, Estimate]:
    """Return the global estimates for ``measure`` ("incidence" or "prevalence") by group.

    Returns
    -------
    dict
        ``{"everyone" | "women" | "men": Estimate}``, per 100,000 (person-years for incidence).
    """
    require_choice("measure", measure, EPIDEMIOLOGY)
    return dict(EPIDEMIOLOGY[measure])


def female_to_male_ratio(measure: str) -> float:
    """Women's estimate divided by men's for ``measure`` (Tian 2023 figures)."""
    est = epidemiology(measure)
    return est["women"].value / est["men"].value


# --- Where it strikes ------------------------------------------------------------------

@dataclass(frozen=True)
class Manifestation:
    """How often one feature occurred in a cohort.

    ``system`` is the organ system; ``found_by`` is "symptom" when the patient usually notices it,
    "test" when it is usually found by blood or urine tests before it is felt.
    """

    key: str
    label: str
    percent: float
    patients: int
    system: str
    found_by: str


# Cervera et al., Medicine (Baltimore) 2003;82:299-308 (Euro-Lupus, 1,000 patients followed 1990-2000):
# patients with at least one episode during the 10 years of follow-up (not lifetime prevalence).
EURO_LUPUS_1990_2000: tuple[Manifestation, ...] = (
    Manifestation("arthritis", "Arthritis", 48.1, 481, "Joints", "symptom"),
    Manifestation("malar_rash", "Malar rash", 31.1, 311, "Skin", "symptom"),
    Manifestation("nephropathy", "Active nephropathy", 27.9, 279, "Kidneys", "test"),
    Manifestation("neurologic", "Neurological involvement", 19.4, 194, "Nervous system", "symptom"),
    Manifestation("fever", "Fever", 16.6, 166, "Whole body", "symptom"),
    Manifestation("raynaud", "Raynaud phenomenon", 16.3, 163, "Blood vessels", "symptom"),
    Manifestation("serositis", "Serositis (pleura or pericardium)", 16.0, 160, "Heart and lungs", "symptom"),
    Manifestation("thrombocytopenia", "Thrombocytopenia", 13.4, 134, "Blood", "test"),
    Manifestation("thrombosis", "Thrombosis", 9.2, 92, "Blood vessels", "symptom"),
)
# Same cohort and period (Cervera 2003): complications of the disease or of its treatment.
EURO_LUPUS_COMPLICATIONS: tuple[Manifestation, ...] = (
    Manifestation("infections", "Infections", 36.0, 360, "Complication", "symptom"),
    Manifestation("hypertension", "Hypertension", 16.9, 169, "Complication", "test"),
    Manifestation("osteoporosis", "Osteoporosis", 12.1, 121, "Complication", "test"),
    Manifestation("drug_cytopenia", "Cytopenia from immunosuppressive drugs", 8.1, 81, "Complication", "test"),
    Manifestation("death", "Death", 6.8, 68, "Complication", "symptom"),
    Manifestation("malignancy", "Cancer", 2.3, 23, "Complication", "test"),
)
EURO_LUPUS_PATIENTS = 1000

INVOLVEMENT_VIEWS = {
    "frequency": "Features, most to least common",
    "system": "Features grouped by organ system",
    "found_by": "Noticed by the patient, or found by tests",
    "complications": "Complications of the disease and its treatment",
}


def organ_involvement(view: str) -> list[tuple[str, float, str]]:
    """Return ``(label, percent, group)`` rows for one view of the Euro-Lupus data, in plotting order.

    Parameters
    ----------
    view : str
        One of :data:`INVOLVEMENT_VIEWS`: "frequency", "system", "found_by" or "complications".

    Returns
    -------
    list of (str, float, str)
        Feature label, percent of the 1,000 patients with at least one episode in 1990-2000, and
        the group it is drawn in.
    """
    require_choice("view", view, INVOLVEMENT_VIEWS)
    if view == "complications":
        rows = sorted(EURO_LUPUS_COMPLICATIONS, key=lambda m: -m.percent)
        return [(m.label, m.percent, m.system) for m in rows]
    rows = list(EURO_LUPUS_1990_2000)
    if view == "frequency":
        rows.sort(key=lambda m: -m.percent)
        return [(m.label, m.percent, "Feature") for m in rows]
    if view == "system":
        order = {m.system: max(x.percent for x in rows if x.system == m.system) for m in rows}
        rows.sort(key=lambda m: (-order[m.system], m.system, -m.percent))
        return [(m.label, m.percent, m.system) for m in rows]
    names = {"symptom": "Noticed by the patient", "test": "Found by tests"}
    rows.sort(key=lambda m: (m.found_by != "symptom", -m.percent))
    return [(m.label, m.percent, names[m.found_by]) for m in rows]


# --- What SLE is: the pathogenic chain ------------------------------------------------------

@dataclass(frozen=True)
class Step:
    key: str
    label: str
    plain: str


# A simplified chain, after the reviews of Tsokos (N Engl J Med 2011) and Kaul et al. (Nat Rev Dis Primers 2016).
PATHOGENIC_STEPS: tuple[Step, ...] = (
    Step("triggers", "Genes and\ntriggers", "Inherited risk plus triggers such as ultraviolet light, infections and hormones."),
    Step("nuclear_material", "Debris from\ndying cells", "Material from inside dying cells (DNA and its proteins) is not cleared quickly and is seen by the immune system."),
    Step("b_cells", "Autoreactive B cells\n+ T-cell help", "B cells that recognise the body's own material are switched on, with help from T cells."),
    Step("autoantibodies", "Autoantibodies\n(anti-dsDNA, anti-Sm)", "Plasmablasts and plasma cells pour out antibodies against the body's own molecules."),
    Step("immune_complexes", "Immune\ncomplexes", "Antibodies stick to their targets and form clumps that lodge in small blood vessels and tissues."),
    Step("complement", "Complement\nactivation", "The clumps switch on complement, a cascade of blood proteins; C3 and C4 are used up and fall."),
    Step("inflammation", "Inflammation\n(interferon, cells)", "Inflammatory signals such as type I interferon draw in immune cells that injure the tissue."),
)


@dataclass(frozen=True)
class OrganPathway:
    organ: str
    steps: tuple[str, ...]
    manifestation: str
    plain: str
    autoantibodies: str = "Autoantibodies\n(anti-dsDNA, anti-Sm)"  # which antibodies this organ's path involves


# Which links of the chain each organ's path shows (Tsokos 2011; Kaul 2016). Simplified for teaching. The
# evidence is uneven between organs: skin and joints show every step because no cited source supports
# dropping one (immunoglobulin and complement are deposited in lupus skin; the mechanism of lupus
# arthritis is poorly defined); blood and brain differ as their plain text says.
ORGAN_PATHWAYS: dict[str, OrganPathway] = {
    "kidney": OrganPathway(
        "kidney",
        ("triggers", "nuclear_material", "b_cells", "autoantibodies", "immune_complexes", "complement", "inflammation"),
        "Lupus nephritis:\nprotein and blood\nin the urine",
        "Immune complexes lodge in the kidney's filters, complement and inflammation follow, and the filters leak protein "
        "and blood. It is often silent until a urine test finds it.",
    ),
    "skin": OrganPathway(
        "skin",
        ("triggers", "nuclear_material", "b_cells", "autoantibodies", "immune_complexes", "complement", "inflammation"),
        "Rash, often after\nsun: malar\n(butterfly) rash",
        "Ultraviolet light makes skin cells die and release their contents; antibodies, complement and "
        "interferon-driven inflammation give the rash. How much each step matters is not fully known.",
    ),
    "joints": OrganPathway(
        "joints",
        ("triggers", "nuclear_material", "b_cells", "autoantibodies", "immune_complexes", "complement", "inflammation"),
        "Arthritis: painful,\nswollen joints",
        "Inflammation in the joint lining makes joints painful and swollen; in lupus it usually does not erode the "
        "bone. Which steps matter most in the joints is poorly understood.",
    ),
    "blood": OrganPathway(
        "blood",
        ("triggers", "nuclear_material", "b_cells", "autoantibodies"),
        "Low blood counts:\nred cells, platelets,\nwhite cells",
        "Antibodies bind red cells or platelets directly and mark them for removal. Low white cells have several "
        "causes: antibodies, interferon and medicines.",
        autoantibodies="Autoantibodies\n(against blood cells)",
    ),
    "serosa": OrganPathway(
        "serosa",
        ("triggers", "nuclear_material", "b_cells", "autoantibodies", "immune_complexes", "complement", "inflammation"),
        "Pleurisy or\npericarditis: chest\npain, fluid",
        "The thin linings around the lungs and heart become inflamed, causing sharp chest pain and sometimes fluid.",
    ),
    "brain": OrganPathway(
        "brain",
        ("triggers", "b_cells", "autoantibodies", "inflammation"),
        "Neuropsychiatric\nlupus: seizures,\npsychosis, others",
        "Antibodies, inflammatory signals and injury to small vessels can all affect the brain; the mechanisms are the "
        "least understood of all organs.",
        autoantibodies="Autoantibodies\n(several kinds)",
    ),
}


def pathogenic_chain(organ: str) -> OrganPathway:
    """Return the pathway for ``organ`` (one of :data:`ORGAN_PATHWAYS`)."""
    require_choice("organ", organ, ORGAN_PATHWAYS)
    return ORGAN_PATHWAYS[organ]


# --- Treatment today ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rung:
    key: str
    label: str
    detail: str
    situations: frozenset[str]
    investigational: bool = False
    source: str = ""  # the guideline or approval behind the rung, with its year


TREATMENT_SITUATIONS = {
    "everyone": "Every person with SLE",
    "active": "Active disease despite hydroxychloroquine",
    "organ_threatening": "Organ-threatening disease",
    "nephritis": "Active lupus nephritis (class III or IV)",
    "refractory": "Refractory disease",
}
TREATMENT_AS_OF = "2026-12-04"  # the day the ladder was last checked against its sources

# Sources, paraphrased: EULAR 2023 update (Fanouriakis et al., Ann Rheum Dis 2024;83:15-29); 2025 ACR SLE
# guideline (Sammaritano et al., online 3 Nov 2025: strong recommendations for hydroxychloroquine for all,
# prednisone below 5 mg/day within 6 months, prompt escalation); 2024 ACR lupus nephritis guideline
# (Sammaritano et al., Arthritis Care Res 2025;77:1045-65: triple therapy for class III/IV +/- V,
# mycophenolic acid analogue plus belimumab or a calcineurin inhibitor, with glucocorticoids); EULAR 2025
# kidney update (Fanouriakis et al., online 16 Oct 2025: belimumab, obinutuzumab and rituximab among the
# biologics); obinutuzumab approved for lupus nephritis by the FDA in October 2025 (REGENCY, Furie 2025)
# and by the European Commission; subcutaneous anifrolumab approved in the EU (2025) and the US (April 2026).
TREATMENT_LADDER: tuple[Rung, ...] = (
    Rung("hcq", "Hydroxychloroquine",
         "for all unless contraindicated, long term; up to 5 mg/kg real body weight a day; eye checks",
         frozenset(TREATMENT_SITUATIONS), source="EULAR 2023; ACR 2025"),
    Rung("gc", "Glucocorticoids",
         "bridge in flares; below 5 mg/day within 6 months, stop if possible",
         frozenset({"active", "organ_threatening", "nephritis", "refractory"}), source="ACR 2025; EULAR 2023"),
    Rung("isd", "Immunosuppressants",
         "methotrexate, azathioprine or mycophenolate: control disease, spare steroids",
         frozenset({"active", "refractory"}), source="EULAR 2023; ACR 2025"),
    Rung("biologic", "Biologics",
         "belimumab or anifrolumab (anifrolumab also as a weekly injection since 2025-26)",
         frozenset({"active", "refractory"}), source="EULAR 2023; ACR 2025; approvals"),
    Rung("cyc", "Cyclophosphamide",
         "considered in organ-threatening disease; each organ has its own choices",
         frozenset({"organ_threatening"}), source="EULAR 2023"),
    Rung("nephritis", "Nephritis base",
         "mycophenolate, or low-dose IV cyclophosphamide, with glucocorticoids",
         frozenset({"nephritis"}), source="ACR 2024; EULAR 2023, 2025"),
    Rung("nephritis_addon", "Nephritis add-on",
         "belimumab, voclosporin or tacrolimus, or obinutuzumab: triple therapy",
         frozenset({"nephritis"}), source="ACR 2024; EULAR 2025; FDA 2025"),
    Rung("rtx", "Rituximab",
         "considered in refractory disease",
         frozenset({"refractory"}), source="EULAR 2023"),
    Rung("trials", "Clinical trials",
         "for example CAR T cells: investigational, not in the recommendations",
         frozenset({"refractory"}), investigational=True, source="no guideline"),
)


def treatment_ladder(situation: str) -> list[tuple[Rung, bool]]:
    """Return every rung with whether it applies to ``situation`` (one of :data:`TREATMENT_SITUATIONS`)."""
    require_choice("situation", situation, TREATMENT_SITUATIONS)
    return [(rung, situation in rung.situations) for rung in TREATMENT_LADDER]


# --- Self-check -------------------------------------------------------------------------------

# The questions live in widgets/content/questions/01_sle.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("01_sle")


# --- Notebook 1b: caring for a person with SLE --------------------------------------------------
# Hydroxychloroquine: at most 5 mg/kg of real (actual) body weight a day [Marmor 2016; Fanouriakis 2024].
HCQ_MAX_MG_PER_KG_PER_DAY = 5.0


def hydroxychloroquine_max_dose_mg_per_day(weight_kg: float) -> float:
    """Return the highest daily hydroxychloroquine dose by real body weight: 5 mg/kg [Marmor 2016].

    Teaching arithmetic, not a prescription: the dose prescribed is a clinical decision.
    """
    weight = require_number("weight_kg", weight_kg, minimum=20.0, maximum=300.0, unit="kg")
    return HCQ_MAX_MG_PER_KG_PER_DAY * weight


# The questions live in widgets/content/questions/01b_sle_care.yaml.
SELF_CHECK_CARE: tuple[Question, ...] = load_questions("01b_sle_care")
