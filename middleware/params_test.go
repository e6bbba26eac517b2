package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

type listQuery struct {
	Limit  int
	Sort   string
	Since  time.Time
	Pretty bool
	ID     string
	Trace  string
}

// paramsHandler reads every kind of parameter and answers 200 or the
// document of all failures.
func paramsHandler(got *listQuery) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := middleware.NewParams(r)
		q := listQuery{
			Limit:  p.Query("limit").Default("20").IntRange(1, 100),
			Sort:   p.Query("sort").Enum("name", "quantity"),
			Since:  p.Query("since").Time(""),
			Pretty: p.Query("pretty").Bool(),
			ID:     p.Path("id").Required().UUID(),
			Trace:  p.Header("X-Trace").Required().String(),
		}
		if err := p.Err(); err != nil {
			errdoc.Write(w, r, err)
			return
		}
		*got = q
	}
}

func TestParams(t *testing.T) {
	var got listQuery
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.Get("/chi/{id}", paramsHandler(&got))
	mux := http.NewServeMux()
	mux.Handle("GET /mux/{id}", errdoc.NewRenderer(errdoc.Options{}).Handler(paramsHandler(&got)))
	r.Mount("/mux", mux)
	srv := httptest.NewServer(r)
	defer srv.Close()
	const id = "123E4567-E89B-12D3-A456-426614174000"

	tests := []struct {
		name    string
		query   string
		id      string
		trace   string
		sources []string // parameter or header of each error
		details []string
	}{
		{"valid", "limit=5&sort=name&since=2024-01-02T03:04:05Z&pretty=TRUE", id, "t1", nil, nil},
		{"defaults", "", id, "t1", nil, nil},
		{"all wrong at once", "limit=500&sort=colour&since=yesterday&pretty=maybe", "not-a-uuid", "", []string{"limit", "sort", "since", "pretty", "id", "X-Trace"}, []string{
			"The query parameter limit must be an integer from 1 to 100.",
			"The query parameter sort must be one of: name, quantity.",
			"The query parameter since must be a date and time in RFC 3339 format, such as 2006-01-02T15:04:05Z.",
			"The query parameter pretty must be true or false.",
			"The path parameter id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000.",
			"The X-Trace header is required.",
		}},
		{"repeated", "limit=1&limit=2", id, "t", []string{"limit"}, []string{"The query parameter limit must be given once."}},
		{"not a number", "limit=ten", id, "t", []string{"limit"}, nil},
		{"bad query string", "limit=%zz", id, "t", []string{""}, []string{"The query string is not well-formed."}},
	}
	for _, prefix := range []string{"/chi/", "/mux/"} {
		for _, tc := range tests {
			t.Run(prefix+tc.name, func(t *testing.T) {
				got = listQuery{}
				req, err := http.NewRequest(http.MethodGet, srv.URL+prefix+url.PathEscape(tc.id)+"?"+tc.query, nil)
				require.NoError(t, err)
				if tc.trace != "" {
					req.Header.Set("X-Trace", tc.trace)
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				rep := testsrv.Read(t, resp)
				if tc.sources == nil {
					require.Equal(t, 200, resp.StatusCode, "%s", rep.Body)
					assert.Equal(t, strings.ToLower(id), got.ID)
					assert.Equal(t, "t1", got.Trace)
					if tc.query == "" {
						assert.Equal(t, 20, got.Limit)
					} else {
						assert.Equal(t, listQuery{Limit: 5, Sort: "name", Since: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Pretty: true, ID: got.ID, Trace: "t1"}, got)
					}
					return
				}
				require.Equal(t, 400, resp.StatusCode, "%s", rep.Body)
				var sources, details []string
				for _, e := range rep.Errors {
					assert.Equal(t, 400, e.Status)
					sources = append(sources, e.Source.Parameter+e.Source.Header)
					details = append(details, e.Detail)
				}
				assert.Equal(t, tc.sources, sources)
				if tc.details != nil {
					assert.Equal(t, tc.details, details)
				}
				for _, v := range []string{"colour", "yesterday", "maybe", "not-a-uuid", "ten"} {
					assert.NotContains(t, string(rep.Body), v, "a client value is echoed")
				}
			})
		}
	}
}

func TestParamTypes(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/?n=-7&big=9223372036854775807&f=2.5&inf=Inf&d=1m30s&tags=a&tags=b&date=2024-02-29&x=", nil)
	req.Header.Set("If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT")
	req.Header.Add("Multi", "1")
	req.Header.Add("Multi", "2")
	p := middleware.NewParams(req)
	assert.Equal(t, -7, p.Query("n").Int())
	assert.Equal(t, int64(9223372036854775807), p.Query("big").Int64())
	assert.Equal(t, 2.5, p.Query("f").Float())
	assert.Equal(t, 90*time.Second, p.Query("d").Duration())
	assert.Equal(t, []string{"a", "b"}, p.Query("tags").Strings())
	assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), p.Query("date").Time(time.DateOnly))
	assert.Equal(t, time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), p.Header("if-modified-since").Time(http.TimeFormat))
	assert.Equal(t, []string{"1", "2"}, p.Header("Multi").Strings())
	assert.True(t, p.Query("x").Present())
	assert.False(t, p.Query("absent").Present())
	assert.False(t, p.Query("absent").Default("3").Present())
	assert.Equal(t, []string{"z"}, p.Query("absent").Default("z").Strings())
	assert.Zero(t, p.Query("absent").Int())
	require.NoError(t, p.Err())

	_ = p.Query("inf").Float()
	_ = p.Header("Multi").Int()
	_ = p.Query("absent").Required().Strings()
	_ = p.Query("x").Required().String()
	err := p.Err()
	var list errdoc.List
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 4)
	cat := errdoc.DefaultCatalog() // the details are messages: rendered, in English
	assert.Equal(t, "The query parameter x must not be empty.", cat.Detail(list[3], "en"))
	assert.Equal(t, "The query parameter inf must be a finite number.", cat.Detail(list[0], "en"))
	assert.Equal(t, "The Multi header must be given once.", cat.Detail(list[1], "en"))
	assert.Equal(t, "Multi", list[1].Source.Header)
	assert.Equal(t, "The query parameter absent is required.", cat.Detail(list[2], "en"))

	// A default that does not parse is the program's mistake: a 500.
	p = middleware.NewParams(req)
	_ = p.Query("absent").Default("many").Int()
	var e *errdoc.Error
	require.ErrorAs(t, p.Err(), &e)
	assert.Equal(t, 500, e.Status)
}
