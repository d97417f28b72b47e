"""The figures of notebook 02 (CAR-T principles). Each wires controls to :mod:`widgets.cart`.

- :func:`recognition_figure`: a natural T-cell receptor (peptide on MHC) beside a CAR (whole
  surface protein, no MHC), as a :class:`~widgets.figure.StaticFigure`.
- :class:`CarAnatomyView`: the receptor drawn across the membrane for a chosen generation and
  costimulatory domain.
- :class:`LineageView`: the B-cell lineage with CD19, CD20 and BCMA expression; the learner picks
  a target and sees which stages are removed and what happens to antibody levels.
- :func:`products_table`: the FDA-approved products as a markdown table with citations.
"""
from __future__ import annotations

import textwrap

import ipywidgets
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from . import cart
from .figure import FigureView, StaticFigure, new_figure
from .style import OKABE_ITO, PALETTE, TEXT_ON_WHITE, ink_on
from .validate import require_choice

__all__ = ["recognition_figure", "CarAnatomyView", "LineageView", "products_table", "self_check"]

WHITE = "#FFFFFF"
MEMBRANE_FILL = "#F2E6C9"  # pale lipid colour for the membrane band (not a data colour)


def _box(ax, x, y, w, h, face, edge=PALETTE["text"], lw=1.4, style="round,pad=0.02,rounding_size=0.12", **kw):
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style, facecolor=face, edgecolor=edge,
                           linewidth=lw, **kw)
    ax.add_patch(patch)
    return patch


# --- T-cell receptor versus CAR ----------------------------------------------------------------

RECOGNITION_ALT = (
    "Schematic in two panels. Left, a natural T cell: its T-cell receptor, two light-blue chains, touches a "
    "short peptide (purple, labelled 'peptide') held between the two yellow arms of an MHC molecule on "
    "another cell; it can only see peptides presented this way. Right, a CAR T cell: its chimeric antigen "
    "receptor, an antibody-derived binding fragment (scFv, the 'grabber', orange) on a grey stalk that crosses "
    "the T-cell membrane, grips a whole protein (CD19, green) standing on the surface of a B cell directly, "
    "with no MHC involved."
)
# Distinct Okabe-Ito colours so that no two touching parts look alike (peptide vs MHC in particular).
TCR_COLOUR = OKABE_ITO["sky_blue"]
MHC_COLOUR = OKABE_ITO["yellow"]
PEPTIDE_COLOUR = OKABE_ITO["reddish_purple"]
SCFV_COLOUR = OKABE_ITO["orange"]
CD19_COLOUR = OKABE_ITO["bluish_green"]


