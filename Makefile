# 党委办公室门户 / Party committee office portal.
#   make run    the whole site on this machine: web + Celery worker + beat, embedded SQLite and broker
#   make test   the whole test suite, browser tests included
# See README.md for the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
VAR_DIR ?= var
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto
JUNIT_PREFIX ?=
CHROMIUM ?= /usr/bin/chromium

# uv uses the machine's Python 3.11 and never downloads an interpreter (only PyPI is reachable).
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null || echo $(PYTHON))
export PYTHONUNBUFFERED := 1

# apt-get as root, or through sudo when not root; never interactive.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
# Message catalogues of this project (not the ones inside the venv). .mo files are built, never committed.
PO_FILES = $(shell find locale */locale -name '*.po' 2>/dev/null)
I18N_IGNORE := --ignore=.venv --ignore=.uv --ignore=var --ignore=node_modules

.PHONY: help venv run test lint check messages clean distclean gettext compilemessages browser pdf-libs

help:
	@echo "make run        启动网站（web + Celery worker + beat），打印网址和演示账号 / start the site"
	@echo "make test       运行全部测试（含浏览器测试）/ the whole test suite"
	@echo "make lint       ruff、import-linter 边界、mypy 类型 / ruff + boundaries + types"
	@echo "make check      迁移是否完整、Django 系统检查、生产配置 check --deploy"
	@echo "make messages   更新并编译 zh_Hans、en 翻译 / makemessages + compilemessages"
	@echo "make venv       安装依赖（uv sync --frozen）/ install the locked dependencies"
	@echo "make clean      删除缓存和生成文件（保留数据库）；make distclean 连同 .venv、.uv、var/ 一并删除"

# --- environment ------------------------------------------------------------------------------------------
# uv lives in its own venv: `uv sync` is exact and would remove itself from .venv.
$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Re-synced only when uv.lock is newer than the last sync.
$(VENV)/.synced: uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

venv: $(VENV)/.synced

# msgfmt is needed only once the project has .po files.
gettext:
	@if [ -n "$(PO_FILES)" ] && ! command -v msgfmt >/dev/null; then \
		echo "Installing Debian's gettext (msgfmt) ..."; \
		$(APT_INSTALL) update -qq && $(APT_INSTALL) install -y -qq --no-install-recommends gettext; \
	fi

compilemessages: venv gettext
	@if [ -n "$(PO_FILES)" ]; then $(MANAGE) compilemessages $(I18N_IGNORE) -v 0; fi

# Debian's Chromium drives the browser tests; Playwright never downloads a browser here.
browser:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing ..."; \
		$(APT_INSTALL) update -qq && $(APT_INSTALL) install -y -qq --no-install-recommends $$missing; \
	fi

