module github.com/faultline-go/faultline

// Go 1.26 is the floor: the Go team supports the two newest releases, Go
// 1.27 and Go 1.26 as of December 2026, and CI tests both (see the README's
// Development section). No toolchain line: a Go 1.26 toolchain builds the
// module as it is. Every dependency is at its newest release; the
// golang.org/x modules are at the versions those releases require.
go 1.26.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/go-chi/httprate v0.16.1
	github.com/go-chi/render v1.0.3
	// go-json-experiment/json is the prototype of encoding/json/v2, now a
	// mirror of it. encoding/json/v2 is stable in Go 1.27 but still behind
	// GOEXPERIMENT=jsonv2 in Go 1.26, so middleware/jsonbody imports this
	// module, whose tagged releases need Go 1.26: under Go 1.27 (or
	// GOEXPERIMENT=jsonv2) the package is an alias of encoding/json/v2,
	// under Go 1.26 it is its own copy of the same code. The plan: once
	// encoding/json/v2 is stable in every supported Go release (Go 1.28
	// supported, Go 1.26 out, the floor raised to 1.27), jsonbody imports
	// encoding/json/v2 and this requirement goes.
	github.com/go-json-experiment/json v1.27.2
	github.com/go-playground/validator/v10 v10.30.6
	github.com/pb33f/libopenapi v0.43.1
	github.com/pb33f/libopenapi-validator v0.16.3
	github.com/redis/go-redis/v9 v9.24.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/stretchr/testify v1.12.1
	github.com/zeebo/xxh3 v1.1.0
	go.uber.org/goleak v1.3.0
	// Tests only: a hand-made HTTP/2 client (x/net/http2's Framer and
	// hpack) that sends GOAWAY, which net/http's client never does on
	// demand. Already in the module graph through the other requirements.
	golang.org/x/net v0.62.0
	// Tests only: errdoc's Accept-Language matching is benchmarked beside
	// x/text/language's matcher (BenchmarkMatchLanguage); the library
	// itself does RFC 4647 lookup without it.
	golang.org/x/text v0.43.0
)

require (
	github.com/go-chi/cors v1.2.2
	github.com/rs/cors v1.11.1
)

require (
	github.com/ajg/form v1.5.1 // indirect
	github.com/bahlo/generic-list-go v0.2.0 // indirect
	github.com/basgys/goxml2json v1.1.1-0.20231018121955-e66ee54ceaad // indirect
	github.com/buger/jsonparser v1.6.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/go-openapi/jsonpointer v1.0.2 // indirect
	github.com/go-playground/locales v0.14.2 // indirect
	github.com/go-playground/universal-translator v0.18.2 // indirect
	github.com/klauspost/cpuid/v2 v2.4.0 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	github.com/pb33f/go-yaml v0.1.1 // indirect
	github.com/pb33f/jsonpath v0.8.5 // indirect
	github.com/pb33f/jsonschema/v6 v6.0.3 // indirect
	github.com/pb33f/ordered-map/v2 v2.3.2 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
