package middleware_test

import (
	"io"
	"log/slog"
	"testing"

	"go.uber.org/goleak"

	"github.com/faultline-go/faultline/internal/logbuf"
)

// No test may leave a goroutine behind: handler goroutines of timed-out
// requests, limiter waiters and servers are all finished before a test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// protos are the wire protocols the writer tests run over.
var protos = []string{"HTTP/1.1", "HTTP/2"}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer = logbuf.Buffer

// quietLogger drops every record, for tests that do not read the logs.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
