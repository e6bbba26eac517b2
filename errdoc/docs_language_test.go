package errdoc_test

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spanishHeadings are the test translation's page texts that are real
// Spanish: the title, the headings and the column names. The rest of its
// page is the English text marked "(es)".
var spanishHeadings = map[string]string{
	"title":               "Códigos de respuesta",
	"api":                 "La API",
	"intro":               "{api} responde a cada petición con un estado HTTP que dice cómo fue.",
	"intro.endpoints":     "{api} responde a cada petición con un estado HTTP que dice cómo fue, y cada punto de acceso tiene sus códigos.",
	"contents":            "Contenido",
	"section.codes":       "Códigos de estado HTTP",
	"section.endpoints":   "Puntos de acceso",
	"section.documents":   "Mensajes de error",
	"section.jsonapi":     "JSON:API",
	"section.problem":     "Detalles del problema",
	"section.twitter":     "Twitter v1",
	"section.meta":        "Miembros de meta",
	"section.headers":     "Cabeceras de respuesta",
	"section.retry":       "Reintentar peticiones",
	"section.waiting":     "Cuánto esperar",
	"section.idempotency": "Qué peticiones repetir",
	"column.status":       "Estado",
	"column.status_md":    "Código",
	"column.text":         "Texto",
	"column.code":         "Código de error",
	"column.description":  "Descripción",
	"column.retry":        "Reintentar",
	"row.error_code":      "Código de error: {code}.",
	"codes.intro":         "El `code` de un documento de error es estable. La columna Reintentar dice si volver a enviar la petición puede servir: vea [Reintentar peticiones](#retrying-requests).",
	"example.detail":      "No se encontró el registro {id}.",
	"retry.no":            "No",
}

// englishHeadings are the English texts the Spanish page must not show.
var englishHeadings = []string{
	"Response Codes", "Contents", "HTTP Status Codes", "Endpoints", "Error Messages",
	"Problem Details", "Meta Members", "Response Headers", "Retrying Requests", "How Long to Wait",
	"Which Requests to Repeat", "Error code", "Description",
}

// spanishEntries are real Spanish entry texts of the test translation; the
// other entries are their English text marked "(es)".
var spanishEntries = map[string]errdoc.EntryText{
	"not_found":         {Title: "No encontrado", Description: "Ninguna ruta coincide con la URI, o el recurso que nombra no existe.", LegacyMessage: "Lo siento, esa página no existe"},
	"record_not_found":  {Title: "Registro no encontrado", Description: "El registro que identifica la petición no existe."},
	"too_many_requests": {Title: "Demasiadas peticiones", Description: "El cliente envía demasiadas peticiones.", LegacyMessage: "Límite de peticiones superado"},
}

// spanishTranslation is a test translation of cat into Spanish, with page
// texts when page is set.
func spanishTranslation(cat *errdoc.Catalog, page bool) errdoc.Translation {
	tr := errdoc.Translation{Language: "es", Entries: map[string]errdoc.EntryText{}, Messages: map[string]string{}}
	for _, e := range cat.Entries() {
		txt, ok := spanishEntries[e.Code]
		if !ok {
			txt = errdoc.EntryText{Title: "(es) " + e.Title, Description: "(es) " + e.Description}
			if e.LegacyMessage != "" {
				txt.LegacyMessage = "(es) " + e.LegacyMessage
			}
		}
		tr.Entries[e.Code] = txt
	}
	for _, k := range cat.MessageKeys() {
		en, _ := cat.Template("en", k)
		tr.Messages[k] = "(es) " + en
	}
	tr.Messages["routing.not_found"] = "Ninguna ruta coincide con {path}."
	if page {
		tr.Page = errdoc.PageTexts()
		for k, v := range tr.Page {
			tr.Page[k] = "(es) " + v
		}
		for k, v := range spanishHeadings {
			tr.Page[k] = v
		}
	}
	return tr
}

// spanishCatalog is demoCatalog with the Spanish test translation, page
// texts included, and a German one without page texts.
func spanishCatalog(t testing.TB) *errdoc.Catalog {
	t.Helper()
	cat := demoCatalog(t)
	de := spanishTranslation(cat, false)
	de.Language = "de"
	return cat.MustWithTranslation(spanishTranslation(cat, true)).MustWithTranslation(de)
}

// anchors returns the page's ids and in-page links, sorted.
func anchors(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?: id="|href="#)([^"]+)"`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[0][:2]+m[1])
	}
	sort.Strings(out)
	return out
}

