# Khối — `make run` opens the app, `make test` runs the tests, `make bench` the benchmarks,
# `make dist` builds the one-folder app in dist/Khoi (PyInstaller, packaging/khoi.spec).
# Each target creates .venv when missing and installs the exact tested versions (constraints.txt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DIST_STAMP := $(VENV)/.installed-dist

.PHONY: run test bench fuzz dist dist-test translations schema clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dist]'
	@touch $(DIST_STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

fuzz: $(STAMP)
	QT_QPA_PLATFORM=offscreen KHOI_FUZZ_EXAMPLES=20000 $(PY) -m pytest -q -m slow tests

# The one-folder app: catalogues refreshed (lupdate) and compiled, then PyInstaller (the spec stops
# on a missing resource).
dist: $(DIST_STAMP)
	$(PY) packaging/translations.py
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/khoi.spec
	@echo "dist/Khoi: $$(du -sm --apparent-size dist/Khoi | cut -f1) MB, $$(find dist/Khoi -type f | wc -l) files"

# The built app's smoke test (demo → export → sign → verify → import; the window on a file).
dist-test: dist
	QT_QPA_PLATFORM=offscreen KHOI_DIST_DIR=dist/Khoi $(PY) -m pytest -q tests/dist

# Collect the window's strings into resources/translations/khoi_vi.ts and compile the catalogues.
translations: $(STAMP)
	$(PY) packaging/translations.py

# After adding a migration: rewrite the prebuilt schema new documents are created from.
schema: $(STAMP)
	$(PY) -c "import tempfile, pathlib; from khoiapp import db; p = pathlib.Path(tempfile.mkdtemp()) / 'x.khoi'; e = db._make_engine(p, read_only=False, create=True); db.upgrade(e); db.PREBUILT_SCHEMA.write_text(db.schema_script(e), 'utf-8'); e.dispose()"

clean:
	rm -rf $(VENV) build dist *.egg-info
