package errdoc_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
)

// registeredStatuses are the 4xx and 5xx statuses of the HTTP registries the
// catalog promises to cover: RFC 9110's (418 is reserved there, "unused"),
// RFC 6585's, 451 (RFC 7725), 425 (RFC 8470) and Twitter's 420.
var registeredStatuses = []int{
	400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
	420, 421, 422, 425, 426, 428, 429, 431, 451,
	500, 501, 502, 503, 504, 505, 511,
}

func TestDefaultCatalogCoversEveryRegisteredStatus(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	for _, st := range registeredStatuses {
		e, ok := cat.ForStatus(st)
		if !assert.True(t, ok, "status %d has no entry", st) {
			continue
		}
		assert.Equal(t, st, e.Status)
		assert.NotEmpty(t, e.Title, "%d title", st)
		assert.NotEmpty(t, e.Description, "%d description", st)
		got, ok := cat.Lookup(e.Code)
		assert.True(t, ok && got.Status == st, "%d: code %q looks up its own entry", st, e.Code)
	}
	// The response-code page has an anchor for each of them.
	page := docsPage(t, cat)
	for _, st := range registeredStatuses {
		e, _ := cat.ForStatus(st)
		assert.Contains(t, page, `id="`+e.Code+`"`, "the page's anchor for %d", st)
	}
}

// docsPage renders the HTML response-code page of cat.
func docsPage(t *testing.T, cat *errdoc.Catalog) string {
	t.Helper()
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, Logger: discardLogger()})
	req, _ := http.NewRequest(http.MethodGet, "/docs/errors", nil)
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	rd.DocsHandler(errdoc.DocsOptions{}).ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	return rec.Body.String()
}

// Every status the renderer can be asked for answers with a code the
// catalog holds, so that the docs link of every document has an anchor.
func TestEveryErrorStatusRendersACatalogCode(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, Logger: discardLogger()})
	for st := 400; st <= 599; st++ {
		rec := render(t, rd, "", errdoc.New(st, ""))
		require.Equal(t, st, rec.Code)
		code := decode(t, rec.Body.Bytes())["errors"].([]any)[0].(map[string]any)["code"].(string)
		e, ok := cat.Lookup(code)
		if assert.True(t, ok, "status %d rendered code %q, not in the catalog", st, code) {
			assert.Equal(t, st/100, e.Status/100, "status %d answered with another class's code %q", st, code)
		}
	}
}

func TestUnknownCodeNeverReachesTheClient(t *testing.T) {
	tests := []struct {
		name   string
		err    *errdoc.Error
		status int
		code   string
		logged string
	}{
		{"typo without status", errdoc.Coded("typo_code", "detail"), 500, "internal_error", `unknown_code=typo_code`},
		{"typo with status", &errdoc.Error{Status: 404, Code: "record_not_fund"}, 404, "not_found", `unknown_code=record_not_fund`},
		{"invalid code", &errdoc.Error{Status: 409, Code: "Bad Code!"}, 409, "conflict", `unknown_code="Bad Code!"`},
		{"unregistered status", errdoc.New(418, ""), 418, "bad_request", `unknown_status=418`},
		{"5xx without entry", errdoc.New(599, ""), 599, "internal_error", `unknown_status=599`},
		{"not an error status", errdoc.New(200, ""), 500, "internal_error", `unknown_status=200`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			rec := render(t, rd, "", tc.err)
			require.Equal(t, tc.status, rec.Code)
			requireJSONAPI(t, rec.Body.Bytes())
			e := decode(t, rec.Body.Bytes())["errors"].([]any)[0].(map[string]any)
			assert.Equal(t, tc.code, e["code"])
			assert.Contains(t, logs.String(), "level=ERROR")
			assert.Contains(t, logs.String(), tc.logged)
		})
	}
	t.Run("registered codes log nothing", func(t *testing.T) {
		var logs bytes.Buffer
		rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		for _, err := range []*errdoc.Error{errdoc.New(409, "taken"), errdoc.Coded("conflict", "taken"), {Status: 404, Code: "gone"}} {
			render(t, rd, "", err)
		}
		assert.Empty(t, logs.String())
	})
}

func TestMustCodeAndCheck(t *testing.T) {
	cat := errdoc.DefaultCatalog().MustWith(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found"})
	code := cat.MustCode("record_not_found")
	assert.Equal(t, "record_not_found", code.String())
	assert.Equal(t, 404, code.Status())
	e := code.New("No item 7.")
	assert.Equal(t, &errdoc.Error{Status: 404, Code: "record_not_found", Detail: "No item 7."}, e)

	assert.PanicsWithError(t, `errdoc: code not in the catalog: "record_not_fund"`, func() { cat.MustCode("record_not_fund") })
	assert.NoError(t, cat.Check("record_not_found", "not_found", "conflict"))
	err := cat.Check("not_found", "typo_one", "typo_two")
	require.ErrorIs(t, err, errdoc.ErrUnknownCode)
	assert.True(t, strings.Contains(err.Error(), `"typo_one", "typo_two"`), err.Error())

	var zero errdoc.Code
	assert.Equal(t, 500, zero.New("x").Status)
}

func TestMustWith(t *testing.T) {
	base := errdoc.DefaultCatalog()
	ext := base.MustWith(errdoc.Entry{Status: 409, Code: "version_conflict", Title: "Version conflict"})
	_, ok := ext.Lookup("version_conflict")
	assert.True(t, ok)
	_, ok = base.Lookup("version_conflict")
	assert.False(t, ok, "the receiver is unchanged")
	assert.Panics(t, func() { base.MustWith(errdoc.Entry{Status: 409, Code: "conflict", Title: "again"}) })
}
