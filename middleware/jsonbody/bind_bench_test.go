package jsonbody_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

// benchOrder is the target of the benchmarks: strings, integers, a nested
// array of objects, with validate tags on every field.
type benchOrder struct {
	ID       string      `json:"id" validate:"required"`
	Customer string      `json:"customer" validate:"required,max=100"`
	Note     string      `json:"note"`
	Lines    []orderLine `json:"lines" validate:"dive"`
	Total    int         `json:"total" validate:"gte=0"`
}

// plainOrder is benchOrder without validate tags: Bind's decode path
// alone, to compare with a bare decode like for like.
type plainOrder struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Note     string `json:"note"`
	Lines    []struct {
		SKU      string `json:"sku"`
		Quantity int8   `json:"quantity"`
	} `json:"lines"`
	Total int `json:"total"`
}

// benchBody is a valid body of about 1 KiB.
var benchBody = func() []byte {
	o := benchOrder{ID: "ord-000001", Customer: "ACME Corporation", Note: strings.Repeat("n", 80), Total: 99}
	for i := range 24 {
		o.Lines = append(o.Lines, orderLine{SKU: fmt.Sprintf("sku-%06d", i), Quantity: int8(i%100 + 1)})
	}
	b, _ := json.Marshal(o)
	return b
}()

func TestBenchBodySize(t *testing.T) {
	if len(benchBody) < 900 || len(benchBody) > 1200 {
		t.Fatalf("benchmark body is %d bytes, not about 1 KiB", len(benchBody))
	}
}

// BenchmarkBind decodes a valid 1 KiB body in a handler: /ours with Bind
// (Content-Type check, limited read, decode, validation of 26 tagged
// fields) and /ours_untagged (the same without validate tags) beside
// /encoding_json, a bare json.NewDecoder(r.Body).Decode that checks
// nothing, and /encoding_json_validator, that decode followed by
// validator.Struct, which is what /ours does by hand; then the failure
// paths of Bind, each rendering its document through errdoc.
func BenchmarkBind(b *testing.B) {
	ours := bindHandler(func(v *benchOrder) bool { return v.Total == 99 })
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v benchOrder
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		if v.Total != 99 {
			panic("not decoded")
		}
		w.WriteHeader(http.StatusNoContent)
	})
	validate := validator.New(validator.WithRequiredStructEnabled())
	bareValidated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v benchOrder
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		if err := validate.Struct(&v); err != nil {
			http.Error(w, "invalid", http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	untagged := bindHandler(func(v *plainOrder) bool { return v.Total == 99 })
	run := func(b *testing.B, h http.Handler, contentType string, body []byte, want int) {
		runLength(b, h, contentType, body, int64(len(body)), want)
	}
	b.Run("ours", func(b *testing.B) { run(b, ours, "application/json", benchBody, 204) })
	b.Run("ours_untagged", func(b *testing.B) { run(b, untagged, "application/json", benchBody, 204) })
	b.Run("encoding_json", func(b *testing.B) { run(b, bare, "application/json", benchBody, 204) })
	b.Run("encoding_json_validator", func(b *testing.B) { run(b, bareValidated, "application/json", benchBody, 204) })
	b.Run("ours_415", func(b *testing.B) { run(b, ours, "text/plain", benchBody, 415) })
	tooLarge := bytes.Repeat([]byte(" "), jsonbody.DefaultMaxBytes+1)
	b.Run("ours_413", func(b *testing.B) { run(b, ours, "application/json", tooLarge, 413) })
	b.Run("ours_413_unknown_length", func(b *testing.B) { runLength(b, ours, "application/json", tooLarge, -1, 413) })
	bad := bytes.Replace(benchBody, []byte(`"total":99`), []byte(`"total":"x"`), 1)
	b.Run("ours_422_type", func(b *testing.B) { run(b, ours, "application/json", bad, 422) })
	// An unknown member beside two validation failures: one document of
	// three errors, which costs a second pass to cut the member out and a
	// third to decode the rest.
	everything := bytes.Replace(benchBody, []byte(`"total":99`), []byte(`"total":-1,"colour":"red"`), 1)
	everything = bytes.Replace(everything, []byte(`"customer":"ACME Corporation"`), []byte(`"customer":""`), 1)
	b.Run("ours_422_everything", func(b *testing.B) { run(b, ours, "application/json", everything, 422) })
	b.Run("ours_422_syntax", func(b *testing.B) { run(b, ours, "application/json", benchBody[:len(benchBody)/2], 422) })
	b.Run("encoding_json_400_syntax", func(b *testing.B) { run(b, bare, "application/json", benchBody[:len(benchBody)/2], 400) })
}

// bindHandler binds a T, answers 204 and panics if decoded is false of it.
func bindHandler[T any](decoded func(*T) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := jsonbody.Bind[T](r)
		if err != nil {
			errdoc.Write(w, r, err)
			return
		}
		if !decoded(&v) {
			panic("not decoded")
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// runLength serves body to h in a loop, announced with contentLength (-1
// for unknown, as chunked bodies are), and checks the status.
func runLength(b *testing.B, h http.Handler, contentType string, body []byte, contentLength int64, want int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	req := httptest.NewRequest(http.MethodPost, "/orders", nil)
	req.Header.Set("Content-Type", contentType)
	rd := bytes.NewReader(body)
	for b.Loop() {
		rd.Reset(body)
		req.Body = io.NopCloser(rd)
		req.ContentLength = contentLength
		w := &testsrv.BenchWriter{H: http.Header{}}
		h.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("status %d, want %d", w.Code, want)
		}
	}
}
