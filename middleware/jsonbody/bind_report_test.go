package jsonbody_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/schematest"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

// item has no colour: the body of issue 16 fails three ways at once.
type item struct {
	Name     string `json:"name" validate:"required"`
	Quantity int    `json:"quantity" validate:"min=1"`
}

// TestBindReportsEverything: an unknown member does not hide the
// validation failures beside it. One 422 document lists all three, as
// JSON:API and as problem details, each valid against its schema.
func TestBindReportsEverything(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{})).Post("/items", func(w http.ResponseWriter, r *http.Request) {
		if _, err := jsonbody.Bind[item](r); err != nil {
			errdoc.Write(w, r, err)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	const body = `{"name":"","quantity":-1,"colour":"red"}`
	for _, accept := range []string{"application/vnd.api+json", "application/problem+json"} {
		t.Run(accept, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/items", strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", accept)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			rep := readAll(t, resp)
			require.Equal(t, 422, resp.StatusCode, "%s", rep)
			for _, want := range []string{
				`The member /colour is not accepted here.`,
				`/name must not be empty.`,
				`/quantity must be at least 1.`,
			} {
				assert.Contains(t, rep, want)
			}
			assert.NotContains(t, rep, "red", "a value of the body is echoed")
			if accept == "application/problem+json" {
				schematest.RequireProblem(t, []byte(rep))
				return
			}
			schematest.RequireJSONAPI(t, []byte(rep))
			for _, p := range []string{"/colour", "/name", "/quantity"} {
				assert.Contains(t, rep, `"pointer":"`+p+`"`)
			}
		})
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// decodeAll binds body into a new order with b and returns the pointers of
// its failures, which must all be 422s.
func decodeAll(t testing.TB, b *jsonbody.Binder, body string) []string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	var o order
	err := b.Decode(req, &o)
	require.Error(t, err)
	var list errdoc.List
	if !errors.As(err, &list) {
		var e *errdoc.Error
		require.ErrorAs(t, err, &e)
		list = errdoc.List{e}
	}
	ptrs := make([]string, len(list))
	for i, e := range list {
		require.Equal(t, 422, e.Status)
		ptrs[i] = e.Source.Pointer
	}
	return ptrs
}

func TestBindReportCaps(t *testing.T) {
	b := jsonbody.NewBinder(jsonbody.BindOptions{MaxBytes: 4 << 20})
	members := func(n int) string {
		var sb strings.Builder
		sb.WriteString(`{"name":"n"`)
		for i := range n {
			fmt.Fprintf(&sb, `,"x%d":0`, i)
		}
		sb.WriteString(`}`)
		return sb.String()
	}
	t.Run("at most 100 failures", func(t *testing.T) {
		// 150 unknown members in 1.6 KB: the first 100, in order.
		ptrs := decodeAll(t, b, members(150))
		require.Len(t, ptrs, 100)
		assert.Equal(t, "/x0", ptrs[0])
		assert.Equal(t, "/x99", ptrs[99])
	})
	t.Run("work follows the body's size", func(t *testing.T) {
		// 2,000 unknown members in 20 KB: re-reading it for each would
		// cost 100 passes; the budget (16 times the body) allows its
		// first few, in order.
		ptrs := decodeAll(t, b, members(2000))
		assert.GreaterOrEqual(t, len(ptrs), 5)
		assert.Less(t, len(ptrs), 30)
		assert.Equal(t, "/x0", ptrs[0])
	})
	t.Run("a large body reports its first few", func(t *testing.T) {
		// 2 MiB, every element of a 260,000-element array refused: the
		// work of finding more than the first is bounded by a constant, so
		// only a handful are listed, and the bytes allocated stay a small
		// multiple of the body's.
		body := `{"name":"n","tags":[` + strings.TrimSuffix(strings.Repeat(`1234567,`, 2<<20/8), ",") + `]}`
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ptrs := decodeAll(t, b, body)
		runtime.ReadMemStats(&after)
		t.Logf("%d failures, %d KiB allocated for a %d KiB body", len(ptrs), (after.TotalAlloc-before.TotalAlloc)>>10, len(body)>>10)
		assert.GreaterOrEqual(t, len(ptrs), 2)
		assert.LessOrEqual(t, len(ptrs), 3)
		assert.Equal(t, "/tags/0", ptrs[0])
		assert.Equal(t, "/tags/1", ptrs[1])
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*len(body)))
	})
	t.Run("short elements are replaced without moving indices", func(t *testing.T) {
		ptrs := decodeAll(t, b, "{\"name\":\"n\",\"tags\":[1,\n2,\"ok\",[],{},\n\"x\",3]}")
		assert.Equal(t, []string{"/tags/0", "/tags/1", "/tags/3", "/tags/4", "/tags/6", "/tags"}, ptrs)
	})
	t.Run("a value that refuses null too ends the search", func(t *testing.T) {
		// colour's UnmarshalJSON refuses null: the element cannot be cut
		// out, so the search stops there instead of looping.
		type palette struct {
			Colours []colour `json:"colours"`
			N       int      `json:"n"`
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"colours":["mauve","taupe"],"n":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		var p palette
		err := b.Decode(req, &p)
		var e *errdoc.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "/colours/0", e.Source.Pointer)
	})
}
