package errdoc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	chimw "github.com/go-chi/chi/v5/middleware"
	chirender "github.com/go-chi/render"
	"golang.org/x/text/language"
)

// sink is a ResponseWriter that keeps nothing, so the benchmarks measure
// rendering and not the recorder.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(p []byte) (int, error) { return len(p), nil }
func (s *sink) WriteHeader(int)             {}

// jsonAPIDoc is the struct a team would otherwise hand to render.JSON.
type jsonAPIDoc struct {
	Errors []jsonAPIErr `json:"errors"`
}

type jsonAPIErr struct {
	ID     string `json:"id,omitempty"`
	Status string `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

const benchDetail = "The record identified by 999 could not be found."

func benchRequest() *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	ctx := errdoc.WithRequestID(req.Context(), "4f1c2a9e8b7d6c5a4f3e2d1c")
	// render reads the status from the context: set it once, outside the
	// loop, to give the anchor its best case.
	ctx = context.WithValue(ctx, chirender.StatusCtxKey, http.StatusNotFound)
	return req.WithContext(ctx)
}

// benchOurs writes the catalog 404 of the Write benchmarks for req.
func benchOurs(b *testing.B, req *http.Request) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	w := &sink{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
	}
}

// BenchmarkWrite404 writes a catalog 404 with a detail: ours beside
// go-chi/render's render.JSON and plain encoding/json of the same document.
func BenchmarkWrite404(b *testing.B) {
	req := benchRequest()
	b.Run("ours", func(b *testing.B) { benchOurs(b, req) })
	b.Run("render.JSON", func(b *testing.B) {
		w := &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			chirender.JSON(w, req, jsonAPIDoc{Errors: []jsonAPIErr{{
				ID: errdoc.RequestIDFrom(req.Context()), Status: "404", Code: "not_found", Title: "Not Found", Detail: benchDetail,
			}}})
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		w := &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			buf, _ := json.Marshal(jsonAPIDoc{Errors: []jsonAPIErr{{
				ID: errdoc.RequestIDFrom(req.Context()), Status: "404", Code: "not_found", Title: "Not Found", Detail: benchDetail,
			}}})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(buf)
		}
	})
	// The floor: net/http's plain-text error, no document at all.
	b.Run("http.Error", func(b *testing.B) {
		w := &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			http.Error(w, benchDetail, http.StatusNotFound)
		}
	})
}

// problemDoc is the problem-details object a team would encode by hand,
// with the members ours carries.
type problemDoc struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	Code      string `json:"code"`
}

// BenchmarkWriteProblem is the problem-details format, ours beside the same
// encoding/json baseline as BenchmarkWrite404.
func BenchmarkWriteProblem(b *testing.B) {
	req := benchRequest()
	req.Header.Set("Accept", "application/problem+json")
	b.Run("ours", func(b *testing.B) { benchOurs(b, req) })
	b.Run("encoding_json", func(b *testing.B) {
		w := &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			id := errdoc.RequestIDFrom(req.Context())
			buf, _ := json.Marshal(problemDoc{
				Type: "/docs/errors#not_found", Title: "Not Found", Status: http.StatusNotFound, Detail: benchDetail,
				Instance: errdoc.DefaultInstanceURI + id, RequestID: id, Code: "not_found",
			})
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(buf)
		}
	})
}

// The problem write is pinned like the 404: the error value only.
func TestWriteProblemAllocations(t *testing.T) {
	req := benchRequest()
	req.Header.Set("Accept", "application/problem+json")
	rd := errdoc.NewRenderer(errdoc.Options{})
	w := &sink{h: http.Header{"Vary": {"Origin"}}} // a Vary to merge into: one more
	rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
	w.h = http.Header{}
	allocs := testing.AllocsPerRun(1000, func() {
		rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
	})
	if allocs > 2 {
		t.Fatalf("writing a problem allocates %v times; want at most 2 (the error value, the document's own bytes)", allocs)
	}
}

// BenchmarkTrack is what tracking a response costs per request, wrapper
// allocated and released in the loop: ours beside the same writes made
// directly.
func BenchmarkTrack(b *testing.B) {
	body := []byte(`{"status":"ok"}`)
	b.Run("ours", func(b *testing.B) {
		var w http.ResponseWriter = &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			tw, tr := errdoc.Track(w)
			tw.WriteHeader(http.StatusOK)
			_, _ = tw.Write(body)
			_ = errdoc.Committed(tw)
			tr.Release()
		}
	})
	b.Run("direct", func(b *testing.B) {
		var w http.ResponseWriter = &sink{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
		}
	})
}

// The 404 write is pinned: the error value itself, and the bytes of the
// document handed to the writer, which are never pooled
// (TestWriteNeverReusesWhatAWriterHolds).
func TestWrite404Allocations(t *testing.T) {
	req := benchRequest()
	rd := errdoc.NewRenderer(errdoc.Options{})
	w := &sink{h: http.Header{}}
	rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail)) // warm the pool
	allocs := testing.AllocsPerRun(1000, func() {
		rd.Write(w, req, errdoc.New(http.StatusNotFound, benchDetail))
	})
	if allocs > 2 {
		t.Fatalf("writing a 404 allocates %v times; want at most 2 (the error value, the document's own bytes)", allocs)
	}
}

// BenchmarkHandler is the per-request cost of mounting Renderer.Handler
// (request ID, renderer in context, response tracking) on a request that
// succeeds, beside chi's middleware.RequestID, which does the first of
// those three.
func BenchmarkHandler(b *testing.B) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodGet, "/v1/items", nil)
	req.Header.Set("X-Request-ID", "4f1c2a9e8b7d6c5a4f3e2d1c")
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", errdoc.NewRenderer(errdoc.Options{}).Handler(next)},
		{"chi.RequestID", chimw.RequestID(next)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkHandlerChiBelow is Handler with chi's RequestID mounted below
// it, for a request without an ID and with a browser's few header fields:
// Handler hands its ID down in a copy of the header (the map, its group),
// which chi adopts, beside chi's RequestID alone making an ID of its own.
func BenchmarkHandlerChiBelow(b *testing.B) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodGet, "/v1/items", nil)
	for k, v := range map[string]string{"Accept": "application/json", "User-Agent": "bench/1", "Accept-Encoding": "gzip"} {
		req.Header.Set(k, v)
	}
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", errdoc.NewRenderer(errdoc.Options{}).Handler(chimw.RequestID(next))},
		{"chi.RequestID", chimw.RequestID(next)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}

// With chi's RequestID below, the header's copy costs two allocations for
// a request of a few header fields (the map and its one group), on top of
// Handler's one and chi's own.
func TestHandlerChiBelowAllocations(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept", "application/json")
	w := &sink{h: http.Header{}}
	chiAlone := chimw.RequestID(next)
	below := errdoc.NewRenderer(errdoc.Options{}).Handler(chimw.RequestID(next))
	below.ServeHTTP(w, req) // the first request looks for chi's RequestID
	base := testing.AllocsPerRun(200, func() { clear(w.h); chiAlone.ServeHTTP(w, req) })
	got := testing.AllocsPerRun(200, func() { clear(w.h); below.ServeHTTP(w, req) })
	if got > base+3 {
		t.Fatalf("Handler above chi's RequestID: %v allocations, chi's alone %v: want at most 3 more", got, base)
	}
}

// Handler costs one allocation per request: its context node, which holds
// the state, the request copy and the tracking wrapper; the echoed header
// shares the state.
func TestHandlerAllocations(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(next)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	w := &sink{h: http.Header{}}
	h.ServeHTTP(w, req)
	if a := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }); a > 1 {
		t.Fatalf("Handler allocates %v times per request; want at most 1", a)
	}
	// A request without an ID gets a new one in the same allocation: its
	// digits live in the context node.
	fresh := httptest.NewRequest(http.MethodGet, "/", nil)
	if a := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, fresh) }); a > 1 {
		t.Fatalf("Handler allocates %v times per request generating an ID; want at most 1", a)
	}
}

// BenchmarkWrite404Traceparent is BenchmarkWrite404's document for a
// request with a valid traceparent (ours: the trace ID parsed, then in
// meta) beside the same request without one (untraced): what the trace ID
// costs.
func BenchmarkWrite404Traceparent(b *testing.B) {
	traced := benchRequest()
	traced.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	b.Run("ours", func(b *testing.B) { benchOurs(b, traced) })
	b.Run("untraced", func(b *testing.B) { benchOurs(b, benchRequest()) })
}

// BenchmarkMatchLanguage picks a document's language from a browser's
// Accept-Language: ours (RFC 4647 lookup, what the renderer runs) beside
// golang.org/x/text/language's parser and matcher, the standard for the
// job, which matches by language distance (it would also pick "es" for a
// bare "es-419" request and "pt-BR" for "pt", which lookup does not).
func BenchmarkMatchLanguage(b *testing.B) {
	const header = "es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7"
	tags := []string{"en", "es", "pt-BR"}
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if errdoc.MatchLanguage(tags, header) != 1 {
				b.Fatal("not es")
			}
		}
	})
	b.Run("x_text_language", func(b *testing.B) {
		m := language.NewMatcher([]language.Tag{language.English, language.Spanish, language.BrazilianPortuguese})
		b.ReportAllocs()
		for b.Loop() {
			prefs, _, err := language.ParseAcceptLanguage(header)
			if err != nil {
				b.Fatal(err)
			}
			if _, i, _ := m.Match(prefs...); i != 1 {
				b.Fatal("not es")
			}
		}
	})
}

// BenchmarkWriteLanguages is a 404 rendered from a message: one language,
// then two with a Spanish Accept-Language.
func BenchmarkWriteLanguages(b *testing.B) {
	es := errdoc.DefaultCatalog()
	es = es.MustWithTranslation(testSpanish(es))
	args := []errdoc.Arg{errdoc.Str("path", "/v1/items/999")}
	e := &errdoc.Error{Status: 404, Message: errdoc.Message{Key: "routing.not_found", Args: args}}
	for _, bc := range []struct {
		name string
		cat  *errdoc.Catalog
	}{{"one", errdoc.DefaultCatalog()}, {"two_es", es}} {
		b.Run(bc.name, func(b *testing.B) {
			rd := errdoc.NewRenderer(errdoc.Options{Catalog: bc.cat})
			req := benchRequest()
			req.Header.Set("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				rd.Write(w, req, e)
			}
		})
	}
}
