"""Printable handouts: valid PDFs with the right number of pages, and plain refusals of bad input."""
import io
import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from widgets import decisions, editions, handouts, process


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

def test_matplotlib_pages_stay_a4_under_the_course_style():
    """The course style crops saved figures to their ink (savefig.bbox: tight); a handout page must not be."""
    from pypdf import PdfReader

    from widgets.style import course_style

    with course_style():
        data = handouts.questions_handout_bytes()
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_calendar_handout_reads_the_current_rules_after_infusion():
    from widgets import process

    caption = handouts.PICTURE_HANDOUTS["timeline"][1]
    assert process.after_infusion_rules_text("plain") in caption
    assert "four weeks" not in caption


# --- The printed handouts (Chromium, A4, tagged): printed once for the whole module -------------------
#
# Measured on the PDFs themselves: page size and tags with pypdf and poppler's pdfinfo, margins and
# contrast on pages rasterised by pdftoppm, text sizes from the PDF's text operators.


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb") if re.match(r"\d\d[a-z]?_", p.stem) and p.stem[:2] != "00")
A4_PT = (595.28, 841.89)
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                                    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
                                   reason="poppler-utils is not installed (apt-get install poppler-utils); .ci/run installs it")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    folder = tmp_path_factory.mktemp("handouts")
    return {p.stem: p for p in handouts.course_handouts(folder)}


def _reader(path):
    from pypdf import PdfReader

    return PdfReader(str(path))


def _text(path) -> str:
    """The PDF's text, words joined by single spaces; Chromium's ligatures (fi, fl) read as letters again."""
    text = " ".join(page.extract_text() for page in _reader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _figures(path) -> list:
    """The /Figure elements of the PDF's structure tree, as their /Alt text (None when missing)."""
    found = []

    def walk(node, depth=0):
        node = node.get_object()
        if not hasattr(node, "get") or depth > 200:
            return
        if node.get("/S") == "/Figure":
            found.append(node.get("/Alt"))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid, depth + 1)

    walk(_reader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_there_is_one_take_home_page_per_lesson_and_every_picture_handout(printed):
    assert LESSONS == sorted(handouts.LESSON_HANDOUTS), "every lesson needs a take-home page (LESSON_HANDOUTS)"
    assert set(printed) == ({f"take-home-{nb}" for nb in LESSONS} | set(handouts.PICTURE_HANDOUTS) | {"questions"})
    for nb in LESSONS:  # the picture side, (the whole journey,) then the key points and questions on one side
        pages = len(_reader(printed[f"take-home-{nb}"]).pages)
        assert pages == (3 if nb == "03_process" else 2), (
            f"the take-home page of {nb} now prints on {pages} sides: its key points and questions no longer fit "
            "on one side of A4 (shorten them, or the caption)")
    assert len(_reader(printed["questions"]).pages) == 1
    assert all(len(_reader(printed[stem]).pages) == (2 if stem == "journey" else 1) for stem in handouts.PICTURE_HANDOUTS)


def test_every_page_is_true_a4(printed):
    for stem, path in printed.items():
        for page in _reader(path).pages:
            size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
            assert size == pytest.approx(A4_PT, abs=1.0), f"{stem}: {size} pt is not A4"


@needs_poppler
def test_pdfinfo_says_tagged_and_a4(printed):
    for stem, path in printed.items():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes", info, re.M), f"{stem}: {info}"
        assert "(A4)" in info, f"{stem}: {info}"


def test_pictures_carry_their_text_alternative_in_the_structure_tree(printed):
    for stem, path in printed.items():
        root = _reader(path).trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]), stem
        alts = _figures(path)
        assert len(alts) == (0 if stem == "questions" else 1), f"{stem}: {len(alts)} Figure elements"
        for alt in alts:
            assert alt and len(str(alt)) > 40, f"{stem}: a picture without its text alternative"


def test_the_lesson_picture_alt_is_the_views_own(printed):
    alt = str(_figures(printed["take-home-01_sle"])[0])
    assert alt.startswith("Flow diagram of how lupus harms the kidneys")


