package jsonbody_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

type orderLine struct {
	SKU      string `json:"sku" validate:"required"`
	Quantity int8   `json:"quantity" validate:"gte=1"`
}

// colour decodes only from the names it knows; its error is for logs.
type colour string

func (c *colour) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"red"`, `"blue"`:
		*c = colour(b[1 : len(b)-1])
		return nil
	case `"green"`:
		return errdoc.New(0, "Green is sold out.")
	}
	return errors.New("colour table lookup failed for " + string(b))
}

type order struct {
	Colour   colour      `json:"colour,omitempty"`
	Blob     []byte      `json:"blob,omitempty"`
	Name     string      `json:"name" validate:"required,max=10"`
	Quantity int         `json:"quantity" validate:"gte=0"`
	Lines    []orderLine `json:"lines" validate:"dive"`
	Tags     []string    `json:"tags,omitempty" validate:"max=3"`
	When     *time.Time  `json:"when,omitempty"`
}

// Validate adds a rule the struct tags cannot say.
func (o *order) Validate() error {
	if o.Name == "forbidden" {
		return jsonbody.Invalid("/name", "This name is reserved.")
	}
	return nil
}

// bindServer answers 201 with the decoded order, or the document of Bind's
// error.
func bindServer(t *testing.T, opts jsonbody.BindOptions) *httptest.Server {
	t.Helper()
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(opts)).Post("/orders", func(w http.ResponseWriter, r *http.Request) {
		o, err := jsonbody.Bind[order](r)
		if err != nil {
			errdoc.Write(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(o)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func post(t testing.TB, url, contentType string, body io.Reader) testsrv.Reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return testsrv.Read(t, resp)
}

func TestBind(t *testing.T) {
	srv := bindServer(t, jsonbody.BindOptions{MaxBytes: 4096})
	const secret = "SECRETVALUE"
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		pointers    []string
		detail      string // a substring of the first error's detail
	}{
		{"valid", "application/json", `{"name":"nut","quantity":5,"lines":[{"sku":"a","quantity":1}]}`, 201, nil, ""},
		{"valid +json and charset", `application/vnd.order+json; charset="UTF-8"`, `{"name":"nut"}`, 201, nil, ""},
		{"escaped charset", `application/json;charset="utf\-8"`, `{"name":"nut"}`, 201, nil, ""},
		{"no content type", "", `{"name":"nut"}`, 415, []string{""}, "no Content-Type"},
		{"text/plain", "text/plain", `{"name":"nut"}`, 415, []string{""}, "application/json, application/*+json"},
		{"latin-1", "application/json; charset=latin1", `{"name":"nut"}`, 415, nil, "UTF-8"},
		{"bad media type", "json", `{"name":"nut"}`, 415, nil, "not accepted"},
		{"truncated", "application/json", `{"name":`, 422, []string{"/name"}, "ends before"},
		{"empty", "application/json", ``, 422, []string{""}, "empty"},
		{"blank", "application/json", " \n ", 422, []string{""}, "empty"},
		{"syntax", "application/json", "{\n \"name\": \"" + secret + "\" \"x\"}", 422, []string{""}, "not well-formed JSON (line 2, column"},
		{"trailing", "application/json", `{"name":"nut"} {"name":"` + secret + `"}`, 422, []string{""}, "more data after"},
		{"duplicate", "application/json", `{"name":"nut","name":"` + secret + `"}`, 422, []string{"/name"}, "more than once"},
		{"invalid utf-8", "application/json", "{\"name\":\"\xff" + secret + "\"}", 422, []string{"/name"}, "UTF-8"},
		{"unknown member", "application/json", `{"name":"nut","color":"` + secret + `"}`, 422, []string{"/color"}, "not accepted"},
		{"case matters", "application/json", `{"Name":"nut"}`, 422, []string{"/Name", "/name"}, "The member /Name is not accepted here; member names are case-sensitive: did you mean /name?"},
		{"unknown members and validation", "application/json", `{"name":"","quantity":-1,"color":"` + secret + `"}`, 422, []string{"/color", "/name", "/quantity"}, "/color is not accepted"},
		{"several unknown members", "application/json", `{"a":1,"name":"n","b":{"c":"` + secret + `"},"lines":[{"sku":"s","quantity":1,"d":[]}]}`, 422, []string{"/a", "/b", "/lines/0/d"}, "/a is not accepted"},
		{"type mismatch", "application/json", `{"name":"nut","quantity":"` + secret + `"}`, 422, []string{"/quantity"}, "The value at /quantity must be an integer."},
		{"several type mismatches", "application/json", `{"name":1,"quantity":"` + secret + `","lines":[{"sku":"a","quantity":"x"},{"sku":2,"quantity":1}],"tags":["a",1,"b",true]}`, 422,
			[]string{"/name", "/quantity", "/lines/0/quantity", "/lines/1/sku", "/tags/1", "/tags/3", "/tags"}, "The value at /name must be a string."},
		{"type mismatch beside validation", "application/json", `{"name":"","quantity":"` + secret + `","lines":[{"sku":"","quantity":"x"}]}`, 422,
			[]string{"/quantity", "/lines/0/quantity", "/name", "/lines/0/sku"}, "/quantity must be an integer"},
		{"Validate method waits for a complete value", "application/json", `{"name":"forbidden","quantity":"x"}`, 422, []string{"/quantity"}, "integer"},
		{"Validate method beside an unknown member", "application/json", `{"name":"forbidden","colr":1}`, 422, []string{"/colr", "/name"}, "not accepted"},
		{"syntax error after a type mismatch", "application/json", `{"quantity":"x","name":"` + secret + `" "x"}`, 422, []string{""}, "not well-formed JSON"},
		{"duplicate after an unknown member", "application/json", `{"colr":1,"name":"a","name":"` + secret + `"}`, 422, []string{"/name"}, "more than once"},
		{"64-bit range", "application/json", `{"name":"n","quantity":123456789012345678901234567890}`, 422, []string{"/quantity"}, "The value at /quantity is too large."},
		{"64-bit range, negative", "application/json", `{"name":"n","quantity":-123456789012345678901234567890}`, 422, []string{"/quantity"}, "The value at /quantity is too small."},
		{"index in pointer", "application/json", `{"name":"n","lines":[{"sku":"a","quantity":1},{"sku":"b","quantity":"` + secret + `"}]}`, 422, []string{"/lines/1/quantity"}, "from -128 to 127"},
		{"out of range", "application/json", `{"name":"n","lines":[{"sku":"a","quantity":1000}]}`, 422, []string{"/lines/0/quantity"}, "from -128 to 127"},
		{"huge number", "application/json", `{"name":"n","quantity":1e99999}`, 422, []string{"/quantity"}, "integer"},
		{"fraction", "application/json", `{"name":"n","quantity":1.5}`, 422, []string{"/quantity"}, "integer"},
		{"custom unmarshaler", "application/json", `{"name":"n","colour":"` + secret + `"}`, 422, []string{"/colour"}, "The value at /colour is not valid here."},
		{"custom unmarshaler, client detail", "application/json", `{"name":"n","colour":"green"}`, 422, []string{"/colour"}, "Green is sold out."},
		{"base64", "application/json", `{"name":"n","blob":"` + secret + `!"}`, 422, []string{"/blob"}, "base64"},
		{"time", "application/json", `{"name":"n","when":"` + secret + `"}`, 422, []string{"/when"}, "RFC 3339"},
		{"wrong top-level", "application/json", `["` + secret + `"]`, 422, []string{""}, "must be an object"},
		{"two validation errors", "application/json", `{"name":"","quantity":-1}`, 422, []string{"/name", "/quantity"}, "/name must not be empty"},
		{"nested validation", "application/json", `{"name":"` + "abcdefghijkl" + `","lines":[{"sku":"a","quantity":1},{"sku":"","quantity":0}],"tags":["a","b","c","d"]}`, 422,
			[]string{"/name", "/lines/1/sku", "/lines/1/quantity", "/tags"}, "/name must have at most 10 characters"},
		{"Validate method", "application/json", `{"name":"forbidden"}`, 422, []string{"/name"}, "reserved"},
		{"over the limit", "application/json", `{"name":"` + strings.Repeat("x", 5000) + `"}`, 413, []string{""}, "at most 4096 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := post(t, srv.URL+"/orders", tc.contentType, strings.NewReader(tc.body))
			require.Equal(t, tc.status, rep.Resp.StatusCode, "%s", rep.Body)
			assert.NotContains(t, string(rep.Body), secret, "a value of the body is echoed")
			assert.NotContains(t, string(rep.Body), "lookup failed", "an unmarshaler's error text is shown")
			if tc.status < 400 {
				return
			}
			if tc.pointers != nil {
				assert.Equal(t, tc.pointers, rep.Pointers())
			}
			assert.Contains(t, rep.Errors[0].Detail, tc.detail)
			for _, e := range rep.Errors {
				assert.Equal(t, tc.status, e.Status)
			}
		})
	}
}

func TestBindMeta(t *testing.T) {
	srv := bindServer(t, jsonbody.BindOptions{})
	t.Run("syntax position", func(t *testing.T) {
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader("{\n  \"name\": \"é\" ,,\n}"))
		require.Equal(t, 422, rep.Resp.StatusCode)
		var doc struct {
			Errors []struct {
				Meta map[string]int `json:"meta"`
			} `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(rep.Body, &doc))
		assert.Equal(t, map[string]int{"line": 2, "column": 16, "offset": 18}, doc.Errors[0].Meta)
	})
	t.Run("415 lists the accepted types", func(t *testing.T) {
		rep := post(t, srv.URL+"/orders", "text/plain", strings.NewReader("x"))
		require.Equal(t, 415, rep.Resp.StatusCode)
		assert.Equal(t, "application/json, application/*+json", rep.Resp.Header.Get("Accept-Post"))
		assert.Equal(t, "Content-Type", rep.Errors[0].Source.Header)
		assert.Contains(t, string(rep.Body), `"accepted":["application/json","application/*+json"]`)
	})
}

