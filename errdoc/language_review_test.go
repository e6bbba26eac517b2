package errdoc_test

// Review of issue 20 (documents in the client's language): each test
// states a defect found by the review and fails until it is fixed.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get sends GET url with the headers hdr (name, value pairs) and returns
// the response with its body read.
func reviewGet(t *testing.T, srv *httptest.Server, path string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	return res, string(body)
}

// Medium. WithDefaultLanguage("de") only relabels: the library's entries,
// messages and page texts stay English, and every response then says
// Content-Language: de (and <html lang="de">) over English text. Its doc
// says "use it when the catalog's own text is written in another
// language", but nothing lets the page texts of the default language be
// given, and nothing checks that the library's English was replaced.
func TestReviewDefaultLanguageDoesNotLabelEnglishAsAnother(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	german := func(lang string) errdoc.Translation {
		tr := errdoc.Translation{Language: lang, Entries: map[string]errdoc.EntryText{}, Messages: map[string]string{}, Page: map[string]string{}}
		for _, e := range cat.Entries() {
			tr.Entries[e.Code] = errdoc.EntryText{Title: "[" + lang + "] " + e.Title, Description: "[" + lang + "] " + e.Description, LegacyMessage: e.LegacyMessage}
		}
		for _, k := range cat.MessageKeys() {
			tmpl, _ := cat.Template("en", k)
			tr.Messages[k] = "[" + lang + "] " + tmpl
		}
		for k, v := range errdoc.PageTexts() {
			tr.Page[k] = "[" + lang + "] " + v
		}
		return tr
	}
	de, err := cat.WithDefaultLanguage(german("de"))
	require.NoError(t, err)
	de = de.MustWithTranslation(german("es"))
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: de})

	srv := httptest.NewServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, routeNotFound(r.URL.Path))
	})))
	t.Cleanup(srv.Close)
	// The stand-in German marks the English it copies "[de] ".
	for _, lang := range []string{"de", "fr", ""} {
		res, body := reviewGet(t, srv, "/x", "Accept-Language", lang)
		require.Equal(t, "de", res.Header.Get("Content-Language"), "the default for %q", lang)
		assert.Contains(t, body, `"title":"[de] Not Found"`, "the German title")
		assert.Contains(t, body, `"detail":"[de] No route matches /x."`, "the German detail")
	}
	res, body := reviewGet(t, srv, "/x", "Accept-Language", "es")
	require.Equal(t, "es", res.Header.Get("Content-Language"))
	assert.Contains(t, body, `"title":"[es] Not Found"`)

	docs := httptest.NewServer(rd.DocsHandler(errdoc.DocsOptions{}))
	t.Cleanup(docs.Close)
	res, page := reviewGet(t, docs, "/?format=html", "Accept-Language", "de")
	require.Equal(t, "de", res.Header.Get("Content-Language"))
	assert.Contains(t, page, `<html lang="de">`)
	assert.False(t, strings.Contains(page, "<title>Response Codes</title>"), "the English page served as German")
	assert.Contains(t, page, "[de] ", "the German page texts")
}

// Medium. A catalog built with NewCatalog holds only the application's
// entries; the statuses it lacks are answered by the library's built-in
// entries (a 405 from Routing, a 500 from the recoverer). Those have no
// text in the catalog's translations, and a translation cannot give them
// one (WithTranslation refuses their codes as unknown): a Spanish client
// gets an English title under Content-Language: es, beside a Spanish
// detail.
func TestReviewFallbackEntriesOfACustomCatalogAreTranslated(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found", Description: "No such record."})
	tr := errdoc.Translation{Language: "es",
		Entries:  map[string]errdoc.EntryText{"record_not_found": {Title: "Registro no encontrado", Description: "No existe."}},
		Messages: map[string]string{}}
	for _, k := range cat.MessageKeys() {
		tmpl, _ := cat.Template("en", k)
		tr.Messages[k] = "[es] " + tmpl
	}
	tr.Messages["routing.method_not_allowed"] = "El método {method} no está permitido aquí."
	// The text of the fallback entry the application would want to give.
	tr.Entries["method_not_allowed"] = errdoc.EntryText{Title: "Método no permitido", Description: "La ruta no acepta este método."}
	es, err := cat.WithTranslation(tr)
	if err != nil {
		// Without the fallback entry's text the translation is accepted,
		// and the 405 below is English.
		delete(tr.Entries, "method_not_allowed")
		es = cat.MustWithTranslation(tr)
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: es})
	srv := httptest.NewServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.NewMessage(http.StatusMethodNotAllowed, "routing.method_not_allowed", errdoc.Str("method", r.Method)))
	})))
	t.Cleanup(srv.Close)
	res, body := reviewGet(t, srv, "/x", "Accept-Language", "es")
	require.Equal(t, "es", res.Header.Get("Content-Language"))
	assert.Contains(t, body, `"detail":"El método GET no está permitido aquí."`)
	assert.NotContains(t, body, `"title":"Method Not Allowed"`, "an English title in a Spanish document")
}

