package errdoc_test

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/adaptive"
	"github.com/faultline-go/faultline/recoverer"
)

// One ID per request, whichever middleware made it: with chi's RequestID
// mounted before or after errdoc's Handler (next to it, further down the
// same chain, in a route group, a With chain, a subrouter, around the
// router Handler wraps), or not at all, with or without a client's
// X-Request-ID (valid or not), the response header, the document,
// errdoc's log record, chi's request log and what the handler reads with
// middleware.GetReqID are the same ID, on success and error responses
// alike, from the first request on. No option is set.
func TestOneRequestIDWithChiRequestID(t *testing.T) {
	mounts := []string{"chi before", "chi before, its Logger after", "chi after", "chi further down", "chi in a group", "chi in a With chain",
		"chi in a subrouter", "chi wrapped by Handler", "router wrapped by Handler", "no chi"}
	clients := map[string]string{"none": "", "valid": "client-id-42", "invalid": "bad id with spaces"}
	for _, mount := range mounts {
		for client, sent := range clients {
			t.Run(mount+"/"+client, func(t *testing.T) {
				var errLogs, chiLogs logbuf.Buffer
				rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&errLogs, nil))})
				chiLogger := chimw.RequestLogger(&chimw.DefaultLogFormatter{Logger: log.New(&chiLogs, "", 0), NoColor: true})
				var seen struct {
					sync.Mutex
					ids []string
				}
				handler := func(w http.ResponseWriter, r *http.Request) {
					seen.Lock()
					seen.ids = append(seen.ids, chimw.GetReqID(r.Context()))
					seen.Unlock()
					if strings.HasSuffix(r.URL.Path, "/fail") {
						errdoc.Write(w, r, errdoc.Internal(assert.AnError))
						return
					}
					_, _ = io.WriteString(w, "ok")
				}
				r := chi.NewRouter()
				var h http.Handler = r
				prefix := ""
				routes := func(r chi.Router) {
					r.Get(prefix+"/ok", handler)
					r.Get(prefix+"/fail", handler)
				}
				switch mount {
				case "chi before":
					r.Use(chimw.RequestID, chiLogger, rd.Handler)
				case "chi before, its Logger after": // the README's order
					r.Use(chimw.RequestID, rd.Handler, chiLogger)
				case "chi after":
					r.Use(rd.Handler, chimw.RequestID, chiLogger)
				case "chi further down":
					r.Use(rd.Handler, chimw.Heartbeat("/ping"))
					r.Use(chimw.RequestID, chiLogger)
				case "chi in a group":
					r.Use(rd.Handler)
					r.Get("/other", handler)
					prefix = "/group"
					r.Group(func(r chi.Router) {
						r.Use(chimw.RequestID, chiLogger)
						routes(r)
					})
				case "chi in a With chain":
					r.Use(rd.Handler)
					r.With(chimw.RequestID, chiLogger).Get("/ok", handler)
					r.With(chimw.RequestID, chiLogger).Get("/fail", handler)
				case "chi in a subrouter":
					r.Use(rd.Handler)
					r.Route("/v1", func(r chi.Router) {
						r.Use(chimw.RequestID, chiLogger)
						routes(r)
					})
					prefix = "/v1"
				case "chi wrapped by Handler":
					h = rd.Handler(chimw.RequestID(chiLogger(r)))
				case "router wrapped by Handler":
					r.Use(chimw.RequestID, chiLogger)
					h = rd.Handler(r)
				case "no chi":
					r.Use(rd.Handler)
				}
				switch mount {
				case "chi in a group", "chi in a With chain", "chi in a subrouter":
				default:
					routes(r)
				}
				srv := httptest.NewServer(h)
				defer srv.Close()

				for _, path := range []string{prefix + "/ok", prefix + "/fail", prefix + "/ok"} {
					seen.ids = nil
					req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
					require.NoError(t, err)
					if sent != "" {
						req.Header.Set("X-Request-ID", sent)
					}
					resp, err := srv.Client().Do(req)
					require.NoError(t, err)
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					require.Equal(t, strings.HasSuffix(path, "/ok"), resp.StatusCode == http.StatusOK, "%s: %d", path, resp.StatusCode)
					id := resp.Header.Get("X-Request-ID")
					require.True(t, errdoc.ValidRequestID(id), "header %q", id)
					if client == "valid" {
						assert.Equal(t, sent, id, "a valid client ID is kept")
					}
					assert.NotContains(t, id, "spaces")
					if mount != "no chi" {
						require.Len(t, seen.ids, 1)
						assert.Equal(t, id, seen.ids[0], "%s: the handler's GetReqID", path)
					}
					if strings.HasSuffix(path, "/fail") {
						assert.Contains(t, string(body), `"id":"`+id+`"`, "the document")
						assert.Contains(t, errLogs.String(), "request_id="+id, "errdoc's record")
					}
					if mount != "no chi" && !(mount == "chi before" && client == "invalid") {
						// chi's request log is written above errdoc's
						// Handler in "chi before": it keeps what chi
						// stored, the client's own text when invalid.
						assert.Contains(t, chiLogs.String(), "["+id+"]", "%s: chi's request log", path)
					}
				}
			})
		}
	}
}

