package errdoc_test

// Second review of issue 20 (WithDefaultLanguage, built-in entries'
// translated text, compiled templates): each test states a defect and
// fails until it is fixed.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/translations"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Medium. A catalog of the application's own codes made Spanish with
// WithDefaultLanguage(translations.Spanish()): the built-in entry that
// answers its 429s takes the Spanish title and description (cat.builtin)
// but newRenderer copies only those two fields, so the Twitter shape's
// "message" stays the library's English "Rate limit exceeded" in an API
// whose only language is Spanish, although the translation gave
// "legacy_message" for too_many_requests. The response-code page's
// Twitter reference shows the same English (twitterMembers reads only
// Catalog.Text, which knows no built-in entries). A translation added
// with WithTranslation that gives no text for the code loses the legacy
// message altogether (its Twitter message becomes the title). Fix: copy
// LegacyMessage in newRenderer's built-in loop (and keep e.LegacyMessage
// when a translation has no text), and let twitterMembers read the
// built-in text.
func TestReview2BuiltinLegacyMessageUnderDefaultLanguage(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found", Description: "No such record."})
	es := translations.Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado", Description: "No existe."}
	want := es.Entries["too_many_requests"].LegacyMessage
	require.NotEmpty(t, want)
	cat = cat.MustWithDefaultLanguage(es)

	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, Format: errdoc.Twitter})
	srv := httptest.NewServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusTooManyRequests, ""))
	})))
	t.Cleanup(srv.Close)
	res, body := reviewGet(t, srv, "/x")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	assert.Contains(t, body, `"message":"`+want+`"`, "the Spanish legacy message the translation gave")

	var md strings.Builder
	require.NoError(t, rd.WriteMarkdown(&md, errdoc.DocsOptions{}))
	assert.False(t, strings.Contains(md.String(), "Rate limit exceeded"), "English in the Spanish page's Twitter reference")
}

// Low. WithDefaultLanguage with a Translation without Page (its doc
// allows it: "when t has a Page") leaves the page on the library's
// English texts, and DocsHandler then serves that English page as
// Content-Language: es, <html lang="es">: the mislabelling the first
// review's TestReviewDefaultLanguageDoesNotLabelEnglishAsAnother was
// about, still open for a default language without page texts. Fix:
// WithDefaultLanguage requires a Page (Missing "page.*"), or pageTexts(0)
// answers nil for a non-English default without one.
func TestReview2DefaultLanguageWithoutPageIsNotEnglishLabelledAsIt(t *testing.T) {
	es := translations.Spanish()
	es.Page = nil
	cat, err := errdoc.DefaultCatalog().WithDefaultLanguage(es)
	if err != nil {
		return // refusing a default language without page texts is a fix
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat})
	srv := httptest.NewServer(rd.DocsHandler(errdoc.DocsOptions{}))
	t.Cleanup(srv.Close)
	res, page := reviewGet(t, srv, "/?format=html")
	if res.StatusCode != http.StatusOK {
		return // not serving a page it has no text for is a fix too
	}
	english := errdoc.PageTexts()["section.codes"]
	require.NotEmpty(t, english)
	if strings.Contains(page, english) {
		assert.NotEqual(t, "es", res.Header.Get("Content-Language"), "the English page labelled Spanish")
		assert.False(t, strings.Contains(page, `<html lang="es">`), "the English page labelled Spanish")
	}
}
