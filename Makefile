# Chancery: run, test, bench. `make run` and `make test` install what they
# need on Debian/Ubuntu (apt packages when missing, Go modules, Go tools).
SHELL := /bin/bash
GO ?= go
BIN := bin/chancery
GOBIN := $(shell $(GO) env GOPATH)/bin
STATICCHECK := $(GOBIN)/staticcheck
GOFUMPT := $(GOBIN)/gofumpt
FYNE := $(GOBIN)/fyne

.PHONY: run build deps tools test lint unit smoke bench dist clean

run: deps build
	./$(BIN) $(ARGS)

build:
	$(GO) build -o $(BIN) .

deps:
	@scripts/deps.sh
	$(GO) mod download

tools:
	@test -x $(STATICCHECK) || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	@test -x $(GOFUMPT) || $(GO) install mvdan.cc/gofumpt@v0.12.0
	@test -x $(FYNE) || $(GO) install fyne.io/tools/cmd/fyne@v1.7.4

test: deps tools lint unit smoke

lint:
	@unformatted=$$($(GOFUMPT) -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofumpt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

unit:
	scripts/with-keyring.sh $(GO) test -race -count=1 ./...

smoke: build
	scripts/smoke.sh $(BIN) docs/smoke.png

bench:
	@scripts/bench.sh

# The Linux package (tar.xz) and the Windows .exe, into bin/dist/ (scripts/dist.sh).
dist: tools
	@scripts/deps.sh dist
	$(GO) mod download
	scripts/dist.sh

clean:
	rm -rf bin