// chi's RequestID where Handler cannot see it (inside another library's
// handler): its first success responses carry Handler's ID in the header;
// the first document or log record that meets chi's ID teaches the
// renderer, and from then on its Handlers hand the ID down, so chi adopts
// it.
func TestChiRequestIDOutOfSightIsLearnt(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	var got string
	inner := chi.NewRouter()
	inner.Use(chimw.RequestID)
	inner.HandleFunc("/*", func(w http.ResponseWriter, r *http.Request) {
		got = chimw.GetReqID(r.Context())
		if r.URL.Path == "/fail" {
			errdoc.Write(w, r, errdoc.Internal(assert.AnError))
		}
	})
	opaque := struct{ http.Handler }{inner} // neither a func nor a router to look into
	h := rd.Handler(opaque)
	get := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Header().Get("X-Request-ID")
	}
	assert.NotEqual(t, got, get("/ok"), "not yet learnt")
	assert.Equal(t, got, get("/fail"), "the document, and the header it sets, carry chi's ID")
	for range 3 {
		assert.Equal(t, got, get("/ok"))
		assert.Equal(t, got, get("/fail"))
	}
}

// Where chi's RequestID is not below, Handler hands the caller's header
// down as it is: the request costs no copy of it.
func TestNoChiBelowKeepsTheHeaderMap(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	for name, mount := range map[string]func(r chi.Router, h http.HandlerFunc){
		"no chi":     func(r chi.Router, h http.HandlerFunc) { r.Use(rd.Handler); r.Get("/", h) },
		"chi before": func(r chi.Router, h http.HandlerFunc) { r.Use(chimw.RequestID, rd.Handler); r.Get("/", h) },
	} {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept", "application/json")
			var same bool
			r := chi.NewRouter()
			mount(r, func(w http.ResponseWriter, r *http.Request) {
				same = reflect.ValueOf(r.Header).UnsafePointer() == reflect.ValueOf(req.Header).UnsafePointer()
			})
			for range 2 {
				r.ServeHTTP(httptest.NewRecorder(), req)
				assert.True(t, same)
			}
			assert.Empty(t, req.Header.Values("X-Request-ID"), "the caller's header is unchanged")
		})
	}
}

// A chi RequestID above the Handler and no client ID: the ID chi made is the
// request's ID everywhere (chi's own format, host/prefix-counter).
func TestChiGeneratedIDIsAdopted(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	var got string
	r := chi.NewRouter()
	r.Use(chimw.RequestID, rd.Handler)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { got = chimw.GetReqID(r.Context()) })
	for range 3 { // the key is learnt at the first request, then looked up
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Contains(t, got, "-0", "chi's format")
		assert.Equal(t, got, rec.Header().Get("X-Request-ID"))
	}
}

type otherIDKey struct{}

