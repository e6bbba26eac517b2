module github.com/faultline-go/faultline

// Go 1.25 is the oldest release the Go team still supports; CI tests it
// and the newest (see the README's Development section). Dependencies that
// need a newer Go are held back to their latest release that does not:
// go-playground/validator v10.30.4 (v10.30.5 on need Go 1.26), go-redis
// v9.22.0 (v9.23.0 needs Go 1.26), golang.org/x at the versions those
// require. pb33f/libopenapi (test-only) stays at v0.21.8: its whole 0.4x
// line needs Go 1.26, so it is to be replaced rather than upgraded.
go 1.25.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/go-chi/httprate v0.16.1
	github.com/go-chi/render v1.0.3
	// go-json-experiment is pinned to a commit: its tagged releases need
	// Go 1.26, and encoding/json/v2, which it prototypes, is still behind
	// GOEXPERIMENT=jsonv2 in Go 1.26. middleware/jsonbody moves to
	// encoding/json/v2 once it is stable in every supported Go release.
	github.com/go-json-experiment/json v0.0.0-20250813024750-ebf49471dced
	github.com/go-playground/validator/v10 v10.30.4
	github.com/pb33f/libopenapi v0.21.8
	github.com/pb33f/libopenapi-validator v0.4.0
	github.com/redis/go-redis/v9 v9.22.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/stretchr/testify v1.12.1
	github.com/zeebo/xxh3 v1.1.0
	go.uber.org/goleak v1.3.0
)

require (
	github.com/ajg/form v1.5.1 // indirect
	github.com/bahlo/generic-list-go v0.2.0 // indirect
	github.com/buger/jsonparser v1.1.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dprotaso/go-yit v0.0.0-20240618133044-5a0af90af097 // indirect
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	github.com/mailru/easyjson v0.7.7 // indirect
	github.com/speakeasy-api/jsonpath v0.6.1 // indirect
	github.com/vmware-labs/yaml-jsonpath v0.3.2 // indirect
	github.com/wk8/go-ordered-map/v2 v2.1.9-0.20240815153524-6ea36470d1bd // indirect
	go.uber.org/atomic v1.11.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
