package jsonbody

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The per-request check of a valid request allocates nothing: the
// Content-Type check of Bind and JSONBodies.
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
}

func TestIsList(t *testing.T) {
	for s, want := range map[string]bool{
		"application/json":                    false,
		"application/json, text/plain":        true,
		"application/json;x=1,text/plain":     true,
		`application/json; note="a,b"`:        false,
		`application/json; note="a\",b", x/y`: true,
		`application/json; note="a\"b,c"`:     false,
		`multipart/form-data; boundary="a,b"`: false,
		`application/json; x = "a,b"`:         false,
		"":                                    false,
		// A quote opens a quoted-string only as a parameter's value: one
		// inside a token opens nothing, and one that never closes leaves
		// the value ambiguous. A proxy splitting on commas reads both of
		// these as two values.
		`application/json; x=a"b, text/plain"`: true,
		`application/json; x="a, text/plain`:   true,
		`application/json; x="a`:               true,
	} {
		if got := isList(s); got != want {
			t.Errorf("isList(%q) = %v, want %v", s, got, want)
		}
	}
}
