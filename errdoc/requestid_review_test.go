package errdoc_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// Finding A: without Handler, Options.RequestID's answer reaches the document and log unchecked.
func TestReviewRequestIDOptionUnvalidatedWithoutHandler(t *testing.T) {
	var logs bytes.Buffer
	rd := errdoc.NewRenderer(errdoc.Options{
		RequestID: func(r *http.Request) string { return chimw.GetReqID(r.Context()) },
		Logger:    slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	h := chimw.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(errdoc.NewContext(r.Context(), rd))
		errdoc.Write(w, r, errdoc.New(500, "boom"))
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	evil := "<script>alert(1)</script> forged=1 " + strings.Repeat("A", 300)
	req.Header.Set("X-Request-Id", evil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(b, []byte("forged=1")) || strings.Contains(logs.String(), "forged=1") {
		t.Errorf("client text echoed though ValidRequestID refuses it:\nbody %s\nlog %s", b, logs.String())
	}
}

// With a RequestIDHeader other than chi's, chi takes the client's X-Request-Id
// verbatim; Handler refuses it but leaves chi's value in place below it, so
// middleware.GetReqID (chi's Logger mounted below, the application's logs)
// carries the client's text while documents carry Handler's ID.
func TestReviewChiInvalidIDOtherHeaderNotOverridden(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{RequestIDHeader: "X-Correlation-Id", Logger: slog.New(slog.DiscardHandler)})
	var ours, chis string
	h := chimw.RequestID(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ours, chis = errdoc.RequestIDFrom(r.Context()), chimw.GetReqID(r.Context())
	})))
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("X-Request-Id", "forged log line")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if chis != ours {
		t.Errorf("below Handler chi's ID is %q, Handler's %q", chis, ours)
	}
}
