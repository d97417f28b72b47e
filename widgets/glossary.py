"""The course glossary: each term with a plain-language definition.

``notebooks/glossary.ipynb`` shows one ``### Term`` heading per entry, in the order of
:data:`ENTRIES` (alphabetical). JupyterLab makes a heading's anchor from its text with spaces
turned into hyphens, so any notebook can link a term as ``[lymphodepletion](glossary.ipynb#Lymphodepletion)``;
:func:`link` writes such a link. ``tests/test_glossary.py`` keeps this module and the notebook in step.
Nothing here imports ipywidgets or plots.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry", "ENTRIES", "GLOSSARY", "REQUIRED_TERMS", "anchor", "link", "lookup"]


@dataclass(frozen=True)
class Entry:
    """One glossary term.

    Parameters
    ----------
    term : str
        The heading, as written in the glossary notebook.
    definition : str
        A plain-language definition, a few sentences at most.
    sources : tuple of str
        Bibliography keys (:mod:`widgets.references`) behind any number or formal definition.
    """

    term: str
    definition: str
    sources: tuple[str, ...] = ()


ENTRIES: tuple[Entry, ...] = (
    Entry("Anifrolumab", "An antibody drug that blocks the receptor for type I interferon. It is approved for active "
          "SLE (not for nephritis) as a drip every 4 weeks; a weekly injection under the skin was approved in the "
          "EU and, in April 2026, in the US.", ("astrazeneca2026",)),
    Entry("Anti-dsDNA", "Antibodies against double-stranded DNA, the DNA in the nucleus of cells. They are typical of "
          "SLE, count among the classification criteria, and their level often rises when lupus, especially lupus "
          "nephritis, is active.", ("aringer2019",)),
    Entry("Antinuclear antibody", "An autoantibody against material in the cell nucleus (ANA). Almost everyone with "
          "SLE has it, so a positive ANA test is the entry criterion of the 2019 EULAR/ACR classification criteria; "
          "many people without lupus have it too.", ("aringer2019",)),
    Entry("Antiphospholipid syndrome", "APS: blood clots in veins or arteries, or pregnancy problems, in a person "
          "whose blood keeps testing positive for antiphospholipid antibodies (lupus anticoagulant, anticardiolipin "
          "or anti-beta2-glycoprotein I). It can occur with or without lupus.", ("barbhaiya2023",)),
    Entry("Autoantibody", "An antibody that binds the body's own molecules instead of a germ. In lupus, "
          "autoantibodies against nuclear material form clumps (immune complexes) that inflame tissues."),
    Entry("B cell", "A white blood cell that can recognise one particular molecule and, once activated, mature into "
          "cells that make antibodies against it. Autoreactive B cells are the source of lupus autoantibodies."),
    Entry("B-cell aplasia", "The near-complete absence of B cells from the blood, expected for some months after CD19 "
          "CAR-T therapy. In the first lupus patients B cells came back after a few months, as naive cells.",
          ("mackensen2022",)),
    Entry("BCMA", "B-cell maturation antigen: a protein on the surface of plasmablasts and plasma cells, including "
          "long-lived ones, and not on most other B cells. Some CAR-T programmes target it, alone or with CD19."),
    Entry("Belimumab", "An antibody drug that blocks BAFF (BLyS), a signal B cells need to survive. It is approved "
          "for SLE and for lupus nephritis, added to standard treatment."),
    Entry("BICLA", "BILAG-based Composite Lupus Assessment: a trial response that needs every organ active at the "
          "start to improve on BILAG, no new organ to worsen, no rise in SLEDAI-2K or the physician's global "
          "assessment, and no extra treatment.", ("wallace2011",)),
    Entry("BILAG", "British Isles Lupus Assessment Group index (BILAG-2004): grades lupus activity in each organ "
          "system from A (severe) to E (never involved), based on what the doctor would treat.", ("yee2007",)),
    Entry("CAR", "Chimeric antigen receptor: a man-made receptor put into a T cell. It joins an antibody-like part "
          "that recognises a surface protein (such as CD19) to the signalling parts that switch the T cell on."),
    Entry("CAR T cell", "A T cell that carries a CAR, so that it recognises and kills cells with the CAR's target "
          "protein on their surface. In most lupus studies so far they are made from the patient's own T cells; some "
          "studies have used cells from healthy donors.", ("wangd2025",)),
    Entry("CD19", "A protein on the surface of B cells from early in their development to plasmablasts. Some plasma "
          "cells, notably a long-lived group in the bone marrow, do not carry it. The target of most CAR-T cells "
          "tested in lupus.", ("mei2015",)),
    Entry("CD20", "A protein on most B cells but not on plasmablasts or plasma cells. Rituximab, an antibody drug, "
          "targets it; CAR T cells used in lupus have mostly targeted CD19 instead, which is found on more of the "
          "B-cell lineage."),
    Entry("Classification criteria", "Rules that decide who enters a research study as a person with a disease. "
          "They are strict so that study groups are alike; they are not a diagnosis, which a doctor makes from "
          "the whole story.", ("aringer2019",)),
    Entry("Clinical trial", "A research study that tests a treatment in people according to a written plan (the "
          "protocol) approved by an ethics committee. Trials are registered publicly, for example on ClinicalTrials.gov."),
    Entry("Complement", "A group of blood proteins that attack germs, with or without antibodies to guide them. "
          "Immune complexes in active lupus use it up, so low C3 or C4 in a blood test can be a sign of activity; "
          "some people are born with low C4, so a low value is not always activity."),
    Entry("Costimulatory domain", "The part of a CAR inside the T cell, such as CD28 or 4-1BB, that gives the cell the "
          "second signal it needs to multiply and survive after it recognises its target."),
    Entry("CRS", "Cytokine release syndrome: fever, and sometimes low blood pressure or low oxygen, caused by the "
          "messenger molecules released by CAR T cells and by the immune cells they switch on, such as macrophages. It "
          "is graded 1 (fever only) to 4 by the "
          "ASTCT consensus.", ("lee2019",)),
    Entry("Cyclophosphamide", "A chemotherapy drug. Given for a few days before CAR T cells, usually with fludarabine, "
          "as lymphodepletion; it has also long been used to treat severe lupus, such as lupus nephritis."),
    Entry("Cytopenia", "Too few of one kind of blood cell: red cells (anaemia), white cells (leukopenia, neutropenia) "
          "or platelets (thrombocytopenia). It can be caused by lupus, by its drugs, or by lymphodepletion."),
    Entry("DORIS remission", "The international definition of remission in SLE: no clinical activity on the SLEDAI "
          "score, a physician's global assessment below 0.5 on a 0-3 scale, prednisolone 5 mg a day or less, and "
          "stable background drugs allowed, whatever the blood tests show.", ("vanvollenhoven2021",)),
    Entry("Flare", "A period when lupus becomes more active again: new or worse symptoms or test results that "
          "usually need a change of treatment."),
    Entry("Fludarabine", "A chemotherapy drug that strongly lowers lymphocytes. Given with cyclophosphamide for a few "
          "days before CAR T cells, as lymphodepletion."),
    Entry("Glucocorticoid", "A steroid medicine such as prednisone or prednisolone. It calms lupus quickly, but long "
          "use adds infections and lasting damage to bones, eyes and blood vessels, even at doses around 5 mg a "
          "day. The aim is the lowest dose for the shortest time, and stopping when possible.",
          ("apostolopoulos2016", "sammaritano2025b")),
    Entry("Hydroxychloroquine", "An old antimalarial tablet that calms lupus, prevents flares and damage, and is "
          "recommended for almost everyone with SLE. It is not an immunosuppressant. Long use can harm the retina, "
          "so the eyes are checked.", ("marmor2016", "sammaritano2025b")),
    Entry("Hypogammaglobulinaemia", "Low levels of antibodies (immunoglobulins) in the blood, which raises the risk of "
          "infections. It can follow treatments that remove B cells; immunoglobulin can be replaced by infusion."),
    Entry("ICANS", "Immune effector cell-associated neurotoxicity syndrome: confusion, trouble finding words, "
          "drowsiness and, rarely, seizures or brain swelling after CAR-T therapy. It is graded 1 to 4 using the ICE "
          "score and other signs.", ("lee2019",)),
    Entry("ICE score", "Immune effector cell-associated encephalopathy score: a 10-point bedside test of orientation, "
          "naming objects, following commands, writing a sentence and counting backwards, repeated to watch for "
          "ICANS.", ("lee2019",)),
    Entry("Immune complex", "A clump of antibodies stuck to their targets. In lupus they lodge in small blood "
          "vessels, for example in the kidney, and set off complement and inflammation."),
    Entry("Immunosuppressant", "A medicine that damps down the immune system, such as mycophenolate, azathioprine or "
          "methotrexate. It controls lupus but raises the risk of infections."),
    Entry("Informed consent", "The process by which a person agrees to take part in a study after being told its aims, "
          "procedures, possible benefits, risks and alternatives, and that they may withdraw at any time. It is a "
          "conversation, not only a signature."),
    Entry("Investigational", "Still being tested in clinical studies and not approved by regulators for this use. CAR-T "
          "cell therapy for lupus is investigational."),
    Entry("Lentiviral vector", "A disabled virus, derived from a lentivirus, used as a delivery vehicle to carry the CAR "
          "gene into T cells. It writes the gene into the cell's DNA, so the cell and its daughters keep it."),
    Entry("Leukapheresis", "Collecting white blood cells: blood is drawn from a vein, passed through a machine that "
          "keeps the white cells, and returned. It takes a few hours. The collected T cells are the starting "
          "material for CAR T cells."),
    Entry("LLDAS", "Lupus low disease activity state: SLEDAI-2K of 4 or less with no major organ activity, no new "
          "activity, a physician's global assessment of 1 or less (0-3), prednisolone 7.5 mg a day or less, and "
          "standard maintenance drugs well tolerated, with no investigational drug.", ("franklyn2016",)),
    Entry("Long-term follow-up", "Regular check-ups for years after a gene-modified treatment, to detect late effects. "
          "FDA guidance recommends up to 15 years for products that integrate into the genome.", ("fda2020",)),
    Entry("Lupus nephritis", "Inflammation of the kidneys caused by lupus, often silent at first and found by urine "
          "tests. A kidney biopsy gives its ISN/RPS class (I to VI) and scores activity and scarring. Classes III "
          "and IV, and class V with heavy proteinuria, are treated with immunosuppression.", ("bajema2018",)),
    Entry("Lymphodepletion", "Short chemotherapy, usually fludarabine with cyclophosphamide, given in the days before "
          "CAR T cells. It lowers the body's own lymphocytes broadly, which makes room for the infused cells to "
          "multiply."),
    Entry("Obinutuzumab", "An antibody drug against CD20 that removes B cells. Approved for active lupus nephritis "
          "in the US in October 2025 and later in the EU, added to standard treatment.", ("kaufman2026", "furie2025")),
    Entry("Physician global assessment", "The doctor's overall rating of lupus activity on a line from 0 (none) "
          "to 3 (severe). DORIS remission needs less than 0.5 and LLDAS 1 or less.", ("vanvollenhoven2021",)),
    Entry("Plasma cell", "The mature antibody factory of the B-cell family. Some live for years in the bone marrow and "
          "keep making antibodies without dividing; many of these lack CD19.", ("mei2015",)),
    Entry("Plasmablast", "A young antibody-making cell on its way from B cell to plasma cell. It still divides and "
          "carries CD19."),
    Entry("Proteinuria", "Protein in the urine, a sign of kidney inflammation in lupus. It is measured in grams a "
          "day or, more often, as a urine protein-to-creatinine ratio (UPCR) on a single sample.",
          ("sammaritano2025a",)),
    Entry("Refractory", "Not responding well enough to the usual treatments. There is no single definition for lupus; "
          "each trial writes its own, for example active disease despite at least two standard treatments.",
          ("mueller2024",)),
    Entry("Rituximab", "An antibody drug against CD20 that removes B cells for months. In lupus it is used for "
          "disease that does not respond to standard drugs.", ("fanouriakis2024",)),
    Entry("scFv", "Single-chain variable fragment: the two parts of an antibody that recognise a target, joined into "
          "one chain. It forms the outer, target-binding tip of most CARs."),
    Entry("SLE", "Systemic lupus erythematosus: a long-lasting autoimmune disease in which the immune system attacks "
          "the body's own tissues, such as the skin, joints, kidneys, blood and brain."),
    Entry("SLEDAI-2K", "Systemic Lupus Erythematosus Disease Activity Index 2000: a score of 24 weighted signs and test "
          "results present in the last 10 days, from 0 (no activity) to 105. Higher means more active lupus.",
          ("gladman2002",)),
    Entry("SLICC/ACR damage index", "A count of lasting harm since lupus began, from lupus or its treatment, in 12 "
          "organ systems (41 items, 0 to 47). An item counts once present for 6 months; the score never falls.",
          ("gladman1996",)),
    Entry("SRI-4", "SLE Responder Index: a trial response that needs SLEDAI to fall by 4 points or more, no new "
          "severe BILAG organ and at most one new moderate one, and no real worsening of the physician's global "
          "assessment.", ("furie2009",)),
    Entry("T cell", "A white blood cell that recognises infected or abnormal cells and kills them, or directs other "
          "immune cells. CAR T cells are made from T cells, usually the patient's own."),
    Entry("Tocilizumab", "An antibody drug that blocks the receptor for interleukin-6, one of the main messenger "
          "molecules behind CRS; it is used to treat CRS."),
    Entry("Transduction", "Putting a gene into a cell by means of a viral vector. In CAR-T manufacturing, activated T "
          "cells are transduced with the CAR gene, then grown in number."),
    Entry("Type I interferon", "A family of alarm signals that cells send when they sense viruses or, in lupus, the "
          "body's own DNA and RNA. Too much of it drives lupus inflammation; anifrolumab blocks its receptor.",
          ("tsokos2011",)),
    Entry("Vein-to-vein time", "The time from collecting a patient's cells (leukapheresis) to infusing the finished "
          "CAR T cells: it includes manufacturing, testing and transport, usually several weeks."),
    Entry("Voclosporin", "A calcineurin inhibitor tablet, like tacrolimus, approved for lupus nephritis together "
          "with mycophenolate and glucocorticoids; kidney function and blood pressure need watching."),
)

GLOSSARY: dict[str, str] = {e.term: e.definition for e in ENTRIES}

# The terms the course promises to define (issue for notebook 05).
REQUIRED_TERMS = (
    "SLE", "Autoantibody", "Anti-dsDNA", "Complement", "B cell", "Plasma cell", "Plasmablast", "T cell", "CAR",
    "scFv", "Costimulatory domain", "CD19", "CD20", "BCMA", "Leukapheresis", "Transduction", "Lentiviral vector",
    "Lymphodepletion", "Fludarabine", "Cyclophosphamide", "CRS", "ICANS", "ICE score", "Tocilizumab",
    "DORIS remission", "LLDAS", "SLEDAI-2K", "Refractory", "Investigational", "Informed consent",
    "Hypogammaglobulinaemia", "Cytopenia", "Vein-to-vein time",
)


def lookup(term: str) -> Entry:
    """Return the entry for ``term`` (case-insensitive)."""
    if not isinstance(term, str):
        raise TypeError(f"term must be a string; got {term!r}.")
    for entry in ENTRIES:
        if entry.term.lower() == term.strip().lower():
            return entry
    raise ValueError(f"{term!r} is not in the glossary; accepted: {', '.join(e.term for e in ENTRIES)}.")


def anchor(term: str) -> str:
    """The anchor JupyterLab gives the heading ``### term``: the text with spaces as hyphens."""
    return lookup(term).term.replace(" ", "-")


def link(term: str, text: str | None = None) -> str:
    """A markdown link from a notebook in ``notebooks/`` to ``term`` in the glossary.

    Examples
    --------
    >>> link("Lymphodepletion", "lymphodepletion")
    '[lymphodepletion](glossary.ipynb#Lymphodepletion)'
    """
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise ValueError(f"text must be a non-empty string or None; got {text!r}.")
    return f"[{text or lookup(term).term}](glossary.ipynb#{anchor(term)})"