func TestDocsPageInSpanish(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	write := func(html bool, lang string) string {
		var b bytes.Buffer
		opts := errdoc.DocsOptions{Language: lang, OpenAPI: hostileOperations()}
		if html {
			require.NoError(t, rd.WriteHTML(&b, opts))
		} else {
			require.NoError(t, rd.WriteMarkdown(&b, opts))
		}
		return b.String()
	}
	for _, html := range []bool{true, false} {
		en, es := write(html, ""), write(html, "es")
		assert.Equal(t, en, write(html, "EN"), "the default language by name")
		assert.Equal(t, es, write(html, "ES"), "languages compare without regard to case")
		for k, s := range spanishHeadings {
			if !strings.ContainsAny(s, "{`[") && (html || k != "column.status") { // Markdown's status column is column.status_md
				assert.Contains(t, es, s, "html %v: %s", html, k)
			}
		}
		for _, s := range englishHeadings {
			// As a heading, a link of the contents, a column name.
			forms := []string{">" + s + "<", "</a>" + s + "\n", "[" + s + "](", "| " + s + " |", "# " + s + "\n"}
			for _, f := range forms {
				assert.False(t, strings.Contains(es, f), "html %v: %q is translated", html, f)
			}
			if html {
				assert.Contains(t, en, ">"+s+"<")
			}
		}
		assert.Contains(t, es, "La API responde a cada petición")
		assert.False(t, strings.Contains(es, "The API answers"))
		assert.Equal(t, anchors(en), anchors(es), "html %v: the same anchors and links in every language", html)
		assert.NotEmpty(t, anchors(es))
		// Entry rows, the example documents and the reference use the
		// page's language.
		assert.Contains(t, es, "Registro no encontrado")
		assert.Contains(t, es, "No se encontró el registro 00000000-0000-0000-0000-000000000001.")
		assert.Contains(t, es, "Límite de peticiones superado")
		for _, english := range []string{"Record not found", "Rate limit exceeded", "could not be found"} {
			assert.True(t, strings.Contains(en, english), english)
			assert.False(t, strings.Contains(es, english), english)
		}
		assert.False(t, strings.Contains(en, "Registro no encontrado"))
		if html {
			assert.True(t, strings.HasPrefix(es, "<!DOCTYPE html>\n<html lang=\"es\">\n"))
			assert.True(t, strings.HasPrefix(en, "<!DOCTYPE html>\n<html lang=\"en\">\n"))
			assert.Contains(t, es, `<tr id="record_not_found"><td class="status">404</td><td class="text">Registro no encontrado</td>`)
			assert.Contains(t, es, `<td class="retry retry-no" data-label="Reintentar">No</td>`)
			assert.Equal(t, cspStyleHash(t, en), cspStyleHash(t, es), "one stylesheet for every language")
		} else {
			assert.Contains(t, es, "| Código | Texto | Descripción | Reintentar |\n| ------ | ----- | ----------- | ---------- |\n")
			assert.Contains(t, es, "| <a id=\"record_not_found\"></a>404 | Registro no encontrado | El registro que identifica la petición no existe. Código de error: `record_not_found`.")
			assert.Contains(t, es, "# Códigos de respuesta\n\nLa API responde")
		}
	}
}

func TestDocsPageTitleAndAPIPerLanguage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t)})
	opts := errdoc.DocsOptions{Title: "Acme Errors", API: "Acme"}
	var en, es bytes.Buffer
	require.NoError(t, rd.WriteHTML(&en, opts))
	opts.Language = "es"
	require.NoError(t, rd.WriteHTML(&es, opts))
	assert.Contains(t, en.String(), "<h1>Acme Errors</h1>\n<p>Acme answers every request")
	assert.Contains(t, es.String(), "<h1>Códigos de respuesta</h1>\n<p>La API responde", "the translation names them")
	assert.NotContains(t, es.String(), "Acme")
}

// cspStyleHash returns the page's inline stylesheet.
func cspStyleHash(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	require.NotNil(t, m)
	return m[1]
}

func TestDocsPageLanguageWithoutPage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t)})
	for _, lang := range []string{"de", "fr", "es-MX", "<x>"} {
		err := rd.WriteMarkdown(io.Discard, errdoc.DocsOptions{Language: lang})
		assert.ErrorIs(t, err, errdoc.ErrNoPageLanguage, lang)
		err = rd.WriteHTML(io.Discard, errdoc.DocsOptions{Language: lang})
		assert.ErrorIs(t, err, errdoc.ErrNoPageLanguage, lang)
	}
}