// Low. DocsHandler's own errors (an unknown format or lang, a POST, an
// Accept it cannot meet) are plain English details: a Spanish reader gets
// a Spanish title, Content-Language: es and an English detail.
func TestReviewDocsHandlerErrorsAreInTheClientsLanguage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t)})
	srv := httptest.NewServer(rd.DocsHandler(errdoc.DocsOptions{}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/?format=pdf", "/?lang=fr"} {
		res, body := reviewGet(t, srv, path, "Accept-Language", "es")
		require.Equal(t, http.StatusBadRequest, res.StatusCode, path)
		require.Equal(t, "es", res.Header.Get("Content-Language"), path)
		// spanishCatalog's stand-in Spanish marks English text "(es) ".
		assert.Contains(t, body, `"detail":"(es) `, "%s: an English detail in a Spanish document", path)
	}
}

// Low. ?lang= takes any string and looks it up as a range: "es-" (not a
// language tag) and "es-x" serve the Spanish page instead of the 400 the
// doc promises for "an unknown lang".
func TestReviewDocsLangMustBeALanguageTag(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t)})
	srv := httptest.NewServer(rd.DocsHandler(errdoc.DocsOptions{}))
	t.Cleanup(srv.Close)
	for _, lang := range []string{"es-", "es--", "es-%00"} {
		res, _ := reviewGet(t, srv, "/?format=markdown&lang="+lang)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "lang=%q", lang)
	}
	res, _ := reviewGet(t, srv, "/?format=markdown&lang=es-MX")
	assert.Equal(t, http.StatusOK, res.StatusCode, "a region still falls back")
}

// Low. Error() (what logs and %v show) renders the library's messages but
// shows an application's only as "message <key>": the record ID of
// CodedMessage("record_not_found", "app.record", Str("id", "999")) is
// lost from every log line, and a library sentence about an application
// phrase (Sub) loses its subject.
func TestReviewErrorTextKeepsApplicationMessageArguments(t *testing.T) {
	e := errdoc.CodedMessage("record_not_found", "app.record", errdoc.Str("id", "999"))
	assert.Contains(t, e.Error(), "999")
	sub := errdoc.NewMessage(400, "params.required", errdoc.Sub("subject", "app.subject", errdoc.Str("name", "limit")))
	assert.Contains(t, sub.Error(), "limit")
}

// Low. WithMessage keeps the caller's argument slice while NewMessage and
// CodedMessage copy theirs: an application reusing one []Arg to build
// several errors (a loop over a batch's failures) gets every error naming
// the last value.
func TestReviewWithMessageOwnsItsArguments(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	args := []errdoc.Arg{errdoc.Str("path", "/a")}
	first := errdoc.New(404, "").WithMessage("routing.not_found", args...)
	args[0].Value = "/b"
	second := errdoc.New(404, "").WithMessage("routing.not_found", args...)
	assert.Equal(t, "No route matches /a.", cat.Detail(first, "en"))
	assert.Equal(t, "No route matches /b.", cat.Detail(second, "en"))
}

// Low. The Markdown page escapes a translation's prose inline but only the
// intro is kept from starting a block: a translated paragraph beginning
// with '#', '-', "1." or four spaces becomes a heading, a list or a code
// block (the intro's mdLineStart is not applied to the other paragraphs).
func TestReviewTranslatedMarkdownParagraphsStayParagraphs(t *testing.T) {
	cat := demoCatalog(t)
	tr := spanishTranslation(cat, true)
	tr.Page["codes.intro"] = "# Importante: el `code` es estable."
	tr.Page["documents.intro"] = "- Cada respuesta de error lleva un documento JSON."
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat.MustWithTranslation(tr)})
	var b strings.Builder
	require.NoError(t, rd.WriteMarkdown(&b, errdoc.DocsOptions{Language: "es"}))
	md := b.String()
	assert.False(t, strings.Contains(md, "\n# Importante"), "a paragraph became a heading")
	assert.False(t, strings.Contains(md, "\n- Cada respuesta"), "a paragraph became a list")
}

// Low. Languages, MessageKeys, Template and Entries answer for a nil
// catalog; Text panics, and so does Detail for an error with a message.
func TestReviewNilCatalogAnswersEveryQuestion(t *testing.T) {
	var c *errdoc.Catalog
	assert.NotPanics(t, func() { _, _ = c.Text("en", "not_found") })
	assert.NotPanics(t, func() { _ = c.Detail(routeNotFound("/x"), "en") })
}

// Low. A message that renders empty (a template that is only a
// placeholder, given an empty value) is sent as "detail":"" and, in the
// Twitter shape, as "message":"" — where an empty Detail is left out and
// Twitter's message falls back to the title. Fix: in resolve, render the
// message once and treat an empty result as no detail.
func TestReviewEmptyMessageIsNoDetail(t *testing.T) {
	cat := errdoc.DefaultCatalog().MustWithMessages(map[string]string{"app.note": "{text}"})
	e := errdoc.New(409, "").WithMessage("app.note", errdoc.Str("text", ""))
	for _, f := range []errdoc.Format{errdoc.JSONAPI, errdoc.Problem, errdoc.Twitter} {
		rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, Format: f, Strict: true})
		rec := httptest.NewRecorder()
		rd.Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), e)
		assert.NotContains(t, rec.Body.String(), `"detail":""`, "format %v", f)
		assert.NotContains(t, rec.Body.String(), `"message":""`, "format %v", f)
	}
}
