"""The course's clinical instruments as pure functions: SLEDAI-2K, the 2019 EULAR/ACR
classification criteria, and the ASTCT grading of CRS, the ICE score and ICANS.

Educational code, not for care decisions. Every definition here paraphrases a primary source:

* SLEDAI-2K: Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288-91 [Gladman 2002]
  (descriptors, weights and definitions carried over from the original SLEDAI of Bombardier C,
  Gladman DD, et al. Arthritis Rheum 1992;35:630-40 [Bombardier 1992], with rash, alopecia,
  mucosal ulcers and proteinuria scored when persistent, not only when new or recurrent).
* Activity categories: Cook RJ, Gladman DD, et al. J Rheumatol 2000;27:1892-5 [Cook 2000].
* EULAR/ACR 2019: Aringer M, Costenbader K, et al. Ann Rheum Dis 2019;78:1151-9 and
  Arthritis Rheumatol 2019;71:1400-12 [Aringer 2019b] (the same criteria, published in both journals).
* SLICC/ACR damage index: Gladman D, Ginzler E, et al. Arthritis Rheum 1996;39:363-9 [Gladman 1996].
* LLDAS: Franklyn K, et al. Ann Rheum Dis 2016;75:1615-21 [Franklyn 2016]; DORIS remission:
  van Vollenhoven RF, et al. Lupus Sci Med 2021;8:e000538 [van Vollenhoven 2021].
* ASTCT CRS, ICE and ICANS: Lee DW, Santomasso BD, et al. Biol Blood Marrow Transplant
  2019;25:625-38 [Lee 2019], tables for CRS grading, the ICE score and adult ICANS grading.
* EHA/EBMT ICAHT (haematotoxicity after CAR-T): Rejeski K, Subklewe M, et al. Blood 2023;142:865-77
  [Rejeski 2023], early (day 0 to +30) and late (after day +30) neutropenia grading.

Nothing here imports ipywidgets or matplotlib; the widgets live in ``widgets.clinical_views``.
Unknown keys, wrong types and out-of-range values raise ``ValueError``/``TypeError`` whose
message names the bad input and lists what is accepted.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from widgets.validate import require_bool, require_choice, require_int, require_items, require_keys, require_number, shown

__all__ = [
    # SLEDAI-2K
    "SLEDAI2K_WEIGHTS", "SLEDAI2K_LABELS", "SLEDAI2K_DEFINITIONS", "SLEDAI2K_SYSTEMS", "SLEDAI2K_SYSTEM_OF",
    "SLEDAI2K_SYSTEM_LABELS", "SLEDAI2K_MAX_SCORE", "SLEDAI2K_BANDS", "SLEDAI2K_LAB_THRESHOLDS",
    "SLEDAI2K_LAB_RANGES", "LabCheck", "SLEDAI2K_ARTHRITIS_MIN_JOINTS", "SLEDAI_ORIGINAL_ARTHRITIS_MIN_JOINTS",
    "sledai2k_arthritis",
    "sledai2k_score", "sledai2k_system_points", "sledai2k_lab_checks", "sledai2k_lab_findings", "sledai2k_band",
    "sledai2k_report",
    # EULAR/ACR 2019
    "EULAR_ACR_2019_WEIGHTS", "EULAR_ACR_2019_LABELS", "EULAR_ACR_2019_DEFINITIONS", "EULAR_ACR_2019_DOMAINS",
    "EULAR_ACR_2019_DOMAIN_LABELS", "EULAR_ACR_2019_CLINICAL_DOMAINS", "EULAR_ACR_2019_IMMUNOLOGY_DOMAINS",
    "EULAR_ACR_2019_DOMAIN_OF", "EULAR_ACR_2019_LOW_C3_AND_LOW_C4_POINTS", "EULAR_ACR_2019_THRESHOLD",
    "EULAR_ACR_2019_MAX_POINTS", "EularAcr2019Result", "eular_acr_2019", "eular_acr_2019_report",
    # ASTCT
    "CRS_HYPOTENSION_GRADES", "CRS_HYPOXIA_GRADES", "CRS_HYPOTENSION_LABELS", "CRS_HYPOXIA_LABELS",
    "CRS_OXYGEN_DEVICES", "CRS_LOW_FLOW_MAX_L_PER_MIN",
    "crs_grade", "crs_domain_grades", "crs_hypotension_category", "crs_hypoxia_category", "crs_report",
    "ICE_ITEMS", "ice_score",
    "ICANS_CONSCIOUSNESS_GRADES", "ICANS_SEIZURE_GRADES", "ICANS_EDEMA_GRADES", "ICANS_DOMAIN_LABELS",
    "ice_domain_grade", "icans_domain_grades", "icans_grade", "icans_report",
    # EHA/EBMT ICAHT (issue 12)
    "ICAHT_ANC_500_PER_UL", "ICAHT_ANC_100_PER_UL", "ICAHT_EARLY_LAST_DAY", "ICAHT_STABLE_RECOVERY_DAYS",
    "ICAHT_LATE_THRESHOLDS_PER_UL", "ICAHT_CRITERION_LABELS", "IcahtResult", "icaht_early_grade", "icaht_late_grade",
    "icaht_days_at_or_below", "icaht_early_from_daily_anc", "icaht_report",
    "EXAMPLE_ICAHT_DESCRIPTION", "EXAMPLE_ICAHT_DAILY_ANC", "EXAMPLE_ICAHT_LATE_ANC",
    # fictional worked cases
    "EXAMPLE_SLEDAI_CASE", "EXAMPLE_SLEDAI_MEASUREMENTS", "EXAMPLE_SLEDAI_DESCRIPTION",
    "EXAMPLE_EULAR_CASE", "EXAMPLE_EULAR_DESCRIPTION",
    "EXAMPLE_EULAR_IMMUNOLOGY_ONLY_CASE", "EXAMPLE_EULAR_IMMUNOLOGY_ONLY_DESCRIPTION",
    "EXAMPLE_CRS_CASE", "EXAMPLE_CRS_DESCRIPTION",
    "EXAMPLE_ICE_ITEMS", "EXAMPLE_ICANS_CASE", "EXAMPLE_ICANS_DESCRIPTION",
    "TEACHING_NOTE",
]

TEACHING_NOTE = (
    "Teaching tool: these calculators help you learn how the instruments are built. "
    "They are not validated software and must not be used for care decisions."
)


def _freeze(mapping: Mapping) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def _fmt(value: float) -> str:
    return f"{value:g}"


# =====================================================================================
# SLEDAI-2K [Gladman 2002]
# =====================================================================================
# Weights: 8 x 8 (neuro and vasculitis) + 6 x 4 + 7 x 2 + 3 x 1 = 105 (Gladman 2002, the form's table).
SLEDAI2K_WEIGHTS: Mapping[str, int] = _freeze({
    "seizure": 8,
    "psychosis": 8,
    "organic_brain_syndrome": 8,
    "visual_disturbance": 8,
    "cranial_nerve_disorder": 8,
    "lupus_headache": 8,
    "cva": 8,
    "vasculitis": 8,
    "arthritis": 4,
    "myositis": 4,
    "urinary_casts": 4,
    "hematuria": 4,
    "proteinuria": 4,
    "pyuria": 4,
    "rash": 2,
    "alopecia": 2,
    "mucosal_ulcers": 2,
    "pleurisy": 2,
    "pericarditis": 2,
    "low_complement": 2,
    "increased_dna_binding": 2,
    "fever": 1,
    "thrombocytopenia": 1,
    "leukopenia": 1,
})
SLEDAI2K_MAX_SCORE = sum(SLEDAI2K_WEIGHTS.values())  # 105 [Gladman 2002]
# Fewest inflamed joints that score "arthritis": 2 in SLEDAI-2K as reproduced [Cipriano 2015];
# the original SLEDAI and SELENA-SLEDAI glossaries say "more than 2" (so 3). See SLEDAI2K_DEFINITIONS.
SLEDAI2K_ARTHRITIS_MIN_JOINTS = 2
SLEDAI_ORIGINAL_ARTHRITIS_MIN_JOINTS = 3

SLEDAI2K_LABELS: Mapping[str, str] = _freeze({
    "seizure": "Seizure",
    "psychosis": "Psychosis",
    "organic_brain_syndrome": "Organic brain syndrome",
    "visual_disturbance": "Visual disturbance",
    "cranial_nerve_disorder": "Cranial nerve disorder",
    "lupus_headache": "Lupus headache",
    "cva": "Cerebrovascular accident",
    "vasculitis": "Vasculitis",
    "arthritis": "Arthritis",
    "myositis": "Myositis",
    "urinary_casts": "Urinary casts",
    "hematuria": "Haematuria",
    "proteinuria": "Proteinuria",
    "pyuria": "Pyuria",
    "rash": "Rash",
    "alopecia": "Alopecia",
    "mucosal_ulcers": "Mucosal ulcers",
    "pleurisy": "Pleurisy",
    "pericarditis": "Pericarditis",
    "low_complement": "Low complement",
    "increased_dna_binding": "Increased DNA binding",
    "fever": "Fever",
    "thrombocytopenia": "Thrombocytopenia",
    "leukopenia": "Leukopenia",
})

# One line each, in the course's words, faithful to the SLEDAI-2K form [Gladman 2002].
# A descriptor counts when present at the visit or in the 10 days before it.
# Arthritis: the SLEDAI-2K glossary as reproduced in peer-reviewed work reads ">=2 joints with pain and
# signs of inflammation" [Cipriano 2015]; reproductions of the original SLEDAI [Bombardier 1992] and of
# SELENA-SLEDAI read "more than 2 joints". The course could not open Gladman 2002's own table; it follows
# the SLEDAI-2K reading, so exactly 2 inflamed joints score 4 (tests/test_clinical.py pins this). The
# calculator takes the clinician's tick; SLEDAI2K_ARTHRITIS_MIN_JOINTS and sledai2k_arthritis() make the
# joint count explicit.
SLEDAI2K_DEFINITIONS: Mapping[str, str] = _freeze({
    "seizure": "Seizure of recent onset, after metabolic, infectious and drug causes are excluded.",
    "psychosis": "Severely disturbed perception of reality that impairs normal function (e.g. hallucinations, "
                 "incoherence, bizarre or catatonic behaviour); uraemia and drugs excluded.",
    "organic_brain_syndrome": "Rapid-onset, fluctuating impairment of orientation, memory or other intellectual "
                              "function with clouded consciousness and at least 2 of: perceptual disturbance, "
                              "incoherent speech, insomnia or daytime drowsiness, altered psychomotor activity; "
                              "metabolic, infectious and drug causes excluded.",
    "visual_disturbance": "Retinal changes of SLE (cytoid bodies, retinal haemorrhage, serous exudate or choroidal "
                          "haemorrhage) or optic neuritis; hypertension, infection and drugs excluded.",
    "cranial_nerve_disorder": "New sensory or motor neuropathy of a cranial nerve.",
    "lupus_headache": "Severe, persistent headache (may be migrainous) that does not respond to narcotic analgesia.",
    "cva": "New cerebrovascular accident(s); arteriosclerosis excluded.",
    "vasculitis": "Ulceration, gangrene, tender finger nodules, periungual infarction, splinter haemorrhages, "
                  "or vasculitis proven by biopsy or angiogram.",
    "arthritis": "At least 2 joints with pain and signs of inflammation (tenderness, swelling or effusion). "
                 "Versions differ: the original SLEDAI and SELENA-SLEDAI say more than 2 joints.",
    "myositis": "Proximal muscle aching or weakness with raised CK or aldolase, EMG changes, or a biopsy "
                "showing myositis.",
    "urinary_casts": "Heme-granular or red-cell casts in the urine.",
    "hematuria": "More than 5 red cells per high-power field (5 does not score); stone, infection and other "
                 "causes excluded.",
    "proteinuria": "More than 0.5 g of protein per 24 h (0.5 does not score).",
    "pyuria": "More than 5 white cells per high-power field (5 does not score); infection excluded.",
    "rash": "Inflammatory-type rash (persistent rash counts in SLEDAI-2K).",
    "alopecia": "Abnormal patchy or diffuse hair loss (persistent loss counts in SLEDAI-2K).",
    "mucosal_ulcers": "Oral or nasal ulcers (persistent ulcers count in SLEDAI-2K).",
    "pleurisy": "Pleuritic chest pain with pleural rub, effusion or pleural thickening.",
    "pericarditis": "Pericardial pain with at least 1 of: rub, effusion, or ECG or echocardiogram confirmation.",
    "low_complement": "CH50, C3 or C4 below the testing laboratory's lower limit of normal (counts once).",
    "increased_dna_binding": "DNA binding (anti-dsDNA) above the testing laboratory's normal range.",
    "fever": "Temperature above 38 °C (38.0 does not score); infection excluded.",
    "thrombocytopenia": "Platelets below 100 x10^9/L (100 does not score); drug causes excluded.",
    "leukopenia": "White cells below 3 x10^9/L (3.0 does not score); drug causes excluded.",
})

# Organ systems. The instrument is described as 24 descriptors in 9 organ systems, but the
# SLEDAI-2K form lists the descriptors without naming the systems: this grouping is the
# course's, following the order of the form [Gladman 2002].
SLEDAI2K_SYSTEMS: Mapping[str, tuple[str, ...]] = _freeze({
    "neuropsychiatric": ("seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance",
                         "cranial_nerve_disorder", "lupus_headache", "cva"),
    "vascular": ("vasculitis",),
    "musculoskeletal": ("arthritis", "myositis"),
    "renal": ("urinary_casts", "hematuria", "proteinuria", "pyuria"),
    "mucocutaneous": ("rash", "alopecia", "mucosal_ulcers"),
    "serosal": ("pleurisy", "pericarditis"),
    "immunologic": ("low_complement", "increased_dna_binding"),
    "constitutional": ("fever",),
    "hematologic": ("thrombocytopenia", "leukopenia"),
})
SLEDAI2K_SYSTEM_LABELS: Mapping[str, str] = _freeze({
    "neuropsychiatric": "Neuropsychiatric (incl. eye)",
    "vascular": "Vascular",
    "musculoskeletal": "Musculoskeletal",
    "renal": "Renal",
    "mucocutaneous": "Mucocutaneous",
    "serosal": "Serosal",
    "immunologic": "Immunologic",
    "constitutional": "Constitutional",
    "hematologic": "Haematologic",
})
SLEDAI2K_SYSTEM_OF: Mapping[str, str] = _freeze(
    {key: system for system, keys in SLEDAI2K_SYSTEMS.items() for key in keys}
)

# Measured thresholds, all strict [Gladman 2002]:
# descriptor -> (argument, comparison, threshold, unit, what is measured)
SLEDAI2K_LAB_THRESHOLDS: Mapping[str, tuple[str, str, float, str, str]] = _freeze({
    "fever": ("temperature_c", ">", 38.0, "°C", "temperature"),
    "thrombocytopenia": ("platelets_e9_per_l", "<", 100.0, "x10^9/L", "platelets"),
    "leukopenia": ("leukocytes_e9_per_l", "<", 3.0, "x10^9/L", "white cells"),
    "proteinuria": ("proteinuria_g_per_24h", ">", 0.5, "g/24 h", "urine protein"),
    "hematuria": ("urine_rbc_per_hpf", ">", 5.0, "/hpf", "urine red cells"),
    "pyuria": ("urine_wbc_per_hpf", ">", 5.0, "/hpf", "urine white cells"),
})
# Plausible ranges, only to catch typing errors (e.g. 101 meaning °F, or platelets in /uL):
# the course's choice, not part of the instrument.
SLEDAI2K_LAB_RANGES: Mapping[str, tuple[float, float]] = _freeze({
    "temperature_c": (25.0, 45.0),
    "platelets_e9_per_l": (0.0, 2000.0),
    "leukocytes_e9_per_l": (0.0, 500.0),
    "proteinuria_g_per_24h": (0.0, 50.0),
    "urine_rbc_per_hpf": (0.0, 1000.0),
    "urine_wbc_per_hpf": (0.0, 1000.0),
})

# Categorical SLEDAI [Cook 2000]: 0, 1-5, 6-10, 11-19 and ">20" (the abstract's words), so a score of
# exactly 20 is unplaced there; the course counts 20 in the top band. The words are a later convention.
SLEDAI2K_BANDS: tuple[tuple[str, int, int], ...] = (
    ("none", 0, 0),
    ("mild", 1, 5),
    ("moderate", 6, 10),
    ("high", 11, 19),
    ("very high", 20, SLEDAI2K_MAX_SCORE),
)


@dataclass(frozen=True)
class LabCheck:
    """One measured value compared with its SLEDAI-2K threshold."""

    descriptor: str
    argument: str
    value: float
    comparison: str
    threshold: float
    unit: str
    measured: str
    met: bool

    def __post_init__(self) -> None:
        require_choice("descriptor", self.descriptor, SLEDAI2K_LAB_THRESHOLDS)

    def sentence(self) -> str:
        verdict = "met" if self.met else "not met"
        return (f"{self.measured} {_fmt(self.value)} {self.unit}: {SLEDAI2K_LABELS[self.descriptor]} "
                f"needs {self.comparison} {_fmt(self.threshold)} {self.unit} -> {verdict}")


def sledai2k_score(findings: Iterable[str]) -> int:
    """Return the SLEDAI-2K score of a visit [Gladman 2002].

    Parameters
    ----------
    findings : iterable of str
        Descriptor keys present (see ``SLEDAI2K_WEIGHTS``). Each adds its weight once;
        repeating a key does not add it twice.

    Returns
    -------
    int
        0 to 105.
    """
    present = require_keys("findings", findings, SLEDAI2K_WEIGHTS)
    return sum(SLEDAI2K_WEIGHTS[k] for k in present)


def sledai2k_arthritis(inflamed_joints: int, *, version: str = "SLEDAI-2K") -> bool:
    """Whether a count of joints with pain and signs of inflammation scores the arthritis descriptor.

    Parameters
    ----------
    inflamed_joints : int
        Joints with pain and signs of inflammation (tenderness, swelling or effusion), 0-100.
    version : str
        ``"SLEDAI-2K"`` (at least 2 joints, the course's calculator [Cipriano 2015]) or
        ``"SLEDAI"`` (the original SLEDAI and SELENA-SLEDAI wording, more than 2 joints).
    """
    inflamed_joints = require_int("inflamed_joints", inflamed_joints, minimum=0, maximum=100)
    version = require_choice("version", version, ("SLEDAI-2K", "SLEDAI"))
    minimum = SLEDAI2K_ARTHRITIS_MIN_JOINTS if version == "SLEDAI-2K" else SLEDAI_ORIGINAL_ARTHRITIS_MIN_JOINTS
    return inflamed_joints >= minimum


def sledai2k_system_points(findings: Iterable[str]) -> dict[str, int]:
    """Return the points each organ system contributes (every system, in ``SLEDAI2K_SYSTEMS`` order)."""
    present = require_keys("findings", findings, SLEDAI2K_WEIGHTS)
    return {system: sum(SLEDAI2K_WEIGHTS[k] for k in keys if k in present)
            for system, keys in SLEDAI2K_SYSTEMS.items()}


def sledai2k_lab_checks(
    *,
    temperature_c: float | None = None,
    platelets_e9_per_l: float | None = None,
    leukocytes_e9_per_l: float | None = None,
    proteinuria_g_per_24h: float | None = None,
    urine_rbc_per_hpf: float | None = None,
    urine_wbc_per_hpf: float | None = None,
) -> list[LabCheck]:
    """Compare each measured value with its strict SLEDAI-2K threshold [Gladman 2002].

    ``None`` means not measured and gives no check. Returns one :class:`LabCheck` per
    measured value, in ``SLEDAI2K_LAB_THRESHOLDS`` order.
    """
    given = {
        "temperature_c": temperature_c,
        "platelets_e9_per_l": platelets_e9_per_l,
        "leukocytes_e9_per_l": leukocytes_e9_per_l,
        "proteinuria_g_per_24h": proteinuria_g_per_24h,
        "urine_rbc_per_hpf": urine_rbc_per_hpf,
        "urine_wbc_per_hpf": urine_wbc_per_hpf,
    }
    checks = []
    for descriptor, (arg, op, threshold, unit, measured) in SLEDAI2K_LAB_THRESHOLDS.items():
        low, high = SLEDAI2K_LAB_RANGES[arg]
        value = require_number(arg, given[arg], minimum=low, maximum=high, unit=unit, allow_none=True)
        if value is None:
            continue
        met = value > threshold if op == ">" else value < threshold
        checks.append(LabCheck(descriptor, arg, value, op, threshold, unit, measured, met))
    return checks


def sledai2k_lab_findings(
    *,
    temperature_c: float | None = None,
    platelets_e9_per_l: float | None = None,
    leukocytes_e9_per_l: float | None = None,
    proteinuria_g_per_24h: float | None = None,
    urine_rbc_per_hpf: float | None = None,
    urine_wbc_per_hpf: float | None = None,
) -> set[str]:
    """Return the descriptors these measurements meet by the published thresholds [Gladman 2002].

    Thresholds are strict: fever > 38 °C, platelets < 100 x10^9/L, white cells < 3 x10^9/L,
    proteinuria > 0.5 g/24 h, urine red or white cells > 5 per high-power field. A value
    exactly at a threshold does not score. ``None`` means not measured. The exclusions of the
    definitions (infection, drugs, stones) remain the clinician's judgement.
    """
    checks = sledai2k_lab_checks(
        temperature_c=temperature_c, platelets_e9_per_l=platelets_e9_per_l,
        leukocytes_e9_per_l=leukocytes_e9_per_l, proteinuria_g_per_24h=proteinuria_g_per_24h,
        urine_rbc_per_hpf=urine_rbc_per_hpf, urine_wbc_per_hpf=urine_wbc_per_hpf,
    )
    return {c.descriptor for c in checks if c.met}


def sledai2k_band(score: int) -> str:
    """Return the activity band of a SLEDAI-2K score: 'none', 'mild', 'moderate', 'high' or 'very high'.

    The cut points 0 / 1-5 / 6-10 / 11-19 follow the categorical SLEDAI of [Cook 2000], whose
    abstract prints the top band as ">20"; the course counts a score of exactly 20 in the top
    band (a choice, not the paper's). The words are a convention, not part of that paper.
    """
    score = require_int("score", score, minimum=0, maximum=SLEDAI2K_MAX_SCORE)
    for name, low, high in SLEDAI2K_BANDS:
        if low <= score <= high:
            return name
    raise AssertionError("unreachable: the bands cover 0-105")  # pragma: no cover


def _band_range(name: str) -> str:
    for band, low, high in SLEDAI2K_BANDS:
        if band == name:
            return f"{low}" if low == high else (f"{low} and above" if high == SLEDAI2K_MAX_SCORE else f"{low}-{high}")
    raise AssertionError(name)  # pragma: no cover


def sledai2k_report(findings: Iterable[str] = (), **measurements: float | None) -> str:
    """Return a short plain-text report of a SLEDAI-2K visit.

    Parameters
    ----------
    findings : iterable of str
        Descriptors ticked by clinical judgement.
    **measurements
        Optional keyword measurements as in :func:`sledai2k_lab_findings`; the descriptors
        they meet are added to ``findings``.
    """
    present = require_keys("findings", findings, SLEDAI2K_WEIGHTS)
    unknown = sorted(set(measurements) - set(SLEDAI2K_LAB_RANGES))
    if unknown:
        raise ValueError(f"unknown measurement(s) {', '.join(unknown)}; accepted: {', '.join(SLEDAI2K_LAB_RANGES)}.")
    checks = sledai2k_lab_checks(**measurements)
    present |= {c.descriptor for c in checks if c.met}
    score = sledai2k_score(present)
    band = sledai2k_band(score)
    lines = [f"SLEDAI-2K score: {score} of {SLEDAI2K_MAX_SCORE} (band: {band}, {_band_range(band)})"]
    if present:
        lines.append("Counted descriptors, by organ system:")
        for system, keys in SLEDAI2K_SYSTEMS.items():
            items = [f"{SLEDAI2K_LABELS[k]} ({SLEDAI2K_WEIGHTS[k]})" for k in keys if k in present]
            if items:
                points = sum(SLEDAI2K_WEIGHTS[k] for k in keys if k in present)
                lines.append(f"  {SLEDAI2K_SYSTEM_LABELS[system]} {points}: {', '.join(items)}")
    else:
        lines.append("No descriptor counted.")
    if checks:
        lines.append("Measured values against the thresholds:")
        lines.extend(f"  {c.sentence()}" for c in checks)
        if any(c.met for c in checks):
            lines.append("  (a met threshold still needs other causes excluded: infection, drugs, stones)")
    lines.append("Band words are a convention; the numeric categories are from Cook 2000.")
    return "\n".join(lines)


# =====================================================================================
# 2019 EULAR/ACR classification criteria [Aringer 2019]
# =====================================================================================
# Domains in the published order; items within a domain in increasing weight.
EULAR_ACR_2019_DOMAINS: Mapping[str, tuple[str, ...]] = _freeze({
    "constitutional": ("fever",),
    "hematologic": ("leukopenia", "thrombocytopenia", "autoimmune_hemolysis"),
    "neuropsychiatric": ("delirium", "psychosis", "seizure"),
    "mucocutaneous": ("non_scarring_alopecia", "oral_ulcers", "subacute_cutaneous_or_discoid_lupus",
                      "acute_cutaneous_lupus"),
    "serosal": ("pleural_or_pericardial_effusion", "acute_pericarditis"),
    "musculoskeletal": ("joint_involvement",),
    "renal": ("proteinuria", "lupus_nephritis_class_2_or_5", "lupus_nephritis_class_3_or_4"),
    "antiphospholipid_antibodies": ("antiphospholipid_antibodies",),
    "complement_proteins": ("low_c3", "low_c4"),
    "sle_specific_antibodies": ("anti_dsdna", "anti_smith"),
})
# The 7 clinical domains and the 3 immunology domains [Aringer 2019]. "At least one clinical
# criterion" is read as: at least one criterion from a clinical domain; immunology alone never classifies.
EULAR_ACR_2019_CLINICAL_DOMAINS: tuple[str, ...] = (
    "constitutional", "hematologic", "neuropsychiatric", "mucocutaneous", "serosal", "musculoskeletal", "renal",
)
EULAR_ACR_2019_IMMUNOLOGY_DOMAINS: tuple[str, ...] = (
    "antiphospholipid_antibodies", "complement_proteins", "sle_specific_antibodies",
)
EULAR_ACR_2019_DOMAIN_LABELS: Mapping[str, str] = _freeze({
    "constitutional": "Constitutional",
    "hematologic": "Haematologic",
    "neuropsychiatric": "Neuropsychiatric",
    "mucocutaneous": "Mucocutaneous",
    "serosal": "Serosal",
    "musculoskeletal": "Musculoskeletal",
    "renal": "Renal",
    "antiphospholipid_antibodies": "Antiphospholipid antibodies",
    "complement_proteins": "Complement proteins",
    "sle_specific_antibodies": "SLE-specific antibodies",
})
# Weight of each criterion on its own [Aringer 2019]. low_c3 or low_c4 alone: 3; both: 4 (below).
EULAR_ACR_2019_WEIGHTS: Mapping[str, int] = _freeze({
    "fever": 2,
    "leukopenia": 3,
    "thrombocytopenia": 4,
    "autoimmune_hemolysis": 4,
    "delirium": 2,
    "psychosis": 3,
    "seizure": 5,
    "non_scarring_alopecia": 2,
    "oral_ulcers": 2,
    "subacute_cutaneous_or_discoid_lupus": 4,
    "acute_cutaneous_lupus": 6,
    "pleural_or_pericardial_effusion": 5,
    "acute_pericarditis": 6,
    "joint_involvement": 6,
    "proteinuria": 4,
    "lupus_nephritis_class_2_or_5": 8,
    "lupus_nephritis_class_3_or_4": 10,
    "antiphospholipid_antibodies": 2,
    "low_c3": 3,
    "low_c4": 3,
    "anti_dsdna": 6,
    "anti_smith": 6,
})
EULAR_ACR_2019_LOW_C3_AND_LOW_C4_POINTS = 4  # [Aringer 2019]: low C3 AND low C4 is the higher complement item
EULAR_ACR_2019_THRESHOLD = 10  # classify at >= 10 points [Aringer 2019]
EULAR_ACR_2019_MAX_POINTS = 51  # 2+4+5+6+6+6+10 clinical, 2+4+6 immunology
EULAR_ACR_2019_DOMAIN_OF: Mapping[str, str] = _freeze(
    {key: domain for domain, keys in EULAR_ACR_2019_DOMAINS.items() for key in keys}
)
EULAR_ACR_2019_LABELS: Mapping[str, str] = _freeze({
    "fever": "Fever",
    "leukopenia": "Leukopenia",
    "thrombocytopenia": "Thrombocytopenia",
    "autoimmune_hemolysis": "Autoimmune haemolysis",
    "delirium": "Delirium",
    "psychosis": "Psychosis",
    "seizure": "Seizure",
    "non_scarring_alopecia": "Non-scarring alopecia",
    "oral_ulcers": "Oral ulcers",
    "subacute_cutaneous_or_discoid_lupus": "Subacute cutaneous or discoid lupus",
    "acute_cutaneous_lupus": "Acute cutaneous lupus",
    "pleural_or_pericardial_effusion": "Pleural or pericardial effusion",
    "acute_pericarditis": "Acute pericarditis",
    "joint_involvement": "Joint involvement",
    "proteinuria": "Proteinuria > 0.5 g/24 h",
    "lupus_nephritis_class_2_or_5": "Renal biopsy: class II or V lupus nephritis",
    "lupus_nephritis_class_3_or_4": "Renal biopsy: class III or IV lupus nephritis",
    "antiphospholipid_antibodies": "Antiphospholipid antibodies",
    "low_c3": "Low C3",
    "low_c4": "Low C4",
    "anti_dsdna": "Anti-dsDNA antibody",
    "anti_smith": "Anti-Smith antibody",
})
# One line each, in the course's words, faithful to [Aringer 2019]. Every criterion counts only
# when no more likely explanation than SLE exists; once is enough; criteria need not coincide.
EULAR_ACR_2019_DEFINITIONS: Mapping[str, str] = _freeze({
    "fever": "Temperature above 38.3 °C.",
    "leukopenia": "White cells below 4 x10^9/L.",
    "thrombocytopenia": "Platelets below 100 x10^9/L.",
    "autoimmune_hemolysis": "Haemolysis (e.g. reticulocytosis, low haptoglobin, raised bilirubin or LDH) "
                            "with a positive Coombs (direct antiglobulin) test.",
    "delirium": "Change in consciousness or arousal with reduced ability to focus, developing over hours to "
                "less than 2 days, fluctuating through the day, with a change in cognition or in behaviour, "
                "mood or affect.",
    "psychosis": "Delusions and/or hallucinations without insight, not explained by delirium.",
    "seizure": "Primary generalised or partial/focal seizure.",
    "non_scarring_alopecia": "Non-scarring hair loss seen by a clinician.",
    "oral_ulcers": "Oral ulcers seen by a clinician.",
    "subacute_cutaneous_or_discoid_lupus": "Subacute cutaneous lupus (annular or papulosquamous) or discoid "
                                           "lupus seen by a clinician; if a biopsy is done it must show typical changes.",
    "acute_cutaneous_lupus": "Malar or generalised maculopapular rash seen by a clinician; if a biopsy is done "
                             "it must show typical changes.",
    "pleural_or_pericardial_effusion": "Pleural and/or pericardial effusion on imaging.",
    "acute_pericarditis": "At least 2 of: pericardial chest pain, rub, ECG changes, new or worse effusion on imaging.",
    "joint_involvement": "Synovitis in at least 2 joints, or tenderness in at least 2 joints with at least "
                         "30 minutes of morning stiffness.",
    "proteinuria": "Protein above 0.5 g per 24 h (or an equivalent spot ratio).",
    "lupus_nephritis_class_2_or_5": "Renal biopsy showing ISN/RPS class II or V lupus nephritis.",
    "lupus_nephritis_class_3_or_4": "Renal biopsy showing ISN/RPS class III or IV lupus nephritis.",
    "antiphospholipid_antibodies": "Anticardiolipin (IgA, IgG or IgM) at medium or high titre (above 40 GPL, "
                                   "MPL or APL, or above the 99th centile), or anti-beta2-glycoprotein I, "
                                   "or lupus anticoagulant.",
    "low_c3": "C3 below the lower limit of normal.",
    "low_c4": "C4 below the lower limit of normal.",
    "anti_dsdna": "Anti-dsDNA antibody in an assay with at least 90% specificity for SLE.",
    "anti_smith": "Anti-Smith (anti-Sm) antibody.",
})


@dataclass(frozen=True)
class EularAcr2019Result:
    """What :func:`eular_acr_2019` found.

    Attributes
    ----------
    classified : bool
        Entry criterion met, at least one clinical criterion, and ``points >= 10``.
    points : int
        Sum of the counted (highest) item of each domain. Computed even when the entry
        criterion is absent, for teaching; the criteria are then not applied.
    domain_points : dict[str, int]
        Every domain (in ``EULAR_ACR_2019_DOMAINS`` order) -> its counted points (0 if none).
    counted : dict[str, tuple[str, ...]]
        Domain -> the criterion keys that make up its counted item (two keys when low C3
        and low C4 together score 4, or when anti-dsDNA and anti-Smith are both present).
    ignored : dict[str, tuple[str, ...]]
        Domain -> criteria present but not counted because a higher (or an equal, earlier)
        item of the same domain counts.
    ana_positive : bool
    clinical_criterion : bool
        At least one criterion from one of the 7 clinical domains.
    reasons : tuple of str
        Why the case is not classified (empty when it is).
    """

    classified: bool
    points: int
    domain_points: dict[str, int]
    counted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ignored: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ana_positive: bool = False
    clinical_criterion: bool = False
    reasons: tuple[str, ...] = ()


def eular_acr_2019(ana_positive: bool, criteria: Iterable[str]) -> EularAcr2019Result:
    """Apply the 2019 EULAR/ACR classification criteria for SLE [Aringer 2019].

    Parameters
    ----------
    ana_positive : bool
        Entry criterion: ANA at a titre of at least 1:80 on HEp-2 cells (or an equivalent
        positive test) at least once. Without it the criteria are not applied.
    criteria : iterable of str
        Criterion keys present (see ``EULAR_ACR_2019_WEIGHTS``).

    Returns
    -------
    EularAcr2019Result
        Only the highest-weighted criterion of each domain counts (ties: the first in the
        published order); low C3 and low C4 together count 4, either alone 3. Classified
        when ANA is positive, at least one clinical-domain criterion is present, and the
        total is at least 10.
    """
    ana_positive = require_bool("ana_positive", ana_positive)
    present = require_keys("criteria", criteria, EULAR_ACR_2019_WEIGHTS)
    domain_points: dict[str, int] = {}
    counted: dict[str, tuple[str, ...]] = {}
    ignored: dict[str, tuple[str, ...]] = {}
    for domain, keys in EULAR_ACR_2019_DOMAINS.items():
        here = [k for k in keys if k in present]
        if not here:
            domain_points[domain] = 0
            continue
        if domain == "complement_proteins" and len(here) == 2:
            domain_points[domain] = EULAR_ACR_2019_LOW_C3_AND_LOW_C4_POINTS
            counted[domain] = tuple(here)
            continue
        if domain == "sle_specific_antibodies":
            # One item, "anti-dsDNA OR anti-Smith": both present still count 6, once.
            domain_points[domain] = EULAR_ACR_2019_WEIGHTS[here[0]]
            counted[domain] = tuple(here)
            continue
        best = max(here, key=lambda k: (EULAR_ACR_2019_WEIGHTS[k], -keys.index(k)))
        domain_points[domain] = EULAR_ACR_2019_WEIGHTS[best]
        counted[domain] = (best,)
        rest = tuple(k for k in here if k != best)
        if rest:
            ignored[domain] = rest
    points = sum(domain_points.values())
    clinical = any(domain_points[d] > 0 for d in EULAR_ACR_2019_CLINICAL_DOMAINS)
    reasons = []
    if not ana_positive:
        reasons.append("entry criterion not met: no ANA at 1:80 or higher, so the criteria are not applied")
    if not clinical:
        reasons.append("no clinical criterion: immunology domains alone never classify")
    if points < EULAR_ACR_2019_THRESHOLD:
        reasons.append(f"{points} points is under the threshold of {EULAR_ACR_2019_THRESHOLD}")
    return EularAcr2019Result(
        classified=not reasons, points=points, domain_points=domain_points, counted=counted, ignored=ignored,
        ana_positive=ana_positive, clinical_criterion=clinical, reasons=tuple(reasons),
    )


def _counted_label(domain: str, keys: tuple[str, ...]) -> str:
    if domain == "complement_proteins" and len(keys) == 2:
        return "Low C3 and low C4"
    return " and ".join(EULAR_ACR_2019_LABELS[k] for k in keys) if domain == "sle_specific_antibodies" \
        else EULAR_ACR_2019_LABELS[keys[0]]


def eular_acr_2019_report(ana_positive: bool, criteria: Iterable[str]) -> str:
    """Return a short plain-text report of :func:`eular_acr_2019`: total, counted and ignored items, verdict."""
    r = eular_acr_2019(ana_positive, criteria)
    lines = [f"Entry criterion (ANA at 1:80 or higher): {'met' if r.ana_positive else 'NOT met'}"]
    lines.append(f"Points: {r.points} (threshold {EULAR_ACR_2019_THRESHOLD})")
    if r.counted:
        lines.append("Counted, one item per domain:")
        for domain, keys in r.counted.items():
            kind = "clinical" if domain in EULAR_ACR_2019_CLINICAL_DOMAINS else "immunology"
            line = (f"  {EULAR_ACR_2019_DOMAIN_LABELS[domain]} ({kind}) {r.domain_points[domain]}: "
                    f"{_counted_label(domain, keys)}")
            if domain in r.ignored:
                names = ", ".join(f"{EULAR_ACR_2019_LABELS[k]} ({EULAR_ACR_2019_WEIGHTS[k]})"
                                  for k in r.ignored[domain])
                line += f"; ignored in this domain: {names}"
            lines.append(line)
    else:
        lines.append("No criterion present.")
    if r.classified:
        lines.append("Classified as SLE by the 2019 EULAR/ACR criteria.")
    else:
        lines.append("Not classified:")
        lines.extend(f"  - {reason}" for reason in r.reasons)
    lines.append("Classification criteria are for research cohorts, not for diagnosing one patient.")
    return "\n".join(lines)


# =====================================================================================
# SLE damage and treatment targets (the SLE clinician's block): SLICC/ACR damage index
# [Gladman 1996], LLDAS [Franklyn 2016], DORIS remission [van Vollenhoven 2021]
# =====================================================================================
# SDI: item -> (organ system, definition in the course's words, most points the item gives).
# Damage is an irreversible change, not from active inflammation, since the onset of lupus, present
# for at least 6 months unless the item says otherwise; a repeat episode counts only 6 months or
# more after the first; one lesion is never scored twice [Gladman 1996]. 41 items, 12 systems,
# maximum 47 (the standard form; some early reproductions lack tendon rupture and pancreatic
# insufficiency).
SDI_ITEMS: Mapping[str, tuple[str, str, int]] = _freeze({
    "cataract": ("ocular", "Cataract in either eye, ever (primary or from glucocorticoids)", 1),
    "retinal_change_or_optic_atrophy": ("ocular", "Retinal change or optic atrophy", 1),
    "cognitive_impairment_or_psychosis": ("neuropsychiatric", "Cognitive impairment (memory, calculation, "
                                          "concentration, language, performance) or major psychosis", 1),
    "seizures": ("neuropsychiatric", "Seizures needing treatment for 6 months", 1),
    "cva": ("neuropsychiatric", "Stroke ever (2 points if more than one)", 2),
    "neuropathy": ("neuropsychiatric", "Cranial or peripheral neuropathy, optic excluded", 1),
    "transverse_myelitis": ("neuropsychiatric", "Transverse myelitis", 1),
    "gfr_below_50_percent": ("renal", "Estimated or measured glomerular filtration rate below 50%", 1),
    "proteinuria_3_5_g": ("renal", "Proteinuria of 3.5 g/24 h or more", 1),
    "end_stage_kidney_disease": ("renal", "End-stage kidney disease, with or without dialysis or transplant "
                                 "(3 points; replaces the two renal items above)", 3),
    "pulmonary_hypertension": ("pulmonary", "Pulmonary hypertension", 1),
    "pulmonary_fibrosis": ("pulmonary", "Pulmonary fibrosis (examination and imaging)", 1),
    "shrinking_lung": ("pulmonary", "Shrinking lung (imaging)", 1),
    "pleural_fibrosis": ("pulmonary", "Pleural fibrosis (imaging)", 1),
    "pulmonary_infarction": ("pulmonary", "Pulmonary infarction or resection not for cancer", 1),
    "angina_or_bypass": ("cardiovascular", "Angina or coronary artery bypass", 1),
    "myocardial_infarction": ("cardiovascular", "Myocardial infarction ever (2 points if more than one)", 2),
    "cardiomyopathy": ("cardiovascular", "Cardiomyopathy (ventricular dysfunction)", 1),
    "valvular_disease": ("cardiovascular", "Valve disease (diastolic murmur, or systolic murmur above 3/6)", 1),
    "pericarditis_or_pericardiectomy": ("cardiovascular", "Pericarditis for 6 months, or pericardiectomy", 1),
    "claudication": ("peripheral_vascular", "Claudication for 6 months", 1),
    "minor_tissue_loss": ("peripheral_vascular", "Minor tissue loss (such as pulp space)", 1),
    "significant_tissue_loss": ("peripheral_vascular", "Significant tissue loss ever, such as a finger or limb "
                                "(2 points if more than one site)", 2),
    "venous_thrombosis": ("peripheral_vascular", "Venous thrombosis with swelling, ulceration or venous stasis", 1),
    "gut_infarction_or_resection": ("gastrointestinal", "Infarction or resection of bowel below the duodenum, "
                                    "spleen, liver or gall bladder ever, any cause (2 points if more than one "
                                    "site)", 2),
    "mesenteric_insufficiency": ("gastrointestinal", "Mesenteric insufficiency", 1),
    "chronic_peritonitis": ("gastrointestinal", "Chronic peritonitis", 1),
    "stricture_or_upper_gi_surgery": ("gastrointestinal", "Stricture, or upper gastrointestinal surgery ever", 1),
    "pancreatic_insufficiency": ("gastrointestinal", "Pancreatic insufficiency needing enzymes, or with a "
                                 "pseudocyst", 1),
    "muscle_atrophy_or_weakness": ("musculoskeletal", "Muscle atrophy or weakness", 1),
    "deforming_or_erosive_arthritis": ("musculoskeletal", "Deforming or erosive arthritis (reducible deformities "
                                       "included, avascular necrosis excluded)", 1),
    "osteoporotic_fracture": ("musculoskeletal", "Osteoporosis with fracture or vertebral collapse", 1),
    "avascular_necrosis": ("musculoskeletal", "Avascular necrosis (2 points if more than one site)", 2),
    "osteomyelitis": ("musculoskeletal", "Osteomyelitis", 1),
    "tendon_rupture": ("musculoskeletal", "Tendon rupture", 1),
    "scarring_alopecia": ("skin", "Scarring chronic alopecia", 1),
    "extensive_scarring": ("skin", "Extensive scarring, or loss of fat under the skin (panniculum), other than scalp and pulp space", 1),
    "skin_ulceration": ("skin", "Skin ulceration, thrombosis excluded, for more than 6 months", 1),
    "premature_gonadal_failure": ("gonadal", "Premature gonadal failure", 1),
    "diabetes": ("diabetes", "Diabetes, whatever the treatment", 1),
    "malignancy": ("malignancy", "Cancer, dysplasia excluded (2 points if more than one site)", 2),
})
SDI_SYSTEM_LABELS: Mapping[str, str] = _freeze({
    "ocular": "Ocular", "neuropsychiatric": "Neuropsychiatric", "renal": "Renal", "pulmonary": "Pulmonary",
    "cardiovascular": "Cardiovascular", "peripheral_vascular": "Peripheral vascular",
    "gastrointestinal": "Gastrointestinal", "musculoskeletal": "Musculoskeletal", "skin": "Skin",
    "gonadal": "Premature gonadal failure", "diabetes": "Diabetes", "malignancy": "Malignancy",
})
SDI_SYSTEMS: Mapping[str, tuple[str, ...]] = _freeze(
    {system: tuple(k for k, (s, _d, _m) in SDI_ITEMS.items() if s == system) for system in SDI_SYSTEM_LABELS}
)
# Most points per system [Gladman 1996]: ocular 2, neuropsychiatric 6, renal 3, pulmonary 5,
# cardiovascular 6, peripheral vascular 5, gastrointestinal 6, musculoskeletal 7, skin 3, 1, 1, 2.
SDI_SYSTEM_MAX: Mapping[str, int] = _freeze({
    "ocular": 2, "neuropsychiatric": 6, "renal": 3, "pulmonary": 5, "cardiovascular": 6,
    "peripheral_vascular": 5, "gastrointestinal": 6, "musculoskeletal": 7, "skin": 3, "gonadal": 1,
    "diabetes": 1, "malignancy": 2,
})
SDI_MAX_SCORE = sum(SDI_SYSTEM_MAX.values())  # 47 [Gladman 1996]
_SDI_RENAL_REPLACED = ("gfr_below_50_percent", "proteinuria_3_5_g")


def _sdi_counts(items: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Check SDI input and return {item: count}; a bare iterable of keys means count 1 each."""
    if isinstance(items, Mapping):
        require_keys("items", items.keys(), SDI_ITEMS)
        counts = {}
        for key, n in items.items():
            most = 10 if SDI_ITEMS[key][2] == 2 else 1
            what = ("0 or more episodes or sites (2 or more score 2)" if most == 10
                    else "0 or 1 (this item scores once; one lesion is never scored twice)")
            if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= most:
                raise (TypeError if isinstance(n, bool) or not isinstance(n, int) else ValueError)(
                    f"items[{key!r}] = {n!r} is not accepted; accepted: a whole number, {what}.")
            counts[key] = n
    else:
        counts = dict.fromkeys(require_keys("items", items, SDI_ITEMS), 1)
    return {k: n for k, n in counts.items() if n}


def sdi_item_points(items: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Return the points each present SDI item gives [Gladman 1996].

    Parameters
    ----------
    items : mapping of str to int, or iterable of str
        Item keys of ``SDI_ITEMS`` present for at least 6 months (unless the item says otherwise).
        As a mapping, the value is how many episodes or sites: items marked "2 if more than one"
        score 2 from a count of 2; other items accept only 0 or 1. A plain list counts each key once.

    Returns
    -------
    dict
        ``{item: points}`` for the items that score. End-stage kidney disease scores 3 and then the
        two other renal items score 0 (the renal system gives at most 3).
    """
    counts = _sdi_counts(items)
    points = {}
    for key, n in counts.items():
        most = SDI_ITEMS[key][2]
        points[key] = 3 if most == 3 else min(n, most)
    if "end_stage_kidney_disease" in points:
        for key in _SDI_RENAL_REPLACED:
            if key in points:
                points[key] = 0
    return points


def sdi_system_points(items: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Return the SDI points of every organ system, in ``SDI_SYSTEMS`` order."""
    points = sdi_item_points(items)
    return {system: sum(points.get(k, 0) for k in keys) for system, keys in SDI_SYSTEMS.items()}


def sdi_score(items: Mapping[str, int] | Iterable[str]) -> int:
    """Return the SLICC/ACR damage index, 0 to 47 [Gladman 1996]. See :func:`sdi_item_points`."""
    return sum(sdi_item_points(items).values())


def sdi_report(items: Mapping[str, int] | Iterable[str]) -> str:
    """Return a short plain-text report of the SDI: the score, then each system and the items that set it."""
    points = sdi_item_points(items)
    score = sum(points.values())
    lines = [f"SLICC/ACR damage index: {score} of {SDI_MAX_SCORE}"]
    if not score:
        lines.append("No damage item scored.")
    for system, keys in SDI_SYSTEMS.items():
        scored = [f"{SDI_ITEMS[k][1].split(' (')[0]} ({points[k]})" for k in keys if points.get(k)]
        if scored:
            total = sum(points[k] for k in keys if k in points)
            lines.append(f"  {SDI_SYSTEM_LABELS[system]} {total} of {SDI_SYSTEM_MAX[system]}: {'; '.join(scored)}")
    if points.get("end_stage_kidney_disease") and any(k in points for k in _SDI_RENAL_REPLACED):
        lines.append("  (end-stage kidney disease scores 3 and replaces the GFR and proteinuria items)")
    lines.append("Damage is permanent change since lupus began, present for 6 months or more; "
                 "it is not activity and the score never falls.")
    return "\n".join(lines)


# --- LLDAS [Franklyn 2016] and DORIS remission [van Vollenhoven 2021] -------------------------
# LLDAS item 1: "no activity in major organ systems (renal, CNS, cardiopulmonary, vasculitis, fever)"
# read as these SLEDAI-2K descriptors; haemolytic anaemia and gastrointestinal activity are not
# SLEDAI-2K descriptors and come in as their own arguments [Franklyn 2016, Table 1].
LLDAS_MAJOR_ORGAN_DESCRIPTORS: frozenset[str] = frozenset(
    SLEDAI2K_SYSTEMS["renal"] + SLEDAI2K_SYSTEMS["neuropsychiatric"] + SLEDAI2K_SYSTEMS["serosal"]
    + ("vasculitis", "fever")
)
LLDAS_MAX_SLEDAI2K = 4                  # Franklyn 2016: SLEDAI-2K <= 4
LLDAS_MAX_PGA = 1.0                     # Franklyn 2016: PGA (0-3) <= 1
LLDAS_MAX_PREDNISOLONE_MG_PER_DAY = 7.5  # Franklyn 2016: <= 7.5 mg daily
DORIS_PGA_BELOW = 0.5                   # van Vollenhoven 2021: PGA < 0.5 (0-3)
DORIS_PREDNISOLONE_MG_PER_DAY = 5.0     # abstract: "5 mg/day or less"; Table 2 final recommendation: "<5 mg/day"
DORIS_PREDNISOLONE_RULES: Mapping[str, str] = _freeze({
    "at_most_5": "prednisolone 5 mg/day or less (the abstract's words)",
    "below_5": "prednisolone below 5 mg/day (the final recommendation in Table 2)",
})
SEROLOGY_DESCRIPTORS = ("low_complement", "increased_dna_binding")
PGA_RANGE = (0.0, 3.0)
PREDNISOLONE_RANGE_MG_PER_DAY = (0.0, 1000.0)


@dataclass(frozen=True)
class TargetCriterion:
    """One criterion of a treatment target and whether it is met, with the reason in words."""

    key: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class TargetResult:
    """Whether a visit meets a treatment target (LLDAS or DORIS remission) and which criteria decide it."""

    name: str
    met: bool
    criteria: tuple[TargetCriterion, ...]

    @property
    def failing(self) -> tuple[TargetCriterion, ...]:
        """The criteria not met: these set the result when it is not met."""
        return tuple(c for c in self.criteria if not c.met)

    def report(self) -> str:
        lines = [f"{self.name}: {'met' if self.met else 'not met'}"]
        lines.extend(f"  [{'x' if c.met else ' '}] {c.label}: {c.detail}" for c in self.criteria)
        if not self.met:
            lines.append("Not met because of: " + "; ".join(c.label for c in self.failing))
        return "\n".join(lines)


def _target_inputs(sledai2k_findings, pga, prednisolone_mg_per_day):
    findings = require_keys("sledai2k_findings", sledai2k_findings, SLEDAI2K_WEIGHTS)
    pga = require_number("pga", pga, minimum=PGA_RANGE[0], maximum=PGA_RANGE[1], unit="(0-3 scale)")
    pred = require_number("prednisolone_mg_per_day", prednisolone_mg_per_day, minimum=PREDNISOLONE_RANGE_MG_PER_DAY[0],
                          maximum=PREDNISOLONE_RANGE_MG_PER_DAY[1], unit="mg/day")
    return findings, pga, pred


def _names(keys) -> str:
    return ", ".join(SLEDAI2K_LABELS[k][0].lower() + SLEDAI2K_LABELS[k][1:] for k in sorted(keys)) or "none"


def lldas(
    *,
    sledai2k_findings: Iterable[str],
    pga: float,
    prednisolone_mg_per_day: float,
    new_activity: bool = False,
    hemolytic_anemia: bool = False,
    gastrointestinal_activity: bool = False,
    maintenance_tolerated: bool = True,
    investigational_drug: bool = False,
) -> TargetResult:
    """Lupus Low Disease Activity State at one visit: all five items of Franklyn 2016 Table 1.

    Parameters
    ----------
    sledai2k_findings : iterable of str
        SLEDAI-2K descriptors present (keys of ``SLEDAI2K_WEIGHTS``), serology included.
    pga : float
        Physician global assessment, 0-3 (SELENA-SLEDAI PGA).
    prednisolone_mg_per_day : float
        Current prednisolone or equivalent dose [mg/day].
    new_activity : bool
        A feature of lupus activity is new since the previous assessment.
    hemolytic_anemia, gastrointestinal_activity : bool
        Haemolytic anaemia, or gastrointestinal lupus activity (not SLEDAI-2K descriptors).
    maintenance_tolerated : bool
        Immunosuppressive drugs and approved biologics are at standard maintenance doses and well tolerated.
    investigational_drug : bool
        The person takes an investigational drug (for example in a trial): LLDAS item 5 then fails.
    """
    findings, pga, pred = _target_inputs(sledai2k_findings, pga, prednisolone_mg_per_day)
    flags = {name: require_bool(name, value) for name, value in (
        ("new_activity", new_activity), ("hemolytic_anemia", hemolytic_anemia),
        ("gastrointestinal_activity", gastrointestinal_activity), ("maintenance_tolerated", maintenance_tolerated),
        ("investigational_drug", investigational_drug))}
    score = sledai2k_score(findings)
    major = findings & LLDAS_MAJOR_ORGAN_DESCRIPTORS
    extra = [w for w, on in (("haemolytic anaemia", flags["hemolytic_anemia"]),
                             ("gastrointestinal activity", flags["gastrointestinal_activity"])) if on]
    item1 = score <= LLDAS_MAX_SLEDAI2K and not major and not extra
    detail1 = f"SLEDAI-2K {score} (needs 4 or less)"
    if major:
        detail1 += f"; major-organ activity: {_names(major)}"
    if extra:
        detail1 += "; " + " and ".join(extra)
    criteria = (
        TargetCriterion("activity", "SLEDAI-2K 4 or less, no major-organ activity", item1, detail1),
        TargetCriterion("no_new_activity", "No new lupus activity since the last visit", not flags["new_activity"],
                        "new activity" if flags["new_activity"] else "none new"),
        TargetCriterion("pga", "Physician global assessment 1 or less (0-3)", pga <= LLDAS_MAX_PGA, f"PGA {pga:g}"),
        TargetCriterion("glucocorticoid", "Prednisolone 7.5 mg/day or less", pred <= LLDAS_MAX_PREDNISOLONE_MG_PER_DAY,
                        f"{pred:g} mg/day"),
        TargetCriterion("maintenance", "Standard maintenance drugs, well tolerated, no investigational drug",
                        flags["maintenance_tolerated"] and not flags["investigational_drug"],
                        "investigational drug" if flags["investigational_drug"]
                        else ("well tolerated" if flags["maintenance_tolerated"] else "not well tolerated")),
    )
    return TargetResult("LLDAS (Franklyn 2016)", all(c.met for c in criteria), criteria)


def doris_remission(
    *,
    sledai2k_findings: Iterable[str],
    pga: float,
    prednisolone_mg_per_day: float,
    background_stable: bool = True,
    prednisolone_rule: str = "at_most_5",
) -> TargetResult:
    """2021 DORIS remission at one visit [van Vollenhoven 2021].

    Clinical SLEDAI = 0 (SLEDAI-2K without low complement and DNA binding, so serology may be
    active), physician global assessment below 0.5 (0-3), prednisolone at most 5 mg/day, and stable
    antimalarials, immunosuppressives and biologics allowed.

    Parameters
    ----------
    sledai2k_findings : iterable of str
        SLEDAI-2K descriptors present; the two serological descriptors are ignored.
    pga : float
        Physician global assessment, 0-3.
    prednisolone_mg_per_day : float
        Current prednisolone or equivalent dose [mg/day].
    background_stable : bool
        Antimalarials, immunosuppressives and biologics, if taken, are at stable doses.
    prednisolone_rule : str
        ``"at_most_5"`` (the abstract: "5 mg/day or less", the default) or ``"below_5"`` (Table 2's
        final recommendation: "<5 mg/day"). The paper words it both ways; the two differ at exactly 5.
    """
    findings, pga, pred = _target_inputs(sledai2k_findings, pga, prednisolone_mg_per_day)
    background_stable = require_bool("background_stable", background_stable)
    rule = require_choice("prednisolone_rule", prednisolone_rule, DORIS_PREDNISOLONE_RULES)
    clinical = findings - set(SEROLOGY_DESCRIPTORS)
    serology = findings & set(SEROLOGY_DESCRIPTORS)
    c_score = sledai2k_score(clinical)
    gc_met = pred <= DORIS_PREDNISOLONE_MG_PER_DAY if rule == "at_most_5" else pred < DORIS_PREDNISOLONE_MG_PER_DAY
    criteria = (
        TargetCriterion("clinical_sledai", "Clinical SLEDAI 0 (serology ignored)", c_score == 0,
                        f"clinical SLEDAI {c_score}" + (f" ({_names(clinical)})" if clinical else "")
                        + (f"; serology present but not counted: {_names(serology)}" if serology else "")),
        TargetCriterion("pga", "Physician global assessment below 0.5 (0-3)", pga < DORIS_PGA_BELOW, f"PGA {pga:g}"),
        TargetCriterion("glucocorticoid", "P" + DORIS_PREDNISOLONE_RULES[rule][1:], gc_met, f"{pred:g} mg/day"),
        TargetCriterion("background", "Antimalarials, immunosuppressives, biologics at stable doses",
                        background_stable, "stable" if background_stable else "not stable"),
    )
    return TargetResult("DORIS remission (van Vollenhoven 2021)", all(c.met for c in criteria), criteria)


# Fictional cases for the damage index and the targets (invented for teaching; no real patient).
EXAMPLE_SDI_DESCRIPTION = (
    "Fictional case C (invented for teaching): a 41-year-old woman, 15 years after lupus began, with a cataract "
    "after years of steroids, avascular necrosis of both hips, a vertebral fracture from osteoporosis, and "
    "proteinuria of 4 g/24 h for a year with kidney function above half of normal."
)
EXAMPLE_SDI_CASE: Mapping[str, int] = _freeze({
    "cataract": 1, "avascular_necrosis": 2, "osteoporotic_fracture": 1, "proteinuria_3_5_g": 1,
})
EXAMPLE_TARGET_DESCRIPTION = (
    "Fictional case D (invented for teaching): a visit with no symptoms or signs, low complement and raised "
    "anti-dsDNA, physician global assessment 0.3, prednisolone 5 mg/day, and stable hydroxychloroquine and "
    "mycophenolate, well tolerated."
)
EXAMPLE_TARGET_CASE: Mapping[str, object] = _freeze({
    "sledai2k_findings": ("low_complement", "increased_dna_binding"), "pga": 0.3, "prednisolone_mg_per_day": 5.0,
})

__all__ += [
    "SDI_ITEMS", "SDI_SYSTEMS", "SDI_SYSTEM_LABELS", "SDI_SYSTEM_MAX", "SDI_MAX_SCORE",
    "sdi_item_points", "sdi_system_points", "sdi_score", "sdi_report",
    "LLDAS_MAJOR_ORGAN_DESCRIPTORS", "LLDAS_MAX_SLEDAI2K", "LLDAS_MAX_PGA", "LLDAS_MAX_PREDNISOLONE_MG_PER_DAY",
    "DORIS_PGA_BELOW", "DORIS_PREDNISOLONE_MG_PER_DAY", "DORIS_PREDNISOLONE_RULES", "SEROLOGY_DESCRIPTORS",
    "TargetCriterion", "TargetResult", "lldas", "doris_remission",
    "EXAMPLE_SDI_CASE", "EXAMPLE_SDI_DESCRIPTION", "EXAMPLE_TARGET_CASE", "EXAMPLE_TARGET_DESCRIPTION",
]


# =====================================================================================
# ASTCT CRS grading [Lee 2019]
# =====================================================================================
# Grade each category gives on its own (fever alone is grade 1). Lee 2019, CRS consensus table.
CRS_HYPOTENSION_GRADES: Mapping[str, int] = _freeze({
    "none": 0,
    "fluids": 2,                 # hypotension not requiring vasopressors
    "one_vasopressor": 3,        # one vasopressor, with or without vasopressin
    "multiple_vasopressors": 4,  # more than one vasopressor, vasopressin not counted
})
CRS_HYPOXIA_GRADES: Mapping[str, int] = _freeze({
    "none": 0,
    "low_flow": 2,           # nasal cannula <= 6 L/min, or blow-by
    "high_flow": 3,          # nasal cannula > 6 L/min, facemask, non-rebreather or Venturi mask
    "positive_pressure": 4,  # CPAP, BiPAP, intubation and mechanical ventilation
})
CRS_HYPOTENSION_LABELS: Mapping[str, str] = _freeze({
    "none": "none",
    "fluids": "not needing vasopressors",
    "one_vasopressor": "one vasopressor (with or without vasopressin)",
    "multiple_vasopressors": "multiple vasopressors (excluding vasopressin)",
})
CRS_HYPOXIA_LABELS: Mapping[str, str] = _freeze({
    "none": "none",
    "low_flow": "low-flow oxygen (nasal cannula up to 6 L/min, or blow-by)",
    "high_flow": "high-flow oxygen (over 6 L/min), facemask, non-rebreather or Venturi",
    "positive_pressure": "positive pressure (CPAP, BiPAP, intubation)",
})
CRS_LOW_FLOW_MAX_L_PER_MIN = 6.0  # [Lee 2019]: low-flow nasal cannula is <= 6 L/min
CRS_OXYGEN_DEVICES: tuple[str, ...] = (
    "none", "blow_by", "nasal_cannula", "facemask", "non_rebreather", "venturi", "cpap", "bipap",
    "mechanical_ventilation",
)


def crs_hypotension_category(*, hypotension: bool, vasopressors: int = 0, vasopressin: bool = False) -> str:
    """Return the ASTCT hypotension category from the treatment given [Lee 2019].

    Parameters
    ----------
    hypotension : bool
        Hypotension present.
    vasopressors : int
        Number of vasopressors other than vasopressin.
    vasopressin : bool
        Vasopressin given. It never makes "multiple": one vasopressor plus vasopressin is
        still one; vasopressin alone is one vasopressor.
    """
    hypotension = require_bool("hypotension", hypotension)
    vasopressors = require_int("vasopressors", vasopressors, minimum=0, maximum=10)
    vasopressin = require_bool("vasopressin", vasopressin)
    if not hypotension:
        if vasopressors or vasopressin:
            raise ValueError("vasopressors or vasopressin were given but hypotension=False; "
                             "accepted: hypotension=True with vasopressors, or no vasopressors.")
        return "none"
    if vasopressors >= 2:
        return "multiple_vasopressors"
    if vasopressors == 1 or vasopressin:
        return "one_vasopressor"
    return "fluids"


def crs_hypoxia_category(*, oxygen: str, flow_l_per_min: float | None = None) -> str:
    """Return the ASTCT hypoxia category from the oxygen support given [Lee 2019].

    Parameters
    ----------
    oxygen : str
        One of ``CRS_OXYGEN_DEVICES``.
    flow_l_per_min : float, optional
        Needed for ``"nasal_cannula"``: above 0 and up to and including 6 L/min is low-flow, above 6
        high-flow. 0 L/min is no oxygen, so it is refused: choose ``oxygen="none"`` instead.
    """
    oxygen = require_choice("oxygen", oxygen, CRS_OXYGEN_DEVICES)
    if oxygen == "nasal_cannula":
        flow = require_number("flow_l_per_min", flow_l_per_min, minimum=0.0, maximum=80.0, unit="L/min")
        if flow == 0:
            raise ValueError("flow_l_per_min=0 by nasal cannula means no oxygen is given; accepted: a flow above "
                             "0 L/min, or oxygen='none'.")
        return "low_flow" if flow <= CRS_LOW_FLOW_MAX_L_PER_MIN else "high_flow"
    if flow_l_per_min is not None:
        require_number("flow_l_per_min", flow_l_per_min, minimum=0.0, maximum=80.0, unit="L/min")
    return {
        "none": "none", "blow_by": "low_flow", "facemask": "high_flow", "non_rebreather": "high_flow",
        "venturi": "high_flow", "cpap": "positive_pressure", "bipap": "positive_pressure",
        "mechanical_ventilation": "positive_pressure",
    }[oxygen]


def crs_domain_grades(*, fever: bool, hypotension: str, hypoxia: str, crs_diagnosed_then_treated: bool = False) -> dict[str, int]:
    """Return the grade each CRS domain reaches on its own: {'fever', 'hypotension', 'hypoxia'} -> 0-4."""
    fever = require_bool("fever", fever)
    crs_diagnosed_then_treated = require_bool("crs_diagnosed_then_treated", crs_diagnosed_then_treated)
    hypotension = require_choice("hypotension", hypotension, CRS_HYPOTENSION_GRADES)
    hypoxia = require_choice("hypoxia", hypoxia, CRS_HYPOXIA_GRADES)
    return {"fever": int(fever), "hypotension": CRS_HYPOTENSION_GRADES[hypotension],
            "hypoxia": CRS_HYPOXIA_GRADES[hypoxia]}


def crs_grade(*, fever: bool, hypotension: str, hypoxia: str, crs_diagnosed_then_treated: bool = False) -> int:
    """Return the ASTCT CRS grade, 0 (no CRS) to 4 [Lee 2019].

    Parameters
    ----------
    fever : bool
        Temperature >= 38 °C not attributable to another cause.
    hypotension : str
        One of ``CRS_HYPOTENSION_GRADES``.
    hypoxia : str
        One of ``CRS_HYPOXIA_GRADES``.
    crs_diagnosed_then_treated : bool
        CRS was already diagnosed (with fever) and then treated with an antipyretic or
        anti-cytokine therapy (tocilizumab, steroids). Only then is fever no longer required to
        grade the *subsequent* severity [Lee 2019]. Routine paracetamol premedication before the
        infusion does not count: without a prior CRS diagnosis, leave this False.

    Notes
    -----
    Course decisions, read from Lee 2019: without fever and without prior treated CRS the
    grade is 0 whatever else is present (hypotension or hypoxia then needs another
    explanation, such as sepsis); fever alone is grade 1; after treated CRS, no fever and
    neither hypotension nor hypoxia is 0. Hypotension and hypoxia count only when no other
    cause explains them. Grade 5 (death) is not modelled.
    """
    d = crs_domain_grades(fever=fever, hypotension=hypotension, hypoxia=hypoxia,
                          crs_diagnosed_then_treated=crs_diagnosed_then_treated)
    if not (fever or crs_diagnosed_then_treated):
        return 0
    return max(d.values())


def crs_report(*, fever: bool, hypotension: str, hypoxia: str, crs_diagnosed_then_treated: bool = False) -> str:
    """Return a short plain-text report of :func:`crs_grade`, naming the domain(s) that set the grade."""
    d = crs_domain_grades(fever=fever, hypotension=hypotension, hypoxia=hypoxia,
                          crs_diagnosed_then_treated=crs_diagnosed_then_treated)
    grade = crs_grade(fever=fever, hypotension=hypotension, hypoxia=hypoxia, crs_diagnosed_then_treated=crs_diagnosed_then_treated)
    lines = [f"ASTCT CRS grade: {grade}" + (" (no CRS)" if grade == 0 else "")]
    lines.append(f"  fever (>= 38 °C): {'yes' if fever else 'no'}"
                 + ("; CRS already diagnosed and treated (antipyretic, tocilizumab or steroids)"
                    if crs_diagnosed_then_treated else ""))
    lines.append(f"  hypotension: {CRS_HYPOTENSION_LABELS[hypotension]} (grade {d['hypotension']} on its own)")
    lines.append(f"  hypoxia: {CRS_HYPOXIA_LABELS[hypoxia]} (grade {d['hypoxia']} on its own)")
    if not (fever or crs_diagnosed_then_treated):
        lines.append("No fever and no CRS diagnosed and treated before: the ASTCT CRS definition is not met"
                     + ("; look for another cause of the hypotension or hypoxia." if d["hypotension"] or d["hypoxia"]
                        else "."))
    elif grade == 0:
        lines.append("No fever, hypotension or hypoxia after treated CRS: no CRS at present.")
    else:
        setters = [name for name in ("hypotension", "hypoxia") if d[name] == grade]
        lines.append("Grade set by: " + (" and ".join(setters) if setters else "fever alone"))
    return "\n".join(lines)


# =====================================================================================
# ICE score and ICANS grading (adults) [Lee 2019]
# =====================================================================================
# item -> (maximum points, what is tested). Lee 2019, ICE table.
ICE_ITEMS: Mapping[str, tuple[int, str]] = _freeze({
    "orientation": (4, "orientation to year, month, city and hospital (1 point each)"),
    "naming": (3, "naming 3 objects, e.g. a clock, a pen, a button (1 point each)"),
    "commands": (1, "following simple commands, e.g. 'show me 2 fingers'"),
    "writing": (1, "writing a standard sentence"),
    "attention": (1, "counting backwards from 100 by 10"),
})
# Grade each domain gives on its own [Lee 2019, adult ICANS table].
ICANS_CONSCIOUSNESS_GRADES: Mapping[str, int] = _freeze({
    "alert": 0,                  # consciousness not depressed
    "awakens_spontaneously": 1,
    "awakens_to_voice": 2,
    "awakens_to_touch": 3,       # awakens only to tactile stimulus
    "unarousable": 4,            # or needs vigorous or repetitive tactile stimuli; stupor or coma
})
ICANS_SEIZURE_GRADES: Mapping[str, int] = _freeze({
    "none": 0,
    "rapidly_resolving": 3,         # any clinical seizure that resolves rapidly, or EEG seizures resolving with intervention
    "prolonged_or_repetitive": 4,   # life-threatening > 5 min, or repetitive without return to baseline
})
ICANS_EDEMA_GRADES: Mapping[str, int] = _freeze({
    "none": 0,
    "focal": 3,    # focal or local oedema on neuroimaging
    "diffuse": 4,  # diffuse oedema; decerebrate/decorticate posturing; CN VI palsy; papilloedema; Cushing's triad
})
ICANS_DOMAIN_LABELS: Mapping[str, str] = _freeze({
    "ice": "ICE score",
    "consciousness": "Depressed consciousness",
    "seizure": "Seizure",
    "motor": "Motor weakness",
    "edema": "Raised ICP / cerebral oedema",
})


def ice_score(*, orientation: int, naming: int, commands: int, writing: int, attention: int) -> int:
    """Return the ICE score, 0-10 [Lee 2019]: orientation 0-4, naming 0-3, commands, writing, attention 0-1 each."""
    given = {"orientation": orientation, "naming": naming, "commands": commands, "writing": writing,
             "attention": attention}
    return sum(require_int(name, value, minimum=0, maximum=ICE_ITEMS[name][0]) for name, value in given.items())


def ice_domain_grade(ice: int | None) -> int:
    """Grade of the ICE domain alone: 10 -> 0, 7-9 -> 1, 3-6 -> 2, 0-2 -> 3, None (cannot be assessed) -> 4 [Lee 2019]."""
    if ice is None:
        return 4
    ice = require_int("ice", ice, minimum=0, maximum=10)
    if ice == 10:
        return 0
    if ice >= 7:
        return 1
    if ice >= 3:
        return 2
    return 3


def icans_domain_grades(
    *,
    ice: int | None,
    consciousness: str = "alert",
    seizure: str = "none",
    motor_weakness: bool = False,
    cerebral_edema: str = "none",
) -> dict[str, int]:
    """Return the grade each ICANS domain reaches on its own: {'ice', 'consciousness', 'seizure', 'motor', 'edema'}."""
    consciousness = require_choice("consciousness", consciousness, ICANS_CONSCIOUSNESS_GRADES)
    seizure = require_choice("seizure", seizure, ICANS_SEIZURE_GRADES)
    motor_weakness = require_bool("motor_weakness", motor_weakness)
    cerebral_edema = require_choice("cerebral_edema", cerebral_edema, ICANS_EDEMA_GRADES)
    if ice is None and consciousness != "unarousable":
        raise ValueError(
            f"ice=None (ICE cannot be assessed) is accepted only with consciousness='unarousable'; got "
            f"consciousness={consciousness!r}. A patient who can be roused has an ICE score 0-10 "
            "(awake with global aphasia: ICE 0, grade 3)."
        )
    return {
        "ice": ice_domain_grade(ice),
        "consciousness": ICANS_CONSCIOUSNESS_GRADES[consciousness],
        "seizure": ICANS_SEIZURE_GRADES[seizure],
        "motor": 4 if motor_weakness else 0,  # deep focal motor weakness (hemiparesis, paraparesis)
        "edema": ICANS_EDEMA_GRADES[cerebral_edema],
    }


def icans_grade(
    *,
    ice: int | None,
    consciousness: str = "alert",
    seizure: str = "none",
    motor_weakness: bool = False,
    cerebral_edema: str = "none",
) -> int:
    """Return the adult ASTCT ICANS grade, 0-4: the most severe domain [Lee 2019].

    Parameters
    ----------
    ice : int or None
        ICE score 0-10, or None when the patient is unarousable and cannot be assessed.
    consciousness : str
        One of ``ICANS_CONSCIOUSNESS_GRADES`` ("alert" means not depressed).
    seizure : str
        One of ``ICANS_SEIZURE_GRADES``.
    motor_weakness : bool
        Deep focal motor weakness such as hemiparesis or paraparesis (grade 4).
    cerebral_edema : str
        One of ``ICANS_EDEMA_GRADES``.

    Notes
    -----
    Course decisions: ``ice=None`` is accepted only with ``consciousness="unarousable"``
    (grade 4), since only an unarousable patient cannot do the ICE tasks; an awake patient
    with global aphasia scores ICE 0 (grade 3). A numeric ICE score with an unarousable
    patient is not refused: the grade is the most severe domain, 4, either way. Every
    finding must be attributable to ICANS and no other cause; tremor and myoclonus do not
    change the grade; children under 12 are graded with CAPD instead (not modelled).
    """
    return max(icans_domain_grades(ice=ice, consciousness=consciousness, seizure=seizure,
                                   motor_weakness=motor_weakness, cerebral_edema=cerebral_edema).values())


def icans_report(
    *,
    ice: int | None,
    consciousness: str = "alert",
    seizure: str = "none",
    motor_weakness: bool = False,
    cerebral_edema: str = "none",
) -> str:
    """Return a short plain-text report of :func:`icans_grade`, naming the domain(s) that set the grade."""
    d = icans_domain_grades(ice=ice, consciousness=consciousness, seizure=seizure,
                            motor_weakness=motor_weakness, cerebral_edema=cerebral_edema)
    grade = max(d.values())
    lines = [f"ASTCT ICANS grade: {grade}" + (" (no ICANS)" if grade == 0 else "")]
    values = {
        "ice": "cannot be assessed" if ice is None else f"{ice} of 10",
        "consciousness": consciousness.replace("_", " "),
        "seizure": seizure.replace("_", " "),
        "motor": "deep focal weakness" if motor_weakness else "none",
        "edema": cerebral_edema,
    }
    for name, value in values.items():
        lines.append(f"  {ICANS_DOMAIN_LABELS[name]}: {value} (grade {d[name]} on its own)")
    if grade:
        setters = [ICANS_DOMAIN_LABELS[n] for n, g in d.items() if g == grade]
        lines.append("Grade set by: " + " and ".join(setters))
    else:
        lines.append("ICE 10 and no other finding: no ICANS.")
    return "\n".join(lines)


# =====================================================================================
# ICAHT: immune effector cell-associated haematotoxicity (EHA/EBMT) [Rejeski 2023]
# (issue 12 block; the SLE instruments live in their own blocks above)
# =====================================================================================
# Neutropenia grading of Rejeski 2023 (Blood 2023;142:865-77), early (day 0 to +30) and late (after day +30).
# The table text was read through an openly published implementation that cites it
# (github.com/emilyliangmd/automatedicahtgrading, Fred Hutchinson Cancer Center) and matches the thrombocytopenia
# table built on the same logic; the Blood table itself could not be opened here.
ICAHT_ANC_500_PER_UL = 500  # ANC at or below 500/uL: the duration sets grades 1-4
ICAHT_ANC_100_PER_UL = 100  # ANC at or below 100/uL: 7-13 days is grade 3, 14 or more grade 4
ICAHT_EARLY_LAST_DAY = 30   # early ICAHT covers day 0 to day +30 (31 days)
ICAHT_STABLE_RECOVERY_DAYS = 3  # recovery counts as stable after 3 days in a row above the threshold
# Late ICAHT: the highest threshold met on at least two measurements after day +30 sets the grade.
ICAHT_LATE_THRESHOLDS_PER_UL: tuple[tuple[int, int], ...] = ((100, 4), (500, 3), (1000, 2), (1500, 1))


@dataclass(frozen=True)
class IcahtResult:
    """The ICAHT grade and which criterion set it.

    Attributes
    ----------
    phase : str
        "early" (day 0 to +30) or "late" (after day +30).
    grade : int
        0 (none) to 4.
    criteria : dict[str, int]
        The grade each criterion gives on its own.
    set_by : tuple of str
        The criteria whose grade equals the overall grade (empty when the grade is 0).
    explanation : str
        One plain sentence.
    """

    phase: str
    grade: int
    criteria: dict[str, int]
    set_by: tuple[str, ...]
    explanation: str


ICAHT_CRITERION_LABELS: Mapping[str, str] = _freeze({
    "anc_500": "ANC at or below 500/uL",
    "anc_100": "ANC at or below 100/uL",
    "late_anc": "lowest ANC confirmed on two measurements after day +30",
})


def icaht_early_grade(*, days_anc_500_or_less: int, days_anc_100_or_less: int = 0) -> IcahtResult:
    """Return the early ICAHT grade (day 0 to +30) from how long neutrophils stayed low [Rejeski 2023].

    Parameters
    ----------
    days_anc_500_or_less : int
        Days with the absolute neutrophil count at or below 500/uL, 0 to 31 [days]; 31 means it never
        recovered above 500/uL between day 0 and day +30.
    days_anc_100_or_less : int
        Days at or below 100/uL, 0 to 31 [days]; cannot exceed ``days_anc_500_or_less``.

    Returns
    -------
    IcahtResult
        ANC <= 500/uL: 1-6 days grade 1, 7-13 grade 2, 14-30 grade 3, 31 (never recovered) grade 4.
        ANC <= 100/uL: 7-13 days grade 3, 14 or more grade 4. The worse criterion sets the grade.
    """
    window = ICAHT_EARLY_LAST_DAY + 1
    d500 = require_int("days_anc_500_or_less", days_anc_500_or_less, minimum=0, maximum=window)
    d100 = require_int("days_anc_100_or_less", days_anc_100_or_less, minimum=0, maximum=window)
    if d100 > d500:
        raise ValueError(f"days_anc_100_or_less = {d100} is more than days_anc_500_or_less = {d500}; every day at "
                         "or below 100/uL is also a day at or below 500/uL, so accepted: at most "
                         f"{d500} days.")
    g500 = 0 if d500 == 0 else 1 if d500 <= 6 else 2 if d500 <= 13 else 3 if d500 <= ICAHT_EARLY_LAST_DAY else 4
    g100 = 0 if d100 < 7 else 3 if d100 <= 13 else 4
    criteria = {"anc_500": g500, "anc_100": g100}
    grade = max(criteria.values())
    set_by = tuple(k for k, g in criteria.items() if g == grade and grade > 0)
    if grade == 0:
        text = "Early ICAHT grade 0: neutrophils never fell to 500/uL or below in the first 30 days."
    else:
        why = []
        if "anc_500" in set_by:
            why.append("never recovered above 500/uL by day +30" if d500 == window
                       else f"{d500} days at or below 500/uL")
        if "anc_100" in set_by:
            why.append(f"{d100} days at or below 100/uL")
        text = f"Early ICAHT grade {grade}, set by {' and '.join(why)}."
    return IcahtResult("early", grade, criteria, set_by, text)


def icaht_late_grade(anc_per_ul_after_day_30: Iterable[float]) -> IcahtResult:
    """Return the late ICAHT grade (after day +30) from the neutrophil counts measured then [Rejeski 2023].

    Parameters
    ----------
    anc_per_ul_after_day_30 : iterable of float
        Absolute neutrophil counts measured after day +30 [cells/uL], 0 to 100 000 each; at least two,
        because late ICAHT counts only neutropenia that is not transient.

    Returns
    -------
    IcahtResult
        ANC <= 1500/uL grade 1, <= 1000 grade 2, <= 500 grade 3, <= 100 grade 4.

    Notes
    -----
    Course reading of "not transient": a threshold counts when at least two measurements are at or below
    it, so the grade follows the second-lowest value. Grading by the single lowest value, as some
    automated tools do when a second value is at or below 1500/uL, gives a higher grade for a one-off dip.
    """
    counts = require_items("anc_per_ul_after_day_30", anc_per_ul_after_day_30, what="neutrophil counts [cells/uL]")
    values = sorted(require_number(f"anc_per_ul_after_day_30[{i}]", v, minimum=0, maximum=100_000, unit="cells/uL")
                    for i, v in enumerate(counts))
    if len(values) < 2:
        raise ValueError(f"anc_per_ul_after_day_30 holds {len(values)} value(s); accepted: at least 2 measurements "
                         "after day +30, since late ICAHT counts only neutropenia that is not transient.")
    confirmed = values[1]
    grade = next((g for limit, g in ICAHT_LATE_THRESHOLDS_PER_UL if confirmed <= limit), 0)
    criteria = {"late_anc": grade}
    if grade == 0:
        text = (f"Late ICAHT grade 0: only one value or none at or below 1500/uL (second-lowest "
                f"{confirmed:g}/uL).")
    else:
        limit = dict((g, lim) for lim, g in ICAHT_LATE_THRESHOLDS_PER_UL)[grade]
        text = (f"Late ICAHT grade {grade}, set by two measurements at or below {limit}/uL (lowest {values[0]:g}, "
                f"second-lowest {confirmed:g}/uL).")
    return IcahtResult("late", grade, criteria, ("late_anc",) if grade else (), text)


def icaht_days_at_or_below(anc_per_ul_by_day: Iterable[float], threshold_per_ul: float) -> int:
    """Return the longest stretch of days with ANC at or below ``threshold_per_ul`` in a daily series.

    Stretches separated by fewer than :data:`ICAHT_STABLE_RECOVERY_DAYS` days above the threshold are one
    stretch (recovery was not stable), and those days count towards it, as the ICAHT papers count them.

    Parameters
    ----------
    anc_per_ul_by_day : iterable of float
        One absolute neutrophil count per day from day 0 [cells/uL].
    threshold_per_ul : float
        500 or 100 for early ICAHT [cells/uL].
    """
    counts = require_items("anc_per_ul_by_day", anc_per_ul_by_day, what="daily neutrophil counts [cells/uL]")
    values = [require_number(f"anc_per_ul_by_day[{i}]", v, minimum=0, maximum=100_000, unit="cells/uL")
              for i, v in enumerate(counts)]
    threshold = require_number("threshold_per_ul", threshold_per_ul, minimum=0, maximum=100_000, unit="cells/uL")
    low = [v <= threshold for v in values]
    best = 0
    start = None  # first day of the current stretch
    last_low = None
    for day, is_low in enumerate(low):
        if is_low:
            if start is None or day - last_low - 1 >= ICAHT_STABLE_RECOVERY_DAYS:
                start = day
            last_low = day
            best = max(best, last_low - start + 1)
    return best


def icaht_early_from_daily_anc(anc_per_ul_by_day: Iterable[float]) -> IcahtResult:
    """Early ICAHT grade from one neutrophil count per day, day 0 to day +30 (31 values) [cells/uL]."""
    values = require_items("anc_per_ul_by_day", anc_per_ul_by_day, what="daily neutrophil counts [cells/uL]")
    if len(values) != ICAHT_EARLY_LAST_DAY + 1:
        raise ValueError(f"anc_per_ul_by_day must hold one count per day from day 0 to day +{ICAHT_EARLY_LAST_DAY} "
                         f"({ICAHT_EARLY_LAST_DAY + 1} values); got {len(values)}.")
    return icaht_early_grade(days_anc_500_or_less=icaht_days_at_or_below(values, ICAHT_ANC_500_PER_UL),
                             days_anc_100_or_less=icaht_days_at_or_below(values, ICAHT_ANC_100_PER_UL))


def icaht_report(result: IcahtResult) -> str:
    """Return a short plain-text report of an ICAHT result, naming the criterion that sets the grade."""
    if not isinstance(result, IcahtResult):
        raise TypeError(f"result must be an IcahtResult from icaht_early_grade or icaht_late_grade; got {shown(result)}.")
    lines = [f"EHA/EBMT {result.phase} ICAHT grade: {result.grade}" + (" (none)" if result.grade == 0 else "")]
    for key, grade in result.criteria.items():
        lines.append(f"  {ICAHT_CRITERION_LABELS[key]}: grade {grade} on its own")
    lines.append(result.explanation)
    lines.append("Grading describes how deep and long the neutropenia was; any fever with neutropenia is treated "
                 "as a possible infection at once, whatever the grade.")
    return "\n".join(lines)


EXAMPLE_ICAHT_DESCRIPTION = (
    "Fictional case (invented for teaching): a 31-year-old woman with SLE after CD19 CAR-T. Neutrophils fell to "
    "or below 500/uL from day 3 to day 12, rose to 600-700/uL for two days, fell again to 400/uL on days 15 and 16, "
    "then recovered; they were at or below 100/uL on days 6 to 9. After day +30 they measured 1400, 1300 and "
    "1800/uL."
)
# One count per day, day 0 to day +30 [cells/uL].
EXAMPLE_ICAHT_DAILY_ANC: tuple[int, ...] = (
    2100, 1200, 700, 450, 300, 200, 90, 60, 50, 80, 150, 300, 480, 600, 700, 400, 400, 800, 1100, 1300,
    1500, 1600, 1700, 1800, 1900, 2000, 2100, 2100, 2200, 2200, 2300,
)
EXAMPLE_ICAHT_LATE_ANC: tuple[int, ...] = (1400, 1300, 1800)


# =====================================================================================
# Fictional worked cases (invented for teaching; they describe no real patient)
# =====================================================================================
# Each EXAMPLE_*_CASE is what its report function takes, so a notebook cell can print it:
#   sledai2k_report(EXAMPLE_SLEDAI_CASE)                 (or with **EXAMPLE_SLEDAI_MEASUREMENTS)
#   eular_acr_2019_report(**EXAMPLE_EULAR_CASE)
#   crs_report(**EXAMPLE_CRS_CASE);  icans_report(**EXAMPLE_ICANS_CASE);  ice_score(**EXAMPLE_ICE_ITEMS)
# The matching *_DESCRIPTION says in words who the fictional patient is.
EXAMPLE_SLEDAI_DESCRIPTION = (
    "Fictional case A (invented for teaching): a 24-year-old woman with known SLE at a clinic visit with "
    "painful swollen wrists and knees, a facial rash, mouth ulcers, low complement, raised anti-dsDNA and "
    "1.2 g of protein in 24 h of urine."
)
EXAMPLE_SLEDAI_CASE: frozenset[str] = frozenset(
    {"arthritis", "rash", "mucosal_ulcers", "low_complement", "increased_dna_binding", "proteinuria"}
)
# The same visit's measured values: two of them sit exactly at a threshold and do not score.
EXAMPLE_SLEDAI_MEASUREMENTS: Mapping[str, float] = _freeze({
    "temperature_c": 37.6,
    "platelets_e9_per_l": 100.0,   # exactly at the threshold: does not score
    "leukocytes_e9_per_l": 3.4,
    "proteinuria_g_per_24h": 1.2,
    "urine_rbc_per_hpf": 5.0,      # exactly at the threshold: does not score
})
EXAMPLE_EULAR_DESCRIPTION = (
    "Fictional case A at diagnosis (invented for teaching): ANA 1:320, arthritis of both wrists, a malar "
    "rash and patchy hair loss, low C3 and C4, anti-dsDNA, white cells 3.5 x10^9/L."
)
EXAMPLE_EULAR_CASE: Mapping[str, object] = _freeze({
    "ana_positive": True,
    "criteria": ("joint_involvement", "acute_cutaneous_lupus", "non_scarring_alopecia", "low_c3", "low_c4",
                 "anti_dsdna", "leukopenia"),
})
EXAMPLE_EULAR_IMMUNOLOGY_ONLY_DESCRIPTION = (
    "Fictional case B (invented for teaching): ANA 1:640, anti-dsDNA, low C3 and low C4, but no clinical "
    "feature of SLE: 10 points, not classified."
)
EXAMPLE_EULAR_IMMUNOLOGY_ONLY_CASE: Mapping[str, object] = _freeze({
    "ana_positive": True, "criteria": ("anti_dsdna", "low_c3", "low_c4"),
})
EXAMPLE_CRS_DESCRIPTION = (
    "Fictional case (invented for teaching): day 3 after CD19 CAR-T infusion, temperature 39.1 °C, blood "
    "pressure low but restored by intravenous fluids, oxygen 2 L/min by nasal cannula."
)
EXAMPLE_CRS_CASE: Mapping[str, object] = _freeze({
    "fever": True, "hypotension": "fluids", "hypoxia": "low_flow", "crs_diagnosed_then_treated": False,
})
EXAMPLE_ICANS_DESCRIPTION = (
    "Fictional case (invented for teaching): day 6 after infusion, drowsy but wakes when spoken to; gets the "
    "month wrong and cannot write a sentence (ICE 8 of 10); no seizure, weakness or oedema."
)
EXAMPLE_ICE_ITEMS: Mapping[str, int] = _freeze({
    "orientation": 3, "naming": 3, "commands": 1, "writing": 0, "attention": 1,
})
EXAMPLE_ICANS_CASE: Mapping[str, object] = _freeze({
    "ice": 8, "consciousness": "awakens_to_voice", "seizure": "none", "motor_weakness": False,
    "cerebral_edema": "none",
})
