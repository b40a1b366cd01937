# Meridian: make run opens the app on its embedded sample plan; make test runs
# every test. Both install what a fresh Debian/Ubuntu machine is missing: the
# apt packages Fyne needs (OpenGL/X11 headers; Xvfb for the tests) and, when
# there is no Go 1.26 or newer, the Go toolchain from the Go module proxy.

SHELL := /bin/bash
GO_VERSION := 1.26.8
TAGS := migrated_fynedo
APT_PACKAGES := xorg-dev libgl1-mesa-dev xvfb xauth
GOCACHE_DIR := $(HOME)/.cache/meridian

# Fyne logs errors under the C locale.
export LANG := en_US.UTF-8
# Fyne's OpenGL driver works without a GPU through Mesa's software renderer.
export LIBGL_ALWAYS_SOFTWARE ?= 1

# GO is the go command: the one on PATH when it is 1.26 or newer, else the
# toolchain that `make deps` downloads.
GO := $(shell v=$$(go env GOVERSION 2>/dev/null | sed 's/^go//'); \
	if [ -n "$$v" ] && [ "$$(printf '%s\n' 1.26 "$$v" | sort -V | head -1)" = 1.26 ]; then command -v go; \
	else echo $(GOCACHE_DIR)/go$(GO_VERSION)/bin/go; fi)

.PHONY: run test bench check deps apt-deps test-deps go-deps sample clean

run: deps
	$(GO) run -tags $(TAGS) ./cmd/meridian

test: deps test-deps check
	xvfb-run -a -s "-screen 0 1440x900x24" $(GO) test -tags $(TAGS) -count=1 ./...

# Benchmarks behind the README's Performance table.
bench: deps
	xvfb-run -a $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count=1 ./...

check: deps
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...

# A sample plan file built headlessly (no cgo).
sample: deps
	CGO_ENABLED=0 $(GO) run ./cmd/meridianctl sample --out sample.meridian --force

deps: apt-deps go-deps

apt-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing $$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing gcc pkg-config curl unzip >/dev/null; \
	fi

# The workbook test recalculates the exported Excel plan in LibreOffice
# (headless) to check its formulas' results; Calc without its GUI is enough.
test-deps:
	@if ! command -v soffice >/dev/null; then \
		echo "Installing libreoffice-calc-nogui (for the workbook test)"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null || \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null || \
		echo "LibreOffice could not be installed: the workbook formula test will be skipped"; \
	fi

go-deps:
	@if [ ! -x "$(GO)" ]; then \
		echo "Installing Go $(GO_VERSION) into $(GOCACHE_DIR) from the Go module proxy"; \
		mkdir -p $(GOCACHE_DIR) && cd $(GOCACHE_DIR) && \
		curl -fsSL -o go.zip https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$(GO_VERSION).linux-$$(dpkg --print-architecture).zip && \
		rm -rf go$(GO_VERSION) tmp && unzip -q go.zip -d tmp && \
		mv tmp/golang.org/toolchain@v0.0.1-go$(GO_VERSION).linux-$$(dpkg --print-architecture) go$(GO_VERSION) && \
		rm -rf tmp go.zip && chmod +x go$(GO_VERSION)/bin/* go$(GO_VERSION)/pkg/tool/*/*; \
	fi

clean:
	rm -f sample.meridian
