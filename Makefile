# threadlens — build and test targets. `make test` is the one command that
# runs the whole suite: Go tests, Python read-back tests and the notebooks.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REQS := datasets/requirements.txt notebooks/requirements.txt
STATICCHECK := v0.8.2

.PHONY: test go-test py-test notebooks-test venv run bench fmt

test: go-test py-test notebooks-test

go-test:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...
	go test ./...

$(VENV)/.installed: $(REQS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r datasets/requirements.txt -r notebooks/requirements.txt
	touch $@

venv: $(VENV)/.installed

py-test: venv
	$(PY) -m pytest -q datasets/tests

notebooks-test: venv
	$(PY) notebooks/run_notebooks.py

run:
	go run ./cmd/threadlens

bench:
	go test -run '^$$' -bench . -benchtime 2x ./...