func TestBindOptions(t *testing.T) {
	t.Run("syntax as 400", func(t *testing.T) {
		srv := bindServer(t, jsonbody.BindOptions{SyntaxStatus: 400})
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"name":`))
		assert.Equal(t, 400, rep.Resp.StatusCode)
		rep = post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"quantity":"x"}`))
		assert.Equal(t, 422, rep.Resp.StatusCode, "a type mismatch stays 422")
	})
	t.Run("case-insensitive names", func(t *testing.T) {
		srv := bindServer(t, jsonbody.BindOptions{MatchCaseInsensitiveNames: true})
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"NAME":"nut","Quantity":2}`))
		require.Equal(t, 201, rep.Resp.StatusCode, "%s", rep.Body)
		assert.JSONEq(t, `"nut"`, string(jsonField(t, rep.Body, "name")))
		// Two spellings of one field are a duplicate, not a last-one-wins.
		rep = post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"name":"nut","Name":"bolt"}`))
		require.Equal(t, 422, rep.Resp.StatusCode)
		assert.Equal(t, []string{"/Name"}, rep.Pointers())
		assert.Contains(t, rep.Errors[0].Detail, "more than once")
		// As encoding/json: case only, never underscores or dashes.
		rep = post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"na_me":"nut","NAME":""}`))
		require.Equal(t, 422, rep.Resp.StatusCode)
		assert.Equal(t, []string{"/na_me", "/name"}, rep.Pointers())
		// Decode failures keep the client's spelling; validation failures
		// under them are not repeated in the field's.
		rep = post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"Quantity":"x","NAME":""}`))
		require.Equal(t, 422, rep.Resp.StatusCode)
		assert.Equal(t, []string{"/Quantity", "/name"}, rep.Pointers())
	})
	t.Run("unknown members allowed", func(t *testing.T) {
		srv := bindServer(t, jsonbody.BindOptions{AllowUnknownFields: true})
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"name":"nut","colour":"red"}`))
		assert.Equal(t, 201, rep.Resp.StatusCode)
	})
	t.Run("own media types", func(t *testing.T) {
		srv := bindServer(t, jsonbody.BindOptions{MediaTypes: []string{"application/merge-patch+json"}})
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"name":"nut"}`))
		assert.Equal(t, 415, rep.Resp.StatusCode)
		rep = post(t, srv.URL+"/orders", "application/merge-patch+json", strings.NewReader(`{"name":"nut"}`))
		assert.Equal(t, 201, rep.Resp.StatusCode)
	})
	t.Run("validator function joins the tags", func(t *testing.T) {
		srv := bindServer(t, jsonbody.BindOptions{ValidateFunc: func(r *http.Request, v any) error {
			return errors.Join(jsonbody.Invalid("/quantity", "Quantity must be even."), errors.New("internal text"))
		}})
		rep := post(t, srv.URL+"/orders", "application/json", strings.NewReader(`{"name":""}`))
		require.Equal(t, 422, rep.Resp.StatusCode)
		assert.Equal(t, []string{"/name", "/quantity", ""}, rep.Pointers())
		assert.NotContains(t, string(rep.Body), "internal text")
	})
	for _, bad := range []jsonbody.BindOptions{
		{MaxBytes: -1}, {SyntaxStatus: 500}, {MediaTypes: []string{"json"}}, {MediaTypes: []string{"*/*"}},
		{MediaTypes: []string{"application/json; charset=utf-8"}}, {MediaTypes: []string{"application/js*n"}},
	} {
		assert.Error(t, bad.Validate(), "%+v", bad)
		assert.Panics(t, func() { jsonbody.NewBinder(bad) })
	}
	assert.NoError(t, jsonbody.BindOptions{}.Validate())
}

