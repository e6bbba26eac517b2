package middleware

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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

func TestNextParam(t *testing.T) {
	type p struct{ name, value string }
	tests := map[string][]p{
		`charset=utf-8`:                      {{"charset", "utf-8"}},
		` Charset = "UTF-8" ; q=0.5`:         {{"charset", "UTF-8"}, {"q", "0.5"}},
		`a="x\"y\\z";b=2`:                    {{"a", `x"y\z`}, {"b", "2"}},
		`a="semi;colon";b`:                   {{"a", "semi;colon"}, {"b", ""}},
		`flag;q=1`:                           {{"flag", ""}, {"q", "1"}},
		`a="unterminated`:                    {{"a", "unterminated"}},
		`;;a=1;;`:                            {{"a", "1"}},
		`a="x" junk; b=2`:                    {{"a", "x"}, {"b", "2"}},
		`a="esc\`:                            {{"a", `esc\`}},
		`level=1; charset="iso-8859-1"; q=0`: {{"level", "1"}, {"charset", "iso-8859-1"}, {"q", "0"}},
	}
	for in, want := range tests {
		var got []p
		for rest := in; strings.TrimLeft(rest, " ;") != ""; {
			var name, value string
			name, value, rest = nextParam(rest)
			got = append(got, p{name, value})
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}
