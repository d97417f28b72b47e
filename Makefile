# The course's two front-door commands are `make lab` and `make test`; the rest serve them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter refuses to start as root unless told it is deliberate (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install notebooks clean check-content patient-edition site pdf

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The runtime packages at the exact versions Binder uses (binder/environment.yml), so that the tests
# check what learners on Binder run.
$(STAMP): pyproject.toml binder/environment.yml | $(BIN)/python
	sed -n 's/^ *- *\([A-Za-z0-9_.-]*==[0-9][0-9A-Za-z.]*\) *$$/\1/p' binder/environment.yml > $(VENV)/binder-pins.txt
	$(BIN)/python -m pip install --quiet -e '.[test]' -c $(VENV)/binder-pins.txt
	$(BIN)/python jupyter-config/use_local_mathjax.py
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/01_sle.ipynb

# Two test processes by default (pytest-xdist; a file's tests stay on one): `make test TEST_WORKERS=1` runs one.
TEST_WORKERS ?= 2
test: $(STAMP) patient-edition
	$(BIN)/python -m pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadscope,) $(PYTEST_ARGS)

# The patient edition: the lessons' plain-language cells (audience tags, widgets/editions.py), written to
# notebooks/patient/ (not committed: built from the one source). make workshop serves it by default.
patient-edition: $(STAMP)
	$(BIN)/python -m widgets.editions build notebooks notebooks/patient

# Put every notebook in the committed canonical state (see tests/test_notebook_state.py).
notebooks: $(STAMP)
	$(BIN)/python -m tests.canonical_notebooks notebooks/*.ipynb

# Check every content file in widgets/content/ (studies, questions, glossary, references, journey, care
# team, checklist, consent) and every glossary link; prints each problem in plain words. Also part of make test.
check-content: $(STAMP)
	$(BIN)/python -m widgets.content_loader

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts _build

# The course as a static website in _build/html (open _build/html/index.html), built offline with
# warnings as errors; notebooks are executed once and cached in _build/ (book/build.py).
site: $(STAMP)
	$(BIN)/python -m book.build

# The whole course as one A4 PDF, _build/course.pdf, printed from the site by Debian's Chromium.
pdf: $(STAMP)
	$(BIN)/python -m book.pdf

# Workshop mode: every notebook as a web page with its code hidden and its figures live (Voila),
# starting from the course map. `python -m workshop` is Voila with the settings of workshop/voila.json
# (idle culling, kernel limit, Host check, a message when a page's kernel is gone). A room on the
# local network: `make workshop WORKSHOP_IP=0.0.0.0` (read the caveats in README.md first). Voila picks no other port: a busy port is an error, so the
# address printed here is the one served.
WORKSHOP_IP   ?= 127.0.0.1
WORKSHOP_PORT ?= 8866
WORKSHOP_HOST := $(if $(filter 0.0.0.0,$(WORKSHOP_IP)),$(or $(firstword $(shell hostname -I 2>/dev/null)),THIS-MACHINE),$(WORKSHOP_IP))

.PHONY: workshop bench handouts fit-kinetics

# The patient edition is the default start page; `make workshop EDITION=full` starts on the full course map.
EDITION ?= patient
WORKSHOP_MAP := $(if $(filter full,$(EDITION)),00_course_map.ipynb,patient/00_course_map.ipynb)

# A room opening the same lesson together: `make workshop ROOM=30` executes ROOM_LESSON (the edition's
# first lesson unless named) in 30 kernels before the room arrives (about 2 s of one core and 130 MB each).
ROOM ?= 0
ROOM_LESSON ?= $(if $(filter full,$(EDITION)),01_sle.ipynb,patient/01_sle.ipynb)
ROOM_ARGS := $(if $(filter-out 0,$(ROOM)),--WorkshopVoila.room_size=$(ROOM) --WorkshopVoila.room_notebook=$(ROOM_LESSON),)

workshop: $(STAMP) patient-edition
	@echo "Course map ($(EDITION) edition): http://$(WORKSHOP_HOST):$(WORKSHOP_PORT)/voila/render/$(WORKSHOP_MAP)"
	@echo "Full edition: http://$(WORKSHOP_HOST):$(WORKSHOP_PORT)/voila/render/00_course_map.ipynb"
	@echo "All notebooks: http://$(WORKSHOP_HOST):$(WORKSHOP_PORT)/   (stop with Ctrl-C)"
	$(BIN)/python -m workshop notebooks --no-browser --Voila.ip=$(WORKSHOP_IP) --port=$(WORKSHOP_PORT) --Voila.port_retries=0 $(ROOM_ARGS) $(VOILA_ARGS)

# Measured responsiveness: execution time, update latency against a naive redraw, kernel memory.
# Random exploration against a naive redraw, and end to end in Voila in Chromium.
# Writes benchmarks/RESULTS.md (about ten minutes on two quiet cores).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --output benchmarks/RESULTS.md

# Printable handouts, printed from HTML by Debian's Chromium (A4, 15 mm margins, tagged, alt text on every
# picture): a take-home page per lesson (key picture, plain key points, plain self-check), one PDF per key
# picture (journey, calendar, CAR anatomy, B-cell targets) and the questions to ask the care team. Written to
# notebooks/handouts/ and committed, so the lessons' links work everywhere; re-run after changing a lesson's
# plain key points or self-check (tests/test_handouts.py says when).
handouts: $(STAMP)
	$(BIN)/python -m widgets.handouts notebooks/handouts

# Calibrate the kinetics model of notebook 03 and print the fit beside its published targets
# (a few seconds). Paste the printed constants into widgets/kinetics.py if they change.
fit-kinetics: $(STAMP)
	$(BIN)/python scripts/fit_kinetics.py

# The long fuzz walk: every public function, constructor and method, found by introspection, called with bad
# input for FUZZ_SECONDS in all (default 300); prints each failing call. `make test` runs an 8-second version.
.PHONY: fuzz
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz_walk $(or $(FUZZ_SECONDS),300)

# The long legibility sweep: every figure in up to LEGIBILITY_STATES control states (150 by default; make test
# sweeps 12), every text checked for clipping, overlap, size and WCAG contrast; prints each problem with its state.
.PHONY: legibility
legibility: $(STAMP)
	$(BIN)/python -m tests.legibility $(or $(LEGIBILITY_STATES),150)

# Workshop mode under load, on 127.0.0.1 only; each stops by itself. `make soak`: pages opened,
# reloaded, closed, abandoned and killed at random for SOAK_SECONDS; kernels and the server's memory
# must come back to the baseline (writes benchmarks/SOAK.md). `make bench-room`: 30 pages opened
# within 60 s, then a control changed on all at once (writes benchmarks/ROOM.md). A short soak runs
# in `make test`.
SOAK_SECONDS ?= 240

.PHONY: soak bench-room

soak: $(STAMP)
	WORKSHOP_SOAK_SECONDS=$(SOAK_SECONDS) WORKSHOP_SOAK_REPORT=benchmarks/SOAK.md \
		$(BIN)/python -m pytest tests/browser/test_workshop.py::test_soak -q

bench-room: $(STAMP)
	WORKSHOP_ROOM_REPORT=benchmarks/ROOM.md $(BIN)/python -m pytest tests/browser/test_workshop.py::test_room_of_30 -q