// jsonField returns the member name of the JSON object body.
func jsonField(t *testing.T, body []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	return m[name]
}

func TestBindManyFailures(t *testing.T) {
	// 5,000 invalid lines: one document of at most 100 errors.
	body := `{"name":"n","lines":[` + strings.TrimSuffix(strings.Repeat(`{"sku":"","quantity":0},`, 5000), ",") + `]}`
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	var o order
	err := jsonbody.NewBinder(jsonbody.BindOptions{}).Decode(req, &o)
	var list errdoc.List
	require.ErrorAs(t, err, &list)
	assert.Len(t, list, 100)
	assert.Equal(t, "/lines/0/sku", list[0].Source.Pointer)
	assert.Equal(t, "/lines/49/quantity", list[99].Source.Pointer)
}

func TestBindWithoutMiddleware(t *testing.T) {
	// Bind works in any handler: the zero options apply.
	h := errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		_, err := jsonbody.Bind[order](r)
		return err
	})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":1}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, 422, rec.Code)
	assert.Contains(t, rec.Body.String(), `"pointer":"/name"`)
}

func TestJSONBodiesEarly(t *testing.T) {
	// The middleware refuses before the handler runs, and limits handlers
	// that decode with encoding/json themselves.
	called := false
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 10})).Post("/", func(w http.ResponseWriter, r *http.Request) {
		called = true
		var v any
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			errdoc.Write(w, r, err)
		}
	})
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{})).Get("/", func(w http.ResponseWriter, r *http.Request) {
		called = true
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	rep := post(t, srv.URL, "text/plain", strings.NewReader("hello"))
	assert.Equal(t, 415, rep.Resp.StatusCode)
	rep = post(t, srv.URL, "application/json", strings.NewReader(`"01234567890123"`))
	assert.Equal(t, 413, rep.Resp.StatusCode, "Content-Length over the limit")
	assert.False(t, called)
	rep = post(t, srv.URL, "application/json", io.MultiReader(strings.NewReader(`"01234567890123"`))) // chunked
	assert.Equal(t, 413, rep.Resp.StatusCode, "chunked, caught by MaxBytesReader in the handler")
	assert.True(t, called)
	called = false
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	assert.Equal(t, 200, testsrv.Read(t, resp).Resp.StatusCode, "requests without a body pass")
	assert.True(t, called)
}

// chunked is a reader of n generated bytes: a JSON string that never ends
// within n, so that no decoder can stop early on a syntax error.
type chunked struct{ n, off int64 }

func (c *chunked) Read(p []byte) (int, error) {
	if c.off >= c.n {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > c.n-c.off {
		n = c.n - c.off
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	if c.off == 0 && n > 0 {
		p[0] = '"'
	}
	c.off += n
	return int(n), nil
}

func TestBindGigabyteBody(t *testing.T) {
	// A 1 GiB body, with a Content-Length that lies low, unknown (chunked)
	// or tells the truth, never costs more than a small multiple of the
	// limit: at most limit+1 bytes are read, and the buffer never grows
	// past that. Measured as the bytes allocated while binding: the
	// growing buffer costs about 2x the limit in all (half of it garbage
	// by the end); TotalAlloc also counts other goroutines' allocations,
	// for which the bound of 3x the limit leaves a whole limit's room and
	// is still 341 times smaller than the body.
	const limit = 1 << 20
	b := jsonbody.NewBinder(jsonbody.BindOptions{MaxBytes: limit})
	for _, cl := range []int64{-1, 100, 1 << 30} {
		t.Run(fmt.Sprint("content-length ", cl), func(t *testing.T) {
			body := &chunked{n: 1 << 30}
			req := httptest.NewRequest(http.MethodPost, "/", body)
			req.ContentLength = cl
			req.Header.Set("Content-Type", "application/json")
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var v string
			err := b.Decode(req, &v)
			runtime.ReadMemStats(&after)
			var e *errdoc.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 413, e.Status)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("read %d bytes, allocated %d bytes", body.off, allocated)
			assert.Less(t, allocated, uint64(3*limit))
			assert.LessOrEqual(t, body.off, int64(limit+1), "read past the limit")
		})
	}
}

func TestBindChunkedOverTheWire(t *testing.T) {
	// Over a real connection, a body of 64 MiB of unknown length (chunked
	// in HTTP/1.1, streamed in HTTP/2) is cut at the limit and answered
	// with a 413 document.
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			srv := testsrv.Start(t, proto, bindServer(t, jsonbody.BindOptions{MaxBytes: 1 << 16}).Config.Handler)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/orders", &chunked{n: 64 << 20})
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			assert.Equal(t, proto, resp.Proto)
			rep := testsrv.Read(t, resp)
			assert.Equal(t, 413, rep.Resp.StatusCode)
			assert.Equal(t, []string{""}, rep.Pointers())
		})
	}
}

