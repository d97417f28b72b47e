"""Notebook 02's data and pure functions: CAR anatomy, approved products, the B lineage and targets."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets import cart
from widgets.references import BIBLIOGRAPHY
from widgets.selfcheck import Question


# --- anatomy of a CAR (Sadelain 2013 generations; fourth = TRUCK, Chmielewski 2020) ------------

@pytest.mark.parametrize("generation,n_costim", [(1, 0), (2, 1), (3, 2), (4, 1)])
def test_generation_defines_number_of_costimulatory_domains(generation, n_costim):
    assert cart.costimulatory_count(generation) == n_costim
    construct = cart.car_construct(generation, "cd28")
    assert sum(d.key in cart.COSTIMULATORY_DOMAINS for d in construct) == n_costim


@given(generation=st.integers(1, 4), costim=st.sampled_from(sorted(cart.COSTIMULATORY_DOMAINS)))
def test_every_car_binds_outside_anchors_in_membrane_and_signals_through_cd3_zeta(generation, costim):
    construct = cart.car_construct(generation, costim)
    keys = [d.key for d in construct]
    assert keys[:3] == ["scfv", "hinge", "tm"]
    assert keys.count("cd3z") == 1
    order = {"outside": 0, "membrane": 1, "inside": 2}
    compartments = [order[d.compartment] for d in construct]
    assert compartments == sorted(compartments), "blocks must run from outside the cell inwards"
    # The payload of a fourth-generation cell is a separate, secreted gene product, never a receptor block.
    assert "payload" not in keys
    payload = cart.car_payload(generation)
    assert (payload is not None) == (generation == 4)


def test_fourth_generation_receptor_is_second_generation_and_payload_is_secreted_apart():
    assert cart.car_construct(4, "cd28") == cart.car_construct(2, "cd28")
    payload = cart.car_payload(4)
    assert payload.compartment == "secreted" and "IL-12" in payload.label
    assert "separate gene" in payload.role
    for generation in (1, 2, 3):
        assert cart.car_payload(generation) is None
    with pytest.raises(ValueError, match="1 to 4"):
        cart.car_payload(5)


def test_every_receptor_block_has_the_lesson_plain_name():
    plain = {d.key: d.plain for d in cart.car_construct(3, "cd28")}
    assert plain == {"scfv": "grabber", "hinge": "neck", "tm": "anchor", "cd28": "booster", "4-1bb": "booster",
                     "cd3z": "attack switch"}


def test_second_generation_carries_the_chosen_domain_and_third_carries_both():
    assert [d.label for d in cart.car_construct(2, "cd28")] == ["scFv", "Hinge", "Transmembrane", "CD28", "CD3-zeta"]
    assert [d.label for d in cart.car_construct(2, "4-1bb")][3] == "4-1BB"
    third = [d.key for d in cart.car_construct(3, "4-1bb")]
    assert third[3:5] == ["4-1bb", "cd28"]


def test_first_generation_ignores_costimulation_choice():
    assert cart.car_construct(1, "cd28") == cart.car_construct(1, "4-1bb")


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_generation_out_of_range_lists_accepted(bad):
    with pytest.raises(ValueError, match="1 to 4"):
        cart.car_construct(bad)


@pytest.mark.parametrize("bad", [2.0, "2", True, None])
def test_generation_must_be_whole_number(bad):
    with pytest.raises(TypeError, match="whole number"):
        cart.car_construct(bad)


def test_unknown_costimulatory_domain_names_what_is_accepted():
    with pytest.raises(ValueError, match="'OX40'.*accepted: 'cd28', '4-1bb'"):
        cart.car_construct(2, "OX40")


def test_every_block_has_a_one_line_role():
    for d in cart.DOMAINS.values():
        assert d.role.strip() and "\n" not in d.role


def test_costim_profiles_contrast_cd28_and_4_1bb():
    cd28, bb = cart.COSTIM_PROFILES["cd28"], cart.COSTIM_PROFILES["4-1bb"]
    assert "faster" in cd28.expansion and "shorter" in cd28.persistence
    assert "longer" in bb.persistence
    # The products listed for each domain agree with the products table.
    assert set(cd28.products) == {p.generic for p in cart.products(costim="CD28")}
    assert set(bb.products) == {p.generic for p in cart.products(costim="4-1BB")}


# --- approved products (FDA pages) --------------------------------------------------------------

def test_seven_fda_products_with_verified_dates():
    dates = {p.brand: p.fda_approval for p in cart.APPROVED_PRODUCTS}
    assert dates == {
        "Kymriah": datetime.date(2017, 8, 30), "Yescarta": datetime.date(2017, 10, 18),
        "Tecartus": datetime.date(2020, 7, 24), "Breyanzi": datetime.date(2021, 2, 5),
        "Abecma": datetime.date(2021, 3, 26), "Carvykti": datetime.date(2022, 2, 28),
        "Aucatzyl": datetime.date(2024, 11, 8),
    }


def test_products_targets_costim_and_vectors():
    assert {p.brand for p in cart.products(target="BCMA")} == {"Abecma", "Carvykti"}
    assert {p.brand for p in cart.products(costim="CD28")} == {"Yescarta", "Tecartus"}
    retro = {p.brand for p in cart.APPROVED_PRODUCTS if "retroviral" in p.vector}
    assert retro == {"Yescarta", "Tecartus"}
    assert all(p.target in ("CD19", "BCMA") for p in cart.APPROVED_PRODUCTS)
    assert not any("lupus" in p.first_indication.lower() for p in cart.APPROVED_PRODUCTS)


def test_every_product_is_cited_in_the_bibliography():
    for p in cart.APPROVED_PRODUCTS:
        assert p.source in BIBLIOGRAPHY, p.source
        assert BIBLIOGRAPHY[p.source].url.startswith("https://www.fda.gov/")


def test_products_filter_rejects_unknown_values():
    with pytest.raises(ValueError, match="'CD20'.*accepted"):
        cart.products(target="CD20")
    with pytest.raises(ValueError, match="accepted"):
        cart.products(costim="cd28")  # the table spells it "CD28"


def test_products_table_markdown_is_sorted_and_uses_labels():
    labels = {k: f"[{r.label}]" for k, r in BIBLIOGRAPHY.items()}
    table = cart.products_table_markdown(labels).splitlines()
    assert table[0].startswith("| Product (brand) | Target |")
    assert len(table) == 2 + len(cart.APPROVED_PRODUCTS)
    assert "Kymriah" in table[2] and "Aucatzyl" in table[-1]
    assert "[FDA Kymriah 2017]" in table[2]
    assert all(row.count("|") == len(cart.PRODUCT_COLUMNS) + 1 for row in table)


# --- B lineage and expression (Mei 2015, Leandro 2013, Carpenter 2013) ---------------------------

def test_expression_table_is_complete_and_qualitative():
    assert set(cart.EXPRESSION) == set(cart.STAGE_KEYS)
    for stage, levels in cart.EXPRESSION.items():
        assert set(levels) == set(cart.ANTIGENS)
        assert set(levels.values()) <= set(cart.EXPRESSION_LEVELS)


def test_expression_follows_published_patterns():
    # CD20: not on pro-B cells or on antibody-secreting cells (Leandro 2013).
    assert cart.expression("pro_b", "CD20") == "absent"
    assert cart.expression("pre_b", "CD20") == "expressed"
    for s in ("plasmablast", "plasma_cell_cd19pos", "llpc_cd19neg"):
        assert cart.expression(s, "CD20") == "absent"
    # CD19: from pro-B to plasmablast; a long-lived bone-marrow plasma-cell subset lacks it (Mei 2015).
    assert cart.expression("pro_b", "CD19") == "expressed"
    assert cart.expression("plasmablast", "CD19") == "expressed"
    assert cart.expression("llpc_cd19neg", "CD19") == "absent"
    # BCMA: plasmablasts and plasma cells only (Carpenter 2013).
    assert [s for s in cart.STAGE_KEYS if cart.expression(s, "BCMA") != "absent"] == [
        "plasmablast", "plasma_cell_cd19pos", "llpc_cd19neg"]


def test_expression_sources_are_in_the_bibliography():
    for keys in cart.EXPRESSION_SOURCES.values():
        for key in keys:
            assert key in BIBLIOGRAPHY


def test_expression_rejects_unknown_stage_and_antigen():
    with pytest.raises(ValueError, match="'stem_cell'.*accepted"):
        cart.expression("stem_cell", "CD19")
    with pytest.raises(ValueError, match="'CD38'.*accepted: 'CD19', 'CD20', 'BCMA'"):
        cart.expression("naive_b", "CD38")


# --- targets ---------------------------------------------------------------------------------------

def test_cd19_spares_cd19_negative_long_lived_plasma_cells():
    eff = cart.target_effect("CD19")
    assert eff.survivors == ("llpc_cd19neg",)
    assert eff.partly_removed == ("plasma_cell_cd19pos",)
    assert "plasmablast" in eff.removed and "pro_b" in eff.removed
    assert eff.short_lived_antibodies == "falls"
    assert eff.long_lived_antibodies == "persists"


def test_cd20_spares_pro_b_and_every_antibody_secreting_cell():
    eff = cart.target_effect("CD20")
    assert set(eff.survivors) == {"pro_b", "plasmablast", "plasma_cell_cd19pos", "llpc_cd19neg"}
    # Spared plasmablasts are short-lived and their B-cell source is gone: levels fall, but slowly.
    assert eff.short_lived_antibodies == "falls slowly"
    assert eff.long_lived_antibodies == "persists"


def test_bcma_spares_b_cells_and_reaches_long_lived_plasma_cells():
    eff = cart.target_effect("BCMA")
    assert set(eff.survivors) == {"pro_b", "pre_b", "immature_b", "naive_b", "memory_b"}
    assert eff.long_lived_antibodies == "falls"


def test_cd19_plus_bcma_removes_every_stage():
    eff = cart.target_effect("CD19+BCMA")
    assert eff.survivors == () and eff.partly_removed == ()
    assert (eff.short_lived_antibodies, eff.long_lived_antibodies) == ("falls", "falls")


@given(target=st.sampled_from(sorted(cart.TARGETS)))
def test_every_stage_has_exactly_one_fate_and_combining_targets_never_spares_more(target):
    eff = cart.target_effect(target)
    assert list(eff.fates) == list(cart.STAGE_KEYS)
    assert set(eff.fates.values()) <= set(cart.STAGE_FATES)
    combined = cart.target_effect("CD19+BCMA")
    rank = {"removed": 0, "partly removed": 1, "survives": 2}
    if target in ("CD19", "BCMA"):
        for key in cart.STAGE_KEYS:
            assert rank[combined.fates[key]] <= rank[eff.fates[key]]


def test_unknown_target_names_what_is_accepted():
    with pytest.raises(ValueError, match="'autoantibodies'.*accepted: 'CD20', 'CD19', 'BCMA', 'CD19\\+BCMA'"):
        cart.target_effect("autoantibodies")


def test_describe_target_is_plain_text():
    text = cart.describe_target("CD19")
    assert text.splitlines()[0] == "Target: CD19 (the CAR T cells used in lupus so far)"
    assert "Survive: Long-lived plasma cell (CD19-)" in text
    assert "anti-dsDNA included): persist" in text
    # Mostly, not only: long-lived plasma cells can make anti-dsDNA too (Mei 2015; Feng 2025).
    assert "mostly by short-lived plasmablasts (e.g. most anti-dsDNA): fall" in text


# --- self-check --------------------------------------------------------------------------------------

def test_self_check_has_at_least_four_questions_each_fully_explained():
    assert len(cart.SELF_CHECK) >= 4
    for q in cart.SELF_CHECK:
        assert isinstance(q, Question)
        assert all(e.strip() for e in q.explanations)
        assert q.feedback(q.correct)[0]


def test_self_check_corrects_the_seed_mistakes():
    first = cart.SELF_CHECK[0]
    wrong = {first.options[i] for i in range(len(first.options)) if i != first.correct}
    assert any("autoantibodies" in w.lower() for w in wrong)
    assert any("regulatory t cells" in w.lower() for w in wrong)
    assert "CD19" in first.options[first.correct]


def test_helpers_reject_bad_input():
    assert cart.stage_names(("llpc_cd19neg", "pro_b")) == "Pro-B cell, Long-lived plasma cell (CD19-)"
    assert cart.stage_names(()) == "none"
    with pytest.raises(ValueError, match="'b_cell'"):
        cart.stage_names(("b_cell",))
    with pytest.raises(TypeError, match="collection"):
        cart.stage_names("pro_b")
    with pytest.raises(TypeError, match="labels must be a dict"):
        cart.products_table_markdown(["FDA"])
