"""Deciding together: the data and pure functions behind notebook 05.

Who trials consider (how they define refractory lupus and whom they usually exclude), the
possible benefits against the risks and burdens, what drives the cost, who is in the care team
at each step, and what to ask before consenting. Nothing here imports ipywidgets or plots; the
one exception is :class:`widgets.selfcheck.Question`, the shared container of self-check
questions. Every number carries its source in a comment; the notebook cites the same sources.

A rule this module keeps: it teaches, it never decides. No function returns a verdict on
whether a person can or should be treated; the checklist returns *topics to discuss* with the
care team, and the balance returns *what the learner said matters to them*.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import content_loader, process
from .evidence import LITERATURE_SEARCHED, REVIEWS, STUDIES, pool, pooled_patients
from .question import Question, load_questions
from .validate import require_choice, require_int, require_keys, require_number, shown

__all__ = [
    "RefractoryDefinition",
    "REFRACTORY_DEFINITIONS",
    "refractory_table_markdown",
    "ANSWERS",
    "ChecklistItem",
    "CHECKLIST_ITEMS",
    "Topic",
    "checklist_topics",
    "BalanceItem",
    "BALANCE_ITEMS",
    "BALANCE_SIDES",
    "balance_table_markdown",
    "WEIGHT_MAX",
    "Balance",
    "balance",
    "CostItem",
    "COST_ITEMS",
    "COST_MAX_USD",
    "CostBreakdown",
    "cost_breakdown",
    "JourneyStep",
    "JOURNEY_STEPS",
    "STEP_KEYS",
    "Role",
    "CARE_TEAM",
    "INVOLVEMENT_LEVELS",
    "Involvement",
    "team_at_step",
    "CONSENT_POINTS",
    "QUESTIONS_TO_ASK",
    "questions_text",
    "questions_markdown",
    "NOT_MEDICAL_ADVICE",
    "COURSE_NAME",
    "SELF_CHECK",
]

COURSE_NAME = "Lupus and CAR-T cell therapy: an open interactive course"
NOT_MEDICAL_ADVICE = (
    "This is educational material, not medical advice. CAR-T cell therapy for lupus is investigational: "
    "it is given only inside clinical studies. Talk to your own care team."
)


# --- Who may be a candidate: how trials define refractory lupus ------------------------------

@dataclass(frozen=True)
class RefractoryDefinition:
    """How one study defined the lupus it enrols.

    Parameters
    ----------
    key : str
        Identifier, e.g. ``"mueller2024"``.
    study : str
        The study as the notebook names it.
    source : str
        Bibliography key in :mod:`widgets.references`.
    ages : str
        Ages accepted.
    activity : str
        How active the lupus must be.
    prior_treatment : str
        What must have failed first.
    other : str
        Other entry conditions worth knowing.
    """

    key: str
    study: str
    source: str
    ages: str
    activity: str
    prior_treatment: str
    other: str


# The definitions live in widgets/content/refractory.yaml (checked by widgets.content_loader).
REFRACTORY_DEFINITIONS: tuple[RefractoryDefinition, ...] = tuple(
    RefractoryDefinition(**d) for d in content_loader.refractory()
)


def refractory_table_markdown(labels: Mapping[str, str] | None = None) -> str:
    """Return the refractory definitions side by side as a markdown table.

    Parameters
    ----------
    labels : mapping, optional
        Bibliography key -> citation label (e.g. ``{"mueller2024": "Müller 2024"}``) to add a
        "Source" column; without it the column shows the bibliography key.
    """
    if labels is not None and not isinstance(labels, Mapping):
        raise TypeError(f"labels must be a mapping of bibliography key to label; got {shown(labels)}.")
    rows = ["| Study | Ages | Disease activity | What must have failed | Other conditions | Source |",
            "|---|---|---|---|---|---|"]
    for d in REFRACTORY_DEFINITIONS:
        src = labels.get(d.source, d.source) if labels else d.source
        rows.append(f"| {d.study} | {d.ages} | {d.activity} | {d.prior_treatment} | {d.other} | {src} |")
    return "\n".join(rows)


# --- The candidate checklist: topics, never a verdict ------------------------------------------

ANSWERS = ("not answered", "yes", "no", "not sure")


@dataclass(frozen=True)
class ChecklistItem:
    """One question of the teaching checklist.

    Parameters
    ----------
    key : str
        Identifier.
    question : str
        The question, in plain words.
    why : str
        Why trials ask it.
    usual_in_trials : str
        The answer ("yes" or "no") most people enrolled in the published trials would give; a
        different answer, or "not sure", makes the item a topic to raise.
    discuss : str
        What to talk about with the care team when the item is raised.
    """

    key: str
    question: str
    why: str
    usual_in_trials: str
    discuss: str


# Criteria drawn from the registry entries NCT06189157 and NCT06222853 and from Müller 2024 (see
# REFRACTORY_DEFINITIONS); exclusions are stated generally, as both registries list them.
# The items live in widgets/content/checklist.yaml.
CHECKLIST_ITEMS: tuple[ChecklistItem, ...] = tuple(ChecklistItem(**item) for item in content_loader.checklist())
CHECKLIST_KEYS = tuple(i.key for i in CHECKLIST_ITEMS)


@dataclass(frozen=True)
class Topic:
    """One item of the checklist's output.

    ``raised`` is True when the answer differs from what trial participants usually answer, or
    is "not sure": a topic worth bringing to the care team. It is never a verdict.
    """

    key: str
    question: str
    answer: str
    raised: bool
    text: str


def checklist_topics(answers: Mapping[str, str]) -> tuple[Topic, ...]:
    """Turn checklist answers into topics to discuss, in the checklist's order.

    Parameters
    ----------
    answers : mapping
        Item key (see :data:`CHECKLIST_ITEMS`) -> one of :data:`ANSWERS`. Missing keys count
        as "not answered".

    Returns
    -------
    tuple of Topic
        One topic per answered item (unanswered items are left out).

    Raises
    ------
    ValueError
        For an unknown key, an unknown answer, or when no item is answered.
    """
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping of item key to answer; got {shown(answers)}.")
    require_keys("answers", answers.keys(), CHECKLIST_KEYS)
    topics = []
    for item in CHECKLIST_ITEMS:
        answer = require_choice(f"answer to {item.key!r}", answers.get(item.key, "not answered"), ANSWERS)
        if answer == "not answered":
            continue
        if answer == "not sure":
            raised, lead = True, "Not sure: ask about it. "
        elif answer == item.usual_in_trials:
            raised, lead = False, "Your answer matches what most trial participants answer. Still worth confirming: "
        else:
            raised, lead = True, "Raise this with the care team. "
        topics.append(Topic(item.key, item.question, answer, raised, f"{lead}{item.why} Talk about: {item.discuss}"))
    if not topics:
        raise ValueError("No question is answered yet: answer at least one to see the topics to discuss.")
    return tuple(topics)


# --- Benefits and risks, side by side ---------------------------------------------------------

BALANCE_SIDES = {"benefit": "Possible benefits", "burden": "Risks and burdens"}
WEIGHT_MAX = 5


@dataclass(frozen=True)
class BalanceItem:
    """One possible benefit, risk or burden.

    Parameters
    ----------
    key, label : str
        Identifier and short label.
    side : str
        "benefit" or "burden".
    plain : str
        What it means, in plain words.
    evidence : str
        What the published studies report, with the citation label.
    """

    key: str
    label: str
    side: str
    plain: str
    evidence: str


# Study numbers come from widgets.evidence (the course's single table of SLE CAR-T studies and its pooled
# figures, computed from widgets/content/studies.yaml); nothing here is typed twice.
_REVIEW = REVIEWS["nordmanngomes2025"]
_PATIENTS, _REPORTS = pooled_patients()


def _pooled(outcome: str, include_mixed: bool = False) -> str:
    p = pool(outcome, include_mixed=include_mixed)
    return "not reported" if p.count is None else f"{p.count.n} of {p.count.N} ({p.count.percent:.0f}%)"


BALANCE_ITEMS: tuple[BalanceItem, ...] = (
    BalanceItem("remission", "Lupus goes into remission", "benefit",
                "Signs and tests of active lupus disappear, for a time nobody can yet promise.",
                f"DORIS remission in {_REVIEW['doris'].n} of {_REVIEW['doris'].N} evaluable patients "
                f"({_REVIEW['doris'].percent:.0f}%) in a 2025 systematic review [Nordmann-Gomes 2025]; "
                f"{_pooled('doris')} in the reports of this course that give DORIS. No control group."),
    BalanceItem("drug_free", "Time without lupus medicines", "benefit",
                "Staying off daily immunosuppressants and steroids, possibly for a long time.",
                "Most protocols stop immunosuppressants before the cells, so 'off medicines' is partly a rule of "
                "the study; the result is staying off them without a flare [Müller 2026; Leandro 2025]. "
                f"Flares after remission: {_pooled('flares')} where reported."),
    # Ruiz-Arruza 2014: average prednisone >7.5 mg/day associated with damage (adjusted OR 5.39).
    BalanceItem("fewer_steroids", "Less harm from steroids", "benefit",
                "Fewer long-term steroid effects on bones, eyes, heart and weight.",
                "Average prednisone above 7.5 mg/day was associated with organ damage [Ruiz-Arruza 2014]."),
    BalanceItem("one_time", "A single infusion", "benefit",
                "One treatment episode instead of years of continuous treatment.",
                "Each patient received one infusion; a second infusion of the same cells failed in one relapse "
                "[CAR-T reinfusion Nat Med 2025]."),
    BalanceItem("chemo", "Chemotherapy before the infusion", "burden",
                "A few days of chemotherapy lower blood counts for weeks and can cause tiredness and nausea.",
                f"Grade 3 or higher cytopenia in {_pooled('cytopenia_grade3plus')} of patients where reported "
                "[Feng 2025; Rapcabtagene abstract 2024]."),
    BalanceItem("crs", "Cytokine release syndrome (CRS)", "burden",
                "Fever and sometimes low blood pressure as the cells expand.",
                f"CRS in {_REVIEW['crs_any'].n} of {_REVIEW['crs_any'].N} ({_REVIEW['crs_any'].percent:.0f}%), "
                f"grade 3 in {_REVIEW['crs_grade3plus'].n} [Nordmann-Gomes 2025]."),
    BalanceItem("icans", "Neurological side effects (ICANS)", "burden",
                "Confusion or difficulty finding words, usually temporary.",
                f"ICANS in {_REVIEW['icans'].n} of {_REVIEW['icans'].N}, {_REVIEW['icans_grade3plus'].n} of them "
                "grade 3 or 4 [Nordmann-Gomes 2025]."),
    BalanceItem("licats", "Flare-like organ reactions (LICATS)", "burden",
                "About ten days after the cells, a short flare-like reaction in an organ lupus hit before.",
                f"In {_pooled('licats', include_mixed=True)} of CD19 CAR-T-treated autoimmune patients in one "
                f"study; {pool('licats_grade3plus', include_mixed=True).count.n} needed hospital care [Hagen 2025]."),
    BalanceItem("infection", "Infections, and a risk of death", "burden",
                "Defences are lower for months while B cells are absent; an infection can be severe.",
                f"Serious infections in {_REVIEW['serious_infections'].n} of {_REVIEW['serious_infections'].N} "
                f"({_REVIEW['serious_infections'].percent:.0f}%), {_REVIEW['deaths'].n} of them fatal "
                "[Nordmann-Gomes 2025]."),
    BalanceItem("time", "Time in hospital, travel, time off work", "burden",
                "Weeks at or near the treating centre, and visits for years after.",
                "Follow-up of gene-modified cells can last up to 15 years [FDA 2020]."),
    BalanceItem("uncertainty", "Uncertainty", "burden",
                "Few people treated so far, for a short time: long-term benefits and risks are unknown.",
                f"About {_PATIENTS} patients with SLE in the {_REPORTS} current reports of this course (literature "
                f"searched up to {LITERATURE_SEARCHED.isoformat()}), none randomised; approved CAR-T products carry a "
                "boxed warning on secondary blood cancers [Abecma label 2024]."),
)
BALANCE_KEYS = tuple(i.key for i in BALANCE_ITEMS)


def balance_table_markdown() -> str:
    """The possible benefits and the risks and burdens side by side, with what studies report, as markdown."""
    rows = ["| Side | Item | In plain words | What studies report |", "|---|---|---|---|"]
    for item in BALANCE_ITEMS:
        rows.append(f"| {BALANCE_SIDES[item.side]} | {item.label} | {item.plain} | {item.evidence} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Balance:
    """What the learner said matters to them.

    Attributes
    ----------
    weights : dict
        Item key -> importance 0-5 as given.
    totals : dict
        Side ("benefit", "burden") -> sum of weights [points].
    maximum : dict
        Side -> largest possible sum [points].
    percent : dict
        Side -> total as a percentage of its maximum [%], so that sides with different numbers
        of items can be compared.
    summary : str
        A sentence that describes the picture and says it decides nothing.
    """

    weights: dict[str, int]
    totals: dict[str, int]
    maximum: dict[str, int]
    percent: dict[str, float]
    summary: str


def balance(weights: Mapping[str, int]) -> Balance:
    """Add up how much each possible benefit and each risk or burden matters to the learner.

    Parameters
    ----------
    weights : mapping
        Item key (see :data:`BALANCE_ITEMS`) -> whole number 0 (does not matter to me) to 5
        (matters very much). Every item needs a weight.

    Returns
    -------
    Balance
        Sums per side. The summary never says which choice is right: the picture is a
        conversation aid, not a calculation.
    """
    if not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of item key to a whole number 0-{WEIGHT_MAX}; got {shown(weights)}.")
    require_keys("weights", weights.keys(), BALANCE_KEYS)
    missing = [k for k in BALANCE_KEYS if k not in weights]
    if missing:
        raise ValueError(f"weights: no weight given for {', '.join(missing)}; give every item a weight from 0 to {WEIGHT_MAX}.")
    clean = {}
    for item in BALANCE_ITEMS:
        clean[item.key] = require_int(f"importance of {item.label!r}", weights[item.key], minimum=0, maximum=WEIGHT_MAX)
    totals = {side: sum(clean[i.key] for i in BALANCE_ITEMS if i.side == side) for side in BALANCE_SIDES}
    maximum = {side: WEIGHT_MAX * sum(1 for i in BALANCE_ITEMS if i.side == side) for side in BALANCE_SIDES}
    percent = {side: 100.0 * totals[side] / maximum[side] for side in BALANCE_SIDES}
    if totals["benefit"] == totals["burden"] == 0:
        leaning = "You have not yet marked anything as important."
    elif percent["benefit"] > percent["burden"]:
        leaning = "Right now the possible benefits weigh more for you."
    elif percent["benefit"] < percent["burden"]:
        leaning = "Right now the risks and burdens weigh more for you."
    else:
        leaning = "Right now both sides weigh the same for you."
    summary = (
        f"Possible benefits: {totals['benefit']} of {maximum['benefit']} points ({percent['benefit']:.0f}%); "
        f"risks and burdens: {totals['burden']} of {maximum['burden']} points ({percent['burden']:.0f}%). "
        f"{leaning} This is a conversation aid: it shows what matters to you, to talk over with your care team. "
        "It does not calculate the right choice."
    )
    return Balance(clean, totals, maximum, percent, summary)


# --- Cost -----------------------------------------------------------------------------------------

COST_MAX_USD = 50_000_000  # a guard against typing errors, far above any published CAR-T episode cost


@dataclass(frozen=True)
class CostItem:
    """One line of the cost explorer.

    Parameters
    ----------
    key, label : str
        Identifier and label.
    default_usd : float
        Starting value [US dollars]: a cited figure, or 0 where no citable figure exists.
    note : str
        Where the starting value comes from, or what to enter.
    """

    key: str
    label: str
    default_usd: float
    note: str


# List price of tisagenlecleucel at approval, Aug 2017: $475,000 per infusion (Lin 2018; Reuters 2017).
TISAGENLECLEUCEL_LIST_PRICE_2017_USD = 475_000
# List price of axicabtagene ciloleucel at approval, Oct 2017: $373,000 (Reuters 2017).
AXICABTAGENE_LIST_PRICE_2017_USD = 373_000
# US model of CAR-T in large B-cell lymphoma: costs of the 3 months after infusion $57,000-59,000
# across three products (Cummings Joyner 2022, abstract). The lower end is used.
POST_INFUSION_3_MONTHS_USD = 57_000

COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("product", "CAR-T product", TISAGENLECLEUCEL_LIST_PRICE_2017_USD,
             "List price of tisagenlecleucel at approval in 2017 (axicabtagene ciloleucel: $373,000). "
             "No CAR-T product is approved for lupus; in a trial, ask who pays for the cells."),
    CostItem("apheresis", "Leukapheresis (collecting T cells)", 0, "Enter a local estimate."),
    CostItem("manufacturing", "Manufacturing and quality testing", 0,
             "Included in the list price of approved products; for cells made in an academic facility, enter an estimate."),
    CostItem("chemotherapy", "Lymphodepleting chemotherapy", 0, "Enter a local estimate."),
    CostItem("hospital", "Hospital care in the 3 months after infusion", POST_INFUSION_3_MONTHS_USD,
             "About $57,000-59,000 in a US model of lymphoma patients (lower end shown)."),
    CostItem("follow_up", "Long-term monitoring visits and tests", 0, "Enter an estimate per year times years."),
    CostItem("travel", "Travel and lodging near the centre", 0, "Enter your own estimate."),
    CostItem("time_off", "Time off work (patient and caregiver)", 0, "Enter your own estimate."),
)
COST_KEYS = tuple(i.key for i in COST_ITEMS)


@dataclass(frozen=True)
class CostBreakdown:
    """Total and shares of the cost lines.

    Attributes
    ----------
    amounts_usd : dict
        Item key -> amount [US dollars], in :data:`COST_ITEMS` order.
    total_usd : float
        Sum [US dollars].
    shares : dict
        Item key -> fraction of the total (0-1); all 0 when the total is 0.
    largest : str or None
        Key of the largest line, None when the total is 0.
    unestimated : tuple of str
        Keys of the lines left at 0 (no estimate): the total leaves them out, so the true cost is higher.
    """

    amounts_usd: dict[str, float]
    total_usd: float
    shares: dict[str, float]
    largest: str | None
    unestimated: tuple[str, ...] = ()


def cost_breakdown(costs_usd: Mapping[str, float]) -> CostBreakdown:
    """Add up the cost lines and give each line's share of the total.

    Parameters
    ----------
    costs_usd : mapping
        Item key (see :data:`COST_ITEMS`) -> amount [US dollars], 0 to :data:`COST_MAX_USD`.
        Missing lines count as 0.

    Raises
    ------
    TypeError
        A line that is not a number (the message names the line).
    ValueError
        An unknown line, a negative or non-finite amount (the message names the line).
    """
    if not isinstance(costs_usd, Mapping):
        raise TypeError(f"costs_usd must be a mapping of line item to an amount in US dollars; got {shown(costs_usd)}.")
    require_keys("costs_usd", costs_usd.keys(), COST_KEYS)
    amounts = {}
    for item in COST_ITEMS:
        value = costs_usd.get(item.key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"'{item.label}' must be a number of US dollars; got {shown(value)}.")
        if value < 0:
            raise ValueError(f"'{item.label}' is negative ({value:g} US dollars); enter 0 or a positive amount.")
        amounts[item.key] = require_number(f"'{item.label}'", value, minimum=0, maximum=COST_MAX_USD, unit="US dollars")
    total = sum(amounts.values())
    shares = {k: (v / total if total > 0 else 0.0) for k, v in amounts.items()}
    largest = max(amounts, key=amounts.get) if total > 0 else None
    return CostBreakdown(amounts, total, shares, largest, tuple(k for k, v in amounts.items() if v == 0))


# --- The care team at each step of the journey -------------------------------------------------

@dataclass(frozen=True)
class JourneyStep:
    """One step of the treatment journey: the key and name of a step of :data:`widgets.process.JOURNEY`."""

    key: str
    label: str


# The steps of notebook 03, read from widgets.process so both notebooks use the same keys and names.
JOURNEY_STEPS: tuple[JourneyStep, ...] = tuple(JourneyStep(step.key, step.name) for step in process.JOURNEY)
STEP_KEYS = tuple(s.key for s in JOURNEY_STEPS)

INVOLVEMENT_LEVELS = ("leads", "involved", "on call", "")


@dataclass(frozen=True)
class Role:
    """A member of the care team, with what they do at each step.

    ``tasks`` maps a step key to ``(level, task)`` where level is one of "leads", "involved" or
    "on call"; steps without an entry do not involve the role.
    """

    key: str
    label: str
    plain: str
    tasks: dict[str, tuple[str, str]]


# The roles live in widgets/content/care_team.yaml.
CARE_TEAM: tuple[Role, ...] = tuple(
    Role(r["key"], r["label"], r["plain"], r["tasks"]) for r in content_loader.care_team()
)
ROLE_KEYS = tuple(r.key for r in CARE_TEAM)


@dataclass(frozen=True)
class Involvement:
    """One role's part at one step."""

    role: str
    label: str
    level: str
    task: str