func TestBindDeepNesting(t *testing.T) {
	// 200,000 levels: rejected by the decoder's depth limit, without
	// exhausting the stack, within the test's time.
	b := jsonbody.NewBinder(jsonbody.BindOptions{MaxBytes: 1 << 20})
	for _, body := range []string{
		strings.Repeat("[", 200000) + strings.Repeat("]", 200000),
		strings.Repeat(`{"a":`, 200000),
		`{"lines":` + strings.Repeat("[", 200000),
	} {
		for _, target := range []any{new(any), new(order), new([]any)} {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			err := b.Decode(req, target)
			var e *errdoc.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 422, e.Status)
			assert.LessOrEqual(t, len(e.Source.Pointer), 256)
		}
	}
}

// stalled sends part of a body, then blocks until released.
type stalled struct {
	sent    bool
	release chan struct{}
}

func (s *stalled) Read(p []byte) (int, error) {
	if !s.sent {
		s.sent = true
		return copy(p, `{"name":"nu`), nil
	}
	<-s.release
	return 0, io.EOF
}

func TestBindStalledBody(t *testing.T) {
	// A body that stops arriving mid-way is bounded by the server's read
	// timeout: the handler's Bind returns a 408 and the handler ends,
	// whatever the client does next. No goroutine outlives the test.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	done := make(chan error, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := jsonbody.Bind[order](r)
		done <- err
		errdoc.Write(w, r, err)
	}))
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()

	requireStallBounded(t, srv, done)
}

