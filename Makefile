# Khối — `make run` opens the app, `make test` runs the tests, `make bench` the benchmarks.
# Each target creates .venv when missing and installs the exact tested versions (constraints.txt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz schema clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

fuzz: $(STAMP)
	QT_QPA_PLATFORM=offscreen KHOI_FUZZ_EXAMPLES=20000 $(PY) -m pytest -q -m slow tests

# After adding a migration: rewrite the prebuilt schema new documents are created from.
schema: $(STAMP)
	$(PY) -c "import tempfile, pathlib; from khoiapp import db; p = pathlib.Path(tempfile.mkdtemp()) / 'x.khoi'; e = db._make_engine(p, read_only=False); db.upgrade(e); db.PREBUILT_SCHEMA.write_text(db.schema_script(e), 'utf-8'); e.dispose()"

clean:
	rm -rf $(VENV) build *.egg-info
