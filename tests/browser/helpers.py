"""What the JupyterLab and the Voila browser tests share: changing a control as a learner would,
reading a figure's picture, and telling the machine's own requests from the outside world's."""
from __future__ import annotations

from urllib.parse import urlparse

__all__ = ["LOCAL_HOSTS", "is_local", "img_src", "change_control"]

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