@needs_poppler
def test_nothing_is_drawn_within_12_mm_of_the_edge(printed, tmp_path):
    from PIL import Image

    dpi, margin_mm = 50, 12.0
    band = math.ceil(margin_mm / 25.4 * dpi)
    for stem, path in printed.items():
        prefix = tmp_path / stem
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(prefix)], check=True)
        for png in sorted(tmp_path.glob(f"{stem}-*.png")):
            image = Image.open(png).convert("L")
            w, h = image.size
            for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
                darkest = image.crop(box).getextrema()[0]
                assert darkest >= 250, f"{png.name}: something is drawn within {margin_mm} mm of the edge {box}"


def _text_sizes(path) -> list[tuple[float, str]]:
    sizes = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            sizes.append((size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), text.strip()))

    for page in _reader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_no_text_is_smaller_than_9_pt_on_paper(printed):
    for stem, path in printed.items():
        sizes = _text_sizes(path)
        assert sizes, f"{stem}: no text found"
        smallest = min(sizes)
        assert smallest[0] >= handouts.MIN_TEXT_PT - 0.05, f"{stem}: {smallest[1]!r} prints at {smallest[0]:.1f} pt"


def test_picture_text_prints_at_9_pt_or_more():
    from widgets.style import course_style

    with course_style():
        for view_path, _caption in handouts.LESSON_HANDOUTS.values():
            view = handouts._build(view_path)
            printed = handouts.print_picture(view.figure, 10.5, handouts._PICTURE_MAX_HEIGHT_IN)
            assert printed["smallest_pt"] >= handouts.MIN_TEXT_PT, view_path
            assert printed["width_in"] <= 10.5 + 1e-9 and printed["height_in"] <= handouts._PICTURE_MAX_HEIGHT_IN + 1e-9


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@needs_poppler
def test_the_disclaimer_prints_in_readable_contrast(printed, tmp_path):
    """Measured on paper: each word of the disclaimer, its darkest pixel against the colour most common around it."""
    from collections import Counter

    from PIL import Image

    dpi = 150
    words = set(re.findall(r"[A-Za-z]{6,}", decisions.NOT_MEDICAL_ADVICE))
    for stem in ("take-home-01_sle", "journey", "questions"):
        path = printed[stem]
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / stem)],
                       check=True)
        image = Image.open(next(tmp_path.glob(f"{stem}-*1.png"))).convert("RGB")
        bbox = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        boxes = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', bbox)]
        measured = 0
        for x0, y0, x1, y1, word in boxes:
            if word.strip(".,:") not in words:
                continue
            crop = image.crop(tuple(round(v * dpi / 72) for v in (x0, y0, x1, y1)))
            pixels = [crop.getpixel((x, y)) for x in range(crop.width) for y in range(crop.height)]
            background = Counter(pixels).most_common(1)[0][0]
            ink = min(pixels, key=_luminance)
            assert _contrast(ink, background) >= 4.5, f"{stem}: {word!r} at {_contrast(ink, background):.2f}:1"
            measured += 1
        assert measured >= len(words) - 1, f"{stem}: found {measured} of the disclaimer's words"


def test_every_caption_reads_at_grade_8_or_lower():
    captions = [c for _t, c, _v in handouts.PICTURE_HANDOUTS.values()] + [c for _v, c in handouts.LESSON_HANDOUTS.values()]
    for caption in captions:
        assert editions.reading_grade(caption) <= 8.0, f"grade {editions.reading_grade(caption):.1f}: {caption}"


def test_the_journey_handouts_show_every_step(printed):
    for stem in ("journey", "take-home-03_process"):
        text = _text(printed[stem])
        for step in process.JOURNEY:
            assert _squeeze(step.name) in text, f"{stem} lacks the step {step.name!r}"
            assert _squeeze(step.what)[:60] in text, f"{stem} lacks what happens at {step.name!r}"