def recognition_figure() -> StaticFigure:
    """Return the side-by-side schematic of TCR recognition (peptide-MHC) and CAR recognition (CD19)."""
    fig, ax = new_figure(figsize=(10, 5))
    ax.set_xlim(0, 20)
    ax.set_ylim(-0.3, 10)
    ax.set_axis_off()
    t_cell, b_cell, apc = PALETTE["car_t"], PALETTE["b_cell"], PALETTE["neutral"]
    for x0, top_label, bottom_label, bottom_colour in (
        (0, "T cell", "Antigen-presenting cell", apc),
        (10.4, "CAR T cell", "B cell", b_cell),
    ):
        # Opaque fills, each name in black or white, whichever reads on its fill (WCAG AA).
        _box(ax, x0 + 4.8, 8.6, 8.6, 1.6, t_cell, style="round,pad=0.02,rounding_size=0.5")
        ax.text(x0 + 4.8, 9.0, top_label, ha="center", va="center", color=ink_on(t_cell), fontsize=12, fontweight="bold")
        _box(ax, x0 + 4.8, 1.2, 8.6, 1.6, bottom_colour, style="round,pad=0.02,rounding_size=0.5")
        ax.text(x0 + 4.8, 1.1, bottom_label, ha="center", va="center", color=ink_on(bottom_colour), fontsize=12,
                fontweight="bold")
    # Left: TCR alpha/beta chains down to a peptide in the MHC groove.
    for dx, name in ((-0.45, "alpha"), (0.45, "beta")):
        _box(ax, 4.8 + dx, 6.3, 0.75, 3.0, TCR_COLOUR)
    ax.text(6.0, 6.6, "T-cell receptor\n(two chains)", ha="left", va="center", fontsize=10.5)
    ax.add_patch(Rectangle((3.9, 2.0), 0.55, 2.6, facecolor=MHC_COLOUR, edgecolor=PALETTE["text"]))
    ax.add_patch(Rectangle((5.15, 2.0), 0.55, 2.6, facecolor=MHC_COLOUR, edgecolor=PALETTE["text"]))
    ax.add_patch(Rectangle((4.45, 4.25), 0.7, 0.35, facecolor=PEPTIDE_COLOUR, edgecolor=PALETTE["text"],
                           hatch="..."))
    ax.annotate("peptide", xy=(4.45, 4.42), xytext=(1.6, 5.0), fontsize=10.5, fontweight="bold", ha="center",
                va="center", arrowprops=dict(arrowstyle="-", color=PALETTE["text"], linewidth=1))
    ax.text(6.0, 3.2, "MHC molecule (yellow arms)\nholding a short peptide", ha="left", va="center", fontsize=10.5)
    ax.text(4.9, -0.05, "Sees only peptides presented on MHC", ha="center", va="center", fontsize=10.5, style="italic")
    # Right: CAR (scFv + stalk) binding CD19 directly.
    cx = 15.2
    ax.add_patch(Rectangle((cx - 0.2, 6.0), 0.4, 2.0, facecolor=OKABE_ITO["grey"], edgecolor=PALETTE["text"]))
    _box(ax, cx - 0.45, 5.55, 0.8, 0.9, SCFV_COLOUR)
    _box(ax, cx + 0.45, 5.55, 0.8, 0.9, SCFV_COLOUR)
    ax.text(cx + 0.95, 6.6, "CAR: antibody-derived\nfragment (scFv, the\n'grabber') on a stalk", ha="left",
            va="center", fontsize=10.5)
    ax.add_patch(Rectangle((cx - 0.15, 2.0), 0.3, 2.2, facecolor=CD19_COLOUR, edgecolor=PALETTE["text"]))
    ax.add_patch(Circle((cx, 4.6), 0.5, facecolor=CD19_COLOUR, edgecolor=PALETTE["text"]))
    ax.text(cx + 0.95, 3.2, "CD19, a whole protein\non the B-cell surface", ha="left", va="center", fontsize=10.5)
    ax.text(15.2, -0.05, "Binds the surface protein directly, no MHC", ha="center", va="center", fontsize=10.5,
            style="italic")
    ax.plot([10.2, 10.2], [0.2, 9.8], color=PALETTE["neutral"], linewidth=1, linestyle=":")
    ax.set_title("A T-cell receptor reads peptides on MHC; a CAR grips a surface protein directly")
    return StaticFigure(fig, RECOGNITION_ALT)


# --- Anatomy of a CAR ----------------------------------------------------------------------------

DOMAIN_COLOURS = {
    "scfv": OKABE_ITO["orange"],
    "hinge": OKABE_ITO["grey"],
    "tm": "#555555",
    "cd28": OKABE_ITO["blue"],
    "4-1bb": OKABE_ITO["bluish_green"],
    "cd3z": OKABE_ITO["vermillion"],
    "payload": OKABE_ITO["reddish_purple"],
}
MAX_BLOCKS = 6  # receptor chain at most: scFv, hinge, transmembrane, two costimulatory, CD3-zeta
PAYLOAD_BOX = (2.0, 2.35, 2.6, 0.8)  # centre x, centre y, width, height: apart from the receptor chain
SECRETED_X = (6.0, 6.45, 6.9)  # the secreted payload molecules, drawn as small circles


