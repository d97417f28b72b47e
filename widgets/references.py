"""One bibliography for the whole course, and the References section each notebook ends with.

Notebooks cite in their markdown by label, e.g. ``[Gladman 2002]``; the References cell calls
:func:`show_references` with the keys it cites. ``tests/test_citations.py`` checks that every
label in a notebook's text is in this bibliography and in that notebook's References list.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Reference", "BIBLIOGRAPHY", "cite", "references_markdown", "show_references"]


@dataclass(frozen=True)
class Reference:
    """A published source. ``label`` is how the notebooks cite it, e.g. ``"Gladman 2002"``."""

    key: str
    label: str
    authors: str
    title: str
    journal: str
    year: int
    volume: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    pmid: str = ""

    def markdown(self) -> str:
        where = f"*{self.journal}*. {self.year}"
        if self.volume:
            where += f";{self.volume}"
        if self.pages:
            where += f":{self.pages}"
        text = f"**[{self.label}]** {self.authors}. {self.title}. {where}."
        if self.doi:
            text += f" doi:[{self.doi}](https://doi.org/{self.doi})"
        elif self.pmid:
            text += f" PMID [{self.pmid}](https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/)"
        elif self.url:
            text += f" <{self.url}>"
        return text


def _entries(*refs: Reference) -> dict[str, Reference]:
    out: dict[str, Reference] = {}
    for ref in refs:
        if ref.key in out:
            raise ValueError(f"duplicate bibliography key {ref.key!r}")
        out[ref.key] = ref
    return out


BIBLIOGRAPHY: dict[str, Reference] = _entries(
    # --- SLE: epidemiology, cohorts, pathogenesis ---------------------------------
    Reference("tian2023", "Tian 2023", "Tian J, Zhang D, Yao X, Huang Y, Lu Q",
              "Global epidemiology of systemic lupus erythematosus: a comprehensive systematic analysis and modelling study",
              "Ann Rheum Dis", 2023, "82", "351-356", doi="10.1136/ard-2022-223035"),
    Reference("cervera2003", "Cervera 2003", "Cervera R, Khamashta MA, Font J, et al.",
              "Morbidity and mortality in systemic lupus erythematosus during a 10-year period: a comparison of early and late manifestations in a cohort of 1,000 patients",
              "Medicine (Baltimore)", 2003, "82", "299-308", doi="10.1097/01.md.0000091181.93122.55"),
    Reference("cervera1993", "Cervera 1993", "Cervera R, Khamashta MA, Font J, et al.",
              "Systemic lupus erythematosus: clinical and immunologic patterns of disease expression in a cohort of 1,000 patients",
              "Medicine (Baltimore)", 1993, "72", "113-124", pmid="8479324"),
    Reference("kaul2016", "Kaul 2016", "Kaul A, Gordon C, Crow MK, et al.",
              "Systemic lupus erythematosus", "Nat Rev Dis Primers", 2016, "2", "16039", doi="10.1038/nrdp.2016.39"),
    Reference("tsokos2011", "Tsokos 2011", "Tsokos GC",
              "Systemic lupus erythematosus", "N Engl J Med", 2011, "365", "2110-2121", doi="10.1056/NEJMra1100359"),
    # --- SLE: instruments ---------------------------------------------------------
    Reference("gladman2002", "Gladman 2002", "Gladman DD, Ibañez D, Urowitz MB",
              "Systemic lupus erythematosus disease activity index 2000", "J Rheumatol", 2002, "29", "288-291",
              pmid="11838846"),
    Reference("cook2000", "Cook 2000", "Cook RJ, Gladman DD, Pericak D, Urowitz MB",
              "Prediction of short term mortality in systemic lupus erythematosus with time dependent measures of disease activity",
              "J Rheumatol", 2000, "27", "1892-1895", pmid="10955329"),
    Reference("aringer2019", "Aringer 2019", "Aringer M, Costenbader K, Daikh D, et al.",
              "2019 European League Against Rheumatism/American College of Rheumatology classification criteria for systemic lupus erythematosus",
              "Ann Rheum Dis", 2019, "78", "1151-1159", doi="10.1136/annrheumdis-2018-214819"),
    Reference("vanvollenhoven2021", "van Vollenhoven 2021", "van Vollenhoven RF, Bertsias G, Doria A, et al.",
              "2021 DORIS definition of remission in SLE: final recommendations from an international task force",
              "Lupus Sci Med", 2021, "8", "e000538", doi="10.1136/lupus-2021-000538"),
    Reference("franklyn2016", "Franklyn 2016", "Franklyn K, Lau CS, Navarra SV, et al.",
              "Definition and initial validation of a Lupus Low Disease Activity State (LLDAS)",
              "Ann Rheum Dis", 2016, "75", "1615-1621", doi="10.1136/annrheumdis-2015-207726"),
    # --- SLE: treatment -----------------------------------------------------------
    Reference("fanouriakis2024", "Fanouriakis 2024", "Fanouriakis A, Kostopoulou M, Andersen J, et al.",
              "EULAR recommendations for the management of systemic lupus erythematosus: 2023 update",
              "Ann Rheum Dis", 2024, "83", "15-29", doi="10.1136/ard-2023-224762"),
    # --- CAR-T --------------------------------------------------------------------
    Reference("lee2019", "Lee 2019", "Lee DW, Santomasso BD, Locke FL, et al.",
              "ASTCT consensus grading for cytokine release syndrome and neurologic toxicity associated with immune effector cells",
              "Biol Blood Marrow Transplant", 2019, "25", "625-638", doi="10.1016/j.bbmt.2018.12.758"),
    Reference("mackensen2022", "Mackensen 2022", "Mackensen A, Müller F, Mougiakakos D, et al.",
              "Anti-CD19 CAR T cell therapy for refractory systemic lupus erythematosus",
              "Nat Med", 2022, "28", "2124-2132", doi="10.1038/s41591-022-02017-5"),
    Reference("mueller2024", "Müller 2024", "Müller F, Taubmann J, Bucci L, et al.",
              "CD19 CAR T-cell therapy in autoimmune disease: a case series with follow-up",
              "N Engl J Med", 2024, "390", "687-700", doi="10.1056/NEJMoa2308917"),
    Reference("mei2015", "Mei 2015", "Mei HE, Wirries I, Frölich D, et al.",
              "A unique population of IgG-expressing plasma cells lacking CD19 is enriched in human bone marrow",
              "Blood", 2015, "125", "1739-1748", doi="10.1182/blood-2014-02-555169"),
    # --- clinical instruments (widgets.clinical): add entries below this line ---
    # --- CAR-T principles (notebook 02): add entries below this line ---
    # --- treatment process and kinetics (notebook 03): add entries below this line ---
    # --- SLE notebook 01: add entries below this line ---
    Reference("thamer2009", "Thamer 2009", "Thamer M, Hernán MA, Zhang Y, Cotter D, Petri M",
              "Prednisone, lupus activity, and permanent organ damage", "J Rheumatol", 2009, "36", "560-564",
              doi="10.3899/jrheum.080828"),
    Reference("ruizarruza2014", "Ruiz-Arruza 2014", "Ruiz-Arruza I, Ugarte A, Cabezas-Rodriguez I, Medina JA, Moran MA, Ruiz-Irastorza G",
              "Glucocorticoids and irreversible damage in patients with systemic lupus erythematosus",
              "Rheumatology (Oxford)", 2014, "53", "1470-1476", doi="10.1093/rheumatology/keu148"),
    Reference("apostolopoulos2016", "Apostolopoulos 2016", "Apostolopoulos D, Kandane-Rathnayake R, Raghunath S, Hoi A, Nikpour M, Morand EF",
              "Independent association of glucocorticoids with damage accrual in SLE", "Lupus Sci Med", 2016, "3",
              "e000157", doi="10.1136/lupus-2016-000157"),
)


def cite(key: str) -> str:
    """Return the label to write in a notebook for ``key``, e.g. ``'[Gladman 2002]'``."""
    if key not in BIBLIOGRAPHY:
        raise ValueError(f"unknown reference key {key!r}; accepted: {', '.join(sorted(BIBLIOGRAPHY))}.")
    return f"[{BIBLIOGRAPHY[key].label}]"


def references_markdown(keys: Iterable[str]) -> str:
    """Return the References list for ``keys`` as markdown, sorted by label."""
    keys = list(keys)
    if not keys:
        raise ValueError("references_markdown needs at least one key.")
    unknown = [k for k in keys if k not in BIBLIOGRAPHY]
    if unknown:
        raise ValueError(f"unknown reference key(s) {unknown}; accepted: {', '.join(sorted(BIBLIOGRAPHY))}.")
    refs = sorted({BIBLIOGRAPHY[k] for k in keys}, key=lambda r: r.label.lower())
    return "\n\n".join(r.markdown() for r in refs)


def show_references(keys: Iterable[str]):
    """Return the References list for ``keys`` as a displayable Markdown object."""
    from IPython.display import Markdown

    return Markdown(references_markdown(keys))