// Another ID middleware, mounted above: Options.RequestID names its ID,
// and the header, the document and the log carry it.
func TestOptionsRequestIDAdoptsAnotherMiddlewaresID(t *testing.T) {
	var logs logbuf.Buffer
	rd := errdoc.NewRenderer(errdoc.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		RequestID: func(r *http.Request) string {
			id, _ := r.Context().Value(otherIDKey{}).(string)
			return id
		},
	})
	other := func(id string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), otherIDKey{}, id)))
			})
		}
	}
	for _, tc := range []struct{ made, want string }{{"trace-abc.1", "trace-abc.1"}, {"not valid!", ""}} {
		h := other(tc.made)(rd.Handler(errdoc.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
			return errdoc.Internal(assert.AnError)
		})))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		id := rec.Header().Get("X-Request-ID")
		if tc.want != "" {
			assert.Equal(t, tc.want, id)
		} else {
			assert.True(t, errdoc.ValidRequestID(id), "an invalid ID is replaced: %q", id)
		}
		assert.Contains(t, rec.Body.String(), `"id":"`+id+`"`)
		assert.Contains(t, logs.String(), "request_id="+id)
	}
}

// Handler never writes to the request it is given: a middleware above may
// share its header map between requests (a retry, a hedged copy running at
// the same time), and each must keep an ID of its own. -race.
func TestHandlerLeavesTheCallersHeaderAlone(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	var mu sync.Mutex
	ids := map[string]bool{}
	h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids[errdoc.RequestIDFrom(r.Context())] = true
		mu.Unlock()
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	var wg sync.WaitGroup
	for range 8 { // copies sharing one header map, served at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), req.WithContext(context.Background()))
		}()
	}
	wg.Wait()
	assert.Empty(t, req.Header.Values("X-Request-ID"), "the caller's header is unchanged")
	assert.Len(t, ids, 8, "each copy got an ID of its own")
}

// chi's RequestID under this module's middlewares wrapped by hand
// (recoverer, Timeout, Throttle, the adaptive limiter): Handler looks
// through them, so success responses, a recovered panic's document and
// its log record carry the one ID from the first request.
func TestChiRequestIDBelowOurWrappers(t *testing.T) {
	type mw = func(http.Handler) http.Handler
	wrappers := map[string]func(rec mw) mw{
		"recoverer": func(rec mw) mw { return rec },
		"Timeout":   func(mw) mw { return middleware.Timeout(time.Minute) },
		"Throttle":  func(mw) mw { return middleware.Throttle(8) },
		"adaptive":  func(mw) mw { return adaptive.New(adaptive.Options{}).Handler },
		"all four": func(rec mw) mw {
			return func(h http.Handler) http.Handler {
				return rec(middleware.Timeout(time.Minute)(middleware.Throttle(8)(adaptive.New(adaptive.Options{}).Handler(h))))
			}
		},
	}
	for name, wrap := range wrappers {
		t.Run(name, func(t *testing.T) {
			var logs logbuf.Buffer
			lg := slog.New(slog.NewTextHandler(&logs, nil))
			rec := recoverer.WithOptions(recoverer.Options{Logger: lg})
			rd := errdoc.NewRenderer(errdoc.Options{Logger: lg})
			var got string
			h := rd.Handler(rec(wrap(rec)(chimw.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = chimw.GetReqID(r.Context())
				if r.URL.Path == "/panic" {
					panic("boom")
				}
			})))))
			for _, path := range []string{"/ok", "/panic", "/ok"} {
				resp := httptest.NewRecorder()
				h.ServeHTTP(resp, httptest.NewRequest(http.MethodGet, path, nil))
				id := resp.Header().Get("X-Request-ID")
				assert.Equal(t, id, got, "%s: the handler's GetReqID", path)
				if path == "/panic" {
					assert.Equal(t, http.StatusInternalServerError, resp.Code)
					assert.Contains(t, resp.Body.String(), `"id":"`+id+`"`, "the document")
					assert.Contains(t, logs.String(), "request_id="+id, "the panic's record")
				}
			}
		})
	}
}

// An ID set with WithRequestID is the request's from there on, even where
// chi's RequestID stored another above: documents and RequestIDFrom carry
// it.
func TestWithRequestIDWinsOverChis(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	var got string
	r := chi.NewRouter()
	r.Use(chimw.RequestID, rd.Handler)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(errdoc.WithRequestID(r.Context(), "explicit-1"))
		got = errdoc.RequestIDFrom(r.Context())
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, ""))
	})
	for range 2 { // the second request knows chi's key
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, "explicit-1", got)
		assert.Contains(t, rec.Body.String(), `"id":"explicit-1"`)
	}
}
