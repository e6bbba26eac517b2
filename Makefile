# faultline: run `make help` for the targets.

GO            ?= go
STATICCHECK   ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME      ?= 10s
BENCHROUNDS   ?= 11
BENCHTIME     ?= 50ms
BENCHCPU      ?= 1,2
BENCHMATCH    ?=
LOADROUNDS    ?= 5
LOADDURATION  ?= 2s
LOADCONNS     ?= 32
LOADTHREADS   ?= 1
OVERLOADFLAGS ?=
PROFILEBENCH  ?= ^BenchmarkStack200$$/^ours$$
PKGS          := ./...
CHROMIUM      ?= chromium
SCREENSHOT    ?= $(or $(TMPDIR),/tmp)/faultline-errors.png
SHOT_WIDTH    ?= 1280
SHOT_HEIGHT   ?= 2400
SHOT_ANCHOR   ?=
SCREENSHOT_LANG ?=
REDOCLY       ?= @redocly/cli@2.77.0
OPENAPI_OUT   ?= $(or $(TMPDIR),/tmp)/faultline-openapi.json

.DEFAULT_GOAL := help
.PHONY: help run test bench load overload profile fuzz lint screenshot openapi-lint

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## start the demo server (ADDR or -addr, default 127.0.0.1:8080)
	$(GO) run ./examples/server

test: ## go vet, then every test with the race detector (the nested modules errdoc/errdocotel and internal/overload too)
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)
	cd errdoc/errdocotel && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	cd internal/overload && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# make bench also measures the nested module internal/overload (BenchmarkAdmission beside
# failsafe-go) through a throwaway workspace, so that failsafe-go never enters go.mod.
bench: ## BENCHMARKS.md: every ours/anchor pair interleaved (BENCHROUNDS, BENCHTIME, BENCHCPU, BENCHMATCH)
	@work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	printf 'go 1.26.0\n\nuse (\n\t%s\n\t%s\n)\n' "$(CURDIR)" "$(CURDIR)/internal/overload" > "$$work/go.work"; \
	GOWORK="$$work/go.work" $(GO) run ./internal/benchtable -rounds $(BENCHROUNDS) -benchtime $(BENCHTIME) -cpu $(BENCHCPU) \
		-match '$(BENCHMATCH)' -out BENCHMARKS.md \
		-command 'make bench BENCHROUNDS=$(BENCHROUNDS) BENCHTIME=$(BENCHTIME) BENCHCPU=$(BENCHCPU)' $(PKGS) ./internal/overload/...

load: ## the README stack against bare chi on sockets with wrk (LOADROUNDS, LOADDURATION, LOADCONNS, LOADTHREADS)
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; \
		elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends wrk; \
		else echo "make load needs wrk: sudo apt-get install wrk (Debian, Ubuntu)"; exit 1; fi; \
	fi
	$(GO) run ./internal/loadcmp -rounds $(LOADROUNDS) -duration $(LOADDURATION) -connections $(LOADCONNS) -threads $(LOADTHREADS)

overload: ## OVERLOAD.md and OVERLOAD.svg: the open-loop overload run of issue 18, every limiter alternated (~4 min; OVERLOADFLAGS)
	cd internal/overload && $(GO) run . -out ../../OVERLOAD.md -svg ../../OVERLOAD.svg -command 'make overload$(if $(OVERLOADFLAGS), OVERLOADFLAGS=$(OVERLOADFLAGS))' $(OVERLOADFLAGS)

profile: ## CPU profile of the stack's 200 path (PROFILEBENCH), top functions by pprof
	@dir=$$(mktemp -d); set -e; \
	$(GO) test -run '^$$' -bench '$(PROFILEBENCH)' -benchtime 3s -cpu 1 -benchmem -o $$dir/stack.test -cpuprofile $$dir/cpu.pprof ./examples/stack; \
	$(GO) tool pprof -top -nodecount 40 $$dir/stack.test $$dir/cpu.pprof; \
	$(GO) tool pprof -top -cum -nodecount 40 $$dir/stack.test $$dir/cpu.pprof; \
	echo "profile kept in $$dir/cpu.pprof (go tool pprof -http=: $$dir/stack.test $$dir/cpu.pprof)"

fuzz: ## run every fuzz target for FUZZTIME (default 10s) each
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		dir=$$(dirname $$file); \
		for target in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$file | sed 's/^func //'); do \
			echo "== $$dir $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$dir; \
		done; \
	done

lint: ## gofmt check, go vet, staticcheck (pinned, run through go run)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)
	cd errdoc/errdocotel && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...
	cd internal/overload && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...

screenshot: ## write a PNG of the HTML response-code page to SCREENSHOT (default $TMPDIR/faultline-errors.png; SHOT_ANCHOR=code scrolls to a code; SCREENSHOT_LANG=es for a language with page texts)
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(GO) run ./examples/docgen -format html -docs-url https://api.example.com/docs/errors $(if $(SCREENSHOT_LANG),-lang $(SCREENSHOT_LANG)) > "$$dir/errors.html"; \
	printf '<!DOCTYPE html><style>body{margin:0}iframe{border:0;width:100vw;height:100vh}</style><iframe src="errors.html#%s"></iframe>' "$(SHOT_ANCHOR)" > "$$dir/frame.html"; \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$$dir/profile" --hide-scrollbars --virtual-time-budget=2000 --window-size=$(SHOT_WIDTH),$(SHOT_HEIGHT) \
		--screenshot="$(abspath $(SCREENSHOT))" "file://$$dir/$(if $(SHOT_ANCHOR),frame.html,errors.html)" 2>"$$dir/chromium.log" \
		|| { cat "$$dir/chromium.log"; exit 1; }; \
	echo "wrote $(SCREENSHOT)"

openapi-lint: ## lint the demo's OpenAPI document (docgen -paths) with Redocly's recommended rules; a warning fails
	$(GO) run ./examples/docgen -format openapi -paths > "$(OPENAPI_OUT)"
	@npx --yes $(REDOCLY) lint --extends=recommended --format=json "$(OPENAPI_OUT)" 2>/dev/null > "$(OPENAPI_OUT).lint" || true
	@node -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals; console.log("redocly recommended: " + t.errors + " errors, " + t.warnings + " warnings"); process.exit(t.errors + t.warnings ? 1 : 0)' "$(OPENAPI_OUT).lint" \
		|| { npx --yes $(REDOCLY) lint --extends=recommended "$(OPENAPI_OUT)"; exit 1; }