// bindingRouter serves POST / with JSONBodies(opts) and a handler that
// binds an order and reports Bind's error on done (when nobody waits for
// it, it is dropped).
func bindingRouter(opts jsonbody.BindOptions) (http.Handler, <-chan error) {
	done := make(chan error, 1)
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(opts)).Post("/", func(w http.ResponseWriter, r *http.Request) {
		_, err := jsonbody.Bind[order](r)
		select {
		case done <- err:
		default:
		}
		if err != nil {
			errdoc.Write(w, r, err)
		}
	})
	return r, done
}

// requireStallBounded sends a body that stops arriving after a few bytes
// to url and requires the handler's Bind to report a 408 on done within
// 30 s: 100 times the 300 ms bounds of the tests, for a loaded machine.
func requireStallBounded(t *testing.T, srv *httptest.Server, done <-chan error) {
	t.Helper()
	body := &stalled{release: make(chan struct{})}
	req, err := http.NewRequest(http.MethodPost, srv.URL, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	client := srv.Client()
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	defer func() {
		// The client ends once its body is released, and its connections
		// are closed: nothing of this request outlives the test.
		close(body.release)
		<-sent
		client.CloseIdleConnections()
	}()
	select {
	case err := <-done:
		var e *errdoc.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusRequestTimeout, e.Status)
	case <-time.After(30 * time.Second):
		t.Fatal("Bind did not return after the read deadline")
	}
}

