package main

import (
	"github.com/faultline-go/faultline/internal/logbuf"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-go/faultline/recoverer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type syncBuffer = logbuf.Buffer

func TestMountings(t *testing.T) {
	logs := &syncBuffer{}
	var mu sync.Mutex
	var reported []string
	report := func(rep recoverer.Report) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, rep.RequestID+" "+rep.Outcome.String())
	}
	srv := httptest.NewServer(newHandler(slog.New(slog.NewJSONHandler(logs, nil)), report))
	t.Cleanup(srv.Close)

	const document = `{"errors":[{"id":"%s","links":{"about":"{origin}/docs/errors#internal_error","type":"{origin}/docs/errors#internal_error"},"status":"500","code":"internal_error","title":"Internal Server Error","detail":"The server failed unexpectedly. This is usually temporary; try again later, and quote the request ID when reporting it."}]}`
	for _, tt := range []struct{ name, path, id string }{
		{"router-wide", "/panic", "req-wide"},
		{"route group", "/admin/panic", "req-group"},
		{"plain handler", "/std/panic", "req-plain"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			require.NoError(t, err)
			req.Header.Set("X-Request-ID", tt.id)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			assert.Equal(t, 500, resp.StatusCode)
			assert.JSONEq(t, strings.ReplaceAll(strings.Replace(document, "%s", tt.id, 1), "{origin}", srv.URL), string(body))
			assert.NotContains(t, string(body), "hunter2", "the panic value never reaches the client")
			assert.NotContains(t, string(body), "10.0.0.5")

			// The panic value and the request ID are in the log, once.
			var line string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `"`+tt.id+`"`) {
					assert.Empty(t, line, "one log record per panic")
					line = l
				}
			}
			assert.Contains(t, line, "hunter2")
			assert.Contains(t, line, "examples/recoverer.crash(", "the stack is in the record")
		})
	}

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"req-group rendered"}, reported, "only the admin group reports to the tracker")
}
