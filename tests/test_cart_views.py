"""Notebook 02's figures without a browser: the controls change the artists, and the alt text follows."""
import pytest
from matplotlib.colors import to_hex

from widgets import cart, cart_views
from widgets.style import OKABE_ITO, PALETTE


def _visible_blocks(view):
    return [b for b in view.blocks if b.get_visible()]


def _visible_labels(view):
    return [t.get_text() for t, b in zip(view.block_labels, view.blocks) if b.get_visible()]


# --- TCR versus CAR -----------------------------------------------------------------------------

def test_recognition_figure_is_static_with_alt_text():
    fig = cart_views.recognition_figure()
    assert "MHC" in fig.alt_text and "CD19" in fig.alt_text and "peptide" in fig.alt_text
    assert 'alt="Schematic in two panels' in fig.value
    texts = " ".join(t.get_text() for t in fig.figure.axes[0].texts)
    assert "MHC" in texts and "scFv" in texts and "grabber" in texts


def test_recognition_peptide_is_labelled_and_coloured_apart_from_mhc():
    fig = cart_views.recognition_figure()
    ax = fig.figure.axes[0]
    assert "peptide" in [t.get_text() for t in ax.texts]  # named in text, not only by colour
    faces = [to_hex(p.get_facecolor()[:3]) for p in ax.patches]
    peptide, mhc = to_hex(cart_views.PEPTIDE_COLOUR), to_hex(cart_views.MHC_COLOUR)
    assert faces.count(mhc) == 2 and faces.count(peptide) == 1
    assert peptide != mhc
    colours = {cart_views.TCR_COLOUR, cart_views.MHC_COLOUR, cart_views.PEPTIDE_COLOUR, cart_views.SCFV_COLOUR,
               cart_views.CD19_COLOUR}
    assert len(colours) == 5 and colours <= set(OKABE_ITO.values())


# --- CAR anatomy -----------------------------------------------------------------------------------

@pytest.mark.parametrize("generation,n_blocks,n_costim", [(1, 4, 0), (2, 5, 1), (3, 6, 2), (4, 5, 1)])
def test_generation_control_changes_the_number_of_blocks(generation, n_blocks, n_costim):
    view = cart_views.CarAnatomyView(generation=2)
    first_blocks = view.blocks
    view.controls["generation"].value = generation
    assert view.blocks is first_blocks  # updated in place
    assert len(_visible_blocks(view)) == n_blocks
    costim_colours = {to_hex(cart_views.DOMAIN_COLOURS[k]) for k in cart.COSTIMULATORY_DOMAINS}
    assert sum(to_hex(b.get_facecolor()) in costim_colours for b in _visible_blocks(view)) == n_costim
    assert f"{n_blocks} blocks" in view.alt_text


def test_changing_generation_changes_the_picture():
    view = cart_views.CarAnatomyView(generation=2)
    before = view.image.value
    view.controls["generation"].value = 1
    assert view.image.value != before
    assert "CD3-zeta alone" in view.ax.get_title()
    assert "Sadelain 2013" in view.profile_text.get_text()


def test_costimulatory_control_swaps_the_block_label_and_the_profile():
    view = cart_views.CarAnatomyView(generation=2, costim="4-1bb")
    assert "4-1BB" in _visible_labels(view)
    assert "persist longer" in view.profile_text.get_text()
    view.controls["costim"].value = "cd28"
    labels = _visible_labels(view)
    assert "CD28" in labels and "4-1BB" not in labels
    assert "expand faster" in view.profile_text.get_text()
    assert "CD28" in view.alt_text and "Cappell 2021" in view.alt_text


def test_blocks_are_stacked_from_outside_in_and_the_membrane_is_crossed_by_transmembrane():
    view = cart_views.CarAnatomyView(generation=3)
    centres = [b.get_y() + b.get_height() / 2 for b in _visible_blocks(view)]
    assert centres == sorted(centres, reverse=True)
    lo, hi = view.MEMBRANE_Y
    tm = view.blocks[2]
    assert tm.get_y() < lo and tm.get_y() + tm.get_height() > hi


def test_fourth_generation_draws_the_payload_apart_from_the_receptor():
    view = cart_views.CarAnatomyView(generation=2)
    assert not view.payload_box.get_visible() and not view.secrete_arrow.get_visible()
    view.controls["generation"].value = 4
    labels = _visible_labels(view)
    assert labels[-1] == "CD3-zeta" and not any("Payload" in t or "IL-12" in t for t in labels)
    assert view.payload_box.get_visible() and view.secrete_arrow.get_visible()
    assert view.payload_box.get_linestyle() == "--"
    assert view.secrete_arrow.get_linestyle() == ":"
    assert view.secrete_label.get_text() == "secreted"
    assert "not part of the CAR" in view.payload_label.get_text()
    assert all(dot.get_visible() for dot in view.secreted)
    # Apart: the payload box sits left of the chain's blocks and below the last receptor block.
    last = _visible_blocks(view)[-1]
    box = view.payload_box
    assert box.get_y() + box.get_height() < last.get_y()
    assert box.get_x() + box.get_width() / 2 != pytest.approx(last.get_x() + last.get_width() / 2)
    assert "separate secreted payload" in view.ax.get_title()
    blocks_sentence = view.alt_text.split(". ")[0]
    assert "IL-12" not in blocks_sentence and "Payload" not in blocks_sentence
    assert "5 blocks" in view.alt_text and "'secreted'" in view.alt_text
    view.controls["generation"].value = 3
    assert not view.payload_box.get_visible() and not view.secreted_label.get_visible()


