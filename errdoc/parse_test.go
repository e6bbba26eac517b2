package errdoc_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseResponseRoundTrip(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), Logger: discardLogger()})
	single := errdoc.Coded("record_not_found", "no item 999").AtPointer("/id").SetHeader("Retry-After", "7")
	for _, accept := range []string{"", "application/vnd.api+json", "application/problem+json"} {
		t.Run("single "+accept, func(t *testing.T) {
			rec := render(t, rd, accept, single)
			err := errdoc.ParseResponse(rec.Result())
			var e *errdoc.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 404, e.Status)
			assert.Equal(t, "record_not_found", e.Code)
			assert.Equal(t, "Record not found", e.Title)
			assert.Equal(t, "no item 999", e.Detail)
			assert.Equal(t, "/id", e.Source.Pointer)
			assert.Equal(t, "req-42", e.RequestID)
			d, ok := e.RetryAfter(time.Now())
			assert.True(t, ok)
			assert.Equal(t, 7*time.Second, d)
		})
	}
	many := errdoc.List{errdoc.New(422, "a").AtPointer("/name"), errdoc.New(422, "b").AtParameter("q")}
	for _, accept := range []string{"", "application/problem+json"} {
		rec := render(t, rd, accept, many)
		err := errdoc.ParseResponse(rec.Result())
		var list errdoc.List
		require.ErrorAs(t, err, &list, accept)
		require.Len(t, list, 2)
		assert.Equal(t, "/name", list[0].Source.Pointer)
		assert.Equal(t, "q", list[1].Source.Parameter)
		assert.Equal(t, 422, list[1].Status)
		assert.ErrorIs(t, err, &errdoc.Error{Status: 422})
		for _, e := range list {
			assert.Equal(t, "req-42", e.RequestID, "%q: the request's ID, not an occurrence's", accept)
		}
	}
	tw := errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter})
	rec := render(t, tw, "", errdoc.New(429, "").SetHeader("Retry-After", "30"))
	var e *errdoc.Error
	require.ErrorAs(t, errdoc.ParseResponse(rec.Result()), &e)
	assert.Equal(t, 429, e.Status)
	assert.Equal(t, "twitter_88", e.Code)
	assert.Equal(t, "Rate limit exceeded", e.Detail)
	d, _ := e.RetryAfter(time.Now())
	assert.Equal(t, 30*time.Second, d)
}

func TestParseResponseOddBodies(t *testing.T) {
	mk := func(status int, ct, body string) *http.Response {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", ct)
		rec.WriteHeader(status)
		_, _ = io.WriteString(rec, body)
		return rec.Result()
	}
	assert.NoError(t, errdoc.ParseResponse(mk(200, "text/plain", "ok")))
	assert.NoError(t, errdoc.ParseResponse(nil))
	for _, body := range []string{"", "<html>", "{", `{"errors":[]}`, `{"errors":"x"}`, `{}`, `[1]`, strings.Repeat("x", 2<<20)} {
		err := errdoc.ParseResponse(mk(502, "text/html", body))
		var e *errdoc.Error
		require.ErrorAs(t, err, &e, body)
		assert.Equal(t, 502, e.Status)
		assert.True(t, errors.Is(e.Cause, errdoc.ErrNotErrorDocument), "body %.20q", body)
	}
	// An HTTP date in Retry-After.
	resp := mk(503, "application/problem+json", `{"status":503,"title":"Service Unavailable"}`)
	resp.Header.Set("Retry-After", time.Now().Add(time.Minute).UTC().Format(http.TimeFormat))
	var e *errdoc.Error
	require.ErrorAs(t, errdoc.ParseResponse(resp), &e)
	d, ok := e.RetryAfter(time.Now())
	assert.True(t, ok)
	assert.InDelta(t, time.Minute.Seconds(), d.Seconds(), 2)
}
