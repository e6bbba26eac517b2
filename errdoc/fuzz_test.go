package errdoc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
)

// FuzzRender feeds arbitrary error values and Accept headers to the renderer:
// every result must be a valid document of the negotiated format, with an
// error status, and never echo markup.
func FuzzRender(f *testing.F) {
	f.Add(404, "not_found", "", "no item 999", "/id", "application/json")
	f.Add(200, "", "<b>", "\xff\x00", "", "application/problem+json;q=0.5, */*")
	f.Add(0, "record_not_found", "Title", "\u2028", "no-slash", "application/vnd.api+json")
	f.Add(999, "X Y", "", strings.Repeat("ab", 3000), "/~2", "")
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(f), Logger: discardLogger()})
	f.Fuzz(func(t *testing.T, status int, code, title, detail, pointer, accept string) {
		e := &errdoc.Error{Status: status, Code: code, Title: title, Detail: detail, Source: errdoc.Source{Pointer: pointer}}
		rec := render(t, rd, accept, e)
		if rec.Code != 304 && (rec.Code < 400 || rec.Code > 599) {
			t.Fatalf("status %d", rec.Code)
		}
		if rec.Code == 304 {
			if rec.Body.Len() != 0 {
				t.Fatal("304 with a body")
			}
			return
		}
		body := rec.Body.Bytes()
		switch rec.Header().Get("Content-Type") {
		case errdoc.MediaTypeProblem:
			requireProblem(t, body)
			var m map[string]any
			if json.Unmarshal(body, &m) != nil || m["status"] != float64(rec.Code) {
				t.Fatalf("problem status %v != %d", m["status"], rec.Code)
			}
		default:
			requireJSONAPI(t, body)
		}
		if strings.ContainsAny(string(body), "<>") {
			t.Fatalf("unescaped markup: %s", body)
		}
	})
}

// FuzzNegotiate: any Accept header yields one of the three media types.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", "application/problem+json;q=0.9, application/json;q=1", ";;,,q=", "application/vnd.api+json;q=0",
		"application/problem+json;q = 0.1, application/json;q=0.5", "application/problem+json;q=0.0001", "application/json;q=1.0001, */*;q=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		for _, def := range []errdoc.Format{errdoc.JSONAPI, errdoc.Problem, errdoc.Twitter} {
			_, ct := errdoc.Negotiate(accept, def, false)
			switch ct {
			case errdoc.MediaTypeJSON, errdoc.MediaTypeJSONAPI, errdoc.MediaTypeProblem:
			default:
				t.Fatalf("media type %q", ct)
			}
		}
	})
}

// FuzzParseDocument: the client parser never panics on any body.
func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(`{"errors":[{"status":"404","code":"not_found"}]}`), false)
	f.Add([]byte(`{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`), false)
	f.Add([]byte(`{"type":"about:blank","status":503,"errors":[{"pointer":"/a"},{"pointer":"/b"}]}`), true)
	f.Fuzz(func(t *testing.T, body []byte, problem bool) {
		list, err := errdoc.ParseDocument(body, problem)
		if err == nil && len(list) == 0 {
			t.Fatal("no error and no errors")
		}
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusBadGateway)
		_, _ = rec.Write(body)
		if errdoc.ParseResponse(rec.Result()) == nil {
			t.Fatal("a 502 parsed as success")
		}
	})
}

// FuzzRequestID: whatever a client sends as X-Request-ID, the echoed ID is
// a valid one, the same in the header and the document.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"abc-123", "", "a b", "\r\nSet-Cookie: x=1", strings.Repeat("z", 200), "ok:with/slash=+@~."} {
		f.Add(s)
	}
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, ""))
	}))
	f.Fuzz(func(t *testing.T, sent string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header["X-Request-Id"] = []string{sent}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-ID")
		if !errdoc.ValidRequestID(got) {
			t.Fatalf("echoed invalid ID %q for %q", got, sent)
		}
		if errdoc.ValidRequestID(sent) && got != sent {
			t.Fatalf("valid ID %q replaced by %q", sent, got)
		}
		var doc struct{ Errors []struct{ ID string } }
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.Errors) != 1 || doc.Errors[0].ID != got {
			t.Fatalf("document %s does not carry %q", rec.Body.Bytes(), got)
		}
		// As problem details: request_id is the ID, instance an absolute
		// URI that ends with it percent-encoded, whatever the client sent.
		req.Header["Accept"] = []string{errdoc.MediaTypeProblem}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var p struct {
			Instance  string `json:"instance"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(p.Instance)
		if err != nil || !u.IsAbs() || u.Host != "" || p.RequestID != rec.Header().Get("X-Request-ID") {
			t.Fatalf("problem %s for %q", rec.Body.Bytes(), sent)
		}
		if id, err := url.PathUnescape(strings.TrimPrefix(p.Instance, errdoc.DefaultInstanceURI)); err != nil || id != p.RequestID {
			t.Fatalf("instance %q does not end with %q", p.Instance, p.RequestID)
		}
	})
}

// FuzzMatchLanguage feeds arbitrary Accept-Language fields: the pick is
// always one of the tags, and a field naming a tag exactly (q=1, first)
// picks it.
func FuzzMatchLanguage(f *testing.F) {
	f.Add("es-MX,es;q=0.9,en;q=0.8")
	f.Add("*;q=0.1, pt-br-x-a;q=0.5")
	f.Add("es;q=0., ;;;q=1,,")
	f.Add("\xff-\x00;q=1.000")
	tags := []string{"en", "es", "pt-BR"}
	f.Fuzz(func(t *testing.T, field string) {
		i := errdoc.MatchLanguage(tags, field)
		if i < 0 || i >= len(tags) {
			t.Fatalf("MatchLanguage(%q) = %d", field, i)
		}
		if got := errdoc.MatchLanguage(tags, "pt-BR, "+field); got != 2 {
			t.Fatalf("pt-BR first, then %q: got %d", field, got)
		}
	})
}

// FuzzMessageTemplate registers arbitrary templates: a catalog refuses
// them or renders them, with any argument values, as valid JSON:API.
func FuzzMessageTemplate(f *testing.F) {
	f.Add("No route matches {path}.", "/x")
	f.Add("{{ {path} }}", "\u2028<&>")
	f.Add("{", "")
	f.Add("}{path}{", "\xff")
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		cat, err := errdoc.DefaultCatalog().WithMessages(map[string]string{"app.fuzz": tmpl})
		if err != nil {
			return
		}
		rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat})
		rec := httptest.NewRecorder()
		rd.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil),
			errdoc.New(409, "").WithMessage("app.fuzz", errdoc.Str("path", value)))
		var doc struct {
			Errors []struct{ Detail *string } `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.Errors) != 1 {
			t.Fatalf("template %q, value %q: %s", tmpl, value, rec.Body.Bytes())
		}
	})
}
