# Two commands: `make site` builds site/ (zh + en); `make test` runs every check and test.
# Both create .venv and install what they need; `make test` also installs Debian's chromium, a CJK font and
# Java (for the HTML validator) when they are missing, and the npm tools of tests/node.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
NODE_STAMP := tests/node/node_modules/.installed
export NO_MKDOCS_2_WARNING := 1
# the Nu HTML checker of `check --site` (src/chenzhou_report/checks/external.py), installed by node-deps
export CHENZHOU_VNU_JAR ?= $(CURDIR)/tests/node/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: all site test check check-site serve bench lighthouse schema release install system-deps node-deps clean

all: site

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## site: validate the content, run the content checks, build site/zh and site/en (site/ is replaced only on success)
site: $(STAMP)
	$(BIN)/chenzhou-report build

## serve: live preview on http://127.0.0.1:8000/ that rebuilds on every save under content/ or templates/
serve: $(STAMP)
	$(BIN)/chenzhou-report serve

## check: content checks; check-site: also the checks of the built site
check: $(STAMP)
	$(BIN)/chenzhou-report check

check-site: site node-deps
	$(BIN)/chenzhou-report check --site

## release: build the site, then record its figures as published (content/published.json; commit it with the
## content): from then on a changed figure needs a `revisions:` entry (the check `revisions`)
release: site
	$(BIN)/chenzhou-report release

## schema: regenerate the JSON Schemas in content/schema from the model
schema: $(STAMP)
	$(BIN)/chenzhou-report schema

## system-deps: chromium, a CJK font and Java from Debian, when missing (needs root or sudo)
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qiE 'wenquanyi|noto sans cjk|noto serif cjk' || missing="$$missing fonts-wqy-microhei"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## node-deps: the HTML validator (vnu-jar), axe-core and Lighthouse, from npm, into tests/node/node_modules
node-deps: $(NODE_STAMP)

$(NODE_STAMP): tests/node/package.json
	cd tests/node && npm install --no-audit --no-fund --silent
	@touch $@

test: $(STAMP) system-deps node-deps
	$(BIN)/chenzhou-report check
	$(BIN)/python -m pytest

## bench: build cost at 1x/10x/100x against plain MkDocs, and preview latency (prints a JSON line last)
bench: $(STAMP)
	$(BIN)/python -m tools.bench

## lighthouse: Lighthouse scores (mobile, median of 3) of the home and an area page in each language
lighthouse: $(STAMP) system-deps node-deps
	$(BIN)/python -m tools.lighthouse --runs 3 --out tests/artifacts/lighthouse.md

clean:
	rm -rf site .site-build-* .site-old-* .pytest_cache
