"""A small Sphinx extension for the offline course site.

myst-nb copies the executed notebook's saved widget state into each page as a JSON script, for a
widget manager to bring the widgets back to life. The course site loads no widget manager (it
shows the static pictures the widgets put in their display data), so the state is dead weight
(about 0.4 MB on notebook 03): drop it.
"""
from __future__ import annotations


def _drop_widget_state(app, doctree) -> None:
    from myst_nb.sphinx_ import NbMetadataCollector

    data = NbMetadataCollector.get_doc_data(app.env).get(app.env.docname, {})
    data.get("js_files", {}).pop("ipywidgets_state", None)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