func TestBindBodyTimeout(t *testing.T) {
	// On a server without ReadTimeout, JSONBodies' BodyTimeout bounds a
	// stalled body; the next request on the same connection is not cut
	// short by the deadline this one set. No goroutine outlives the test.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	r, done := bindingRouter(jsonbody.BindOptions{BodyTimeout: 300 * time.Millisecond})
	srv := httptest.NewServer(r)
	defer srv.Close()
	requireStallBounded(t, srv, done)

	// HTTP/2 streams get the deadline too.
	srv2 := testsrv.Start(t, "HTTP/2.0", r)
	defer srv2.Close() // before goleak's check; Close twice is harmless
	requireStallBounded(t, srv2, done)

	// A keep-alive connection: a quick request, a pause longer than the
	// timeout, then another request on the same connection.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	for i := range 2 {
		resp, err := client.Post(srv.URL, "application/json", strings.NewReader(`{"name":"nut"}`))
		require.NoError(t, err, "request %d", i)
		assert.Equal(t, 200, testsrv.Read(t, resp).Resp.StatusCode)
		if i == 0 {
			time.Sleep(500 * time.Millisecond) // past the first request's deadline
		}
	}
	// A negative BodyTimeout means the server's timeouts only.
	assert.NoError(t, jsonbody.BindOptions{BodyTimeout: -1}.Validate())
}

func TestBindBodyTimeoutNeverExtendsServers(t *testing.T) {
	// The server's ReadTimeout (200 ms) is shorter than BodyTimeout (60 s):
	// the stall ends at the server's deadline, well inside the 30 s that
	// requireStallBounded allows, because the middleware never moves the
	// connection's deadline later.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	r, done := bindingRouter(jsonbody.BindOptions{BodyTimeout: time.Minute})
	srv := httptest.NewUnstartedServer(r)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()
	requireStallBounded(t, srv, done)
}