func TestTranslationPageIsChecked(t *testing.T) {
	cat := demoCatalog(t)
	_, err := cat.WithTranslation(spanishTranslation(cat, false))
	require.NoError(t, err, "a translation without a page")

	tr := spanishTranslation(cat, true)
	delete(tr.Page, "section.retry")
	tr.Page["contents"] = ""
	tr.Page["sections.retry"] = "Reintentar"              // misspelt
	tr.Page["intro"] = "La API responde a cada petición." // lost {api}
	tr.Page["row.error_code"] = "Código {code}: {codigo}."
	tr.Page["example.detail"] = "Registro {id"
	_, err = cat.WithTranslation(tr)
	var te *errdoc.TranslationError
	require.ErrorAs(t, err, &te)
	require.ErrorIs(t, err, errdoc.ErrInvalidTranslation)
	assert.Equal(t, "es", te.Language)
	assert.Equal(t, []string{"page.contents", "page.section.retry"}, te.Missing)
	assert.Equal(t, []string{"page.sections.retry"}, te.Unknown)
	assert.Equal(t, []string{"page.example.detail", "page.intro", "page.row.error_code"}, te.Mismatched)
	assert.Contains(t, err.Error(), "page.section.retry")

	// Every English text is a template whose placeholders a translation
	// can keep.
	keys := 0
	for k, v := range errdoc.PageTexts() {
		assert.NotEmpty(t, v, k)
		keys++
	}
	assert.Greater(t, keys, 100)
	_, err = cat.WithTranslation(errdoc.Translation{Language: "en-GB", Entries: spanishTranslation(cat, false).Entries,
		Messages: spanishTranslation(cat, false).Messages, Page: errdoc.PageTexts()})
	assert.NoError(t, err, "the English texts pass their own check")
}

func TestDocsHandlerLanguages(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: spanishCatalog(t)})
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			srv, client := testsrv.NewServer(t, proto, rd.Handler(rd.DocsHandler(errdoc.DocsOptions{})))
			get := func(query, accept, acceptLang, inm string) (*http.Response, string) {
				t.Helper()
				req, err := http.NewRequest(http.MethodGet, srv.URL+query, nil)
				require.NoError(t, err)
				req.Header.Set("Accept", accept)
				if acceptLang != "" {
					req.Header.Set("Accept-Language", acceptLang)
				}
				if inm != "" {
					req.Header.Set("If-None-Match", inm)
				}
				resp, err := client.Do(req)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				return resp, string(body)
			}
			for _, tc := range []struct {
				name, query, acceptLang, want string
			}{
				{"none", "", "", "en"},
				{"es", "", "es", "es"},
				{"region falls back", "", "es-MX;q=0.9", "es"},
				{"uppercase", "", "ES-es", "es"},
				{"unknown language", "", "fr", "en"},
				{"preferred unknown, then es", "", "fr, es;q=0.5", "es"},
				{"english preferred", "", "es;q=0.5, en", "en"},
				{"refused", "", "es;q=0", "en"},
				{"wildcard", "", "*", "en"},
				{"no page in that language", "", "de", "en"},
				{"query", "?lang=es", "en", "es"},
				{"query names english", "?lang=en", "es", "en"},
				{"query region", "?lang=es-MX", "", "es"},
				{"query with format", "?format=markdown&lang=es", "de", "es"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					for _, accept := range []string{"text/html", "text/markdown"} {
						resp, body := get(tc.query, accept, tc.acceptLang, "")
						require.Equal(t, 200, resp.StatusCode, body)
						assert.Equal(t, tc.want, resp.Header.Get("Content-Language"))
						assert.Equal(t, []string{"Accept, Accept-Language"}, resp.Header.Values("Vary"))
						title := map[string]string{"en": "Response Codes", "es": "Códigos de respuesta"}[tc.want]
						if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && !strings.Contains(tc.query, "format") {
							assert.Contains(t, body, `<html lang="`+tc.want+`">`)
							assert.Contains(t, body, "<title>"+title+"</title>")
						} else {
							assert.True(t, strings.HasPrefix(body, "# "+title+"\n"), body[:40])
						}
					}
				})
			}

			// Unknown languages in the query are refused, without echoing them.
			for _, q := range []string{"?lang=fr", "?lang=de", "?lang=%3Cx%3E", "?lang="} {
				resp, body := get(q, "text/html", "es", "")
				assert.Equal(t, 400, resp.StatusCode, q)
				assert.Contains(t, body, "lang must be one of en, es.", q)
				assert.NotContains(t, body, "<x>")
				assert.Equal(t, "es", resp.Header.Get("Content-Language"), "the error document is in the client's language")
			}

			// Each representation in each language has its own tag, and a
			// 304 answers only the tag of the language asked for.
			tags := map[string]bool{}
			for _, accept := range []string{"text/html", "text/markdown"} {
				en, _ := get("", accept, "en", "")
				es, _ := get("", accept, "es", "")
				enTag, esTag := en.Header.Get("ETag"), es.Header.Get("ETag")
				require.NotEmpty(t, enTag)
				require.NotEmpty(t, esTag)
				tags[enTag], tags[esTag] = true, true

				notMod, body := get("", accept, "es", esTag)
				assert.Equal(t, 304, notMod.StatusCode)
				assert.Empty(t, body)
				assert.Equal(t, esTag, notMod.Header.Get("ETag"))
				assert.Equal(t, []string{"Accept, Accept-Language"}, notMod.Header.Values("Vary"))
				notMod, _ = get("?lang=en", accept, "es", enTag)
				assert.Equal(t, 304, notMod.StatusCode)
				full, body := get("", accept, "es", enTag)
				assert.Equal(t, 200, full.StatusCode, "the English tag does not match the Spanish page")
				assert.Contains(t, body, "Códigos de respuesta")
			}
			assert.Len(t, tags, 4, "html and markdown, en and es")

			// The OpenAPI document has no language.
			oa, _ := get("", "application/json", "es", "")
			assert.Equal(t, 200, oa.StatusCode)
			assert.Empty(t, oa.Header.Get("Content-Language"))
			assert.Equal(t, []string{"Accept, Accept-Language"}, oa.Header.Values("Vary"))
		})
	}
}