# WeasyPrint (the supervision notices as PDF) loads Pango and HarfBuzz at run time, and the notices need a CJK
# font or Chinese prints as boxes. Debian bookworm's packages (WeasyPrint's "First Steps", Debian ≥ 11 with wheels).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk
pdf-libs:
	@missing=""; \
	for pkg in $(PDF_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then \
			echo "PDF 下载需要 Debian 软件包 / WeasyPrint needs:$$missing — 请以 root 运行 make，或先安装：apt-get install$$missing" >&2; \
			exit 1; \
		fi; \
		echo "Installing Debian packages for WeasyPrint:$$missing ..."; \
		$(APT_INSTALL) update -qq && $(APT_INSTALL) install -y -qq --no-install-recommends $$missing; \
	fi

# --- run ----------------------------------------------------------------------------------------------------
# One terminal, three processes (Procfile): runserver, a Celery worker and exactly one beat
# (django-celery-beat's DatabaseScheduler, set in settings). Ctrl-C stops all three.
# Every process (and seed_demo) gets the web server's port as WEB_PORT: unless SITE_URL is set, the links in reminder
# emails and calendar feeds follow it (governance/settings/base.py). Not PORT: honcho gives each process its own.
run: export WEB_PORT = $(PORT)
run: venv pdf-libs compilemessages
	$(MANAGE) migrate --noinput
	@mkdir -p $(VAR_DIR)
	@$(MANAGE) seed_demo > $(VAR_DIR)/run-banner.txt || { cat $(VAR_DIR)/run-banner.txt; exit 1; }
	@{ echo "================================================================"; \
	   echo " 党委办公室门户 / Portal:  http://127.0.0.1:$(PORT)/"; \
	   echo " 管理后台 / Admin:         http://127.0.0.1:$(PORT)/admin/"; \
	   echo " Ctrl-C 停止 web、worker、beat / stops all three"; \
	   echo "================================================================"; } >> $(VAR_DIR)/run-banner.txt
	@cat $(VAR_DIR)/run-banner.txt
	@# honcho exits 130 after Ctrl-C: that is how this target is meant to end.
	$(VENV)/bin/honcho start -f Procfile || [ $$? -eq 130 ]

# --- quality ------------------------------------------------------------------------------------------------
# The tests without a browser in parallel (pytest-xdist, PYTEST_WORKERS workers: "auto" is one per CPU, 0 serial),
# then the browser tests one at a time; both get PYTEST_ARGS, each prints its time (scripts/run_tests.sh).
# JUNIT_PREFIX=path/name writes name-parallel.xml and name-browser.xml. pytest exits 5 when it collected no test:
# that is a failure here, never a green run.
test: venv browser pdf-libs compilemessages
	@PY=$(PY) PYTEST_WORKERS=$(PYTEST_WORKERS) JUNIT_PREFIX=$(JUNIT_PREFIX) bash scripts/run_tests.sh $(PYTEST_ARGS)

# Type-checked (mypy + django-stubs): the obligation engine and every app's services and selectors, found by
# wildcard so a new family's are checked from its first commit. Boundaries: the contracts in pyproject.toml.
APPS = $(patsubst %/apps.py,%,$(wildcard */apps.py))
MYPY_PATHS = governance/engine $(wildcard $(foreach app,$(APPS),$(app)/services $(app)/services.py $(app)/selectors $(app)/selectors.py))

# Every check runs even after one fails, so a single run lists everything to fix.
lint: venv
	@status=0; \
	for check in "ruff check ." "ruff format --check ." "lint-imports --no-logo" "mypy $(MYPY_PATHS)" \
		"bandit -c pyproject.toml -q --severity-level medium -r $(APPS)"; do \
		echo "$(VENV)/bin/$$check"; \
		$(VENV)/bin/$$check || status=1; \
	done; \
	exit $$status

check: venv
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	DJANGO_SETTINGS_MODULE=governance.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	DEBUG=False \
	ALLOWED_HOSTS=portal.example.edu.cn \
	SITE_URL=https://portal.example.edu.cn \
	DATABASE_URL=postgres://portal@127.0.0.1:5432/portal \
		$(MANAGE) check --deploy --fail-level WARNING

messages: venv
	@command -v xgettext >/dev/null || { $(APT_INSTALL) update -qq && \
		$(APT_INSTALL) install -y -qq --no-install-recommends gettext; }
	@mkdir -p locale
	$(MANAGE) makemessages -l zh_Hans -l en $(I18N_IGNORE)
	$(MANAGE) compilemessages $(I18N_IGNORE)

clean:
	find . -path ./.venv -prune -o -path ./.uv -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
	find . -path ./.venv -prune -o -path ./.uv -prune -o -name '*.mo' -type f -print0 | xargs -0 rm -f
	rm -rf .pytest_cache .ruff_cache test-results $(VAR_DIR)/staticfiles $(VAR_DIR)/run-banner.txt

# Also the environments and everything under var/ (the SQLite database, secret key, broker queues).
distclean: clean
	rm -rf $(VENV) .uv var
