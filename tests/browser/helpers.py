"""What the JupyterLab and the Voila browser tests share: changing a control as a learner would,
reading a figure's picture, and telling the machine's own requests from the outside world's."""
from __future__ import annotations

from urllib.parse import urlparse

__all__ = ["LOCAL_HOSTS", "VOILA_READY_JS", "is_local", "img_src", "change_control", "assert_alt_texts",
           "assert_controls_with_their_picture", "assert_calculators_open_on_a_picture",
           "assert_figures_respond", "assert_self_check_answers"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", None, ""}

# A Voila page is ready when every output placeholder has been replaced and at least ``n`` outputs
# (the page's widget placeholders) hold a rendered widget with no "Loading widget..." left.
# Outputs arrive as <script type="application/vnd.voila.cell-output+json"> placeholders (a widget's
# names the mime type application/vnd.jupyter.widget-view+json); Voila's widget manager removes
# them, shows "Loading widget..." and then the view. Argument: n.
VOILA_READY_JS = """n => { const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
    return !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')
           && outs.filter(o => o.querySelector('.jupyter-widgets')).length >= n
           && outs.every(o => !/Loading widget/.test(o.textContent)); }"""


def is_local(url: str) -> bool:
    """True when ``url`` stays on this machine (or is a data:/blob: URL, which has no host)."""
    return urlparse(url).hostname in LOCAL_HOSTS


def img_src(panel):
    """The ``src`` of the first course figure in ``panel`` (None when it has no picture yet)."""
    img = panel.locator("img.course-figure-img").first
    return img.get_attribute("src") if img.count() else None


def change_control(control, page):
    """Change one widget control the way a learner would; return a label for messages."""
    select = control.locator("select")
    if select.count():
        values = select.first.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.first.input_value()
        select.first.select_option(next(v for v in values if v != current))
        return "dropdown"
    handle = control.locator(".noUi-handle")
    if handle.count():
        handle.first.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        return "slider"
    toggles = control.locator("button.widget-toggle-button:not(.mod-active)")
    if toggles.count():
        toggles.first.click()
        return "toggle buttons"
    box = control.locator("input[type=checkbox]")
    if box.count():
        box.first.click()
        return "checkbox"
    radios = control.locator("input[type=radio]:not(:checked)")
    if radios.count():
        radios.first.check()
        return "radio buttons"
    number = control.locator("input[type=number], input[type=text]")
    if number.count():
        old = number.first.input_value()
        number.first.fill(str(float(old or 0) + 1))
        number.first.press("Enter")
        return "number field"
    button = control.locator("button")
    if button.count():
        button.first.click()
        return "button"
    raise AssertionError("primary control of unknown type")


def assert_alt_texts(images, page_name: str) -> None:
    """Every picture in ``images`` (a locator) has a text alternative a screen reader can read."""
    for i in range(images.count()):
        alt = images.nth(i).get_attribute("alt")
        assert alt and len(alt.strip()) > 10, f"image {i} in {page_name} lacks a text alternative"


def assert_figures_respond(page, settled) -> None:
    """Change the primary control of every interactive figure; its picture must change, with no error.

    ``settled(page)`` waits until the kernel has finished (the two front ends show that differently).
    """
    panels = page.locator(".course-interactive")
    for i in range(panels.count()):
        panel = panels.nth(i)
        panel.scroll_into_view_if_needed()
        before = img_src(panel)
        kind = change_control(panel.locator(".course-primary-control").first, page)
        page.wait_for_function(
            """([el, src]) => { const img = el.querySelector('img.course-figure-img');
                                  return img && img.getAttribute('src') !== src; }""",
            arg=[panel.element_handle(), before], timeout=20_000,
        )
        settled(page)
        assert panel.locator(".course-message [role=alert]").count() == 0, (
            f"figure {i}: changing its {kind} showed an error: {panel.locator('.course-message').inner_text()}")
        assert panel.locator("img.course-figure-img").first.get_attribute("alt"), f"figure {i} lost its alt text"


def assert_self_check_answers(page) -> None:
    """Answer the first self-check question; feedback must appear."""
    questions = page.locator(".course-question")
    if questions.count():
        q = questions.first
        q.scroll_into_view_if_needed()
        q.locator("input[type=radio]").first.check()
        q.locator("button", has_text="Check answer").click()
        page.wait_for_function(
            "el => el.querySelector('.course-feedback [role=status]')", arg=q.element_handle(), timeout=10_000)


# The widths a workshop meets: a laptop, a small laptop or tablet, a phone.
VIEWPORT_WIDTHS_PX = (1366, 1024, 390)
_OPTION_GEOMETRY = """box => [...box.querySelectorAll('label')].map(label => {
    const r = label.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(label);
    const lines = [...range.getClientRects()].filter(x => x.width > 1 && x.height > 1)
                                               .map(x => [x.left, x.top, x.right, x.bottom]);
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, lines: lines,
            text: label.textContent.trim().slice(0, 60)};
})"""


def assert_self_check_options_clickable(page, widths=VIEWPORT_WIDTHS_PX) -> None:
    """At each width, no two options of a question overlap, each option's text stays inside its own row and
    on screen, and a click on the last line of an option's text selects that option (not its neighbour)."""
    boxes = page.locator(".course-selfcheck .widget-radio-box")
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": 800})
            page.wait_for_timeout(200)
            for b in range(boxes.count()):
                box = boxes.nth(b)
                geometry = box.evaluate(_OPTION_GEOMETRY)
                for upper, lower in zip(geometry, geometry[1:]):
                    assert upper["bottom"] <= lower["top"] + 0.5, (
                        f"at {width} px, question {b + 1}: option {upper['text']!r} runs over {lower['text']!r}")
                for g in geometry:
                    for left, top, right, bottom in g["lines"]:
                        assert g["top"] - 1 <= top and bottom <= g["bottom"] + 1, (
                            f"at {width} px, question {b + 1}: text of {g['text']!r} leaves its row")
                        assert right <= width + 1, f"at {width} px, question {b + 1}: {g['text']!r} runs off screen"
                labels = box.locator("label")
                for i in range(labels.count()):
                    label = labels.nth(i)
                    label.scroll_into_view_if_needed()
                    left, top, right, bottom = box.evaluate(_OPTION_GEOMETRY)[i]["lines"][-1]
                    page.mouse.click((left + right) / 2, (top + bottom) / 2)
                    assert label.locator("input").is_checked(), (
                        f"at {width} px, question {b + 1}: clicking the text of option {i + 1} did not select it")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


AXE_RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_no_serious_accessibility_violations(page, axe_script: str, context="document") -> None:
    """axe-core over the page, no serious or critical WCAG A/AA violation. ``context`` is "document", a CSS selector
    (its first match) or an axe context ``{"include": [selectors], "exclude": [selectors]}`` (every match)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script)
    violations = page.evaluate(
        """async ([context, tags]) => {
             const root = context === 'document' ? document
                          : typeof context === 'string' ? document.querySelector(context) : context;
             const result = await axe.run(root, {runOnly: {type: 'tag', values: tags}});
             return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => `${v.id} (${v.impact}, ${v.nodes.length}x): ${v.help}; e.g. ${v.nodes[0].target.join(' ')}`
                         + ` -- ${(v.nodes[0].failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)}`);
           }""", [context, AXE_RULE_TAGS])
    assert not violations, "axe-core found:\n" + "\n".join(violations)


PHONE_WIDTH_PX = 390
SLIDER_TRACK_MIN_PX = 100  # enough to reach every value of a 0-5 slider with a finger


def assert_controls_fit_a_phone(page) -> None:
    """At phone width: every slider has a track a finger can use, no control runs off the right edge, and a
    figure opens at full size when tapped."""
    try:
        page.set_viewport_size({"width": PHONE_WIDTH_PX, "height": 800})
        page.wait_for_timeout(300)
        found = page.evaluate("""() => {
          const tracks = [...document.querySelectorAll('.widget-hslider .slider-container')]
            .map(s => Math.round(s.getBoundingClientRect().width));
          const wide = [...document.querySelectorAll(
              '.jupyter-widgets input, .jupyter-widgets select, .jupyter-widgets button, .widget-hslider')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => (e.closest('.widget-inline-hbox')?.textContent || e.className).trim().slice(0, 50));
          return {tracks, wide};
        }""")
        narrow = [w for w in found["tracks"] if w < SLIDER_TRACK_MIN_PX]
        assert not narrow, f"at {PHONE_WIDTH_PX} px, slider tracks only {narrow} px wide"
        assert not found["wide"], f"at {PHONE_WIDTH_PX} px, controls run off the screen: {found['wide'][:5]}"
        images = page.locator("img.course-figure-img")
        if images.count():
            img = images.first
            img.scroll_into_view_if_needed()
            fitted = img.bounding_box()["width"]
            img.click()
            page.wait_for_timeout(150)
            full = img.bounding_box()["width"]
            img.click()
            assert full > fitted + 50, f"tapping a figure did not open it at full size ({fitted} -> {full} px)"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# For every control of every interactive figure: bring the control into view as the keyboard does (the nearest
# edge), and if the picture is then not in view, scroll on until the pair's top reaches the top of the window,
# as a learner would. Then the control must be in the window, not covered (by a picture kept in view), and at
# least 80% of the picture (or of the window, for a picture taller than it) must show. Returns one line per
# failure and, per figure, the largest vertical gap between a control and its picture as the learner then sees them.
_CONTROLS_WITH_PICTURE = """() => {
  const scroller = el => { for (let e = el.parentElement; e; e = e.parentElement) {  // the page's, not a widget's
      const s = getComputedStyle(e);
      if (/(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1 && !e.closest('.jupyter-widgets')) return e; }
    return document.scrollingElement; };
  const failures = [], distances = {};
  for (const panel of document.querySelectorAll('.course-interactive')) {
    const view = [...panel.classList].find(c => c.startsWith('course-view-')).slice(12);
    const img = panel.querySelector('img.course-figure-img');
    if (!img) { failures.push(`${view}: no picture`); continue; }
    const controls = [...panel.querySelectorAll('input, select, textarea, button, .noUi-handle')]
      .filter(e => !e.closest('.course-figure') && e.getClientRects().length);
    let worst = 0;
    for (const control of controls) {
      control.scrollIntoView({block: 'nearest'});
      let c = control.getBoundingClientRect(), p = img.getBoundingClientRect();
      const shown = () => Math.min(p.bottom, innerHeight) - Math.max(p.top, 0);
      const needed = 0.8 * Math.min(p.height, innerHeight);
      if (shown() < needed) {
        scroller(panel).scrollBy(0, Math.min(c.top, p.top) - 4);
        c = control.getBoundingClientRect(); p = img.getBoundingClientRect();
      }
      worst = Math.max(worst, p.top - c.bottom, c.top - p.bottom, 0);
      const x = (c.left + c.right) / 2, y = (c.top + c.bottom) / 2;
      const hit = document.elementFromPoint(x, y);
      const widget = control.closest('.jupyter-widgets:not(.widget-box)') || control;
      const label = (control.closest('.widget-inline-hbox, .widget-hbox')?.textContent || control.className)
        .trim().replace(/\\s+/g, ' ').slice(0, 50);
      if (c.top < -1 || c.bottom > innerHeight + 1) failures.push(`${view}: control "${label}" not in the window`);
      else if (!hit || !(widget.contains(hit) || hit.contains(control)))
        failures.push(`${view}: control "${label}" is covered (by ${hit && hit.className})`);
      if (shown() < needed)
        failures.push(`${view}: with control "${label}" in view, only ${Math.round(shown())} of ` +
                      `${Math.round(p.height)} px of the picture show`);
    }
    distances[view] = Math.round(worst);
  }
  return {failures, distances};
}"""


def assert_controls_with_their_picture(page, sizes=((1366, 768), (1024, 768), (390, 800))) -> dict:
    """At each window size, every control of every figure can be seen together with the picture it changes
    (the picture beside it or kept in view, widgets.style ``course-beside``). Returns the distances measured
    at the first size (figure -> largest gap in px between a control in view and its picture)."""
    measured = {}
    try:
        for width, height in sizes:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(200)
            found = page.evaluate(_CONTROLS_WITH_PICTURE)
            assert not found["failures"], (f"at {width}x{height} px, controls without their picture:\n"
                                           + "\n".join(found["failures"][:12]))
            measured.setdefault("distances", found["distances"])
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    return measured.get("distances", {})


# The calculators (widgets.clinical_views) open on a worked fictional case, not on an empty chart; their text
# alternative says when the chart is empty.
CALCULATOR_VIEWS = ("Sledai2kView", "EularAcr2019View", "CrsView", "IcansView", "IcahtView", "DamageIndexView",
                    "TreatToTargetView")
EMPTY_PICTURE_WORDS = ("no descriptor ticked", "no criterion ticked", "no item scored", "score 0 ", "grade 0:")


def assert_calculators_open_on_a_picture(page) -> None:
    """The first picture of every calculator on the page shows a result (call before changing any control)."""
    for view in CALCULATOR_VIEWS:
        images = page.locator(f".course-view-{view} img.course-figure-img")
        for i in range(images.count()):
            alt = images.nth(i).get_attribute("alt") or ""
            empty = [w for w in EMPTY_PICTURE_WORDS if w in alt.lower()]
            assert not empty, f"{view} opens on an empty chart ({empty[0]!r}): {alt[:200]}"
