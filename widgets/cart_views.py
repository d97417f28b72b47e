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
from .style import OKABE_ITO, PALETTE

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
    "Schematic in two panels. Left, a natural T cell: its T-cell receptor, two chains, touches a short "
    "peptide held in an MHC molecule on another cell; it can only see peptides presented this way. "
    "Right, a CAR T cell: its chimeric antigen receptor, an antibody-derived binding fragment on a stalk "
    "that crosses the T-cell membrane, grips a whole protein (CD19) standing on the surface of a B cell "
    "directly, with no MHC involved."
)


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
        _box(ax, x0 + 4.8, 8.6, 8.6, 1.6, t_cell, style="round,pad=0.02,rounding_size=0.5", alpha=0.85)
        ax.text(x0 + 4.8, 9.0, top_label, ha="center", va="center", color=WHITE, fontsize=12, fontweight="bold")
        _box(ax, x0 + 4.8, 1.2, 8.6, 1.6, bottom_colour, style="round,pad=0.02,rounding_size=0.5", alpha=0.85)
        ax.text(x0 + 4.8, 1.1, bottom_label, ha="center", va="center", color=WHITE, fontsize=12, fontweight="bold")
    # Left: TCR alpha/beta chains down to a peptide in the MHC groove.
    for dx, name in ((-0.45, "alpha"), (0.45, "beta")):
        _box(ax, 4.8 + dx, 6.3, 0.75, 3.0, OKABE_ITO["sky_blue"])
    ax.text(6.0, 6.6, "T-cell receptor\n(two chains)", ha="left", va="center", fontsize=10.5)
    ax.add_patch(Rectangle((3.9, 2.0), 0.55, 2.6, facecolor=OKABE_ITO["orange"], edgecolor=PALETTE["text"]))
    ax.add_patch(Rectangle((5.15, 2.0), 0.55, 2.6, facecolor=OKABE_ITO["orange"], edgecolor=PALETTE["text"]))
    ax.add_patch(Rectangle((4.45, 4.25), 0.7, 0.35, facecolor=PALETTE["highlight"], edgecolor=PALETTE["text"]))
    ax.text(6.0, 3.2, "MHC molecule holding\na short peptide (red)", ha="left", va="center", fontsize=10.5)
    ax.text(4.9, -0.05, "Sees only peptides presented on MHC", ha="center", va="center", fontsize=10.5, style="italic")
    # Right: CAR (scFv + stalk) binding CD19 directly.
    cx = 15.2
    ax.add_patch(Rectangle((cx - 0.2, 6.0), 0.4, 2.0, facecolor=OKABE_ITO["grey"], edgecolor=PALETTE["text"]))
    _box(ax, cx - 0.45, 5.55, 0.8, 0.9, OKABE_ITO["orange"])
    _box(ax, cx + 0.45, 5.55, 0.8, 0.9, OKABE_ITO["orange"])
    ax.text(cx + 0.95, 6.6, "CAR: antibody-derived\nfragment (scFv) on a stalk", ha="left", va="center", fontsize=10.5)
    ax.add_patch(Rectangle((cx - 0.15, 2.0), 0.3, 2.2, facecolor=OKABE_ITO["bluish_green"], edgecolor=PALETTE["text"]))
    ax.add_patch(Circle((cx, 4.6), 0.5, facecolor=OKABE_ITO["bluish_green"], edgecolor=PALETTE["text"]))
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
LIGHT_TEXT_DOMAINS = {"tm", "cd28", "cd3z", "payload", "4-1bb"}
MAX_BLOCKS = 7  # scFv, hinge, transmembrane, two costimulatory, CD3-zeta, payload


