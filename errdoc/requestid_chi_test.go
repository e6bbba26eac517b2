package errdoc_test

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
)

// One ID per request, whichever middleware made it: with chi's RequestID
// mounted before or after errdoc's Handler (or not at all), with or without
// a client's X-Request-ID (valid or not), the response header, the
// document, errdoc's log record, chi's request log and what the handler
// reads with middleware.GetReqID are the same ID on every error response,
// and on every response when chi's RequestID is mounted above Handler (as
// the README shows). No option is set.
func TestOneRequestIDWithChiRequestID(t *testing.T) {
	mounts := []string{"chi before", "chi after", "chi only below a group", "no chi"}
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
				switch mount {
				case "chi before":
					r.Use(chimw.RequestID, chiLogger, rd.Handler)
				case "chi after":
					r.Use(rd.Handler, chimw.RequestID, chiLogger)
				case "chi only below a group":
					r.Use(rd.Handler)
					r.Group(func(r chi.Router) {
						r.Use(chimw.RequestID, chiLogger)
						r.Get("/group/fail", handler)
					})
				case "no chi":
					r.Use(rd.Handler)
				}
				r.Get("/ok", handler)
				r.Get("/fail", handler)
				srv := httptest.NewServer(r)
				defer srv.Close()

				paths := []string{"/ok", "/fail"}
				if mount == "chi only below a group" {
					paths = []string{"/group/fail"}
				}
				for _, path := range paths {
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
					id := resp.Header.Get("X-Request-ID")
					require.True(t, errdoc.ValidRequestID(id), "header %q", id)
					if client == "valid" {
						assert.Equal(t, sent, id, "a valid client ID is kept")
					}
					assert.NotContains(t, id, "spaces")
					if mount != "no chi" {
						require.Len(t, seen.ids, 1)
						if mount == "chi before" || client == "valid" || client == "none" && strings.HasSuffix(path, "/fail") {
							assert.Equal(t, id, seen.ids[0], "the handler's GetReqID")
						} else {
							// chi's RequestID below Handler made its own
							// ID after Handler set the header of the
							// response: a success keeps Handler's there;
							// and it took the client's invalid ID as it
							// came, which nothing of ours echoes.
							assert.NotEqual(t, id, seen.ids[0])
						}
					}
					if strings.HasSuffix(path, "/fail") {
						assert.Contains(t, string(body), `"id":"`+id+`"`, "the document")
						assert.Contains(t, errLogs.String(), "request_id="+id, "errdoc's record")
					}
					if client != "invalid" && (mount == "chi before" || mount != "no chi" && strings.HasSuffix(path, "/fail")) {
						// chi's request log is written above errdoc's
						// Handler in "chi before": it keeps what chi
						// stored, the client's own text when invalid.
						assert.Contains(t, chiLogs.String(), "["+id+"]", "chi's request log")
					}
				}
			})
		}
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