def team_at_step(step: str) -> tuple[Involvement, ...]:
    """Return every role with its part at ``step`` (level "" and task "" when not involved).

    Parameters
    ----------
    step : str
        One of :data:`STEP_KEYS`.
    """
    require_choice("step", step, STEP_KEYS)
    out = []
    for role in CARE_TEAM:
        level, task = role.tasks.get(step, ("", ""))
        out.append(Involvement(role.key, role.label, level, task))
    return tuple(out)


# --- Consent and questions ------------------------------------------------------------------------

# Both live in widgets/content/consent.yaml.
CONSENT_POINTS: tuple[str, ...] = tuple(content_loader.consent()["points"])
QUESTIONS_TO_ASK: tuple[tuple[str, str], ...] = tuple(content_loader.consent()["questions"])


def questions_text() -> str:
    """The questions to ask the care team as plain numbered text, grouped by topic."""
    lines, last = [], None
    for i, (topic, question) in enumerate(QUESTIONS_TO_ASK, start=1):
        if topic != last:
            lines.append(f"{topic}:")
            last = topic
        lines.append(f"  {i}. {question}")
    return "\n".join(lines)


def questions_markdown() -> str:
    """The questions to ask the care team as Markdown: a bold heading per topic, one numbered list throughout."""
    lines, last = [], None
    for i, (topic, question) in enumerate(QUESTIONS_TO_ASK, start=1):
        if topic != last:
            lines += ["", f"**{topic}**", ""]
            last = topic
        lines.append(f"{i}. {question}")
    return "\n".join(lines).strip()


# --- Self-check -----------------------------------------------------------------------------------

# The questions live in widgets/content/questions/05_decisions.yaml.
SELF_CHECK: tuple[Question, ...] = load_questions("05_decisions", values={"studies": STUDIES, "reviews": REVIEWS})
