package errdoc_test

import (
	"crypto/tls"
	"io"
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
)

// idProbe records what the handler below every middleware reads with
// chi's GetReqID and errdoc's RequestIDFrom, and fails paths ending in
// /fail with a 500 document.
type idProbe struct {
	mu        sync.Mutex
	chi, ours []string
}

func (p *idProbe) handler(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.chi = append(p.chi, chimw.GetReqID(r.Context()))
	p.ours = append(p.ours, errdoc.RequestIDFrom(r.Context()))
	p.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/fail") {
		errdoc.Write(w, r, errdoc.Internal(assert.AnError))
		return
	}
	_, _ = io.WriteString(w, "ok")
}

func (p *idProbe) last() (chiID, ours string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.chi) == 0 {
		return "", ""
	}
	return p.chi[len(p.chi)-1], p.ours[len(p.ours)-1]
}

// getID sends GET path to srv with the headers given (name, value pairs)
// and returns the response's header named idHeader and its body.
func getID(t *testing.T, srv *httptest.Server, path, idHeader string, hdr ...string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.Header.Get(idHeader), string(body)
}

// chi's own ways of putting its RequestID below Handler that the first
// request must see: chi.Chain, a route's handler wrapped by RequestID, and
// a route group's own Handler with RequestID below it. A success
// response's header and GetReqID agree from the first request; the error
// documents in between must not be what makes them agree.
func TestReviewChiRequestIDBelowInChiConstructs(t *testing.T) {
	for name, mount := range map[string]func(rd, inner *errdoc.Renderer, p *idProbe) http.Handler{
		"chi.Chain wrapped by Handler": func(rd, _ *errdoc.Renderer, p *idProbe) http.Handler {
			return rd.Handler(chi.Chain(chimw.RequestID).HandlerFunc(p.handler))
		},
		"route handler wrapped by RequestID": func(rd, _ *errdoc.Renderer, p *idProbe) http.Handler {
			r := chi.NewRouter()
			r.Use(rd.Handler)
			r.Handle("/ok", chimw.RequestID(http.HandlerFunc(p.handler)))
			r.Handle("/fail", chimw.RequestID(http.HandlerFunc(p.handler)))
			return r
		},
		"nested Handler with RequestID below it": func(rd, inner *errdoc.Renderer, p *idProbe) http.Handler {
			r := chi.NewRouter()
			r.Use(rd.Handler)
			r.Handle("/ok", inner.Handler(chimw.RequestID(http.HandlerFunc(p.handler))))
			r.Handle("/fail", inner.Handler(chimw.RequestID(http.HandlerFunc(p.handler))))
			return r
		},
		"nested Handler with RequestID below it, out of the outer's sight": func(rd, inner *errdoc.Renderer, p *idProbe) http.Handler {
			// The outer Handler cannot look into another library's
			// handler; the inner one sees chi's RequestID next to it.
			return rd.Handler(struct{ http.Handler }{inner.Handler(chimw.RequestID(http.HandlerFunc(p.handler)))})
		},
	} {
		t.Run(name, func(t *testing.T) {
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
			inner := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(), Format: errdoc.Problem})
			p := &idProbe{}
			srv := httptest.NewServer(mount(rd, inner, p))
			defer srv.Close()
			for i, path := range []string{"/ok", "/fail", "/ok", "/fail", "/ok"} {
				id, body := getID(t, srv, path, "X-Request-Id")
				chiID, ours := p.last()
				assert.Equal(t, id, chiID, "request %d %s: the header and GetReqID", i, path)
				assert.Equal(t, id, ours, "request %d %s: the header and RequestIDFrom", i, path)
				if strings.HasSuffix(path, "/fail") {
					assert.Contains(t, body, id, "request %d: the document", i)
				}
			}
		})
	}
}

// The wire over HTTP/2, with many first requests at once (the verdict is
// being computed while they run), hostile client IDs and chi's RequestID
// both above and below Handler: every response's header, document and
// GetReqID agree, and no request sees another's ID. -race.
func TestReviewOneIDOverHTTP2ConcurrentFirstRequests(t *testing.T) {
	for _, mount := range []string{"chi after", "chi above and below", "chi in a subrouter"} {
		t.Run(mount, func(t *testing.T) {
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
			var mu sync.Mutex
			seen := map[string]string{} // GetReqID -> path (its own query)
			h := func(w http.ResponseWriter, r *http.Request) {
				id := chimw.GetReqID(r.Context())
				mu.Lock()
				if prev, ok := seen[id]; ok && prev != r.URL.RawQuery && !strings.HasPrefix(r.URL.RawQuery, "c=dup") {
					t.Errorf("ID %q seen by %q and %q", id, prev, r.URL.RawQuery)
				}
				seen[id] = r.URL.RawQuery
				mu.Unlock()
				w.Header().Set("X-Seen", id)
				if strings.HasSuffix(r.URL.Path, "/fail") {
					errdoc.Write(w, r, errdoc.Internal(assert.AnError))
				}
			}
			r := chi.NewRouter()
			prefix := ""
			switch mount {
			case "chi after":
				r.Use(rd.Handler, chimw.RequestID)
			case "chi above and below":
				r.Use(chimw.RequestID, rd.Handler, chimw.RequestID)
			case "chi in a subrouter":
				r.Use(rd.Handler)
				prefix = "/v1"
			}
			if prefix == "" {
				r.Get("/ok", h)
				r.Get("/fail", h)
			} else {
				r.Route(prefix, func(r chi.Router) {
					r.Use(chimw.RequestID)
					r.Get("/ok", h)
					r.Get("/fail", h)
				})
			}
			srv := httptest.NewUnstartedServer(r)
			srv.EnableHTTP2 = true
			srv.StartTLS()
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: client.Transport.(*http.Transport).TLSClientConfig.RootCAs, NextProtos: []string{"h2"}}
			clients := [][]string{
				nil,
				{"X-Request-Id", "bad id with spaces"},
				{"X-Request-Id", strings.Repeat("a", 129)},
				{"X-Request-Id", "bad id", "X-Request-Id", "second-line-ok"},
			}
			var wg sync.WaitGroup
			for i := range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					path := prefix + "/ok"
					if i%3 == 0 {
						path = prefix + "/fail"
					}
					hdr := clients[i%len(clients)]
					req, err := http.NewRequest(http.MethodGet, srv.URL+path+"?q="+string(rune('a'+i%26))+strings.Repeat("x", i), nil)
					if !assert.NoError(t, err) {
						return
					}
					for j := 0; j+1 < len(hdr); j += 2 {
						req.Header.Add(hdr[j], hdr[j+1])
					}
					resp, err := client.Do(req)
					if !assert.NoError(t, err) {
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					assert.Equal(t, 2, resp.ProtoMajor)
					id := resp.Header.Get("X-Request-Id")
					assert.True(t, errdoc.ValidRequestID(id), "%q", id)
					assert.Equal(t, id, resp.Header.Get("X-Seen"), "header and GetReqID")
					if strings.HasSuffix(path, "/fail") {
						assert.Contains(t, string(body), `"id":"`+id+`"`)
					}
				}()
			}
			wg.Wait()
		})
	}
}
