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

// Low. A translation's text for a built-in code the catalog lacks is kept
// only when it has both a title and a description; with one of them
// missing it is dropped without a word (neither Missing nor used), and the
// 405 that entry answers stays English in a Spanish document. Fix: in
// Catalog.check, report entries.<code>.title/.description as Missing for
// a built-in code given partly, as for the catalog's own codes.
func TestReview2PartialBuiltinTextIsRefusedNotDropped(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found", Description: "No such record."})
	es := translations.Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado", Description: "No existe."}
	es.Entries["method_not_allowed"] = errdoc.EntryText{Title: "Método no permitido"} // no description
	withEs, err := cat.WithTranslation(es)
	if err != nil {
		assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation)
		return // refused: a fix
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: withEs})
	srv := httptest.NewServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusMethodNotAllowed, ""))
	})))
	t.Cleanup(srv.Close)
	res, body := reviewGet(t, srv, "/x", "Accept-Language", "es")
	require.Equal(t, "es", res.Header.Get("Content-Language"))
	assert.NotContains(t, body, `"title":"Method Not Allowed"`, "accepted, then dropped: an English title in a Spanish document")
}

// Low. After WithDefaultLanguage(Spanish) on a catalog of the
// application's own codes, a translation that gives no text for the
// built-in codes (an English one, say, written for the application's
// codes) gets the default language's text for them: newRenderer fills a
// translation's missing built-in text from the entry it has just made
// Spanish, so an English client's 405 says "Método no permitido" under
// Content-Language: en. Fix: fill a translation's missing built-in text
// from the library's own entry (English), as before WithDefaultLanguage,
// or refuse such a translation.
func TestReview2TranslationWithoutBuiltinTextIsNotTheDefaultLanguages(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found", Description: "No such record."})
	en := errdoc.Translation{Language: "en", Entries: map[string]errdoc.EntryText{
		"record_not_found": {Title: "Record not found", Description: "No such record."}}, Messages: map[string]string{}}
	for _, k := range cat.MessageKeys() {
		en.Messages[k], _ = cat.Template("en", k)
	}
	es := translations.Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado", Description: "No existe."}
	cat, err := cat.MustWithDefaultLanguage(es).WithTranslation(en)
	if err != nil {
		return // asking the translation for the built-in codes' text is a fix too
	}

	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat})
	srv := httptest.NewServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusMethodNotAllowed, ""))
	})))
	t.Cleanup(srv.Close)
	res, body := reviewGet(t, srv, "/x", "Accept-Language", "en")
	require.Equal(t, "en", res.Header.Get("Content-Language"))
	assert.NotContains(t, body, es.Entries["method_not_allowed"].Title, "a Spanish title under Content-Language: en")
}