class CarAnatomyView(FigureView):
    """A CAR drawn across the T-cell membrane; the learner picks a generation and a costimulatory domain.

    Attributes
    ----------
    blocks : list of FancyBboxPatch
        One patch per possible receptor block; the first ``len(result)`` are visible, in construct order.
    block_labels, role_texts : list of Text
        The name on each block and the one-line role beside it (with the lesson's plain name).
    payload_box, payload_label, signal_arrow, secrete_arrow, secreted, secreted_label
        The fourth-generation payload, drawn apart from the receptor: a dashed box for the separate
        gene, a dotted arrow from CD3-zeta ("switches on"), a dotted arrow "secreted" to the released
        protein. Hidden for generations 1 to 3.
    profile_text : Text
        How CD28 and 4-1BB designs tend to differ (or why a first-generation CAR has none).
    result : tuple of widgets.cart.Domain
        The receptor chain now drawn (the payload, if any, is in ``payload``).
    payload : widgets.cart.Domain or None
    """

    MEMBRANE_Y = (6.0, 6.7)
    BLOCK_X = 3.3
    ROLE_X = 4.7
    ROLE_WIDTH_CHARS = 62

    def __init__(self, generation: int = 2, costim: str = "4-1bb"):
        self.figure, self.ax = new_figure(figsize=(10, 6))
        ax = self.ax
        ax.set_xlim(0, 12)
        ax.set_ylim(0.3, 10.0)
        ax.set_axis_off()
        lo, hi = self.MEMBRANE_Y
        ax.add_patch(Rectangle((0, lo), 12, hi - lo, facecolor=MEMBRANE_FILL, edgecolor="none"))
        ax.plot([0, 12], [hi, hi], color=PALETTE["text"], linewidth=1)
        ax.plot([0, 12], [lo, lo], color=PALETTE["text"], linewidth=1)
        ax.text(0.1, hi + 0.15, "Outside\nthe T cell", ha="left", va="bottom", fontsize=10, style="italic", in_layout=False)
        ax.text(0.1, lo - 0.15, "Inside\nthe T cell", ha="left", va="top", fontsize=10, style="italic", in_layout=False)
        ax.text(0.1, (lo + hi) / 2, "membrane", ha="left", va="center", fontsize=9.5, color="#444444", in_layout=False)
        self.blocks, self.block_labels, self.role_texts = [], [], []
        for _ in range(MAX_BLOCKS):
            self.blocks.append(_box(ax, self.BLOCK_X, 5, 1.8, 0.8, PALETTE["muted"]))
            self.block_labels.append(ax.text(self.BLOCK_X, 5, "", ha="center", va="center", fontsize=10.5,
                                             fontweight="bold", in_layout=False))
            self.role_texts.append(ax.text(self.ROLE_X, 5, "", ha="left", va="center", fontsize=9.5, in_layout=False))
        # Fourth generation: the payload is a separate gene, drawn apart from the receptor chain.
        px, py, pw, ph = PAYLOAD_BOX
        self.payload_box = _box(ax, px, py, pw, ph, WHITE, edge=DOMAIN_COLOURS["payload"], lw=2.0)
        self.payload_box.set_linestyle("--")
        self.payload_label = ax.text(px, py, "", ha="center", va="center", fontsize=9.5, in_layout=False)
        self.signal_arrow = FancyArrowPatch((0, 0), (px, py + ph / 2 + 0.05), arrowstyle="-|>", mutation_scale=14,
                                            color=DOMAIN_COLOURS["payload"], linewidth=1.5, linestyle=":")
        ax.add_patch(self.signal_arrow)
        self.signal_label = ax.text(0.15, py + ph / 2 + 0.45, "CAR signal\nswitches it on", ha="left", va="center",
                                    fontsize=9, style="italic", in_layout=False)
        self.secrete_arrow = FancyArrowPatch((px + pw / 2 + 0.05, py), (SECRETED_X[0] - 0.3, py), arrowstyle="-|>",
                                             mutation_scale=14, color=DOMAIN_COLOURS["payload"], linewidth=1.5,
                                             linestyle=":")
        ax.add_patch(self.secrete_arrow)
        self.secrete_label = ax.text((px + pw / 2 + SECRETED_X[0]) / 2 - 0.1, py + 0.3, "secreted", ha="center",
                                     va="bottom", fontsize=9.5, fontweight="bold", color=TEXT_ON_WHITE["autoantibody"],
                                     in_layout=False)
        self.secreted = []
        for i, x in enumerate(SECRETED_X):
            dot = Circle((x, py + (0.18 if i % 2 else -0.12)), 0.17, facecolor=DOMAIN_COLOURS["payload"],
                         edgecolor=PALETTE["text"])
            ax.add_patch(dot)
            self.secreted.append(dot)
        self.secreted_label = ax.text(SECRETED_X[-1] + 0.35, py, "", ha="left", va="center", fontsize=9.5,
                                      in_layout=False)
        self._payload_artists = (self.payload_box, self.payload_label, self.signal_arrow, self.signal_label,
                                 self.secrete_arrow, self.secrete_label, *self.secreted, self.secreted_label)
        self.profile_text = ax.text(6.0, 0.35, "", ha="center", va="bottom", fontsize=10, in_layout=False,
                                    bbox=dict(boxstyle="round,pad=0.4", facecolor="#F4F4F4", edgecolor=PALETTE["neutral"]))
        require_choice("generation", generation, cart.GENERATIONS)
        require_choice("costim", costim, cart.COSTIMULATORY_DOMAINS)
        generation_control = ipywidgets.Dropdown(
            options=[(label, g) for g, label in cart.GENERATIONS.items()], value=generation,
            description="Generation:", style={"description_width": "initial"}, layout=ipywidgets.Layout(width="560px"))
        costim_control = ipywidgets.ToggleButtons(
            options=[(label, key) for key, label in cart.COSTIMULATORY_DOMAINS.items()], value=costim,
            description="Costimulatory domain (3rd generation: the first of two):",
            style={"description_width": "initial", "button_width": "90px"})
        super().__init__({"generation": generation_control, "costim": costim_control})

    def _layout(self, construct):
        """Centre (x, y) and size (w, h) of each block, from the outside in."""
        lo, hi = self.MEMBRANE_Y
        x, spots, inside_y = self.BLOCK_X, [], lo - 0.7
        for d in construct:
            if d.key == "scfv":
                spots.append((x, 9.2, 2.0, 0.9))
            elif d.key == "hinge":
                spots.append((x, 7.8, 0.7, 1.1))
            elif d.key == "tm":
                spots.append((x, (lo + hi) / 2, 0.7, 1.1))
            else:
                spots.append((x, inside_y, 1.8, 0.85))
                inside_y -= 1.05
        return spots

    def update(self) -> str:
        generation = self.controls["generation"].value
        costim = self.controls["costim"].value
        construct = cart.car_construct(generation, costim)
        payload = cart.car_payload(generation)
        self.result, self.payload = construct, payload
        spots = self._layout(construct)
        for i, block in enumerate(self.blocks):
            visible = i < len(construct)
            for artist in (block, self.block_labels[i], self.role_texts[i]):
                artist.set_visible(visible)
            if not visible:
                continue
            d = construct[i]
            x, y, w, h = spots[i]
            block.set_bounds(x - w / 2, y - h / 2, w, h)
            block.set_facecolor(DOMAIN_COLOURS[d.key])
            label = self.block_labels[i]
            label.set_position((x, y))
            label.set_text("" if d.key in ("hinge", "tm") else d.label)
            label.set_color(ink_on(DOMAIN_COLOURS[d.key]))
            name = f"{d.label} (the '{d.plain}')" if d.plain else d.label
            self.role_texts[i].set_position((self.ROLE_X, y))
            self.role_texts[i].set_text(textwrap.fill(f"{name}: {d.role}", self.ROLE_WIDTH_CHARS))
        for artist in self._payload_artists:
            artist.set_visible(payload is not None)
        if payload is not None:
            _, cd3z_y, cd3z_w, cd3z_h = spots[-1]
            px, py, _, ph = PAYLOAD_BOX
            self.signal_arrow.set_positions((self.BLOCK_X - 0.3, cd3z_y - cd3z_h / 2 - 0.05), (px + 0.3, py + ph / 2 + 0.05))
            self.payload_label.set_text("Separate payload gene\n(not part of the CAR)")
            self.secreted_label.set_text(f"{payload.label.replace('Payload (e.g. ', '').rstrip(')')} protein,\n"
                                         "released from the cell")
        n_costim = sum(d.key in cart.COSTIMULATORY_DOMAINS for d in construct)
        costim_names = [d.label for d in construct if d.key in cart.COSTIMULATORY_DOMAINS]
        if n_costim == 0:
            profile = ("No costimulatory domain: first-generation CAR T cells gave weak, short-lived\n"
                       "responses (Sadelain 2013). The costimulation choice does not apply here.")
        elif n_costim == 1:
            p = cart.COSTIM_PROFILES[costim]
            profile = (f"{cart.COSTIMULATORY_DOMAINS[costim]} designs {p.expansion} and {p.persistence};\n"
                       f"{p.cytokines}. Clinical differences are confounded by other design choices (Cappell 2021).")
        else:
            first, second = costim_names
            profile = (f"Two costimulatory domains, {first} then {second}: the toggle sets which comes first (nearer\n"
                       "the membrane). CD28 tends to give fast expansion, 4-1BB longer persistence (Cappell 2021);\n"
                       "no approved product is third generation (Sadelain 2013; FDA labels).")
        self.profile_text.set_text(profile)
        names = [d.label for d in construct]
        gen_word = {1: "First", 2: "Second", 3: "Third", 4: "Fourth"}[generation]
        detail = {0: "CD3-zeta alone, no costimulation",
                  1: f"one costimulatory domain ({''.join(costim_names)})",
                  2: f"two costimulatory domains ({' then '.join(costim_names)})"}[n_costim]
        title = f"{gen_word}-generation CAR: {detail}"
        if payload is not None:
            title += ", plus a separate secreted payload"
        self.ax.set_title(title)
        alt = (f"Diagram of a {gen_word.lower()}-generation chimeric antigen receptor across the T-cell membrane, "
               f"{len(construct)} blocks from outside to inside: {', '.join(names)}. "
               f"It has {n_costim} costimulatory domain{'s' if n_costim != 1 else ''}. {profile.replace(chr(10), ' ')}")
        if payload is not None:
            alt += (" Apart from the receptor, a dashed box shows a separate payload gene that the CAR signal "
                    "switches on; a dotted arrow marked 'secreted' leads to the IL-12 protein released from the cell.")
        return alt


