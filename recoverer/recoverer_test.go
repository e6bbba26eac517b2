package recoverer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/faultline-go/faultline/internal/logbuf"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

const secret = "demo panic: db password hunter2"

type syncBuffer = logbuf.Buffer

// harness is a real server with the full stack and captured logs.
type harness struct {
	srv       *httptest.Server
	client    *http.Client
	logs      *syncBuffer // the recoverer's slog output
	serverLog *syncBuffer // net/http's own error log
	mu        sync.Mutex
	reports   []recoverer.Report
}

func (h *harness) Reports() []recoverer.Report {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]recoverer.Report(nil), h.reports...)
}

func newHarness(t *testing.T, proto string, opts recoverer.Options, handler http.Handler) *harness {
	t.Helper()
	return newHarnessAmong(t, proto, opts, handler, nil)
}

// newHarnessAmong is newHarness with the middleware between (when not nil)
// mounted below, between and above errdoc.Handler and the recoverer.
func newHarnessAmong(t *testing.T, proto string, opts recoverer.Options, handler http.Handler, between func(http.Handler) http.Handler) *harness {
	t.Helper()
	h := &harness{logs: &syncBuffer{}, serverLog: &syncBuffer{}}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewJSONHandler(h.logs, nil))
	}
	if opts.Report == nil {
		opts.Report = func(r recoverer.Report) { h.mu.Lock(); h.reports = append(h.reports, r); h.mu.Unlock() }
	}
	r := chi.NewRouter()
	use := func(mw func(http.Handler) http.Handler) {
		if mw != nil {
			r.Use(mw)
		}
	}
	use(between)
	use(errdoc.NewRenderer(errdoc.Options{Logger: opts.Logger}).Handler)
	use(between)
	use(recoverer.WithOptions(opts))
	use(between)
	r.Handle("/*", handler)
	h.srv = httptest.NewUnstartedServer(r)
	h.srv.Config.ErrorLog = log.New(h.serverLog, "", 0)
	if proto == "HTTP/2" {
		h.srv.EnableHTTP2 = true
		h.srv.StartTLS()
	} else {
		h.srv.Start()
	}
	h.client = h.srv.Client()
	t.Cleanup(func() {
		h.client.CloseIdleConnections()
		h.srv.Close()
	})
	return h
}

func (h *harness) get(t *testing.T, header ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.srv.URL+"/x", nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

var protos = []string{"HTTP/1.1", "HTTP/2"}

func TestPanicBeforeWritingRendersDocument(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			h := newHarness(t, proto, recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/csv")
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Cache-Control", "public, max-age=86400")
				w.Header().Set("ETag", `"v1"`)
				panic(secret)
			}))
			for _, accept := range []string{"", "application/problem+json"} {
				resp, body, err := h.get(t, "Accept", accept, "X-Request-ID", "rid-1")
				require.NoError(t, err)
				assert.Equal(t, 500, resp.StatusCode)
				assert.NotContains(t, string(body), "hunter2")
				assert.NotContains(t, string(body), "goroutine")
				assert.Empty(t, resp.Header.Get("ETag"), "headers of the abandoned body are dropped")
				assert.False(t, resp.Uncompressed, "no Content-Encoding on the document")
				assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "errdoc's rule, not the handler's caching")
				assert.Equal(t, "Accept", resp.Header.Get("Vary"))
				var e *errdoc.Error
				resp.Body = io.NopCloser(bytes.NewReader(body))
				require.ErrorAs(t, errdoc.ParseResponse(resp), &e)
				assert.Equal(t, "internal_error", e.Code)
				assert.Equal(t, "rid-1", e.RequestID)
				if accept == "" {
					assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				} else {
					assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				}
			}
			logs := h.logs.String()
			assert.Contains(t, logs, "hunter2", "the panic value is logged")
			assert.Contains(t, logs, `"request_id":"rid-1"`)
			assert.Contains(t, logs, "recoverer_test.go", "with the stack")
			assert.Equal(t, 2, strings.Count(logs, `"level":"ERROR"`), "one record per panic, not one more from the renderer")
			assert.Empty(t, h.serverLog.String())
			reps := h.Reports()
			require.Len(t, reps, 2)
			assert.Equal(t, recoverer.Rendered, reps[0].Outcome)
			assert.Equal(t, secret, reps[0].Err.Value)
		})
	}
}