def test_third_generation_toggle_sets_the_order_and_the_text_names_both_domains():
    view = cart_views.CarAnatomyView(generation=3, costim="cd28")
    assert _visible_labels(view)[3:5] == ["CD28", "4-1BB"]
    text = view.profile_text.get_text()
    assert "CD28 then 4-1BB" in text and "which comes first" in text
    before = view.image.value
    view.controls["costim"].value = "4-1bb"
    assert _visible_labels(view)[3:5] == ["4-1BB", "CD28"]
    assert "4-1BB then CD28" in view.profile_text.get_text()
    assert "4-1BB then CD28" in view.ax.get_title() and "4-1BB then CD28" in view.alt_text
    assert view.image.value != before


def test_role_texts_carry_the_lesson_plain_names():
    view = cart_views.CarAnatomyView(generation=2)
    roles = [t.get_text() for t, b in zip(view.role_texts, view.blocks) if b.get_visible()]
    assert roles[0].startswith("scFv (the 'grabber')")
    assert roles[1].startswith("Hinge (the 'neck')")
    assert roles[2].startswith("Transmembrane (the 'anchor')")


def test_bad_generation_shows_message_and_keeps_picture():
    view = cart_views.CarAnatomyView(generation=2)
    view.controls["generation"].options = [*view.controls["generation"].options, ("Fifth", 5)]
    shown = view.image.value
    view.controls["generation"].value = 5
    assert view.message_text == "Generation: 5 is too high; accepted: 1 to 4."
    assert view.controls["generation"].value == 5
    assert view.image.value == shown


# --- B lineage and targets ----------------------------------------------------------------------------

def _fate_alphas(view):
    return {k: c.get_alpha() for k, c in view.cells.items()}


def test_target_control_fades_removed_stages_and_keeps_survivors_in_colour():
    view = cart_views.LineageView(target="CD19")
    alphas = _fate_alphas(view)
    assert alphas["naive_b"] == cart_views.FATE_ALPHA["removed"]
    assert alphas["llpc_cd19neg"] == 1.0
    assert to_hex(view.cells["naive_b"].get_facecolor()[:3]) == to_hex(PALETTE["muted"])
    assert view.marks["naive_b"].get_text() == "X"
    assert view.marks["plasma_cell_cd19pos"].get_text() == "~"

    before = view.image.value
    view.controls["target"].value = "BCMA"
    alphas = _fate_alphas(view)
    assert alphas["naive_b"] == 1.0 and alphas["llpc_cd19neg"] == cart_views.FATE_ALPHA["removed"]
    assert to_hex(view.cells["naive_b"].get_facecolor()[:3]) == to_hex(PALETTE["b_cell"])
    assert view.image.value != before


def test_figure_agrees_with_the_model_for_every_target():
    view = cart_views.LineageView()
    for target in cart.TARGETS:
        view.controls["target"].value = target
        eff = cart.target_effect(target)
        for key, fate in eff.fates.items():
            assert view.cells[key].get_alpha() == cart_views.FATE_ALPHA[fate], (target, key)
        assert f"{len(eff.removed)} of 8 stages removed" in view.ax.get_title()


def test_targeted_antigen_rows_are_highlighted():
    view = cart_views.LineageView(target="CD19+BCMA")
    assert view.antigen_labels["CD19"].get_fontweight() == "bold"
    assert view.antigen_labels["BCMA"].get_fontweight() == "bold"
    assert view.antigen_labels["CD20"].get_fontweight() == "normal"
    assert view.squares[("naive_b", "BCMA")].get_linewidth() == 2.0
    view.controls["target"].value = "CD20"
    assert view.antigen_labels["CD20"].get_text() == "target -> CD20"
    assert view.squares[("naive_b", "BCMA")].get_linewidth() == 1.0


def test_expression_squares_match_the_data():
    view = cart_views.LineageView()
    for (stage, antigen), sq in view.squares.items():
        assert to_hex(sq.get_facecolor()[:3]) == to_hex(cart_views.LEVEL_FILL[cart.expression(stage, antigen)])


def test_antibody_outcomes_follow_the_target():
    view = cart_views.LineageView(target="CD19")
    assert view.outcome_texts["long"].get_text().endswith("PERSIST")
    assert view.outcome_texts["short"].get_text().startswith("Antibodies made mostly by short-lived plasmablasts")
    assert "anti-dsDNA included" in view.outcome_texts["long"].get_text()
    assert "long-lived plasma cells (which can include anti-dsDNA) persist" in view.alt_text
    view.controls["target"].value = "CD19+BCMA"
    assert view.outcome_texts["long"].get_text().endswith("FALL")
    view.controls["target"].value = "CD20"
    assert "FALL SLOWLY" in view.outcome_texts["short"].get_text()
    assert "CD20 (the target of rituximab)" in view.alt_text


def test_unknown_target_shows_plain_message():
    view = cart_views.LineageView(target="CD19")
    view.controls["target"].options = [*view.controls["target"].options, ("Autoantibodies", "autoantibodies")]
    shown = view.image.value
    view.controls["target"].value = "autoantibodies"
    assert "Target: 'autoantibodies' is not one of the choices; accepted: " in view.message_text
    assert "'CD19'" in view.message_text
    assert view.controls["target"].value == "autoantibodies"
    assert view.image.value == shown


# --- table and self-check ---------------------------------------------------------------------------------

def test_products_table_renders_markdown_with_citation_labels():
    md = cart_views.products_table()
    assert "| tisagenlecleucel (Kymriah) | CD19 | 4-1BB | lentiviral |" in md.data
    assert "[FDA Aucatzyl 2024]" in md.data


def test_self_check_widget_holds_the_module_questions():
    check = cart_views.self_check()
    assert len(check.items) == len(cart.SELF_CHECK)
    item = check.items[0]
    item.choices.value = 0  # "autoantibodies": wrong
    item.check.click()
    assert "Not quite" in item.feedback.value