func TestBindBodyTimeoutDisarmsAtEnd(t *testing.T) {
	// A handler that has read its body and then works for four times
	// BodyTimeout keeps its context and its response, over HTTP/1.1 and
	// HTTP/2: the deadline ends with the body, and the timer that fires
	// later touches nothing.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
			r.With(jsonbody.JSONBodies(jsonbody.BindOptions{BodyTimeout: 100 * time.Millisecond})).Post("/", func(w http.ResponseWriter, r *http.Request) {
				if _, err := jsonbody.Bind[order](r); err != nil {
					errdoc.Write(w, r, err)
					return
				}
				select {
				case <-r.Context().Done():
					http.Error(w, "context ended: "+context.Cause(r.Context()).Error(), http.StatusInternalServerError)
				case <-time.After(400 * time.Millisecond): // four times BodyTimeout
					w.WriteHeader(http.StatusNoContent)
				}
			})
			srv := testsrv.Start(t, proto, r)
			defer srv.Close()
			client := srv.Client()
			defer client.CloseIdleConnections()
			resp, err := client.Post(srv.URL, "application/json", strings.NewReader(`{"name":"nut"}`))
			require.NoError(t, err)
			got := testsrv.Read(t, resp)
			assert.Equal(t, http.StatusNoContent, got.Resp.StatusCode, "%s", got.Body)
		})
	}
}