def test_take_home_pages_hold_the_lessons_own_key_points_and_questions(printed):
    for nb in LESSONS:
        text = _text(printed[f"take-home-{nb}"])
        points = handouts.lesson_key_points(nb)
        assert len(points) >= 3
        for point in points:
            assert _squeeze(point) in text, f"{nb}: key point missing: {point}"
        for question in handouts.lesson_questions(nb):
            assert _squeeze(question.prompt) in text, f"{nb}: question missing: {question.prompt}"
            assert _squeeze(question.options[question.correct]) in text
        assert _squeeze(decisions.NOT_MEDICAL_ADVICE) in text


def test_key_points_are_read_from_the_notebook_not_retyped(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), nbformat.v4.new_markdown_cell("## Key points"),
                nbformat.v4.new_markdown_cell("**In plain words.**\n\n- One [linked](glossary.ipynb#X) point.\n- Two."),
                nbformat.v4.new_markdown_cell("**For clinicians.**\n\n- Depth.")]
    nbformat.write(nb, tmp_path / "09_x.ipynb")
    assert handouts.lesson_key_points("09_x", tmp_path) == ["One linked point.", "Two."]
    assert handouts.lesson_title("09_x", tmp_path) == "A lesson"
    nb.cells = nb.cells[:2]
    nbformat.write(nb, tmp_path / "09_x.ipynb")
    with pytest.raises(ValueError, match="no key points in plain words"):
        handouts.lesson_key_points("09_x", tmp_path)
    with pytest.raises(ValueError, match="no file"):
        handouts.lesson_key_points("99_missing", tmp_path)


def test_the_committed_handouts_match_the_lessons(printed):
    """notebooks/handouts/ holds the PDFs the lessons link to; run `make handouts` when this fails."""
    for stem, fresh in printed.items():
        committed = NOTEBOOKS / "handouts" / f"{stem}.pdf"
        assert committed.is_file(), f"{committed} is missing: run make handouts"
        assert _text(committed) == _text(fresh), f"{committed.name} is out of date: run make handouts"


def test_each_lesson_links_to_its_take_home_page_in_both_editions(tmp_path):
    import nbformat

    for nb in LESSONS:
        source = (NOTEBOOKS / f"{nb}.ipynb").read_text()
        assert f"](handouts/take-home-{nb}.pdf)" in source, f"{nb} does not link to its take-home page"
    written = editions.build_patient_edition(NOTEBOOKS, tmp_path / "patient", [f"{nb}.ipynb" for nb in LESSONS])
    for path in written:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        link = re.search(r"\]\((\.\./handouts/take-home-[^)]+\.pdf)\)", text)
        assert link, f"patient edition of {path.name} lacks the take-home link"
        assert (NOTEBOOKS / "patient" / link.group(1)).resolve() == (NOTEBOOKS / "handouts" / f"take-home-{path.stem}.pdf").resolve()


def test_the_builders_refuse_bad_input_plainly(tmp_path):
    with pytest.raises(ValueError, match="accepted"):
        handouts.lesson_handout_html("99_nothing")
    with pytest.raises(ValueError, match="accepted"):
        handouts.picture_handout_html("nothing")
    with pytest.raises(TypeError):
        handouts.print_picture("not a figure", 5, 5)
    with pytest.raises(TypeError):
        handouts.course_handouts(42)
    with pytest.raises(TypeError):
        handouts.print_html_pages("<html>", tmp_path)
    with pytest.raises(ValueError, match="plain file name"):
        handouts.print_html_pages({"../x": "<html></html>"}, tmp_path)


@needs_chromium
def test_printing_works_where_an_asyncio_loop_runs(tmp_path):
    """A notebook's kernel (and some test runners) run an asyncio loop, where Playwright's sync API refuses."""
    import asyncio

    async def inside_a_loop():
        return handouts.print_html_pages({"tiny": "<html><body><p>Hello</p></body></html>"}, tmp_path)

    try:  # the full test run may already run a loop in this thread: the very case to prove
        asyncio.get_running_loop()
        (path,) = handouts.print_html_pages({"tiny": "<html><body><p>Hello</p></body></html>"}, tmp_path)
    except RuntimeError:
        (path,) = asyncio.run(inside_a_loop())
    assert path.read_bytes().startswith(b"%PDF")
