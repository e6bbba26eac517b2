package etag_test

import (
	"io"
	"log/slog"
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine behind: servers are all closed before a
// test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// protos are the wire protocols the tests run over.
var protos = []string{"HTTP/1.1", "HTTP/2"}

// quietLogger drops every record, for tests that do not read the logs.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
