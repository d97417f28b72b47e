"""CAR-T principles: the data and pure functions behind notebook 02.

What a chimeric antigen receptor is made of, how its generations differ, which CAR-T products
the FDA has approved, and which stages of the B-cell lineage carry the antigens that CAR T
cells used in lupus recognise (CD19, and in some programmes BCMA). Nothing here imports
ipywidgets or plots (self-check questions use the plain :class:`widgets.question.Question`). Every fact carries its source in a comment; the
notebook cites the same sources.

A point the course insists on: CAR T cells recognise a protein on the *surface of a cell*
(CD19 on B cells, BCMA on plasmablasts and plasma cells). They do not bind or remove
autoantibodies floating in the blood; antibody levels fall only because the cells that make
them are removed.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from .question import Question, load_questions
from .validate import require_choice, require_int, require_keys, shown

__all__ = [
    "Domain",
    "DOMAINS",
    "GENERATIONS",
    "COSTIMULATORY_DOMAINS",
    "CostimProfile",
    "COSTIM_PROFILES",
    "car_construct",
    "car_payload",
    "costimulatory_count",
    "Product",
    "APPROVED_PRODUCTS",
    "APPROVED_PRODUCTS_CHECKED_ON",
    "APPROVED_PRODUCTS_VERIFIED_THROUGH",
    "FDA_APPROVED_PRODUCTS_LIST_URL",
    "PRODUCT_COLUMNS",
    "products",
    "products_table_markdown",
    "EXPRESSION_LEVELS",
    "ANTIGENS",
    "Stage",
    "B_LINEAGE",
    "STAGE_KEYS",
    "EXPRESSION",
    "EXPRESSION_SOURCES",
    "expression",
    "TARGETS",
    "TARGET_ANTIGENS",
    "STAGE_FATES",
    "ANTIBODY_OUTCOMES",
    "TargetEffect",
    "target_effect",
    "stage_names",
    "describe_target",
    "SHORT_LIVED_TEXT",
    "LONG_LIVED_TEXT",
    "SELF_CHECK",
]


# --- Anatomy of a CAR ------------------------------------------------------------------
# Domain order and roles: Sadelain, Brentjens & Riviere, Cancer Discov 2013;3:388-98 (design
# review: antigen-binding domain, hinge/spacer, transmembrane domain, costimulatory domain(s),
# CD3-zeta activation domain; first, second and third generations). Fourth-generation "TRUCK"
# or "armored" CAR T cells carry, besides a second-generation CAR, a separate inducible gene
# whose product (a payload such as the cytokine IL-12) is secreted when the CAR signals; the
# payload is not part of the receptor chain: Chmielewski & Abken, Adv Cell Gene Ther 2020;3:e84.

@dataclass(frozen=True)
class Domain:
    """One block of a chimeric antigen receptor.

    Parameters
    ----------
    key : str
        Stable identifier, e.g. ``"scfv"``, ``"cd28"``.
    label : str
        Short name drawn on the block.
    role : str
        One line on what the block does.
    compartment : str
        ``"outside"`` (extracellular), ``"membrane"``, ``"inside"`` (cytoplasm) or
        ``"secreted"`` (the payload of a fourth-generation cell: a separate gene's product,
        released by the cell, not a block of the receptor).
    plain : str
        The plain name the lesson uses for it (e.g. "grabber" for the scFv).
    """

    key: str
    label: str
    role: str
    compartment: str
    plain: str = ""


DOMAINS: dict[str, Domain] = {
    # "Usually" an scFv: cilta-cel binds BCMA with two single-domain (VHH) antibodies instead (FDA Carvykti label).
    "scfv": Domain("scfv", "scFv", "Antibody-derived binder, usually a single-chain variable fragment (scFv), that grips "
                   "the target protein (e.g. CD19) directly, without MHC.",
                   "outside", "grabber"),
    "hinge": Domain("hinge", "Hinge", "Flexible spacer that lets the binder reach its target on the other cell.",
                    "outside", "neck"),
    "tm": Domain("tm", "Transmembrane", "Anchors the receptor in the T-cell membrane.", "membrane", "anchor"),
    "cd28": Domain("cd28", "CD28", "Costimulatory signal: adds a fast, strong push to divide and release cytokines.",
                   "inside", "booster"),
    "4-1bb": Domain("4-1bb", "4-1BB", "Costimulatory signal: favours survival and longer persistence of the cells.",
                    "inside", "booster"),
    "cd3z": Domain("cd3z", "CD3-zeta", "Activation signal (signal 1) borrowed from the T-cell receptor: triggers killing.",
                   "inside", "attack switch"),
    # Not a block of the receptor: a separate gene in fourth-generation cells (Chmielewski 2020).
    "payload": Domain("payload", "Payload (e.g. IL-12)",
                      "A separate gene, switched on when the CAR signals; its protein, e.g. the cytokine IL-12, "
                      "is secreted by the cell and acts on the tissue around it.", "secreted", "extra cargo"),
}

GENERATIONS: dict[int, str] = {
    1: "First generation: CD3-zeta only (some early designs used the Fc receptor gamma chain)",
    2: "Second generation: one costimulatory domain",
    3: "Third generation: two costimulatory domains",
    4: "Fourth generation ('armored' / TRUCK): second-generation CAR plus a separate, secreted payload",
}

COSTIMULATORY_DOMAINS: dict[str, str] = {"cd28": "CD28", "4-1bb": "4-1BB"}


@dataclass(frozen=True)
class CostimProfile:
    """How CARs with one costimulatory domain tend to behave (qualitative, with caveats)."""

    key: str
    expansion: str
    persistence: str
    cytokines: str
    products: tuple[str, ...]


# Cappell & Kochenderfer, Nat Rev Clin Oncol 2021;18:715-27: cytokine release usually greater with
# CD28 CARs in preclinical work; anti-CD19 products similar in efficacy whichever domain; neurological
# toxicity higher with CD28 products in large trials but confounded by other design differences.
# Expansion/persistence tendencies are the commonly reported pattern discussed in the same review.
# Products per domain: FDA labels (see APPROVED_PRODUCTS).
COSTIM_PROFILES: dict[str, CostimProfile] = {
    "cd28": CostimProfile(
        "cd28",
        expansion="tend to expand faster, with an earlier and higher peak",
        persistence="tend to persist for a shorter time",
        cytokines="usually more cytokine release in laboratory studies",
        products=("axicabtagene ciloleucel", "brexucabtagene autoleucel"),
    ),
    "4-1bb": CostimProfile(
        "4-1bb",
        expansion="tend to expand more slowly",
        persistence="tend to persist longer",
        cytokines="usually less cytokine release in laboratory studies",
        products=("tisagenlecleucel", "lisocabtagene maraleucel", "idecabtagene vicleucel",
                  "ciltacabtagene autoleucel", "obecabtagene autoleucel"),
    ),
}


def car_construct(generation: int, costim: str = "4-1bb") -> tuple[Domain, ...]:
    """Return the blocks of the receptor chain of a CAR, from the outside of the cell inwards.

    Parameters
    ----------
    generation : int
        1, 2, 3 or 4 (see :data:`GENERATIONS`).
    costim : str
        ``"cd28"`` or ``"4-1bb"``: the costimulatory domain, or for a third-generation CAR the
        *first* of its two (nearer the membrane); the other one follows it (CD28 and 4-1BB are the
        usual pair). First-generation CARs have none, so the choice is ignored there.

    Returns
    -------
    tuple of Domain
        Extracellular blocks first, then membrane, then cytoplasmic. A fourth-generation cell's
        receptor is a second-generation CAR; its payload is a separate gene, returned by
        :func:`car_payload`, never a block of the chain.
    """
    generation = require_int("generation", generation, minimum=1, maximum=4)
    require_choice("costim", costim, COSTIMULATORY_DOMAINS)
    other = "4-1bb" if costim == "cd28" else "cd28"
    inside = {1: [], 2: [costim], 3: [costim, other], 4: [costim]}[generation]
    keys = ["scfv", "hinge", "tm", *inside, "cd3z"]
    return tuple(DOMAINS[k] for k in keys)


def car_payload(generation: int) -> Domain | None:
    """Return the secreted payload of a fourth-generation (TRUCK, armored) cell, else ``None``.

    The payload is encoded by a separate gene that CAR signalling switches on; its product is
    secreted and is not part of the receptor (Chmielewski 2020).

    Parameters
    ----------
    generation : int
        1, 2, 3 or 4 (see :data:`GENERATIONS`).
    """
    generation = require_int("generation", generation, minimum=1, maximum=4)
    return DOMAINS["payload"] if generation == 4 else None


def costimulatory_count(generation: int) -> int:
    """Number of costimulatory domains in a CAR of ``generation``: 0, 1, 2 and 1 for generations 1 to 4."""
    return sum(d.key in COSTIMULATORY_DOMAINS for d in car_construct(generation))


# --- Approved products -----------------------------------------------------------------

@dataclass(frozen=True)
class Product:
    """An FDA-approved CAR-T product at its first approval.

    ``first_indication`` is the indication of the first US approval only (several were
    extended later). ``source`` is the bibliography key of the FDA page cited for it.
    """

    generic: str
    brand: str
    target: str
    costim: str
    vector: str
    first_indication: str
    fda_approval: datetime.date
    source: str


# Dates: FDA product pages and announcements (cited per product in widgets/references.py);
# target, costimulatory domain and vector: section 11 of each label, as tabulated in reviews
# (e.g. Expert Rev Mol Med 2022;24:e7, Table 1). None of these products is approved for lupus.
# The list was checked against each product's FDA approval page up to Aucatzyl (8 November 2024); whether any CAR-T
# product was approved after that could not be verified for this course. Compare with the FDA's list of approved
# cellular and gene therapy products before relying on the count.
APPROVED_PRODUCTS_CHECKED_ON = "2026-12-04"
APPROVED_PRODUCTS_VERIFIED_THROUGH = "2024-11-08"
FDA_APPROVED_PRODUCTS_LIST_URL = ("https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/"
                                  "approved-cellular-and-gene-therapy-products")
APPROVED_PRODUCTS: tuple[Product, ...] = (
    Product("tisagenlecleucel", "Kymriah", "CD19", "4-1BB", "lentiviral",
            "B-cell precursor ALL, patients up to 25 years", datetime.date(2017, 8, 30), "fda_kymriah"),
    Product("axicabtagene ciloleucel", "Yescarta", "CD19", "CD28", "gamma-retroviral",
            "large B-cell lymphoma", datetime.date(2017, 10, 18), "fda_yescarta"),
    Product("brexucabtagene autoleucel", "Tecartus", "CD19", "CD28", "gamma-retroviral",
            "mantle cell lymphoma", datetime.date(2020, 7, 24), "fda_tecartus"),
    Product("lisocabtagene maraleucel", "Breyanzi", "CD19", "4-1BB", "lentiviral",
            "large B-cell lymphoma", datetime.date(2021, 2, 5), "fda_breyanzi"),
    Product("idecabtagene vicleucel", "Abecma", "BCMA", "4-1BB", "lentiviral",
            "multiple myeloma", datetime.date(2021, 3, 26), "fda_abecma"),
    Product("ciltacabtagene autoleucel", "Carvykti", "BCMA", "4-1BB", "lentiviral",
            "multiple myeloma", datetime.date(2022, 2, 28), "fda_carvykti"),
    Product("obecabtagene autoleucel", "Aucatzyl", "CD19", "4-1BB", "lentiviral",
            "adult B-cell precursor ALL", datetime.date(2024, 11, 8), "fda_aucatzyl"),
)

PRODUCT_COLUMNS = ("Product (brand)", "Target", "Costimulatory domain", "Vector",
                   "First US indication", "FDA approval", "Source")


def products(target: str | None = None, costim: str | None = None) -> tuple[Product, ...]:
    """Return the approved products, optionally only those with ``target`` and/or ``costim``.

    Parameters
    ----------
    target : str, optional
        ``"CD19"`` or ``"BCMA"``.
    costim : str, optional
        ``"CD28"`` or ``"4-1BB"`` (as printed in the table).
    """
    if target is not None:
        require_choice("target", target, sorted({p.target for p in APPROVED_PRODUCTS}))
    if costim is not None:
        require_choice("costim", costim, sorted({p.costim for p in APPROVED_PRODUCTS}))
    return tuple(p for p in APPROVED_PRODUCTS
                 if (target is None or p.target == target) and (costim is None or p.costim == costim))


def products_table_markdown(labels: dict[str, str] | None = None) -> str:
    """Return the approved-products table as markdown, oldest approval first.

    Parameters
    ----------
    labels : dict, optional
        Bibliography key -> citation label (e.g. from :data:`widgets.references.BIBLIOGRAPHY`);
        without it the Source column shows the keys.
    """
    if labels is not None and not isinstance(labels, dict):
        raise TypeError(f"labels must be a dict of bibliography key -> label, or None; got {shown(labels)}.")
    labels = labels or {}
    head = "| " + " | ".join(PRODUCT_COLUMNS) + " |"
    rule = "|" + "---|" * len(PRODUCT_COLUMNS)
    rows = [
        f"| {p.generic} ({p.brand}) | {p.target} | {p.costim} | {p.vector} | {p.first_indication} | "
        f"{p.fda_approval.isoformat()} | {labels.get(p.source, p.source)} |"
        for p in sorted(APPROVED_PRODUCTS, key=lambda p: p.fda_approval)
    ]
    return "\n".join([head, rule, *rows])


# --- The B-cell lineage and what each stage carries ----------------------------------------

EXPRESSION_LEVELS = ("expressed", "low", "absent")
ANTIGENS = ("CD19", "CD20", "BCMA")


@dataclass(frozen=True)
class Stage:
    """One stage on the path from B-cell precursor to long-lived plasma cell."""

    key: str
    label: str
    where: str
    note: str


B_LINEAGE: tuple[Stage, ...] = (
    Stage("pro_b", "Pro-B cell", "bone marrow", "earliest committed B-cell precursor"),
    Stage("pre_b", "Pre-B cell", "bone marrow", "builds its antibody heavy chain"),
    Stage("immature_b", "Immature\nB cell", "bone marrow, blood", "first complete B-cell receptor; tested for self-reactivity"),
    Stage("naive_b", "Naive B cell", "blood, lymph nodes, spleen", "mature, has not yet met its antigen"),
    Stage("memory_b", "Memory B cell", "blood, lymphoid organs, tissues", "has met antigen; can respond again quickly"),
    Stage("plasmablast", "Plasmablast", "blood, lymphoid organs, inflamed tissue", "short-lived antibody factory, still dividing"),
    Stage("plasma_cell_cd19pos", "Plasma cell\n(CD19+)", "bone marrow, tissues", "newer plasma cells, replaced over time"),
    Stage("llpc_cd19neg", "Long-lived plasma\ncell (CD19-)", "bone marrow", "static, survives for years without B cells"),
)
STAGE_KEYS = tuple(s.key for s in B_LINEAGE)

# Qualitative surface expression, a deliberate simplification (real levels vary by subset and
# method). Sources:
#  CD19 - present from pro-B through plasmablasts; a part of plasma cells keeps it, while a
#         bone-marrow subset of long-lived IgG plasma cells lacks it and resists rituximab:
#         Mei et al., Blood 2015;125:1739-48; CD19-negative plasma cells persist years after
#         CD19 CAR-T: Bhoj et al., Blood 2016;128:360-70.
#  CD20 - from the pre-B stage to memory B cells, not on pro-B cells, plasmablasts or plasma
#         cells (circulating cells left after rituximab are mainly CD20-negative plasmablasts):
#         Leandro, Arthritis Res Ther 2013;15(Suppl 1):S3.
#  BCMA - on plasmablasts and plasma cells; not detected on other normal tissues or CD34+
#         precursors: Carpenter et al., Clin Cancer Res 2013;19:2048-60. CD19-negative BCMA+
#         bone-marrow plasma cells in SLE: Feng et al., Nat Med 2025;31:3725-36.
_E, _L, _A = "expressed", "low", "absent"
EXPRESSION: dict[str, dict[str, str]] = {
    "pro_b":               {"CD19": _E, "CD20": _A, "BCMA": _A},
    "pre_b":               {"CD19": _E, "CD20": _E, "BCMA": _A},
    "immature_b":          {"CD19": _E, "CD20": _E, "BCMA": _A},
    "naive_b":             {"CD19": _E, "CD20": _E, "BCMA": _A},
    "memory_b":            {"CD19": _E, "CD20": _E, "BCMA": _A},
    "plasmablast":         {"CD19": _E, "CD20": _A, "BCMA": _E},
    "plasma_cell_cd19pos": {"CD19": _L, "CD20": _A, "BCMA": _E},
    "llpc_cd19neg":        {"CD19": _A, "CD20": _A, "BCMA": _E},
}
EXPRESSION_SOURCES: dict[str, tuple[str, ...]] = {
    "CD19": ("mei2015", "bhoj2016"),
    "CD20": ("leandro2013",),
    "BCMA": ("carpenter2013", "feng2025"),
}


def expression(stage: str, antigen: str) -> str:
    """Return ``"expressed"``, ``"low"`` or ``"absent"`` for ``antigen`` on ``stage``.

    Parameters
    ----------
    stage : str
        One of :data:`STAGE_KEYS`.
    antigen : str
        One of :data:`ANTIGENS`.
    """
    require_choice("stage", stage, STAGE_KEYS)
    require_choice("antigen", antigen, ANTIGENS)
    return EXPRESSION[stage][antigen]


# --- What a target removes ----------------------------------------------------------------

TARGETS: dict[str, str] = {
    "CD20": "CD20 (the target of rituximab)",
    "CD19": "CD19 (the CAR T cells used in lupus so far)",
    "BCMA": "BCMA (plasma-cell target, from myeloma)",
    "CD19+BCMA": "CD19 plus BCMA (combined programmes)",
}
TARGET_ANTIGENS: dict[str, tuple[str, ...]] = {
    "CD20": ("CD20",), "CD19": ("CD19",), "BCMA": ("BCMA",), "CD19+BCMA": ("CD19", "BCMA"),
}

# A stage is removed when it carries a targeted antigen, partly removed when it carries it only
# at a low level (fewer target molecules: killing is less certain), and survives otherwise.
STAGE_FATES = ("removed", "partly removed", "survives")

# What happens to antibody made by each group of cells.
ANTIBODY_OUTCOMES = ("falls", "falls slowly", "persists")

# Antibody-secreting stages. Short-lived cells must be replenished from B cells, so removing the
# B cells starves them; anti-dsDNA antibodies turned negative after CD19 CAR-T in SLE (Mackensen et al.,
# Nat Med 2022;28:2124-32), which suggests that much of them came from such cells. Long-lived CD19-
# plasma cells keep many pre-existing (e.g. vaccine) antibody titres stable after CD19 CAR-T while total
# immunoglobulin falls (Bhoj 2016) and can also secrete autoantibodies (Mei 2015), anti-dsDNA included:
# in refractory SLE, bone-marrow CD19-negative BCMA-positive long-lived plasma cells were a dominant
# autoantibody source (Feng 2025). "Mostly short-lived" is therefore a simplification.
SHORT_LIVED_SECRETORS = ("plasmablast", "plasma_cell_cd19pos")
LONG_LIVED_SECRETORS = ("llpc_cd19neg",)
B_CELL_PRECURSORS = ("naive_b", "memory_b")


@dataclass(frozen=True)
class TargetEffect:
    """What targeting one antigen (or a pair) removes from the B lineage, and what follows.

    Attributes
    ----------
    target : str
        Key of :data:`TARGETS`.
    fates : dict
        Stage key -> one of :data:`STAGE_FATES`, in lineage order.
    short_lived_antibodies : str
        One of :data:`ANTIBODY_OUTCOMES` for antibodies from plasmablasts and newer plasma cells,
        the likely main source of autoantibodies that fall after CD19 CAR-T, such as anti-dsDNA
        (Mackensen 2022); long-lived plasma cells can make anti-dsDNA too (Mei 2015; Feng 2025).
    long_lived_antibodies : str
        The same for antibodies from long-lived CD19-negative plasma cells (many protective
        vaccine titres, and some autoantibodies).
    """

    target: str
    fates: dict[str, str]
    short_lived_antibodies: str
    long_lived_antibodies: str

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fates.items() if f == "removed")

    @property
    def partly_removed(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fates.items() if f == "partly removed")

    @property
    def survivors(self) -> tuple[str, ...]:
        return tuple(k for k, f in self.fates.items() if f == "survives")


def _antibody_outcome(fates: dict[str, str], secretors: tuple[str, ...], replenished: bool) -> str:
    if any(fates[s] != "survives" for s in secretors):
        return "falls"  # producers removed (or, at low expression, thinned out)
    if replenished and all(fates[b] == "removed" for b in B_CELL_PRECURSORS):
        return "falls slowly"  # producers spared but short-lived, and their B-cell source is gone
    return "persists"


def target_effect(target: str) -> TargetEffect:
    """Return which B-lineage stages a target removes and what happens to antibody levels.

    This is a schematic based on surface expression only (:data:`EXPRESSION`). It ignores how
    well a drug reaches tissues: rituximab, an antibody, leaves B cells behind in lymph nodes
    more often than CD19 CAR T cells do (Leandro 2013; Tur et al., Ann Rheum Dis 2024).

    Parameters
    ----------
    target : str
        ``"CD20"``, ``"CD19"``, ``"BCMA"`` or ``"CD19+BCMA"``.
    """
    require_choice("target", target, TARGETS)
    antigens = TARGET_ANTIGENS[target]
    fates = {}
    for key in STAGE_KEYS:
        levels = {EXPRESSION[key][a] for a in antigens}
        fates[key] = "removed" if "expressed" in levels else "partly removed" if "low" in levels else "survives"
    return TargetEffect(
        target=target,
        fates=fates,
        short_lived_antibodies=_antibody_outcome(fates, SHORT_LIVED_SECRETORS, replenished=True),
        long_lived_antibodies=_antibody_outcome(fates, LONG_LIVED_SECRETORS, replenished=False),
    )


def stage_names(keys: tuple[str, ...]) -> str:
    """Readable, comma-separated names of the stages ``keys`` in lineage order ("none" if empty)."""
    require_keys("keys", keys, STAGE_KEYS)
    names = [s.label.replace("\n", " ") for s in B_LINEAGE if s.key in keys]
    return ", ".join(names) if names else "none"


# How the two antibody lines are named in the text and the figure.
SHORT_LIVED_TEXT = "Antibodies made mostly by short-lived plasmablasts (e.g. most anti-dsDNA)"
LONG_LIVED_TEXT = "Antibodies from long-lived plasma cells (many vaccine titres, some autoantibodies, anti-dsDNA included)"

_OUTCOME_WORDS = {
    "falls": "fall",
    "falls slowly": "fall slowly, as the spared short-lived cells die without being replaced",
    "persists": "persist",
}


def describe_target(target: str) -> str:
    """Plain-text summary of :func:`target_effect` for ``target`` (used by the notebook)."""
    eff = target_effect(target)
    lines = [
        f"Target: {TARGETS[target]}",
        f"Removed: {stage_names(eff.removed)}",
        f"Partly removed (low expression): {stage_names(eff.partly_removed)}",
        f"Survive: {stage_names(eff.survivors)}",
        f"{SHORT_LIVED_TEXT}: {_OUTCOME_WORDS[eff.short_lived_antibodies]}",
        f"{LONG_LIVED_TEXT}: {_OUTCOME_WORDS[eff.long_lived_antibodies]}",
    ]
    return "\n".join(lines)


# --- Self-check -----------------------------------------------------------------------------

# The questions live in widgets/content/questions/02_cart_principles.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("02_cart_principles")