func TestPanicAfterCommitAborts(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter){
		"partial body": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, strings.Repeat("row,", 2000)) // past the server's buffer
		},
		"flushed stream": func(w http.ResponseWriter) {
			_, _ = io.WriteString(w, "event: 1\n\n")
			require.NoError(t, http.NewResponseController(w).Flush())
		},
		"header only": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusAccepted)
			require.NoError(t, http.NewResponseController(w).Flush())
		},
	}
	for _, proto := range protos {
		for name, write := range cases {
			t.Run(proto+"/"+name, func(t *testing.T) {
				h := newHarness(t, proto, recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					write(w)
					panic(secret)
				}))
				resp, body, err := h.get(t)
				// The client sees a broken response: an error while reading, or
				// no response at all; never a complete-looking one.
				require.Error(t, err, "status %v, body %.40q", statusOf(resp), body)
				assert.NotContains(t, string(body), "internal_error")
				assert.Eventually(t, func() bool { return len(h.Reports()) == 1 }, waitFor, tick)
				assert.Equal(t, recoverer.Aborted, h.Reports()[0].Outcome)
				assert.Contains(t, h.logs.String(), `"outcome":"aborted"`)
				assert.NotContains(t, h.serverLog.String(), "superfluous")
				assert.NotContains(t, h.serverLog.String(), "hunter2")
			})
		}
	}
}

func statusOf(resp *http.Response) any {
	if resp == nil {
		return nil
	}
	return resp.StatusCode
}

func TestAbortHandlerPassesThrough(t *testing.T) {
	values := map[string]error{
		"bare":        http.ErrAbortHandler,
		"wrapped":     fmt.Errorf("stream gone: %w", http.ErrAbortHandler),
		"errors.Join": errors.Join(errors.New("client left"), http.ErrAbortHandler),
	}
	for name, value := range values {
		for _, proto := range protos {
			t.Run(name+"/"+proto, func(t *testing.T) {
				h := newHarness(t, proto, recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					panic(value)
				}))
				_, _, err := h.get(t)
				require.Error(t, err, "the response is aborted")
				assert.Empty(t, h.logs.String(), "not logged")
				assert.Empty(t, h.Reports(), "not reported")
				assert.Empty(t, h.serverLog.String(), "net/http gets the bare sentinel and logs nothing either")
			})
		}
	}
}

// WriteHeader with a code net/http refuses makes it panic before anything
// is sent: the client must get the 500 document, not a dropped connection.
func TestInvalidStatusCodeGetsDocument(t *testing.T) {
	for _, code := range []int{1000, 99, -1, 0} {
		for _, proto := range protos {
			t.Run(fmt.Sprint(code, "/", proto), func(t *testing.T) {
				h := newHarness(t, proto, recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(code)
				}))
				resp, body, err := h.get(t)
				require.NoError(t, err)
				assert.Equal(t, 500, resp.StatusCode)
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				assert.Contains(t, string(body), "internal_error")
				reps := h.Reports()
				require.Len(t, reps, 1)
				assert.Equal(t, recoverer.Rendered, reps[0].Outcome)
				assert.NotContains(t, h.serverLog.String(), "superfluous")
			})
		}
	}
}

// unwrapOnly is a middleware's writer in the Go 1.20+ idiom: it implements
// Unwrap and none of the optional interfaces.
type unwrapOnly struct{ http.ResponseWriter }

func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// A flush or hijack through http.NewResponseController reaches the real
// writer around wrappers that only Unwrap; the recoverer must still know the
// response is committed, whichever side of errdoc's tracking they sit.
func TestResponseControllerCallsAreSeen(t *testing.T) {
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(unwrapOnly{w}, r) })
	}
	outcomes := func(h *harness) (out []recoverer.Outcome) {
		for _, rep := range h.Reports() {
			out = append(out, rep.Outcome)
		}
		return out
	}
	for _, proto := range protos {
		t.Run("flush/"+proto, func(t *testing.T) {
			h := newHarnessAmong(t, proto, recoverer.Options{Logger: slog.New(slog.DiscardHandler)}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				require.NoError(t, http.NewResponseController(w).Flush())
				panic(secret)
			}), wrap)
			resp, err := h.client.Get(h.srv.URL + "/x")
			if err == nil {
				body, readErr := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Error(t, readErr, "the flushed response is aborted, not completed with a document")
				assert.NotContains(t, string(body), "internal_error")
			}
			assert.Equal(t, []recoverer.Outcome{recoverer.Aborted}, outcomes(h))
			assert.NotContains(t, h.serverLog.String(), "superfluous")
		})
	}
	t.Run("hijack/HTTP/1.1", func(t *testing.T) {
		h := newHarnessAmong(t, "HTTP/1.1", recoverer.Options{Logger: slog.New(slog.DiscardHandler)}, hijackThenPanic(), wrap)
		requireUpgradeOnly(t, h)
		assert.Equal(t, []recoverer.Outcome{recoverer.Hijacked}, outcomes(h))
	})
}

