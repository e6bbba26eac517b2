package errdoc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	validTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	validTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
)

func TestParseTraceparent(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"version 00", validTraceparent, true},
		{"flags not sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true},
		{"later version, longer", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds", true},
		{"later version, exact", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09", true},
		{"later version, no dash after flags", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09x", false},
		{"version 00 longer", validTraceparent + "-00", false},
		{"version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"uppercase trace ID", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false},
		{"uppercase version", "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"all-zero trace ID", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", false},
		{"all-zero parent ID", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false},
		{"short trace ID", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", false},
		{"not hex", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", false},
		{"bad flags", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z", false},
		{"wrong separators", "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", false},
		{"empty", "", false},
		{"spaces", " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", false},
		{"injection", `00-4bf92f3577b34da6a3ce929d0e"}4736-00f067aa0ba902b7-01`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tid, pid, ok := errdoc.ParseTraceparent(tc.in)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.Equal(t, tc.in[3:35], tid)
				assert.Equal(t, tc.in[36:52], pid)
			} else {
				assert.Empty(t, tid)
				assert.Empty(t, pid)
			}
		})
	}
}

func TestValidTraceID(t *testing.T) {
	assert.True(t, errdoc.ValidTraceID(validTraceID))
	for _, bad := range []string{"", strings.Repeat("0", 32), strings.ToUpper(validTraceID), validTraceID + "0", validTraceID[1:], "zz" + validTraceID[2:]} {
		assert.False(t, errdoc.ValidTraceID(bad), bad)
	}
}

// traceRequest is a GET that fails with 404 carrying the given
// traceparent header values.
func traceRequest(accept string, traceparent ...string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	for _, v := range traceparent {
		req.Header.Add("Traceparent", v)
	}
	return req
}

func TestTraceIDInEveryDocument(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   errdoc.Options
		accept string
		check  func(t *testing.T, body []byte) string
	}{
		{"JSON:API", errdoc.Options{}, "", func(t *testing.T, body []byte) string {
			requireJSONAPI(t, body)
			var doc struct {
				Meta struct {
					TraceID string `json:"trace_id"`
				} `json:"meta"`
			}
			require.NoError(t, json.Unmarshal(body, &doc))
			return doc.Meta.TraceID
		}},
		{"problem details", errdoc.Options{}, "application/problem+json", func(t *testing.T, body []byte) string {
			requireProblem(t, body)
			var doc struct {
				TraceID   string `json:"trace_id"`
				RequestID string `json:"request_id"`
			}
			require.NoError(t, json.Unmarshal(body, &doc))
			assert.NotEmpty(t, doc.RequestID, "the request ID stays")
			return doc.TraceID
		}},
		{"Twitter", errdoc.Options{Format: errdoc.Twitter, Strict: true}, "", func(t *testing.T, body []byte) string {
			var doc struct {
				Errors []struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"errors"`
				TraceID string `json:"trace_id"`
			}
			require.NoError(t, json.Unmarshal(body, &doc))
			require.Len(t, doc.Errors, 1)
			assert.Equal(t, 34, doc.Errors[0].Code)
			return doc.TraceID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			tc.opts.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			rd := errdoc.NewRenderer(tc.opts)
			h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "No item 999.").WithCause(errAt("lookup")))
			}))

			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, traceRequest(tc.accept, validTraceparent))
			assert.Equal(t, validTraceID, tc.check(t, rec.Body.Bytes()))
			assert.Contains(t, logs.String(), `"trace_id":"`+validTraceID+`"`)

			// Invalid, all-zero or repeated traceparent headers: no
			// trace ID, and nothing of the header echoed.
			for _, bad := range [][]string{
				{"00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
				{"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
				{`00-"injected"a3ce929d0e0e4736xxxxxxx-00f067aa0ba902b7-01`},
				{validTraceparent, validTraceparent},
			} {
				logs.Reset()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, traceRequest(tc.accept, bad...))
				assert.Empty(t, tc.check(t, rec.Body.Bytes()), bad)
				assert.NotContains(t, rec.Body.String(), "trace_id")
				assert.NotContains(t, rec.Body.String(), "injected")
				assert.NotContains(t, rec.Body.String(), "4bf92f3577b34da6a3ce929d0e0e4736")
				assert.NotContains(t, logs.String(), "trace_id")
			}
		})
	}
}

type errAt string

func (e errAt) Error() string { return "failed at " + string(e) }

// TestTraceIDHook: the adapter's hook wins over the header when it answers
// with a valid ID, and is ignored when it does not.
func TestTraceIDHook(t *testing.T) {
	const spanTrace = "0af7651916cd43dd8448eb211c80319c"
	for _, tc := range []struct {
		name, hook, header, want string
	}{
		{"hook wins", spanTrace, validTraceparent, spanTrace},
		{"hook alone", spanTrace, "", spanTrace},
		{"hook empty: header", "", validTraceparent, validTraceID},
		{"hook invalid: header", "NOT-A-TRACE", validTraceparent, validTraceID},
		{"hook all zero, no header", strings.Repeat("0", 32), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen errdoc.Observation
			rd := errdoc.NewRenderer(errdoc.Options{
				TraceID: func(*http.Request) string { return tc.hook },
				Observe: func(o errdoc.Observation) { seen = o },
				Logger:  discardLogger(),
			})
			req := traceRequest("")
			if tc.header != "" {
				req.Header.Set("Traceparent", tc.header)
			}
			assert.Equal(t, tc.want, rd.TraceID(req))
			rec := httptest.NewRecorder()
			rd.Write(rec, req, errdoc.New(http.StatusNotFound, ""))
			assert.Equal(t, tc.want, seen.TraceID)
			assert.Same(t, req, seen.Request)
			if tc.want == "" {
				assert.NotContains(t, rec.Body.String(), "trace_id")
			} else {
				assert.Contains(t, rec.Body.String(), `"meta":{"trace_id":"`+tc.want+`"}`)
			}
		})
	}
}

// A multi-error document carries the trace ID once, at the top.
func TestTraceIDMultiError(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	for _, accept := range []string{"", "application/problem+json"} {
		rec := httptest.NewRecorder()
		rd.Write(rec, traceRequest(accept, validTraceparent), errdoc.List{
			errdoc.New(http.StatusUnprocessableEntity, "a").AtPointer("/a"),
			errdoc.New(http.StatusUnprocessableEntity, "b").AtPointer("/b"),
		})
		assert.Equal(t, 1, strings.Count(rec.Body.String(), validTraceID), rec.Body.String())
		if accept == "" {
			requireJSONAPI(t, rec.Body.Bytes())
		} else {
			requireProblem(t, rec.Body.Bytes())
		}
	}
}

// With a traceparent, the 404 costs what it costs without: the trace ID is
// a substring of the header, appended to the pooled document.
func TestWrite404TraceAllocations(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	w := &sink{h: http.Header{}}
	plain := benchRequest()
	traced := benchRequest()
	traced.Header.Set("Traceparent", validTraceparent)
	measure := func(req *http.Request) float64 {
		rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
		return testing.AllocsPerRun(1000, func() {
			w.h = http.Header{}
			rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
		})
	}
	without, with := measure(plain), measure(traced)
	if with > without+1 {
		t.Fatalf("a 404 with a traceparent allocates %v times, without %v: want at most one more", with, without)
	}
}

func ExampleParseTraceparent() {
	traceID, parentID, ok := errdoc.ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	fmt.Println(traceID, parentID, ok)
	_, _, ok = errdoc.ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	fmt.Println(ok)
	// Output:
	// 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 true
	// false
}
