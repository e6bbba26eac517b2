# faultline: run `make help` for the targets.

GO            ?= go
STATICCHECK   ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME      ?= 10s
BENCHROUNDS   ?= 5
BENCHTIME     ?= 200ms
BENCHCPU      ?= 1,2
BENCHMATCH    ?=
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

bench: ## BENCHMARKS.md: every ours/anchor pair interleaved (BENCHROUNDS, BENCHTIME, BENCHCPU, BENCHMATCH)
	$(GO) run ./internal/benchtable -rounds $(BENCHROUNDS) -benchtime $(BENCHTIME) -cpu $(BENCHCPU) \
		-match '$(BENCHMATCH)' -out BENCHMARKS.md \
		-command 'make bench BENCHROUNDS=$(BENCHROUNDS) BENCHTIME=$(BENCHTIME) BENCHCPU=$(BENCHCPU)' $(PKGS)

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
