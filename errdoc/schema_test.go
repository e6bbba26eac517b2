package errdoc_test

import (
	"log/slog"
	"testing"

	"github.com/faultline-go/faultline/internal/schematest"
)

// requireJSONAPI and requireProblem fail t unless body validates against the
// official schemas (copies embedded by internal/schematest, which also tests
// that the validator refuses what they refuse).
func requireJSONAPI(t testing.TB, body []byte) {
	t.Helper()
	schematest.RequireJSONAPI(t, body)
}

func requireProblem(t testing.TB, body []byte) {
	t.Helper()
	schematest.RequireProblem(t, body)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