func TestBindMemoryFollowsBytesReceived(t *testing.T) {
	// 16 clients claim Content-Length: 4 MiB on a 4 MiB route, send 10
	// bytes and stall. Before, Bind reserved the claim at once: 64 MiB
	// held. Now each holds at most its first chunk until bytes arrive. The
	// live heap is measured after a GC, with every handler inside Bind's
	// first Read, and must grow by less than 16 MiB (the real growth is
	// about 0.5 MiB; other tests of the package do not run in parallel).
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const clients, claim = 16, 4 << 20
	reading := make(chan struct{}, clients)
	release := make(chan struct{})
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: claim, BodyTimeout: -1})).Post("/", func(w http.ResponseWriter, r *http.Request) {
		r.Body = &firstRead{ReadCloser: r.Body, reading: reading}
		_, err := jsonbody.Bind[order](r)
		errdoc.Write(w, r, err)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	defer close(release)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	conns := make([]net.Conn, 0, clients)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range clients {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		conns = append(conns, c)
		_, err = fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"name\":\"", claim)
		require.NoError(t, err)
	}
	for i := range clients {
		select {
		case <-reading:
		case <-time.After(30 * time.Second):
			t.Fatalf("only %d of %d handlers reached Bind", i, clients)
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap grew by %d KiB for %d stalled bodies claiming %d MiB each", grew>>10, clients, claim>>20)
	assert.Less(t, grew, int64(16<<20))
}

// firstRead signals on reading when its first Read is called: by then
// Bind has made its buffer.
type firstRead struct {
	io.ReadCloser
	reading chan<- struct{}
	once    sync.Once
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.once.Do(func() { f.reading <- struct{}{} })
	return f.ReadCloser.Read(p)
}

// lazy is a body whose reads return nothing, forever.
type lazy struct{}

func (lazy) Read([]byte) (int, error) { return 0, nil }

func TestBindBodyWithoutProgress(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", lazy{})
	req.Header.Set("Content-Type", "application/json")
	var v any
	err := jsonbody.NewBinder(jsonbody.BindOptions{}).Decode(req, &v)
	var e *errdoc.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status)
	assert.ErrorIs(t, err, io.ErrNoProgress)
}

func TestBindRandomBytes(t *testing.T) {
	// Random bytes of every length up to 2 KiB: always an error document
	// with a 4xx status, never a panic.
	b := jsonbody.NewBinder(jsonbody.BindOptions{})
	seed := []byte(`{"name":"a","lines":[{"sku":"b","quantity":1}],"tags":["x"]}` + "\xff\x00[{\"}")
	x := uint64(1)
	for n := 0; n < 2048; n++ {
		body := make([]byte, n%300)
		for i := range body {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			body[i] = seed[x%uint64(len(seed))]
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		var o order
		if err := b.Decode(req, &o); err != nil {
			var e *errdoc.Error
			var l errdoc.List
			if !errors.As(err, &l) {
				require.ErrorAs(t, err, &e, "%q", body)
				require.True(t, e.Status >= 400 && e.Status < 500, "%q: %d", body, e.Status)
			}
		}
	}
}

// A body is decoded as sent: one with a Content-Encoding other than
// identity is refused with 415 and Accept-Encoding, never read as JSON (a
// plain body labelled gzip would otherwise pass, and a real gzip body be
// called malformed).
func TestBindRefusesContentEncodings(t *testing.T) {
	srv := bindServer(t, jsonbody.BindOptions{})
	for _, tc := range []struct {
		encoding string
		status   int
	}{
		{"gzip", 415},
		{"br", 415},
		{"identity, gzip", 415},
		{"identity", 201},
		{"IDENTITY", 201},
	} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(`{"name":"nut"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", tc.encoding)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, tc.status, resp.StatusCode, "%s: %s", tc.encoding, body)
		if tc.status == 415 {
			assert.Equal(t, "identity", resp.Header.Get("Accept-Encoding"))
			assert.Contains(t, string(body), `"header":"Content-Encoding"`)
			assert.NotContains(t, string(body), tc.encoding, "the client's value is not echoed")
		}
	}
}

// Content-Type is a singleton field: a body sent with two Content-Type
// lines, in either order, or with a list as its value, is refused with the
// 415 document of any other unaccepted type (the accepted types, Accept-Post),
// never decoded under whichever line came first. A comma inside a quoted
// parameter is no list.
func TestBindRefusesMoreThanOneContentType(t *testing.T) {
	srv := bindServer(t, jsonbody.BindOptions{})
	for _, tc := range []struct {
		name   string
		lines  []string
		status int
	}{
		{"json then text", []string{"application/json", "text/plain"}, 415},
		{"text then json", []string{"text/plain", "application/json"}, 415},
		{"json twice", []string{"application/json", "application/json"}, 415},
		{"a list", []string{"application/json, text/plain"}, 415},
		{"a list after a parameter", []string{"application/json;x=1, text/plain"}, 415},
		{"a list after a charset", []string{"application/json; charset=utf-8,text/plain"}, 415},
		{"a comma inside a quoted parameter", []string{`application/json; note="a,b"`}, 201},
		{"a quote inside a token", []string{`application/json; x=a"b, text/plain"`}, 415},
		{"a quote that never closes", []string{`application/json; x="a, text/plain`}, 415},
		{"one line", []string{"application/json"}, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(`{"name":"nut"}`))
			require.NoError(t, err)
			req.Header["Content-Type"] = tc.lines
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			rep := testsrv.Read(t, resp)
			require.Equal(t, tc.status, rep.Resp.StatusCode, "%s", rep.Body)
			if tc.status != 415 {
				return
			}
			assert.Equal(t, "application/json, application/*+json", rep.Resp.Header.Get("Accept-Post"))
			assert.Equal(t, "Content-Type", rep.Errors[0].Source.Header)
			assert.Contains(t, string(rep.Body), `"accepted":["application/json","application/*+json"]`)
			assert.Contains(t, rep.Errors[0].Detail, "more than one Content-Type")
			assert.NotContains(t, string(rep.Body), "text/plain", "the client's value is not echoed")

			// Bind without JSONBodies checks the same.
			req = httptest.NewRequest(http.MethodPatch, "/orders", strings.NewReader(`{"name":"nut"}`))
			req.Header["Content-Type"] = tc.lines
			var o order
			var e *errdoc.Error
			require.ErrorAs(t, jsonbody.NewBinder(jsonbody.BindOptions{}).Decode(req, &o), &e)
			assert.Equal(t, 415, e.Status)
			assert.Equal(t, "application/json, application/*+json", e.Header.Get("Accept-Patch"))
		})
	}
}