// hijackThenPanic answers 101 on a hijacked connection, then panics.
func hijackThenPanic() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
		_ = brw.Flush()
		panic(secret)
	}
}

// requireUpgradeOnly sends an upgrade request to h, which must answer 101 on
// a hijacked connection and nothing after it, and waits for the report.
func requireUpgradeOnly(t *testing.T, h *harness) {
	t.Helper()
	conn, err := net.Dial("tcp", h.srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	assert.Equal(t, 101, resp.StatusCode)
	rest, _ := io.ReadAll(conn) // ends when the handler closes the connection
	assert.Empty(t, rest, "nothing written after the hijack")
	require.Eventually(t, func() bool { return len(h.Reports()) == 1 }, waitFor, tick)
	assert.NotContains(t, h.serverLog.String(), "hijacked connection")
}

func TestHijackedConnectionIsOnlyLogged(t *testing.T) {
	h := newHarness(t, "HTTP/1.1", recoverer.Options{}, hijackThenPanic())
	requireUpgradeOnly(t, h)
	assert.Equal(t, recoverer.Hijacked, h.Reports()[0].Outcome)
}

func TestUpgradeRequestThatPanicsBeforeHijackGetsDocument(t *testing.T) {
	h := newHarness(t, "HTTP/1.1", recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(secret) // before any hijack
	}))
	resp, body, err := h.get(t, "Connection", "Upgrade", "Upgrade", "websocket")
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, string(body), "internal_error")
}

type customValue struct{ n int }

type badStringer struct{}

func (badStringer) String() string { panic("stringer exploded") }

func TestEveryPanicValue(t *testing.T) {
	sentinel := errors.New("sentinel")
	tests := []struct {
		name  string
		panic func()
		check func(t *testing.T, perr *recoverer.PanicError)
	}{
		{"string", func() { panic(secret) }, nil},
		{"error", func() { panic(fmt.Errorf("wrapped: %w", sentinel)) }, func(t *testing.T, perr *recoverer.PanicError) {
			assert.ErrorIs(t, perr, sentinel, "errors.Is sees through the panic")
		}},
		{"custom type", func() { panic(customValue{7}) }, func(t *testing.T, perr *recoverer.PanicError) {
			assert.Equal(t, customValue{7}, perr.Value)
		}},
		{"nil map", func() {
			var m map[string]int
			//lint:ignore SA5000 the runtime panic is what this case tests
			m["x"] = 1
		}, func(t *testing.T, perr *recoverer.PanicError) {
			var re runtime.Error
			assert.ErrorAs(t, perr, &re)
		}},
		{"index out of range", func() {
			s := []int{}
			_ = s[len(s)+3]
		}, func(t *testing.T, perr *recoverer.PanicError) {
			var re runtime.Error
			assert.ErrorAs(t, perr, &re)
		}},
		{"panic(nil)", func() { panic(nil) }, func(t *testing.T, perr *recoverer.PanicError) {
			var pn *runtime.PanicNilError
			assert.ErrorAs(t, perr, &pn)
		}},
		{"panicking String", func() { panic(badStringer{}) }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "HTTP/1.1", recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tc.panic()
			}))
			resp, body, err := h.get(t)
			require.NoError(t, err)
			assert.Equal(t, 500, resp.StatusCode)
			assert.Contains(t, string(body), "internal_error")
			assert.NotContains(t, string(body), "hunter2")
			reps := h.Reports()
			require.Len(t, reps, 1)
			assert.NotEmpty(t, reps[0].Err.Stack)
			assert.NotEmpty(t, reps[0].Err.Error())
			if tc.check != nil {
				tc.check(t, reps[0].Err)
			}
		})
	}
}

// panickyHandler is an slog.Handler that panics on every record.
type panickyHandler struct{}

func (panickyHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panickyHandler) Handle(context.Context, slog.Record) error { panic("logger exploded") }
func (h panickyHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panickyHandler) WithGroup(string) slog.Handler           { return h }