# --- What to aim at: the B-cell lineage ------------------------------------------------------------

LEVEL_FILL = {"expressed": PALETTE["primary"], "low": OKABE_ITO["sky_blue"], "absent": WHITE}
SECRETING = {"plasmablast", "plasma_cell_cd19pos", "llpc_cd19neg"}
STAGE_FILL = {k: (OKABE_ITO["orange"] if k in SECRETING else PALETTE["b_cell"]) for k in cart.STAGE_KEYS}
FATE_ALPHA = {"removed": 0.25, "partly removed": 0.6, "survives": 1.0}
FATE_MARK = {"removed": "X", "partly removed": "~", "survives": ""}
ALT_VERB = {"falls": "fall", "falls slowly": "fall slowly", "persists": "persist"}
OUTCOME_COLOUR = {"falls": TEXT_ON_WHITE["highlight"], "falls slowly": PALETTE["text"], "persists": TEXT_ON_WHITE["positive"]}


class LineageView(FigureView):
    """The B lineage from pro-B cell to long-lived plasma cell; the learner picks a target.

    Attributes
    ----------
    cells : dict[str, Circle]
        One circle per stage; removed stages are drawn grey and faint (alpha 0.25), partly removed
        ones half-faded (alpha 0.6), survivors in full colour (alpha 1).
    marks : dict[str, Text]
        "X" on removed stages, "~" on partly removed ones.
    squares : dict[(str, str), Rectangle]
        Expression grid, (stage, antigen) -> square coloured by level.
    antigen_labels : dict[str, Text]
        Row labels; the targeted antigens are bold and marked "<- target".
    outcome_texts : dict[str, Text]
        ``"short"`` and ``"long"``: what happens to antibody levels.
    result : widgets.cart.TargetEffect
    """

    def __init__(self, target: str = "CD19"):
        n = len(cart.B_LINEAGE)
        self.figure, self.ax = new_figure(figsize=(11, 6.2))
        ax = self.ax
        ax.set_xlim(-1.9, n - 0.3)
        ax.set_ylim(-3.9, 3.2)
        ax.set_axis_off()
        self.cells, self.marks = {}, {}
        for i, stage in enumerate(cart.B_LINEAGE):
            circle = Circle((i, 2.1), 0.36, facecolor=STAGE_FILL[stage.key], edgecolor=PALETTE["text"], linewidth=1.4)
            ax.add_patch(circle)
            self.cells[stage.key] = circle
            self.marks[stage.key] = ax.text(i, 2.1, "", ha="center", va="center", fontsize=20, fontweight="bold",
                                            color=TEXT_ON_WHITE["highlight"], in_layout=False)
            ax.text(i, 1.45, stage.label, ha="center", va="top", fontsize=9.5)
            if i < n - 1:
                ax.add_patch(FancyArrowPatch((i + 0.4, 2.1), (i + 0.6, 2.1), arrowstyle="-|>", mutation_scale=12,
                                             color=PALETTE["text"], linewidth=1.2))
        ax.text(2.0, 2.75, "B cells (make no antibody yet)", ha="center", va="bottom", fontsize=10, color=PALETTE["b_cell"],
                fontweight="bold")
        ax.text(6.0, 2.75, "Antibody-secreting cells", ha="center", va="bottom", fontsize=10, color=PALETTE["text"],
                fontweight="bold")
        self.squares, self.antigen_labels = {}, {}
        for r, antigen in enumerate(cart.ANTIGENS):
            y = -0.1 - r * 0.62
            self.antigen_labels[antigen] = ax.text(-0.55, y, antigen, ha="right", va="center", fontsize=11)
            for i, stage in enumerate(cart.B_LINEAGE):
                level = cart.expression(stage.key, antigen)
                sq = Rectangle((i - 0.3, y - 0.24), 0.6, 0.48, facecolor=LEVEL_FILL[level],
                               edgecolor=PALETTE["neutral"], linewidth=1)
                ax.add_patch(sq)
                self.squares[(stage.key, antigen)] = sq
        legend_y = -2.05
        ax.text(-1.85, legend_y, "Surface level:", ha="left", va="center", fontsize=9.5)
        for j, level in enumerate(cart.EXPRESSION_LEVELS):
            ax.add_patch(Rectangle((0.45 + j * 1.7, legend_y - 0.17), 0.34, 0.34, facecolor=LEVEL_FILL[level],
                                   edgecolor=PALETTE["neutral"]))
            ax.text(0.88 + j * 1.7, legend_y, level, ha="left", va="center", fontsize=9.5)
        ax.text(5.6, legend_y, "X removed   ~ partly removed", ha="left", va="center", fontsize=9.5,
                color=TEXT_ON_WHITE["highlight"])
        self.outcome_texts = {
            "short": ax.text(-1.85, -2.75, "", ha="left", va="center", fontsize=10.5, fontweight="bold", in_layout=False),
            "long": ax.text(-1.85, -3.35, "", ha="left", va="center", fontsize=10.5, fontweight="bold", in_layout=False),
        }
        ax.text(n - 0.35, -3.85, "Simplified, qualitative expression (Mei 2015; Leandro 2013; Carpenter 2013; Feng 2025)",
                ha="right", va="bottom", fontsize=9, color="#444444")
        require_choice("target", target, cart.TARGETS)
        control = ipywidgets.Dropdown(options=[(label, key) for key, label in cart.TARGETS.items()], value=target,
                                      description="Target:", style={"description_width": "initial"},
                                      layout=ipywidgets.Layout(width="460px"))
        super().__init__({"target": control})

    def update(self) -> str:
        target = self.controls["target"].value
        eff = cart.target_effect(target)
        self.result = eff
        for key, fate in eff.fates.items():
            cell = self.cells[key]
            cell.set_facecolor(PALETTE["muted"] if fate == "removed" else STAGE_FILL[key])
            cell.set_alpha(FATE_ALPHA[fate])
            cell.set_linestyle("--" if fate != "survives" else "-")
            self.marks[key].set_text(FATE_MARK[fate])
        targeted = set(cart.TARGET_ANTIGENS[target])
        for antigen, label in self.antigen_labels.items():
            on = antigen in targeted
            label.set_text(f"target -> {antigen}" if on else antigen)
            label.set_fontweight("bold" if on else "normal")
            label.set_color(TEXT_ON_WHITE["highlight"] if on else PALETTE["text"])
            for key in cart.STAGE_KEYS:
                self.squares[(key, antigen)].set_edgecolor(PALETTE["highlight"] if on else PALETTE["neutral"])
                self.squares[(key, antigen)].set_linewidth(2.0 if on else 1.0)
        words = {"falls": "FALL", "falls slowly": "FALL SLOWLY (no new supply)", "persists": "PERSIST"}
        self.outcome_texts["short"].set_text(f"{cart.SHORT_LIVED_TEXT}: {words[eff.short_lived_antibodies]}")
        self.outcome_texts["short"].set_color(OUTCOME_COLOUR[eff.short_lived_antibodies])
        self.outcome_texts["long"].set_text(f"{cart.LONG_LIVED_TEXT}: {words[eff.long_lived_antibodies]}")
        self.outcome_texts["long"].set_color(OUTCOME_COLOUR[eff.long_lived_antibodies])
        n_removed = len(eff.removed)
        n_left = len(eff.survivors)
        self.ax.set_title(f"Targeting {target.replace('+', ' + ')}: {n_removed} of {len(eff.fates)} stages removed, "
                          f"{n_left} survive{'s' if n_left == 1 else ''}")
        names = cart.stage_names
        return (f"B-cell lineage diagram, eight stages from pro-B cell to long-lived CD19-negative plasma cell, with "
                f"CD19, CD20 and BCMA expression below. Target {cart.TARGETS[target]}. Removed: {names(eff.removed)}. "
                f"Partly removed: {names(eff.partly_removed)}. Surviving: {names(eff.survivors)}. Antibodies made "
                f"mostly by short-lived plasmablasts {ALT_VERB[eff.short_lived_antibodies]}; antibodies from long-lived "
                f"plasma cells (which can include anti-dsDNA) {ALT_VERB[eff.long_lived_antibodies]}.")


# --- Table and self-check -------------------------------------------------------------------------

def products_table():
    """Return the FDA-approved CAR-T products as a displayable markdown table, with citation labels."""
    from IPython.display import Markdown

    from .references import BIBLIOGRAPHY

    labels = {key: f"[{ref.label}]" for key, ref in BIBLIOGRAPHY.items()}
    return Markdown(cart.products_table_markdown(labels))


def self_check():
    """Return the notebook's self-check (the questions live in :data:`widgets.cart.SELF_CHECK`)."""
    from .selfcheck import SelfCheck

    return SelfCheck(cart.SELF_CHECK, title="Self-check: CAR-T principles")
