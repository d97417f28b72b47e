"""The course look: one colour-blind-safe palette and one matplotlib style file.

Nothing here runs on import. Notebooks call :func:`use_course_style` once in their imports
cell; figures built in ``widgets`` read colours from :data:`PALETTE` by meaning.
"""
from __future__ import annotations

from importlib import resources

__all__ = ["OKABE_ITO", "PALETTE", "TEXT_ON_WHITE", "ink_on", "STYLE_PATH", "PAGE_CSS", "PAGE_SCRIPT", "page_style", "use_course_style", "course_style"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

# Colours by meaning, so every notebook uses the same colour for the same idea.
PALETTE: dict[str, str] = {
    "highlight": OKABE_ITO["vermillion"],
    "primary": OKABE_ITO["blue"],
    "secondary": OKABE_ITO["orange"],
    "positive": OKABE_ITO["bluish_green"],
    "neutral": OKABE_ITO["grey"],
    "muted": "#D9D9D9",
    "text": OKABE_ITO["black"],
    "b_cell": OKABE_ITO["blue"],
    "car_t": OKABE_ITO["vermillion"],
    "autoantibody": OKABE_ITO["reddish_purple"],
    "protective_antibody": OKABE_ITO["bluish_green"],
}

# Text in a palette colour on white: Okabe-Ito vermillion, bluish green and reddish purple reach only 3.9,
# 3.4 and 3.1:1 there, under WCAG AA's 4.5:1 for normal text, so words take these darker shades (5.5, 5.3
# and 5.6:1; same hue). Fills, lines and markers keep the palette colours.
TEXT_ON_WHITE: dict[str, str] = {
    "highlight": "#B34700",
    "positive": "#007A5A",
    "autoantibody": "#A4457F",
}


def ink_on(fill) -> str:
    """Black or white, whichever reads better on ``fill`` (WCAG contrast); for a label inside a bar or box.

    On every Okabe-Ito colour one of the two reaches at least 4.5:1: white on blue and on dark grey, black on
    the rest (vermillion 5.4:1, bluish green 6.1:1, orange 9.3:1).
    """
    from matplotlib.colors import to_rgb

    try:
        rgb = to_rgb(fill)
    except (ValueError, TypeError):
        raise ValueError(f"fill must be a colour (a name like 'white' or '#D55E00'); got {fill!r:.60}.") from None

    def luminance(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * luminance(rgb[0]) + 0.7152 * luminance(rgb[1]) + 0.0722 * luminance(rgb[2])
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"


STYLE_PATH = resources.files("widgets") / "course.mplstyle"

# Page rules for the course's widgets in JupyterLab and Voila (shipped inside the widgets that need them,
# so nothing is fetched and nothing global changes until a widget is shown).
PAGE_CSS = """
/* Self-check: a long option wraps inside its own row, never over the next one, and the whole row is
   the click target (ipywidgets gives each radio label a fixed height). */
.course-selfcheck .widget-radio, .course-selfcheck .widget-radio-box { width: 100% !important; max-width: 100%; }
.course-selfcheck .widget-radio-box label {
  display: flex !important; align-items: flex-start; gap: 0.6em; height: auto !important;
  line-height: 1.4 !important; white-space: normal !important; overflow-wrap: anywhere;
  margin: 0 0 4px 0 !important; padding: 6px 4px; cursor: pointer; border-radius: 4px;
}
.course-selfcheck .widget-radio-box label:hover { background: #EEF4FA; }
.course-selfcheck .widget-radio-box input { flex: none; margin: 0.2em 0 0 0 !important; width: 18px; height: 18px; }
.course-selfcheck .widget-button { max-width: 100%; }
/* Focus that can be seen on every control. */
.jupyter-widgets :focus-visible, .jupyter-widgets:focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
/* Links in the text are underlined, so colour is not the only thing that marks them. */
.jp-RenderedMarkdown a, .jp-RenderedHTMLCommon a { text-decoration: underline !important; }
/* A figure opens at full size when tapped or clicked (and again to fit the screen), for phones. */
img.course-figure-img { cursor: zoom-in; }
.course-figure-full { overflow-x: auto !important; }
.course-figure-full img.course-figure-img { max-width: none !important; width: auto !important; cursor: zoom-out; }
/* On a phone: labels above their controls, slider tracks that can be reached, nothing off the right edge. */
@media (max-width: 640px) {
  .jupyter-widgets.widget-inline-hbox, .jupyter-widgets.widget-hbox { flex-wrap: wrap !important; }
  .jupyter-widgets.widget-inline-hbox { width: 100% !important; max-width: 100% !important; height: auto !important; }
  .jupyter-widgets.widget-inline-hbox > .widget-label { width: 100% !important; max-width: 100% !important;
    text-align: left !important; white-space: normal !important; }
  .widget-hslider .slider-container { flex: 1 1 auto !important; min-width: 60% !important; }
  .jupyter-widgets input, .jupyter-widgets select, .jupyter-widgets textarea { max-width: 100% !important;
    min-width: 0 !important; }
  .jupyter-widgets { max-width: 100% !important; }
}
/* Figures with many controls. course-beside: the picture stands beside its controls and stays in view while
   the learner works down them (sticky). course-pinned: controls and picture fit one window on a laptop, so
   only a narrow screen changes them. On a narrow screen (both classes) the picture sits above the controls,
   kept at the top of the window, and a control the keyboard brings into view lands below it. Sticky needs
   every box between the figure and the page's scroller to let it overflow. */
.jp-OutputArea:has(:is(.course-beside, .course-pinned)), .jp-OutputArea-child:has(:is(.course-beside, .course-pinned)),
.jp-OutputArea-output:has(:is(.course-beside, .course-pinned)), .course-beside, .course-pinned {
  overflow: visible !important; }
.course-beside > :first-child .widget-hbox { flex-wrap: wrap; max-width: 100%; }
.course-beside > :first-child .jupyter-widgets { max-width: 100%; min-width: 0; }
/* In the narrower column a long label wraps onto a second line instead of being cut or overprinted. */
.course-beside > :first-child .widget-inline-hbox { height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.course-beside > :first-child .widget-inline-hbox > .widget-label, .course-beside > :first-child .widget-label-basic,
.course-beside > :first-child .widget-label-basic span { white-space: normal !important; text-overflow: clip;
  overflow: visible; height: auto; line-height: 1.3; align-self: center; }
/* A slider in the column puts its label above a track wide enough to use. */
.course-beside > :first-child .widget-hslider { flex-wrap: wrap; }
.course-beside > :first-child .widget-hslider > .widget-label { width: 100% !important; max-width: 100% !important;
  text-align: left !important; }
.course-beside > :first-child .widget-hslider .slider-container { flex: 1 1 auto !important; min-width: 120px !important; }
:is(.course-beside, .course-pinned) > .course-figure { background: var(--jp-layout-color0, #FFFFFF); }
@media (min-width: 900px) {
  .course-beside { display: grid !important; grid-template-columns: minmax(320px, 1fr) minmax(0, max-content);
    grid-template-rows: auto 1fr; column-gap: 16px; align-items: start; }
  .course-beside > :first-child { grid-column: 1; grid-row: 1 / span 2; min-width: 0; }
  .course-beside > .course-message { grid-column: 2; grid-row: 1; }
  .course-beside > .course-figure { grid-column: 2; grid-row: 2; position: sticky; z-index: 2; top: 4px; }
}
@media (max-width: 899.98px) {
  :is(.course-beside, .course-pinned) > :is(.course-message, .course-figure) { order: -1; }
  :is(.course-beside, .course-pinned) > .course-figure { position: sticky; z-index: 2; top: 0;
    border-bottom: 1px solid #767676; box-shadow: 0 -16px 0 0 var(--jp-layout-color0, #FFFFFF); }
  :is(.course-beside, .course-pinned) img.course-figure-img { max-height: 40vh; width: auto !important; }
  :is(.course-beside, .course-pinned) .course-figure-full img.course-figure-img { max-height: none; }
  :is(.course-beside, .course-pinned) > :first-child :is(input, select, textarea, button, .noUi-handle) {
    scroll-margin-top: calc(40vh + 24px); }
}
/* Text for screen readers only (the live region that reads a figure's new description). */
.course-sr-only { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; border: 0; padding: 0; margin: -1px; }
"""

# A small script for what CSS cannot do, run once per page (JupyterLab runs it in a trusted output, Voila in
# the page): it names each slider's handle after the slider's label, says which toggle button is pressed,
# keeps the arrow keys of a focused dropdown for the dropdown (not for JupyterLab's cell selection), lets the
# keyboard reach a text cell that scrolls sideways, and reads out a figure's new text alternative when a control
# changes the picture.
PAGE_SCRIPT = """
(function () {
  if (window.__courseA11y) { return; }
  window.__courseA11y = true;
  function name(widget) {
    var label = widget.querySelector('.widget-label');
    var text = (label && label.textContent.trim()) || widget.getAttribute('title') || '';
    return text.replace(/:$/, '');
  }
  function fix() {
    document.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').forEach(function (w) {
      var text = name(w);
      w.querySelectorAll('.noUi-handle, [role=slider]').forEach(function (h) {
        if (text && h.getAttribute('aria-label') !== text) { h.setAttribute('aria-label', text); }
      });
    });
    document.querySelectorAll('.widget-toggle-button').forEach(function (b) {
      var on = b.classList.contains('mod-active') ? 'true' : 'false';
      if (b.getAttribute('aria-pressed') !== on) { b.setAttribute('aria-pressed', on); }
    });
    document.querySelectorAll('.jupyter-widgets select').forEach(function (s) {
      if (!s.hasAttribute('data-lm-suppress-shortcuts')) {
        s.setAttribute('data-lm-suppress-shortcuts', 'true');
        s.addEventListener('keydown', function (e) {
          if (/^Arrow|^Page|^Home$|^End$/.test(e.key)) { e.stopPropagation(); }
        });
      }
    });
    // A wide equation or table makes its text cell scroll sideways; a keyboard user must be able to reach that
    // scroll too, so the scrolling box takes focus (axe-core: scrollable-region-focusable).
    document.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedHTMLCommon').forEach(function (el) {
      if (el.hasAttribute('tabindex') || el.querySelector('.jupyter-widgets')) { return; }
      var cs = getComputedStyle(el);
      if ((el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(cs.overflowX))
          || (el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(cs.overflowY))) {
        el.setAttribute('tabindex', '0');
      }
    });
    document.querySelectorAll('img.course-figure-img').forEach(function (img) {
      if (!img.__courseZoom) {
        img.__courseZoom = true;
        img.setAttribute('tabindex', '0');
        img.setAttribute('title', 'Click or press Enter to see the figure at full size');
        var zoom = function () { img.parentNode.classList.toggle('course-figure-full'); };
        img.addEventListener('click', zoom);
        img.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); zoom(); } });
      }
      var live = img.parentNode.querySelector(':scope > .course-sr-only[aria-live]');
      if (!live) {
        live = document.createElement('div');
        live.className = 'course-sr-only';
        live.setAttribute('aria-live', 'polite');
        img.parentNode.appendChild(live);
        img.__courseAlt = img.alt;
      } else if (img.__courseAlt !== img.alt) {
        img.__courseAlt = img.alt;
        live.textContent = img.alt;
      }
    });
  }
  // Glossary links open beside the lesson, so the reader keeps their place; the page they open scrolls to the term
  // once it has been drawn (Voila draws the page after the browser has tried to scroll).
  document.querySelectorAll('a[href*="glossary.ipynb"]').forEach(function (a) {
    if (!/glossary\\.ipynb/.test(location.pathname) && !a.target) {
      a.target = '_blank';
      a.rel = 'noopener';
      a.setAttribute('aria-label', a.textContent.trim() + ' (glossary, opens in a new tab)');
    }
  });
  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { setTimeout(function () { target.scrollIntoView(); }, 50); }
  }
  var queued = false;
  new MutationObserver(function () {
    if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; fix(); }); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'alt', 'src']});
  fix();
})();
"""


def use_course_style():
    """Apply the course style to matplotlib for the rest of the session (call once per notebook).

    Returns :func:`page_style`, so that the imports cell, which ends with this call, also sets the page
    rules in JupyterLab and Voila (it shows nothing visible).
    """
    import matplotlib.style

    matplotlib.style.use(str(STYLE_PATH))
    return page_style()


def page_style():
    """The course's page rules (:data:`PAGE_CSS`, :data:`PAGE_SCRIPT`) as an invisible HTML display object."""
    from IPython.display import HTML

    return HTML(f"<style>{PAGE_CSS}</style><script>{PAGE_SCRIPT}</script>")


def course_style():
    """Context manager applying the course style only inside a ``with`` block (for scripts and tests)."""
    import matplotlib.style

    return matplotlib.style.context(str(STYLE_PATH))
