# Terang: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The install stamp carries a hash of requirements.txt, so changing a pin reinstalls.
REQ_HASH := $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha1(open('requirements.txt','rb').read()).hexdigest()[:12])")
STAMP := $(VENV)/.installed-$(REQ_HASH)
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Links printed and mailed by `make run` point at the port it serves on (make run PORT=8080).
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run serve test bench translations translations-update clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d app/translations -D messages 2>&1 | tail -n 1

# --ignore-dirs '.*': by default pybabel also skips folders starting with "_" (templates/_macros).
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' \
		-o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -D messages --no-fuzzy-matching

# reference load: regions, categories and agencies (idempotent, no accounts); then the demo's
# accounts and reports, once. A real deployment runs the first three commands without the demo.
run: install
	$(FLASK) db upgrade
	$(FLASK) reference load
	$(FLASK) demo seed --if-empty
	$(FLASK) stats refresh --all-open
	$(FLASK) stats publish --if-due
	PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(FLASK) demo logins
	PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(FLASK) run --host $(HOST) --port $(PORT)

# Production settings under gunicorn (gunicorn.conf.py; docs/deploy.md). Refuses to start
# without SECRET_KEY: it signs sessions and keys every tracking code.
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY first (see docs/deploy.md); it keys every tracking code, keep it." >&2; exit 1; }
	TERANG_CONFIG=production $(FLASK) db upgrade
	TERANG_CONFIG=production $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Board pages under gunicorn (2 workers, production config) measured with wrk; see bench/README.md.
# BENCH_REPORTS=20000 for a quick check; DATABASE_URL=postgresql://... for PostgreSQL.
BENCH_REPORTS ?= 1000000
bench: install
	BENCH_REPORTS=$(BENCH_REPORTS) $(BIN)/python bench/http_bench.py

clean:
	rm -rf $(VENV) .pytest_cache
