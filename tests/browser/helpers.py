"""What the JupyterLab and the Voila browser tests share: changing a control as a learner would,
reading a figure's picture, and telling the machine's own requests from the outside world's."""
from __future__ import annotations

from urllib.parse import urlparse

__all__ = ["LOCAL_HOSTS", "is_local", "img_src", "change_control", "assert_alt_texts", "assert_figures_respond",
           "assert_self_check_answers"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", None, ""}


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