func TestPanickingLoggerAndHookAreContained(t *testing.T) {
	opts := recoverer.Options{
		Logger: slog.New(panickyHandler{}),
		Report: func(recoverer.Report) { panic("hook exploded") },
	}
	h := newHarness(t, "HTTP/1.1", opts, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(secret)
	}))
	for i := 0; i < 3; i++ {
		resp, body, err := h.get(t)
		require.NoError(t, err)
		assert.Equal(t, 500, resp.StatusCode)
		assert.Contains(t, string(body), "internal_error")
	}
	assert.Empty(t, h.serverLog.String(), "nothing escaped to net/http")
}

func TestDevelopmentModePutsStackInMeta(t *testing.T) {
	h := newHarness(t, "HTTP/1.1", recoverer.Options{Development: true}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("dev only")
	}))
	_, body, err := h.get(t)
	require.NoError(t, err)
	var doc struct {
		Errors []struct {
			Meta map[string]string `json:"meta"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	require.Len(t, doc.Errors, 1)
	assert.Equal(t, "dev only", doc.Errors[0].Meta["panic"])
	assert.Contains(t, doc.Errors[0].Meta["stack"], "goroutine")
}

func TestStreamingThroughTheWrapper(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			next := make(chan struct{})
			h := newHarness(t, proto, recoverer.Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, ok := w.(http.Flusher)
				assert.True(t, ok, "Flusher is kept")
				_, _ = io.WriteString(w, "first\n")
				w.(http.Flusher).Flush()
				<-next // the client has read the first chunk before this one exists
				_, _ = io.WriteString(w, "second\n")
			}))
			resp, err := h.client.Get(h.srv.URL + "/x")
			require.NoError(t, err)
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			line, err := br.ReadString('\n')
			require.NoError(t, err)
			assert.Equal(t, "first\n", line)
			close(next)
			line, err = br.ReadString('\n')
			require.NoError(t, err)
			assert.Equal(t, "second\n", line)
		})
	}
}

func TestConcurrentPanicsLeaveServerHealthy(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			h := newHarness(t, proto, recoverer.Options{Logger: slog.New(slog.DiscardHandler)}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("ok") != "" {
					_, _ = io.WriteString(w, "healthy")
					return
				}
				panic(secret)
			}))
			var wg sync.WaitGroup
			var mu sync.Mutex
			statuses := map[int]int{}
			for i := 0; i < 200; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := h.client.Get(h.srv.URL + "/x")
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					statuses[resp.StatusCode]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			assert.Equal(t, map[int]int{500: 200}, statuses)
			resp, err := h.client.Get(h.srv.URL + "/x?ok=1")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, "healthy", string(body))
			assert.Len(t, h.Reports(), 200)
		})
	}
}

func TestMountingStyles(t *testing.T) {
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(secret) })
	quiet := recoverer.WithOptions(recoverer.Options{Logger: slog.New(slog.DiscardHandler)})

	// Around a plain http.Handler, with no errdoc middleware at all.
	rec := httptest.NewRecorder()
	quiet(boom).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, 500, rec.Code)
	assert.Contains(t, rec.Body.String(), "internal_error")

	// Per route group: only the group is covered.
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(quiet)
		r.Get("/covered", boom)
	})
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/covered", nil))
	assert.Equal(t, 500, rec.Code)
	assert.Contains(t, rec.Body.String(), "internal_error")
}

// Below errdoc's tracking the happy path allocates nothing; standalone it
// allocates its tracking wrapper, never reused (errdoc.Track).
func TestHappyPathAllocations(t *testing.T) {
	h := recoverer.New()(okHandler)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &sink{h: http.Header{}}
	assert.Equal(t, 1.0, testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }), "standalone: the wrapper")

	// Under errdoc.Handler, per request: the recoverer adds nothing to
	// Handler's own allocations.
	rd := errdoc.NewRenderer(errdoc.Options{})
	withRecoverer, without := rd.Handler(h), rd.Handler(okHandler)
	assert.Equal(t, testing.AllocsPerRun(1000, func() { without.ServeHTTP(w, req) }),
		testing.AllocsPerRun(1000, func() { withRecoverer.ServeHTTP(w, req) }), "under errdoc.Handler")

	tw, tracking := errdoc.Track(w)
	defer tracking.Release()
	assert.Zero(t, testing.AllocsPerRun(1000, func() { h.ServeHTTP(tw, req) }), "below errdoc tracking")
}
