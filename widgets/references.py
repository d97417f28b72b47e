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
    labels: dict[str, str] = {}
    for ref in refs:
        if ref.key in out:
            raise ValueError(f"duplicate bibliography key {ref.key!r}")
        if ref.label in labels:
            raise ValueError(f"label {ref.label!r} of {ref.key!r} is already used by {labels[ref.label]!r}")
        out[ref.key] = ref
        labels[ref.label] = ref.key
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
    Reference("aringer2019ar", "Aringer 2019b", "Aringer M, Costenbader K, Daikh D, et al.",
              "2019 European League Against Rheumatism/American College of Rheumatology classification criteria for systemic lupus erythematosus",
              "Arthritis Rheumatol", 2019, "71", "1400-1412", doi="10.1002/art.40930"),
    Reference("bombardier1992", "Bombardier 1992", "Bombardier C, Gladman DD, Urowitz MB, Caron D, Chang CH",
              "Derivation of the SLEDAI. A disease activity index for lupus patients",
              "Arthritis Rheum", 1992, "35", "630-640", doi="10.1002/art.1780350606"),
    # --- CAR-T principles (notebook 02): add entries below this line ---
    Reference("sadelain2013", "Sadelain 2013", "Sadelain M, Brentjens R, Rivière I",
              "The basic principles of chimeric antigen receptor design", "Cancer Discov", 2013, "3", "388-398",
              doi="10.1158/2159-8290.CD-12-0548"),
    Reference("chmielewski2020", "Chmielewski 2020", "Chmielewski M, Abken H",
              "TRUCKS, the fourth-generation CAR T cells: current developments and clinical translation",
              "Adv Cell Gene Ther", 2020, "3", "e84", doi="10.1002/acg2.84"),
    Reference("cappell2021", "Cappell 2021", "Cappell KM, Kochenderfer JN",
              "A comparison of chimeric antigen receptors containing CD28 versus 4-1BB costimulatory domains",
              "Nat Rev Clin Oncol", 2021, "18", "715-727", doi="10.1038/s41571-021-00530-z"),
    Reference("leandro2013", "Leandro 2013", "Leandro MJ",
              "B-cell subpopulations in humans and their differential susceptibility to depletion with anti-CD20 monoclonal antibodies",
              "Arthritis Res Ther", 2013, "15", "S3", doi="10.1186/ar3908"),
    Reference("carpenter2013", "Carpenter 2013", "Carpenter RO, Evbuomwan MO, Pittaluga S, et al.",
              "B-cell maturation antigen is a promising target for adoptive T-cell therapy of multiple myeloma",
              "Clin Cancer Res", 2013, "19", "2048-2060", doi="10.1158/1078-0432.CCR-12-2422"),
    Reference("bhoj2016", "Bhoj 2016", "Bhoj VG, Arhontoulis D, Wertheim G, et al.",
              "Persistence of long-lived plasma cells and humoral immunity in individuals responding to CD19-directed CAR T-cell therapy",
              "Blood", 2016, "128", "360-370", doi="10.1182/blood-2016-01-694356"),
    Reference("feng2025", "Feng 2025", "Feng J, Huo D, Hong R, et al.",
              "Co-infusion of CD19-targeting and BCMA-targeting CAR-T cells for treatment-refractory systemic lupus erythematosus: a phase 1 trial",
              "Nat Med", 2025, "31", "3725-3736", doi="10.1038/s41591-025-03937-8"),
    Reference("schett2023", "Schett 2023", "Schett G, Mackensen A, Mougiakakos D",
              "CAR T-cell therapy in autoimmune diseases", "Lancet", 2023, "402", "2034-2044",
              doi="10.1016/S0140-6736(23)01126-1"),
    Reference("tur2024", "Tur 2024", "Tur C, Eckstein M, Velden J, et al.",
              "CD19-CAR T-cell therapy induces deep tissue depletion of B cells",
              "Ann Rheum Dis", 2024, doi="10.1136/ard-2024-226142"),
    Reference("ellebrecht2016", "Ellebrecht 2016", "Ellebrecht CT, Bhoj VG, Nace A, et al.",
              "Reengineering chimeric antigen receptor T cells for targeted therapy of autoimmune disease",
              "Science", 2016, "353", "179-184", doi="10.1126/science.aaf6756"),
    Reference("wangx2024", "Wang X 2024", "Wang X, Wu X, Tan B, et al.",
              "Allogeneic CD19-targeted CAR-T therapy in patients with severe myositis and systemic sclerosis",
              "Cell", 2024, doi="10.1016/j.cell.2024.06.027"),
    Reference("rurik2022", "Rurik 2022", "Rurik JG, Tombácz I, Yadegari A, et al.",
              "CAR T cells produced in vivo to treat cardiac injury", "Science", 2022, "375", "91-96",
              doi="10.1126/science.abm0594"),
    Reference("fda_kymriah", "FDA Kymriah 2017", "US Food and Drug Administration",
              "KYMRIAH (tisagenlecleucel): approval 30 August 2017 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2017,
              url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/kymriah-tisagenlecleucel"),
    Reference("fda_yescarta", "FDA Yescarta 2017", "US Food and Drug Administration",
              "YESCARTA (axicabtagene ciloleucel): approval 18 October 2017 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2017,
              url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/yescarta-axicabtagene-ciloleucel"),
    Reference("fda_tecartus", "FDA Tecartus 2020", "US Food and Drug Administration",
              "TECARTUS (brexucabtagene autoleucel): approval 24 July 2020 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2020,
              url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/tecartus-brexucabtagene-autoleucel"),
    Reference("fda_breyanzi", "FDA Breyanzi 2021", "US Food and Drug Administration",
              "BREYANZI (lisocabtagene maraleucel): approval 5 February 2021 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2021,
              url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/breyanzi-lisocabtagene-maraleucel"),
    Reference("fda_abecma", "FDA Abecma 2021", "US Food and Drug Administration",
              "ABECMA (idecabtagene vicleucel): approval 26 March 2021 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2021,
              url="https://www.fda.gov/vaccines-blood-biologics/abecma-idecabtagene-vicleucel"),
    Reference("fda_carvykti", "FDA Carvykti 2022", "US Food and Drug Administration",
              "FDA approval of CARVYKTI (ciltacabtagene autoleucel), 28 February 2022 (D.I.S.C.O. Burst Edition)",
              "FDA, Oncology Center of Excellence", 2022,
              url="https://www.fda.gov/drugs/resources-information-approved-drugs/fda-disco-burst-edition-fda-approval-carvykti-ciltacabtagene-autoleucel-treatment-adult-patients"),
    Reference("fda_aucatzyl", "FDA Aucatzyl 2024", "US Food and Drug Administration",
              "AUCATZYL (obecabtagene autoleucel): approval 8 November 2024 and prescribing information",
              "FDA, Center for Biologics Evaluation and Research", 2024,
              url="https://www.fda.gov/vaccines-blood-biologics/aucatzyl"),
    # --- treatment process and kinetics (notebook 03): add entries below this line ---
    Reference("gattinoni2005", "Gattinoni 2005", "Gattinoni L, Finkelstein SE, Klebanoff CA, et al.",
              "Removal of homeostatic cytokine sinks by lymphodepletion enhances the efficacy of adoptively "
              "transferred tumor-specific CD8+ T cells", "J Exp Med", 2005, "202", "907-912",
              doi="10.1084/jem.20050732"),
    Reference("ema_kymriah2024", "EMA Kymriah 2024", "European Medicines Agency; Novartis Europharm Ltd",
              "Kymriah (tisagenlecleucel): summary of product characteristics (EPAR product information)",
              "European Medicines Agency", 2024,
              url="https://www.ema.europa.eu/en/medicines/human/EPAR/kymriah"),
    Reference("eha_v2v2023", "EHA abstract 2023", "EHA 2023 Congress abstract (author list at the PubMed Central record)",
              "Vein-to-vein time for axicabtagene ciloleucel, tisagenlecleucel and lisocabtagene maraleucel in "
              "relapsed or refractory large B-cell lymphoma: a systematic literature review and meta-analysis "
              "(descriptive title)", "HemaSphere (EHA 2023 Congress abstracts)", 2023,
              url="https://pmc.ncbi.nlm.nih.gov/articles/PMC10431072"),
    Reference("bloodadv_monitoring2024", "Blood Adv 2024", "Retrospective study of 9 US centres (author list not re-checked for this course)",
              "Optimizing the post-CAR T monitoring period in recipients of axicabtagene ciloleucel, tisagenlecleucel, "
              "and lisocabtagene maraleucel", "Blood Adv", 2024, "8", "5346",
              doi="10.1182/bloodadvances.2023012549"),
    Reference("fda2023", "FDA 2023", "US Food and Drug Administration",
              "FDA investigating serious risk of T-cell malignancy following BCMA-directed or CD19-directed autologous "
              "chimeric antigen receptor (CAR) T cell immunotherapies (safety communication, 28 November 2023; "
              "boxed warning required in 2024)", "FDA, Center for Biologics Evaluation and Research", 2023,
              url="https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/"
                  "fda-investigating-serious-risk-t-cell-malignancy-following-bcma-directed-or-cd19-directed-autologous"),
    # --- SLE notebook 01: add entries below this line ---
    Reference("dahlstrom2019", "Dahlström 2019", "Dahlström Ö, Sjöwall C",
              "The diagnostic accuracies of the 2012 SLICC criteria and the proposed EULAR/ACR criteria for "
              "systemic lupus erythematosus classification are comparable", "Lupus", 2019, "28", "778-782",
              doi="10.1177/0961203319846388"),
    Reference("thamer2009", "Thamer 2009", "Thamer M, Hernán MA, Zhang Y, Cotter D, Petri M",
              "Prednisone, lupus activity, and permanent organ damage", "J Rheumatol", 2009, "36", "560-564",
              doi="10.3899/jrheum.080828"),
    Reference("ruizarruza2014", "Ruiz-Arruza 2014", "Ruiz-Arruza I, Ugarte A, Cabezas-Rodriguez I, Medina JA, Moran MA, Ruiz-Irastorza G",
              "Glucocorticoids and irreversible damage in patients with systemic lupus erythematosus",
              "Rheumatology (Oxford)", 2014, "53", "1470-1476", doi="10.1093/rheumatology/keu148"),
    Reference("apostolopoulos2016", "Apostolopoulos 2016", "Apostolopoulos D, Kandane-Rathnayake R, Raghunath S, Hoi A, Nikpour M, Morand EF",
              "Independent association of glucocorticoids with damage accrual in SLE", "Lupus Sci Med", 2016, "3",
              "e000157", doi="10.1136/lupus-2016-000157"),
    # --- SLE care and instruments (issue 13; notebooks 01 and 01b) ---
    Reference("cipriano2015", "Cipriano 2015", "Cipriano E, Ceccarelli F, Massaro L, et al.",
              "Joint involvement in patients affected by systemic lupus erythematosus: application of the swollen "
              "to tender joint count ratio", "Reumatismo", 2015, doi="10.4081/reumatismo.2015.828"),
    Reference("gladman1996", "Gladman 1996", "Gladman D, Ginzler E, Goldsmith C, et al.",
              "The development and initial validation of the Systemic Lupus International Collaborating "
              "Clinics/American College of Rheumatology damage index for systemic lupus erythematosus",
              "Arthritis Rheum", 1996, "39", "363-369", doi="10.1002/art.1780390303"),
    Reference("hanly2016", "Hanly 2016", "Hanly JG, O'Keeffe AG, Su L, et al.",
              "The frequency and outcome of lupus nephritis: results from an international inception cohort study",
              "Rheumatology (Oxford)", 2016, "55", "252-262", doi="10.1093/rheumatology/kev311"),
    Reference("alsawah2015", "Al Sawah 2015", "Al Sawah S, Zhang X, Zhu B, et al.",
              "Effect of corticosteroid use by dose on the risk of developing organ damage over time in systemic "
              "lupus erythematosus: the Hopkins Lupus Cohort", "Lupus Sci Med", 2015, "2", "e000066",
              doi="10.1136/lupus-2014-000066"),
    Reference("aringer2021", "Aringer 2021", "Aringer M, Brinks R, Dörner T, et al.",
              "European League Against Rheumatism (EULAR)/American College of Rheumatology (ACR) SLE classification "
              "criteria item performance", "Ann Rheum Dis", 2021, "80", "775-781",
              doi="10.1136/annrheumdis-2020-219373"),
    Reference("sammaritano2025a", "Sammaritano 2025a", "Sammaritano LR, Askanase A, Bermas BL, et al.",
              "2024 American College of Rheumatology (ACR) guideline for the screening, treatment, and management "
              "of lupus nephritis", "Arthritis Care Res (Hoboken)", 2025, "77", "1045-1065",
              doi="10.1002/acr.25528"),
    Reference("sammaritano2025b", "Sammaritano 2025b", "Sammaritano LR, Askanase A, Bermas BL, et al.",
              "2025 American College of Rheumatology (ACR) guideline for the treatment of systemic lupus "
              "erythematosus (online 3 November 2025)", "Arthritis Care Res (Hoboken)", 2025,
              doi="10.1002/acr.25690"),
    Reference("fanouriakis2025", "Fanouriakis 2025", "Fanouriakis A, Kostopoulou M, Anders HJ, et al.",
              "EULAR recommendations for the management of systemic lupus erythematosus with kidney involvement: "
              "2025 update (online 16 October 2025)", "Ann Rheum Dis", 2025, doi="10.1016/j.ard.2025.09.007"),
    Reference("furie2025", "Furie 2025", "Furie RA, Rovin BH, Garg JP, et al.",
              "Efficacy and safety of obinutuzumab in active lupus nephritis", "N Engl J Med", 2025,
              doi="10.1056/NEJMoa2410965"),
    Reference("kaufman2026", "Kaufman 2026", "Kaufman MB",
              "FDA approves obinutuzumab for lupus nephritis (news report of the October 2025 approval)",
              "The Rheumatologist", 2026, url="https://www.the-rheumatologist.org/?p=64843"),
    Reference("astrazeneca2026", "AstraZeneca 2026", "AstraZeneca (press release, as reported by M2 Pharma)",
              "AstraZeneca secures US approval for Saphnelo self-administration in lupus treatment, 27 April 2026",
              "M2 Pharma", 2026, url="http://m2pharma.com/news/research-and-development/article.php?id=108082"),
    Reference("lfa2026", "Lupus Foundation of America 2026", "Lupus Foundation of America",
              "Update: self-administered Saphnelo remains under FDA review in the U.S. (TULIP-SC results as "
              "reported by the company)", "lupus.org", 2026, url="https://www.lupus.org/zh-hans/node/5586/chapter/17"),
    Reference("barbhaiya2023", "Barbhaiya 2023", "Barbhaiya M, Zuily S, Naden R, et al.",
              "2023 ACR/EULAR antiphospholipid syndrome classification criteria", "Ann Rheum Dis", 2023, "82",
              "1258", doi="10.1136/ard-2023-224609"),
    Reference("bajema2018", "Bajema 2018", "Bajema IM, Wilhelmus S, Alpers CE, et al.",
              "Revision of the International Society of Nephrology/Renal Pathology Society classification for "
              "lupus nephritis: clarification of definitions, and modified National Institutes of Health activity "
              "and chronicity indices", "Kidney Int", 2018, "93", "789-796"),
    Reference("marmor2016", "Marmor 2016", "Marmor MF, et al. (American Academy of Ophthalmology)",
              "Recommendations on screening for chloroquine and hydroxychloroquine retinopathy (2016 revision)",
              "Ophthalmology", 2016, "123", "1386-1394", doi="10.1016/j.ophtha.2016.01.058"),
    Reference("sammaritano2020", "Sammaritano 2020", "Sammaritano LR, Bermas BL, Chakravarty EE, et al.",
              "2020 American College of Rheumatology guideline for the management of reproductive health in "
              "rheumatic and musculoskeletal diseases", "Arthritis Rheumatol", 2020, "72", "529-556",
              doi="10.1002/art.41191"),
    Reference("furer2020", "Furer 2020", "Furer V, Rondaan C, Heijstek MW, et al.",
              "2019 update of EULAR recommendations for vaccination in adult patients with autoimmune inflammatory "
              "rheumatic diseases", "Ann Rheum Dis", 2020, "79", "39-52", doi="10.1136/annrheumdis-2019-215882"),
    Reference("drosos2022", "Drosos 2022", "Drosos GC, Vedder D, Houben E, et al.",
              "EULAR recommendations for cardiovascular risk management in rheumatic and musculoskeletal diseases, "
              "including systemic lupus erythematosus and antiphospholipid syndrome", "Ann Rheum Dis", 2022, "81",
              "768", doi="10.1136/annrheumdis-2021-221733"),
    Reference("furie2009", "Furie 2009", "Furie RA, Petri MA, Wallace DJ, et al.",
              "Novel evidence-based systemic lupus erythematosus responder index", "Arthritis Rheum", 2009,
              doi="10.1002/art.24698"),
    Reference("wallace2011", "Wallace 2011", "Wallace D, Strand V, Furie R, Petri M, Kalunian K, Pike M, Kelley L, "
              "Gordon C", "Evaluation of treatment success in systemic lupus erythematosus clinical trials: "
              "development of the British Isles Lupus Assessment Group-based composite lupus assessment endpoint "
              "(congress abstract)", "Arthritis Rheum", 2011, "63", "S894",
              url="https://eprovide.mapi-trust.org/instruments/bilag-based-combined-lupus-assessment"),
    Reference("yee2007", "Yee 2007", "Yee CS, Farewell V, Isenberg DA, et al.",
              "British Isles Lupus Assessment Group 2004 index is valid for assessment of disease activity in "
              "systemic lupus erythematosus", "Arthritis Rheum", 2007, "56", "4113-4119", doi="10.1002/art.23130"),
    Reference("fanouriakis2020", "Fanouriakis 2020", "Fanouriakis A, Kostopoulou M, Cheema K, et al.",
              "2019 update of the joint European League Against Rheumatism and European Renal Association-European "
              "Dialysis and Transplant Association (EULAR/ERA-EDTA) recommendations for the management of lupus "
              "nephritis", "Ann Rheum Dis", 2020, "79", "713", doi="10.1136/annrheumdis-2020-216924"),
    # --- evidence (notebook 04): add entries below this line ---
    Reference("hanley1983", "Hanley 1983", "Hanley JA, Lippman-Hand A",
              "If nothing goes wrong, is everything all right? Interpreting zero numerators",
              "JAMA", 1983, "249", "1743-1745", doi="10.1001/jama.1983.03330370053031"),
    Reference("wang2024", "Wang 2024", "Wang W, He S, Zhang W, et al.",
              "BCMA-CD19 compound CAR T cells for systemic lupus erythematosus: a phase 1 open-label clinical trial",
              "Ann Rheum Dis", 2024, "83", "1304-1314", doi="10.1136/ard-2024-225785"),
    Reference("wangd2025", "Wang D 2025", "Wang D, Wang X, Tan B, et al.",
              "Allogeneic CD19-targeted CAR-T therapy in refractory systemic lupus erythematosus achieved durable remission",
              "Med (N Y)", 2025, doi="10.1016/j.medj.2025.100749"),
    Reference("stojkic2024", "Stojkic 2024", "Stojkic I, et al.",
              "CAR T cell therapy for refractory pediatric systemic lupus erythematosus: a new era of hope?",
              "Pediatr Rheumatol Online J", 2024, "22", "72", doi="10.1186/s12969-024-00990-4"),
    Reference("neelapu2017", "Neelapu 2017", "Neelapu SS, Locke FL, Bartlett NL, et al.",
              "Axicabtagene ciloleucel CAR T-cell therapy in refractory large B-cell lymphoma",
              "N Engl J Med", 2017, "377", "2531-2544", doi="10.1056/NEJMoa1707447"),
    Reference("schuster2019", "Schuster 2019", "Schuster SJ, Bishop MR, Tam CS, et al.",
              "Tisagenlecleucel in adult relapsed or refractory diffuse large B-cell lymphoma",
              "N Engl J Med", 2019, "380", "45-56", doi="10.1056/NEJMoa1804980"),
    Reference("fda2024", "FDA 2024", "US Food and Drug Administration",
              "FDA requires boxed warning for T cell malignancies following treatment with BCMA-directed or "
              "CD19-directed autologous chimeric antigen receptor (CAR) T cell immunotherapies",
              "FDA, Center for Biologics Evaluation and Research", 2024,
              url="https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/fda-requires-boxed-warning-t-cell-malignancies-following-treatment-bcma-directed-or-cd19-directed"),
    # --- decisions (notebook 05): add entries below this line ---
    Reference("fda2025", "FDA 2025", "US Food and Drug Administration",
              "FDA eliminates Risk Evaluation and Mitigation Strategies (REMS) for autologous chimeric antigen "
              "receptor (CAR) T cell immunotherapies (safety communication, 26 June 2025; labels updated on "
              "monitoring, staying near the treatment centre and driving)", "FDA, Center for Biologics Evaluation and Research",
              2025, url="https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics"),
    Reference("fda2020", "FDA 2020", "US Food and Drug Administration, Center for Biologics Evaluation and Research",
              "Long term follow-up after administration of human gene therapy products: guidance for industry",
              "FDA guidance document, docket FDA-2018-D-2173", 2020,
              url="https://www.fda.gov/regulatory-information/search-fda-guidance-documents/long-term-follow-after-administration-human-gene-therapy-products"),
    Reference("nct06189157", "MB-CART trial 2024", "ClinicalTrials.gov registry entry NCT06189157",
              "An open-label phase I/IIa, multicentre, interventional single-arm trial of MB-CART19.1 in patients with "
              "refractory SLE (eligibility criteria as registered)", "ClinicalTrials.gov", 2024,
              url="https://clinicaltrials.gov/study/NCT06189157"),
    Reference("nct06222853", "Refractory SLE trial 2024", "ClinicalTrials.gov registry entry NCT06222853",
              "Study of therapeutic efficacy of anti-CD19 CAR-T cells in refractory systemic lupus erythematosus "
              "(investigator-initiated; eligibility criteria as registered)", "ClinicalTrials.gov", 2024,
              url="https://clinicaltrials.gov/study/NCT06222853"),
    Reference("lin2018", "Lin 2018", "Lin JK, Lerman BJ, Barnes JI, et al.",
              "Cost effectiveness of chimeric antigen receptor T-cell therapy in relapsed or refractory pediatric "
              "B-cell acute lymphoblastic leukemia", "J Clin Oncol", 2018, "36", "3192-3202",
              doi="10.1200/JCO.2018.79.0642"),
    Reference("reuters2017", "Reuters 2017", "Reuters",
              "Gilead's new cancer gene therapy has been approved by the FDA (18 October 2017)", "Fortune", 2017,
              url="http://fortune.com/2017/10/18/gilead-cancer-treatment-fda-approval"),
    Reference("cummingsjoyner2022", "Cummings Joyner 2022",
              "Cummings Joyner AK, Snider JT, Wade SW, Wang ST, Buessing MG, Johnson S, Gergis U",
              "Cost-effectiveness of chimeric antigen receptor T cell therapy in patients with relapsed or refractory "
              "large B cell lymphoma: no impact of site of care", "Adv Ther", 2022, "39",
              doi="10.1007/s12325-022-02188-0"),
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
