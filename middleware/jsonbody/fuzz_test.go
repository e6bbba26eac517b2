package jsonbody_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

// FuzzBind decodes arbitrary bodies under arbitrary Content-Types, with
// names matched exactly and case-insensitively: Decode returns nil or
// errdoc errors with 4xx statuses, at most 100 of them, never panics,
// keeps source pointers valid UTF-8 within 256 bytes, and the errors
// render as a 4xx document. (That no value is echoed is TestBind's, with marked
// values.) Seeds are in testdata/fuzz/FuzzBind.
func FuzzBind(f *testing.F) {
	f.Add("application/json", []byte(`{"name":"nut","quantity":5,"lines":[{"sku":"a","quantity":1}]}`))
	f.Add("application/json; charset=utf-8", []byte(`{"name":"","quantity":-1}`))
	f.Add("application/problem+json", []byte(`{"lines":[{},{"quantity":1e400}]}`))
	f.Add("text/plain", []byte(`x`))
	f.Add("application/json", []byte(`{"name":"","quantity":-1,"colour":"red","x":{},"lines":[{"sku":1,"y":2},{"quantity":"z"}],"tags":[1,"a",[]]}`))
	f.Add("application/json", []byte(`{"NAME":"a","Name":"b","QUANTITY":"x"}`))
	f.Add("application/json", []byte("[\n{\"name\":1},\n2]"))
	binders := []*jsonbody.Binder{
		jsonbody.NewBinder(jsonbody.BindOptions{MaxBytes: 4096}),
		jsonbody.NewBinder(jsonbody.BindOptions{MaxBytes: 4096, MatchCaseInsensitiveNames: true}),
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		for _, b := range binders {
			decode(t, b, contentType, body)
		}
	})
}

// decode is one run of FuzzBind, with b.
func decode(t *testing.T, b *jsonbody.Binder, contentType string, body []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	var o order
	err := b.Decode(req, &o)
	if err == nil {
		return
	}
	var list errdoc.List
	if !errors.As(err, &list) {
		var e *errdoc.Error
		if !errors.As(err, &e) {
			t.Fatalf("not an errdoc error: %T", err)
		}
		list = errdoc.List{e}
	}
	if len(list) > 100 {
		t.Fatalf("%d errors", len(list))
	}
	for _, e := range list {
		if e.Status < 400 || e.Status > 499 {
			t.Fatalf("status %d for %q", e.Status, body)
		}
		if len(e.Source.Pointer) > 256 {
			t.Fatalf("pointer of %d bytes", len(e.Source.Pointer))
		}
		if e.Source.Pointer != "" && !utf8.ValidString(e.Source.Pointer) {
			t.Fatalf("pointer not UTF-8: %q", e.Source.Pointer)
		}
	}
	// The whole document renders, as JSON.
	rec := httptest.NewRecorder()
	errdoc.Write(rec, req, err)
	if rec.Code < 400 || rec.Code > 499 {
		t.Fatalf("rendered %d", rec.Code)
	}
}
