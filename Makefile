# faultline: run `make help` for the targets.

GO            ?= go
STATICCHECK   ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME      ?= 10s
BENCHTIME     ?= 1s
BENCHCOUNT    ?= 1
BENCHCPU      ?= 1,2
PKGS          := ./...

.DEFAULT_GOAL := help
.PHONY: help run test bench fuzz lint

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## start the demo server (ADDR or -addr, default 127.0.0.1:8080)
	$(GO) run ./examples/server

test: ## go vet, then every test with the race detector
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

bench: ## benchmarks beside their anchors (chi, httprate, go-chi/render, encoding/json)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) -cpu $(BENCHCPU) $(PKGS)

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
