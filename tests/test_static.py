"""Every course widget offers a static version of itself in its display data (widgets/static.py).

Pages without a kernel (GitHub, nbviewer, the site, its PDF) show it; JupyterLab and Voila keep
the live widget (tests/browser). The static version reuses what the widget drew: no second render.
"""
import base64
import importlib
import inspect

import pytest

from widgets import evidence_views, decisions_views, figure, process, question, selfcheck, static

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VIEW_MODULES = ("sle_views", "cart_views", "clinical_views", "process_views", "kinetics_views",
                "evidence_views", "decisions_views")


def _figure_views():
    found = {}
    for name in VIEW_MODULES:
        module = importlib.import_module(f"widgets.{name}")
        for obj in vars(module).values():
            if (inspect.isclass(obj) and issubclass(obj, figure.FigureView) and obj.__module__ == module.__name__
                    and not obj.__name__.startswith("_")):
                found[f"{name}.{obj.__name__}"] = obj
    return found


FIGURE_VIEWS = _figure_views()


def test_every_view_module_has_figure_views():
    assert len(FIGURE_VIEWS) >= 15, sorted(FIGURE_VIEWS)


@pytest.mark.parametrize("name", sorted(FIGURE_VIEWS))
def test_figure_view_offers_its_drawn_picture(name, monkeypatch):
    view = FIGURE_VIEWS[name]()

    def no_second_render(*args, **kwargs):
        raise AssertionError("the static version must reuse the PNG already drawn")

    monkeypatch.setattr(figure, "figure_png", no_second_render)
    bundle = view._repr_mimebundle_()
    assert WIDGET_VIEW in bundle, "JupyterLab and Voila need the live widget"
    assert bundle["image/png"] == static.png_base64(view.image.value)
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    page = bundle["text/html"]
    assert bundle["image/png"] in page and 'alt="' in page and "JupyterLab" in page
    assert f'<a href="{static.BINDER_URL}">on Binder</a>' in page
    assert bundle["text/plain"] == view.alt_text and len(view.alt_text) > 10


def test_static_picture_names_the_setting_and_shows_a_message():
    from widgets.process_views import JourneyView

    view = JourneyView(step=3)
    assert "(Step: 3)" in view._repr_mimebundle_()["text/html"]
    view.show_message("step must be 1 to 8; got 9.")
    assert 'role="note">step must be 1 to 8; got 9.</p>' in view._repr_mimebundle_()["text/html"]


def test_static_figure_offers_its_picture_without_a_live_note():
    fig, ax = figure.new_figure()
    ax.bar([0], [1])
    bundle = figure.StaticFigure(fig, "One bar of height 1.")._repr_mimebundle_()
    assert bundle["text/plain"] == "One bar of height 1." and bundle["image/png"]
    assert 'alt="One bar of height 1."' in bundle["text/html"] and "Binder" not in bundle["text/html"]


def test_figure_with_nothing_drawn_says_so_in_words():
    assert static.figure_static_html("", "A bar chart.") == '<div class="course-static"><p>A bar chart.</p></div>'


def test_self_check_folds_each_answer_into_details():
    check = selfcheck.SelfCheck(process.SELF_CHECK)
    bundle = check._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    page = bundle["text/html"]
    assert page.count("<details><summary>Show the answer</summary>") == len(process.SELF_CHECK)
    for q in process.SELF_CHECK:
        answer = page.split(q.prompt.replace("'", "&#x27;"), 1)[1].split("</details>", 1)[0]
        assert f"Answer: {q.options[q.correct]}".replace("'", "&#x27;") in answer
    assert bundle["text/plain"].endswith("; ".join(f"{n}. {'abcd'[q.correct]}"
                                                   for n, q in enumerate(process.SELF_CHECK, 1)))


def test_self_check_text_escapes_html():
    q = question.Question("Is 1 < 2?", ("yes <b>", "no"), 0, ("Right.", "Wrong."))
    page = static.questions_html([q])
    assert "Is 1 &lt; 2?" in page and "yes &lt;b&gt;" in page and "yes <b>" not in page


def test_tables_offer_their_html():
    table = evidence_views.StudyTable()
    bundle = table._repr_mimebundle_()
    assert table.table.value in bundle["text/html"] and table.notes.value in bundle["text/html"]
    assert "children=" not in bundle["text/plain"]
    checklist = decisions_views.CandidateChecklist()._repr_mimebundle_()
    assert checklist["text/html"].count("<li>") >= 5 and static.BINDER_URL in checklist["text/html"]
    assert decisions_views.CandidateChecklist.FOOTER in checklist["text/plain"]


def test_settings_text_names_the_first_controls_only():
    class W:
        def __init__(self, description, value):
            self.description, self.value = description, value

    controls = {k: W(f"{k}:", i) for i, k in enumerate("abcde")}
    assert static.settings_text(controls) == "a: 0; b: 1; c: 2; ..."
    assert static.settings_text({"x": W("", 1), "y": W("Y", (1, 2))}) == ""
