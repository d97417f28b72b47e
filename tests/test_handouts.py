"""Printable handouts: valid PDFs with the right number of pages, and plain refusals of bad input."""
import pytest
from matplotlib.figure import Figure

from widgets import decisions, handouts


def _pages(path_or_bytes) -> int:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    assert data.startswith(b"%PDF")
    return handouts.count_pdf_pages(data)


def test_questions_handout_is_a_one_page_pdf(tmp_path):
    path = handouts.questions_handout(tmp_path / "questions.pdf")
    assert path.exists()
    assert _pages(path) == 1


def test_questions_page_is_a4_and_holds_every_question_and_the_warning():
    fig = handouts.questions_page()
    width, height = fig.get_size_inches()
    assert (round(width * 25.4), round(height * 25.4)) == (210, 297)
    text = "\n".join(t.get_text() for t in fig.texts).replace("\n", " ")
    squeezed = " ".join(text.split())
    for _topic, question in decisions.QUESTIONS_TO_ASK:
        assert " ".join(question.split()) in squeezed, question
    assert "not medical advice" in squeezed and decisions.COURSE_NAME in squeezed
    lowest = min(t.get_position()[1] for t in fig.texts)
    assert lowest >= 0.02  # nothing falls off the page


def test_write_pdf_counts_one_page_per_figure(tmp_path):
    figs = [Figure(figsize=handouts.A4_INCHES) for _ in range(3)]
    assert _pages(handouts.write_pdf(tmp_path / "three.pdf", figs)) == 3
    assert _pages(handouts.pdf_bytes(figs[0])) == 1


def test_pdf_bytes_are_reproducible():
    assert handouts.questions_handout_bytes() == handouts.questions_handout_bytes()


def test_page_counter_ignores_the_pages_tree():
    assert handouts.count_pdf_pages(b"%PDF-1.4 /Type /Pages /Type /Page /Type/Page") == 2
    with pytest.raises(ValueError, match="not a PDF"):
        handouts.count_pdf_pages(b"hello")


def test_write_pdf_refuses_bad_input(tmp_path):
    fig = Figure()
    with pytest.raises(ValueError, match="empty"):
        handouts.write_pdf(tmp_path / "x.pdf", [])
    with pytest.raises(TypeError, match=r"pages\[1\]"):
        handouts.write_pdf(tmp_path / "x.pdf", [fig, "not a figure"])
    with pytest.raises(ValueError, match=".pdf"):
        handouts.write_pdf(tmp_path / "x.png", [fig])
    with pytest.raises(ValueError, match="does not exist"):
        handouts.write_pdf(tmp_path / "missing" / "x.pdf", [fig])
    with pytest.raises(TypeError):
        handouts.write_pdf(42, [fig])


def test_download_link_embeds_the_pdf_and_fetches_nothing():
    html = handouts.questions_handout_link().data
    assert 'download="questions-for-your-care-team.pdf"' in html
    assert 'href="data:application/pdf;base64,JVBERi' in html  # base64 of "%PDF"
    assert "http" not in html
    with pytest.raises(ValueError):
        handouts.download_link(b"not a pdf", "x.pdf", "x")
    with pytest.raises(ValueError):
        handouts.download_link(handouts.questions_handout_bytes(), "x.txt", "x")


# --- make handouts: the course's key pictures ---------------------------------------------

def test_course_handouts_writes_one_page_per_picture_and_the_questions(tmp_path):
    written = handouts.course_handouts(tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == sorted([f"{stem}.pdf" for stem in handouts.PICTURE_HANDOUTS] + ["questions.pdf"])
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and handouts.count_pdf_pages(data) == 1, path.name
        assert len(data) > 20_000, f"{path.name} looks empty"


def test_picture_page_needs_a_caption():
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="caption"):
        handouts.picture_page(Figure(), "Title", " ")


def test_calendar_handout_reads_the_current_rules_after_infusion():
    from widgets import process

    caption = handouts.PICTURE_HANDOUTS["timeline"][1]
    assert process.after_infusion_rules_text("plain") in caption
    assert "four weeks" not in caption