class CarAnatomyView(FigureView):
    """A CAR drawn across the T-cell membrane; the learner picks a generation and a costimulatory domain.

    Attributes
    ----------
    blocks : list of FancyBboxPatch
        One patch per possible block; the first ``len(result)`` are visible, in construct order.
    block_labels, role_texts : list of Text
        The name on each block and the one-line role beside it.
    profile_text : Text
        How CD28 and 4-1BB designs tend to differ (or why a first-generation CAR has none).
    result : tuple of widgets.cart.Domain
        The construct now drawn.
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
        self.payload_arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=14,
                                             color=DOMAIN_COLOURS["payload"], linewidth=1.5)
        ax.add_patch(self.payload_arrow)
        self.profile_text = ax.text(6.0, 0.35, "", ha="center", va="bottom", fontsize=10, in_layout=False,
                                    bbox=dict(boxstyle="round,pad=0.4", facecolor="#F4F4F4", edgecolor=PALETTE["neutral"]))
        generation_control = ipywidgets.Dropdown(
            options=[(label, g) for g, label in cart.GENERATIONS.items()], value=generation,
            description="Generation:", style={"description_width": "initial"}, layout=ipywidgets.Layout(width="560px"))
        costim_control = ipywidgets.ToggleButtons(
            options=[(label, key) for key, label in cart.COSTIMULATORY_DOMAINS.items()], value=costim,
            description="Costimulatory domain:", style={"description_width": "initial", "button_width": "90px"})
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
        self.result = construct
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
            block.set_linestyle("--" if d.key == "payload" else "-")
            label = self.block_labels[i]
            label.set_position((x, y))
            label.set_text("" if d.key in ("hinge", "tm") else d.label)
            label.set_color(WHITE if d.key in LIGHT_TEXT_DOMAINS else PALETTE["text"])
            name = d.label + (" (released)" if d.key == "payload" else "")
            self.role_texts[i].set_position((self.ROLE_X, y))
            self.role_texts[i].set_text(textwrap.fill(f"{name}: {d.role}", self.ROLE_WIDTH_CHARS))
        has_payload = construct[-1].key == "payload"
        self.payload_arrow.set_visible(has_payload)
        if has_payload:
            _, y, w, _ = spots[-1]
            self.payload_arrow.set_positions((self.BLOCK_X + w / 2 + 0.05, y), (self.ROLE_X - 0.1, y))
        n_costim = sum(d.key in cart.COSTIMULATORY_DOMAINS for d in construct)
        if n_costim == 0:
            profile = ("No costimulatory domain: first-generation CAR T cells gave weak, short-lived\n"
                       "responses (Sadelain 2013). The costimulation choice does not apply here.")
        else:
            p = cart.COSTIM_PROFILES[costim]
            profile = (f"{cart.COSTIMULATORY_DOMAINS[costim]} designs {p.expansion} and {p.persistence};\n"
                       f"{p.cytokines}. Clinical differences are confounded by other design choices (Cappell 2021).")
        self.profile_text.set_text(profile)
        names = [d.label for d in construct]
        costim_names = [d.label for d in construct if d.key in cart.COSTIMULATORY_DOMAINS]
        gen_word = {1: "First", 2: "Second", 3: "Third", 4: "Fourth"}[generation]
        detail = {0: "CD3-zeta alone, no costimulation",
                  1: f"one costimulatory domain ({''.join(costim_names)})",
                  2: f"two costimulatory domains ({' and '.join(costim_names)})"}[n_costim]
        title = f"{gen_word}-generation CAR: {detail}"
        if has_payload:
            title += " plus a released payload"
        self.ax.set_title(title)
        return (f"Diagram of a {gen_word.lower()}-generation chimeric antigen receptor across the T-cell membrane, "
                f"{len(construct)} blocks from outside to inside: {', '.join(names)}. "
                f"It has {n_costim} costimulatory domain{'s' if n_costim != 1 else ''}. {profile.replace(chr(10), ' ')}")


# --- What to aim at: the B-cell lineage ------------------------------------------------------------

LEVEL_FILL = {"expressed": PALETTE["primary"], "low": OKABE_ITO["sky_blue"], "absent": WHITE}
SECRETING = {"plasmablast", "plasma_cell_cd19pos", "llpc_cd19neg"}
STAGE_FILL = {k: (OKABE_ITO["orange"] if k in SECRETING else PALETTE["b_cell"]) for k in cart.STAGE_KEYS}
FATE_ALPHA = {"removed": 0.25, "partly removed": 0.6, "survives": 1.0}
FATE_MARK = {"removed": "X", "partly removed": "~", "survives": ""}
ALT_VERB = {"falls": "fall", "falls slowly": "fall slowly", "persists": "persist"}
OUTCOME_COLOUR = {"falls": PALETTE["highlight"], "falls slowly": PALETTE["text"], "persists": PALETTE["positive"]}


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
                                            color=PALETTE["highlight"])
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
                color=PALETTE["highlight"])
        self.outcome_texts = {
            "short": ax.text(-1.85, -2.75, "", ha="left", va="center", fontsize=10.5, fontweight="bold"),
            "long": ax.text(-1.85, -3.35, "", ha="left", va="center", fontsize=10.5, fontweight="bold"),
        }
        ax.text(n - 0.35, -3.85, "Simplified, qualitative expression (Mei 2015; Leandro 2013; Carpenter 2013)",
                ha="right", va="bottom", fontsize=8.5, color="#444444")
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
            label.set_color(PALETTE["highlight"] if on else PALETTE["text"])
            for key in cart.STAGE_KEYS:
                self.squares[(key, antigen)].set_edgecolor(PALETTE["highlight"] if on else PALETTE["neutral"])
                self.squares[(key, antigen)].set_linewidth(2.0 if on else 1.0)
        words = {"falls": "FALL", "falls slowly": "FALL SLOWLY (no new supply)", "persists": "PERSIST"}
        self.outcome_texts["short"].set_text(
            f"Antibodies from short-lived plasmablasts (e.g. anti-dsDNA): {words[eff.short_lived_antibodies]}")
        self.outcome_texts["short"].set_color(OUTCOME_COLOUR[eff.short_lived_antibodies])
        self.outcome_texts["long"].set_text(
            f"Antibodies from long-lived plasma cells (many vaccine titres, some autoantibodies): {words[eff.long_lived_antibodies]}")
        self.outcome_texts["long"].set_color(OUTCOME_COLOUR[eff.long_lived_antibodies])
        n_removed = len(eff.removed)
        n_left = len(eff.survivors)
        self.ax.set_title(f"Targeting {target.replace('+', ' + ')}: {n_removed} of {len(eff.fates)} stages removed, "
                          f"{n_left} survive{'s' if n_left == 1 else ''}")
        names = cart.stage_names
        return (f"B-cell lineage diagram, eight stages from pro-B cell to long-lived CD19-negative plasma cell, with "
                f"CD19, CD20 and BCMA expression below. Target {cart.TARGETS[target]}. Removed: {names(eff.removed)}. "
                f"Partly removed: {names(eff.partly_removed)}. Surviving: {names(eff.survivors)}. Antibodies from "
                f"short-lived plasmablasts {ALT_VERB[eff.short_lived_antibodies]}; antibodies from long-lived plasma "
                f"cells {ALT_VERB[eff.long_lived_antibodies]}.")


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