func TestDocsHandlerOneLanguage(t *testing.T) {
	// A catalog whose translation has no page serves the page in one
	// language: Accept-Language changes nothing.
	cat := demoCatalog(t)
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat.MustWithTranslation(spanishTranslation(cat, false))})
	srv, client := testsrv.NewServer(t, "HTTP/1.1", rd.Handler(rd.DocsHandler(errdoc.DocsOptions{})))
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Language", "es")
	resp, err := client.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "en", resp.Header.Get("Content-Language"))
	assert.Equal(t, []string{"Accept"}, resp.Header.Values("Vary"))
	assert.Contains(t, string(body), `<html lang="en">`)
	assert.Contains(t, string(body), "<title>Response Codes</title>")

	// ?lang= names only languages with a page.
	req.URL.RawQuery = "lang=es"
	resp, err = client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, 400, resp.StatusCode)
}

func TestTranslatedPageTextIsText(t *testing.T) {
	// A translation's page texts are the application's text: markup in
	// them stays text, and a link goes only to an anchor of the page.
	cat := demoCatalog(t)
	tr := spanishTranslation(cat, true)
	tr.Page["section.codes"] = "<b>Códigos</b> | *x*"
	tr.Page["codes.intro"] = "<script>alert(1)</script> [a](#a <img src=x onerror=alert(2)>) [b](javascript:alert(3)) [c](#retrying-requests)"
	tr.Page["column.retry"] = `Re"intentar`
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat.MustWithTranslation(tr)})
	var html, md bytes.Buffer
	require.NoError(t, rd.WriteHTML(&html, errdoc.DocsOptions{Language: "es"}))
	require.NoError(t, rd.WriteMarkdown(&md, errdoc.DocsOptions{Language: "es"}))
	for _, page := range []string{html.String(), md.String()} {
		for _, raw := range []string{"<script", "<img", "<b>", `href="javascript`} {
			assert.False(t, strings.Contains(page, raw), "%q stays text", raw)
		}
	}
	assert.Contains(t, html.String(), `<h2 id="http-status-codes">&lt;b&gt;Códigos&lt;/b&gt; | *x*</h2>`)
	assert.Contains(t, html.String(), `<a href="#retrying-requests">c</a>`)
	assert.Contains(t, html.String(), `[a](#a &lt;img src=x onerror=alert(2)&gt;) [b](javascript:alert(3)) <a href="#retrying-requests">c</a>`)
	assert.Contains(t, html.String(), `data-label="Re&#34;intentar"`)
	assert.Contains(t, md.String(), "## <a id=\"http-status-codes\"></a>&lt;b&gt;Códigos&lt;/b&gt; \\| \\*x\\*\n")
	assert.Contains(t, md.String(), "[c](#retrying-requests)")
	assert.Contains(t, md.String(), `\[a\](#a &lt;img src=x onerror=alert(2)&gt;) \[b\](javascript:alert(3)) [c](#retrying-requests)`)
}
