package middleware

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The per-request checks of a valid request allocate nothing: the
// Content-Type check of Bind and JSONBodies, and Produces' weighing of a
// browser-like Accept header.
func TestZeroAllocChecks(t *testing.T) {
	b := NewBinder(BindOptions{})
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set("Content-Type", `application/vnd.order+json; charset="utf-8"`)
	if n := testing.AllocsPerRun(100, func() {
		if b.checkContentType(req) != nil {
			t.Fatal("refused")
		}
	}); n != 0 {
		t.Errorf("checkContentType: %v allocs", n)
	}
	offers := []offer{{"application", "json", "application/json"}, {"text", "csv", "text/csv"}}
	const accept = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"
	if n := testing.AllocsPerRun(100, func() {
		if got, ok := negotiateOffers(accept, offers); !ok || got != "application/json" {
			t.Fatal(got)
		}
	}); n != 0 {
		t.Errorf("negotiateOffers: %v allocs", n)
	}
}
