package middleware_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
)

// FuzzParams reads an arbitrary query value, path value and header with
// every typed helper: never a panic, failures are 400s naming the
// parameter, and no detail contains the value.
func FuzzParams(f *testing.F) {
	for _, s := range []string{"12", "-1", "true", "name", "123e4567-e89b-12d3-a456-426614174000", "2024-01-02T03:04:05Z", "1m30s", "NaN", "%zz", "", "\xff"} {
		f.Add(s)
	}
	// read runs every helper on every parameter of a request carrying v.
	read := func(v string) error {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.RawQuery = "v=" + url.QueryEscape(v) + "&raw=" + v
		req.SetPathValue("v", v)
		if !strings.ContainsAny(v, "\r\n\x00") {
			req.Header.Set("V", v)
		}
		p := middleware.NewParams(req)
		for _, param := range []middleware.Param{p.Query("v"), p.Query("raw"), p.Path("v"), p.Header("V"), p.Query("none")} {
			_ = param.String()
			_ = param.Strings()
			_ = param.Int()
			_ = param.IntRange(1, 100)
			_ = param.Int64()
			_ = param.Float()
			_ = param.Bool()
			_ = param.Enum("name", "quantity")
			_ = param.UUID()
			_ = param.Time("")
			_ = param.Time(http.TimeFormat)
			_ = param.Duration()
			_ = param.Required().Int()
		}
		return p.Err()
	}
	// Every detail a failure can have, from values that fail everything,
	// leave the parameters out or repeat them: a detail for any other value
	// must be one of them, so it cannot carry the value.
	cat := errdoc.DefaultCatalog() // details are messages: compared rendered
	allowed := map[string]bool{}
	for _, v := range []string{"\x01", "", "&", "\r&", "x&raw=y", "%zz", "&raw=&v="} {
		for _, e := range flatten(read(v)) {
			allowed[cat.Detail(e, "en")] = true
		}
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, e := range flatten(read(v)) {
			if e.Status != 400 {
				t.Fatalf("status %d", e.Status)
			}
			detail := cat.Detail(e, "en")
			if !allowed[detail] {
				t.Fatalf("detail %q depends on the value", detail)
			}
			if e.Source.Parameter == "" && e.Source.Header == "" && detail != "The query string is not well-formed." {
				t.Fatalf("no source: %q", detail)
			}
		}
	})
}

func flatten(err error) errdoc.List {
	if err == nil {
		return nil
	}
	var list errdoc.List
	if errors.As(err, &list) {
		return list
	}
	var one *errdoc.Error
	if errors.As(err, &one) {
		return errdoc.List{one}
	}
	panic("not an errdoc error")
}
