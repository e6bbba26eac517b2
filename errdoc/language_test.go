package errdoc_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSpanish translates every entry and message of cat: real Spanish for
// what the tests read, a marked copy of the English for the rest.
func testSpanish(cat *errdoc.Catalog) errdoc.Translation {
	tr := errdoc.Translation{Language: "es", Entries: map[string]errdoc.EntryText{}, Messages: map[string]string{}}
	for _, e := range cat.Entries() {
		tr.Entries[e.Code] = errdoc.EntryText{Title: "[es] " + e.Title, Description: "[es] " + e.Description, LegacyMessage: e.LegacyMessage}
	}
	tr.Entries["not_found"] = errdoc.EntryText{Title: "No encontrado", Description: "Ninguna ruta coincide con el URI.", LegacyMessage: "Lo sentimos, esa página no existe."}
	tr.Entries["internal_error"] = errdoc.EntryText{Title: "Error interno", Description: "El servidor falló al atender la solicitud.", LegacyMessage: "Error interno."}
	for _, k := range cat.MessageKeys() {
		tmpl, _ := cat.Template("en", k)
		tr.Messages[k] = "[es] " + tmpl
	}
	tr.Messages["routing.not_found"] = "Ninguna ruta coincide con {path}."
	tr.Messages["errdoc.errors"] = "{count} errores; vea errors."
	return tr
}

func esCatalog(t testing.TB) *errdoc.Catalog {
	t.Helper()
	cat := errdoc.DefaultCatalog()
	es, err := cat.WithTranslation(testSpanish(cat))
	require.NoError(t, err)
	return es
}

func routeNotFound(path string) *errdoc.Error {
	return errdoc.New(http.StatusNotFound, "").WithMessage("routing.not_found", errdoc.Str("path", path))
}

func TestWithTranslationRefusesAnIncompleteOrWrongLanguage(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	for _, tc := range []struct {
		name   string
		change func(*errdoc.Translation)
		want   func(*testing.T, *errdoc.TranslationError)
	}{
		{"a code without text", func(tr *errdoc.Translation) { delete(tr.Entries, "conflict") },
			func(t *testing.T, te *errdoc.TranslationError) {
				assert.Equal(t, []string{"entries.conflict"}, te.Missing)
			}},
		{"an empty title", func(tr *errdoc.Translation) {
			tr.Entries["gone"] = errdoc.EntryText{Description: "x", LegacyMessage: "y"}
		}, func(t *testing.T, te *errdoc.TranslationError) {
			assert.Equal(t, []string{"entries.gone.title"}, te.Missing)
		}},
		{"a legacy message the entry has", func(tr *errdoc.Translation) {
			tr.Entries["gone"] = errdoc.EntryText{Title: "x", Description: "y"}
		}, func(t *testing.T, te *errdoc.TranslationError) {
			assert.Equal(t, []string{"entries.gone.legacy_message"}, te.Missing)
		}},
		{"a message", func(tr *errdoc.Translation) { delete(tr.Messages, "routing.not_implemented") },
			func(t *testing.T, te *errdoc.TranslationError) {
				assert.Equal(t, []string{"messages.routing.not_implemented"}, te.Missing)
			}},
		{"a misspelt code and key", func(tr *errdoc.Translation) {
			tr.Entries["not_foudn"] = errdoc.EntryText{Title: "x", Description: "y"}
			tr.Messages["routing.not_foudn"] = "x"
		}, func(t *testing.T, te *errdoc.TranslationError) {
			assert.Equal(t, []string{"entries.not_foudn", "messages.routing.not_foudn"}, te.Unknown)
		}},
		{"a placeholder renamed", func(tr *errdoc.Translation) { tr.Messages["routing.not_found"] = "Ninguna ruta para {ruta}." },
			func(t *testing.T, te *errdoc.TranslationError) {
				assert.Equal(t, []string{"messages.routing.not_found"}, te.Mismatched)
			}},
		{"a placeholder dropped", func(tr *errdoc.Translation) {
			tr.Messages["routing.method_not_allowed_allow"] = "{method} no se permite aquí."
		}, func(t *testing.T, te *errdoc.TranslationError) {
			assert.Equal(t, []string{"messages.routing.method_not_allowed_allow"}, te.Mismatched)
		}},
		{"a template that does not parse", func(tr *errdoc.Translation) { tr.Messages["routing.not_found"] = "Ninguna ruta {path." },
			func(t *testing.T, te *errdoc.TranslationError) {
				assert.Equal(t, []string{"messages.routing.not_found"}, te.Mismatched)
			}},
		{"a malformed tag", func(tr *errdoc.Translation) { tr.Language = "es_ES" },
			func(t *testing.T, te *errdoc.TranslationError) { assert.NotEmpty(t, te.Reason) }},
		{"the default language", func(tr *errdoc.Translation) { tr.Language = "EN" },
			func(t *testing.T, te *errdoc.TranslationError) { assert.Contains(t, te.Reason, "already") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := testSpanish(cat)
			tc.change(&tr)
			_, err := cat.WithTranslation(tr)
			require.Error(t, err)
			assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation)
			var te *errdoc.TranslationError
			require.ErrorAs(t, err, &te)
			tc.want(t, te)
			assert.Panics(t, func() { cat.MustWithTranslation(tr) })
		})
	}
	_, err := esCatalog(t).WithTranslation(testSpanish(cat))
	assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation, "a language added twice")
}

func TestCatalogKeepsItsLanguagesWhole(t *testing.T) {
	es := esCatalog(t)
	assert.Equal(t, []string{"en", "es"}, es.Languages())
	assert.Equal(t, []string{"en"}, errdoc.DefaultCatalog().Languages(), "the catalog the translation came from is unchanged")

	_, err := es.With(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation, "an entry without Spanish")
	_, err = es.WithMessages(map[string]string{"app.out_of_stock": "{item} is out of stock."})
	assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation, "a message without Spanish")

	reworded, err := es.WithMessages(map[string]string{"routing.not_found": "Nothing lives at {path}."})
	require.NoError(t, err, "rewording a message keeps its placeholders")
	tmpl, ok := reworded.Template("en", "routing.not_found")
	assert.True(t, ok)
	assert.Equal(t, "Nothing lives at {path}.", tmpl)
	_, err = es.WithMessages(map[string]string{"routing.not_found": "Nothing lives here."})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry, "a library message keeps its placeholders")
	_, err = errdoc.DefaultCatalog().WithMessages(map[string]string{"Bad Key": "x"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)
	_, err = errdoc.DefaultCatalog().WithMessages(map[string]string{"app.x": "a } b"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)

	txt, ok := es.Text("ES", "not_found")
	assert.True(t, ok)
	assert.Equal(t, "No encontrado", txt.Title)
	_, ok = es.Text("fr", "not_found")
	assert.False(t, ok)

	e := routeNotFound("/v1/nope")
	assert.Equal(t, "Ninguna ruta coincide con /v1/nope.", es.Detail(e, "es"))
	assert.Equal(t, "No route matches /v1/nope.", es.Detail(e, "en"))
	assert.Equal(t, "No route matches /v1/nope.", es.Detail(e, "fr"), "a language the catalog lacks is the default")
	assert.Equal(t, "errdoc: 404: No route matches /v1/nope.", e.Error(), "logs read the library's English")

	// A default language other than English brings its own text.
	def := errdoc.DefaultCatalog()
	gb := testSpanish(def)
	gb.Language = "en-GB"
	gb.Page = errdoc.PageTexts()
	de, err := def.WithDefaultLanguage(gb)
	require.NoError(t, err)
	assert.Equal(t, []string{"en-GB"}, de.Languages())
	txt, _ = de.Text("en-GB", "not_found")
	assert.Equal(t, "No encontrado", txt.Title, "the new default language's text replaces the English")
	assert.Equal(t, "Ninguna ruta coincide con /v1/nope.", de.Detail(e, "en-GB"))
	_, err = es.WithDefaultLanguage(gb)
	assert.Error(t, err, "a catalog with translations keeps its default language")
	delete(gb.Messages, "routing.not_found")
	_, err = def.WithDefaultLanguage(gb)
	assert.ErrorIs(t, err, errdoc.ErrInvalidTranslation, "a default language lacking a message")
}

func TestMatchLanguageFollowsRFC4647Lookup(t *testing.T) {
	tags := []string{"en", "es", "pt-BR", "zh-Hant"}
	for _, tc := range []struct {
		header string
		want   string
	}{
		{"", "en"},
		{"es", "es"},
		{"ES", "es"},
		{"es-MX", "es"},                      // shortened to es
		{"es-419", "es"},                     // a region by number
		{"fr, es;q=0.5", "es"},               // fr is not offered
		{"es;q=0.5, en;q=0.8", "en"},         // the higher q wins
		{"en;q=0.8, es;q=0.8", "en"},         // ties go to the first
		{"es;q=0, en", "en"},                 // q=0 is "not this one"
		{"es;q=0", "en"},                     // nothing acceptable: the default
		{"pt", "en"},                         // lookup never lengthens a range
		{"pt-BR", "pt-BR"},                   //
		{"pt-br-x-private", "pt-BR"},         // a private-use singleton goes with its subtag
		{"zh-Hant-TW", "zh-Hant"},            //
		{"*", "en"},                          // the wildcard picks nothing
		{"es;q=1.5, en;q=0.1", "en"},         // a q above 1 is malformed
		{"es;q=abc", "en"},                   //
		{"es;q=0.123", "es"},                 //
		{"es;q=0.1234", "en"},                // more than three decimals
		{"  es  ;  q=0.9 ,fr", "es"},         // whitespace around tokens
		{"es_ES, de", "en"},                  // not a language tag
		{"de;level=1;q=0.9, es;q=0.8", "es"}, // other parameters are skipped
		{",,,es", "es"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			assert.Equal(t, tc.want, tags[errdoc.MatchLanguage(tags, tc.header)])
		})
	}
	assert.Equal(t, "es", tags[errdoc.MatchLanguage(tags, "fr", "es;q=0.5")], "repeated fields are one list")
	many := strings.Repeat("fr,", 40) + "es"
	assert.Equal(t, "en", tags[errdoc.MatchLanguage(tags, many)], "ranges past the 32nd are ignored")
	assert.Zero(t, testing.AllocsPerRun(100, func() { errdoc.MatchLanguage(tags, "fr-CA;q=0.9, es-MX;q=0.8, en;q=0.1") }))
}

// serve answers every request with err through rd, on a real server.
func serve(t *testing.T, rd *errdoc.Renderer, err func(*http.Request) error, http2 bool) *httptest.Server {
	t.Helper()
	proto := "HTTP/1.1"
	if http2 {
		proto = "HTTP/2.0"
	}
	return testsrv.Start(t, proto, rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin") // as a CORS middleware does
		errdoc.Write(w, r, err(r))
	})))
}

func TestDocumentsInTheClientsLanguage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: esCatalog(t)})
	for _, h2 := range []bool{false, true} {
		srv := serve(t, rd, func(r *http.Request) error {
			switch r.URL.Path {
			case "/two":
				return errors.Join(routeNotFound("/a"), routeNotFound("/b"))
			case "/boom":
				return errdoc.Internal(errors.New("db at 10.0.0.7 refused"))
			}
			return routeNotFound(r.URL.Path)
		}, h2)
		for _, tc := range []struct {
			name, path, accept, lang string
			wantLang, want           string
		}{
			{"Spanish", "/v1/items/999", "", "es", "es",
				`{"status":"404","code":"not_found","title":"No encontrado","detail":"Ninguna ruta coincide con /v1/items/999."}`},
			{"a region of Spanish", "/x", "", "es-MX,es;q=0.9,en;q=0.5", "es",
				`{"status":"404","code":"not_found","title":"No encontrado","detail":"Ninguna ruta coincide con /x."}`},
			{"a language not offered", "/x", "", "fr", "en",
				`{"status":"404","code":"not_found","title":"Not Found","detail":"No route matches /x."}`},
			{"no Accept-Language", "/x", "", "", "en",
				`{"status":"404","code":"not_found","title":"Not Found","detail":"No route matches /x."}`},
			{"a 5xx in Spanish keeps its cause", "/boom", "", "es", "es",
				`{"status":"500","code":"internal_error","title":"Error interno","detail":"El servidor falló al atender la solicitud."}`},
			{"problem details", "/x", "application/problem+json", "es", "es",
				`{"title":"No encontrado","status":404,"detail":"Ninguna ruta coincide con /x.","code":"not_found"}`},
			{"problem details of two errors", "/two", "application/problem+json", "es", "es",
				`{"title":"No encontrado","status":404,"detail":"2 errores; vea errors.","code":"not_found"}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req, err := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
				require.NoError(t, err)
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				if tc.lang != "" {
					req.Header.Set("Accept-Language", tc.lang)
				}
				res, err := srv.Client().Do(req)
				require.NoError(t, err)
				body, err := io.ReadAll(res.Body)
				require.NoError(t, err)
				require.NoError(t, res.Body.Close())
				assert.Equal(t, h2, res.ProtoMajor == 2)
				assert.Equal(t, tc.wantLang, res.Header.Get("Content-Language"))
				assert.Equal(t, []string{"Origin", "Accept, Accept-Language"}, res.Header.Values("Vary"))
				assert.NotContains(t, string(body), "10.0.0.7")
				switch tc.accept {
				case "":
					requireJSONAPI(t, body)
					doc := decode(t, body)["errors"].([]any)[0].(map[string]any)
					delete(doc, "id")
					delete(doc, "links")
					got, _ := jsonMarshal(doc)
					assert.JSONEq(t, tc.want, got)
				case "application/problem+json":
					requireProblem(t, body)
					doc := decode(t, body)
					for _, k := range []string{"type", "instance", "request_id", "errors"} {
						delete(doc, k)
					}
					got, _ := jsonMarshal(doc)
					assert.JSONEq(t, tc.want, got)
				}
			})
		}
	}
}

func TestTwitterShapeInTheClientsLanguage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: esCatalog(t), Format: errdoc.Twitter})
	for lang, want := range map[string]string{
		"es": `{"errors":[{"code":34,"message":"Lo sentimos, esa página no existe."}]}`,
		"":   `{"errors":[{"code":34,"message":"Sorry, that page does not exist."}]}`,
	} {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		rd.Write(rec, req, routeNotFound("/x"))
		assert.JSONEq(t, want, rec.Body.String())
	}
}

// With one language the renderer never reads Accept-Language, and says
// nothing about languages.
func TestOneLanguageAddsNoHeaders(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	req.Header.Set("Accept-Language", "es")
	rec := httptest.NewRecorder()
	rd.Write(rec, req, routeNotFound("/x"))
	assert.Empty(t, rec.Header().Values("Content-Language"))
	assert.Equal(t, []string{"Accept"}, rec.Header().Values("Vary"))
	assert.Contains(t, rec.Body.String(), `"detail":"No route matches /x."`)
}

func TestMessagesEscapeAndBoundTheirArguments(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: esCatalog(t)})
	for _, lang := range []string{"en", "es"} {
		for _, path := range []string{`/"><script>`, "/\u2028x", "/bad\xffutf8", "/" + strings.Repeat("ñ", 5000)} {
			req := httptest.NewRequest(http.MethodGet, "/x", nil)
			req.Header.Set("Accept-Language", lang)
			rec := httptest.NewRecorder()
			rd.Write(rec, req, routeNotFound(path))
			requireJSONAPI(t, rec.Body.Bytes())
			assert.NotContains(t, rec.Body.String(), "<script>")
			assert.Less(t, rec.Body.Len(), 6000, "a detail is cut at 4 KiB")
		}
	}
	// An argument may be a phrase in the same language; a missing
	// argument renders as nothing, an unknown key falls back to Detail.
	cat := errdoc.DefaultCatalog().MustWithMessages(map[string]string{
		"app.subject": "The item {id}", "app.sentence": "{subject} is {state}; {{literal}}.",
	})
	e := errdoc.New(409, "").WithMessage("app.sentence", errdoc.Sub("subject", "app.subject", errdoc.Str("id", "7")))
	assert.Equal(t, "The item 7 is ; {literal}.", cat.Detail(e, "en"))
	unknown := errdoc.New(409, "Fallback.").WithMessage("app.nope")
	assert.Equal(t, "Fallback.", cat.Detail(unknown, "en"))
	rec := httptest.NewRecorder()
	errdoc.NewRenderer(errdoc.Options{Catalog: cat}).Write(rec, httptest.NewRequest(http.MethodGet, "/", nil), unknown)
	assert.Contains(t, rec.Body.String(), `"detail":"Fallback."`)
}

// One language: a message costs what the detail it replaces did. Two
// languages and Accept-Language: at most one allocation more (Issue 20's
// budget); the Content-Language value is shared and the Vary merge is the
// one VaryAccept already made.
func TestLanguageAllocations(t *testing.T) {
	one := errdoc.NewRenderer(errdoc.Options{})
	two := errdoc.NewRenderer(errdoc.Options{Catalog: esCatalog(t)})
	measure := func(rd *errdoc.Renderer, lang string, vary bool) float64 {
		req := benchRequest()
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		w := &sink{h: http.Header{}}
		args := []errdoc.Arg{errdoc.Str("path", "/v1/items/999")}
		e := &errdoc.Error{Status: 404, Message: errdoc.Message{Key: "routing.not_found", Args: args}}
		rd.Write(w, req, e) // warm the pool
		origin := []string{"Origin"}
		return testing.AllocsPerRun(1000, func() {
			if vary {
				w.h["Vary"] = origin // merged into by a copy, never in place
			}
			rd.Write(w, req, e)
		})
	}
	base := measure(one, "", false)
	t.Logf("allocations: one language %v; two, Spanish %v; two, French %v; two, Spanish, Vary merged %v (one language, merged %v)",
		base, measure(two, "es-MX, en;q=0.5", false), measure(two, "fr", false), measure(two, "es", true), measure(one, "", true))
	assert.LessOrEqual(t, base, 1.0, "the document's own bytes")
	assert.Equal(t, base, measure(one, "es", false), "one language ignores Accept-Language")
	assert.LessOrEqual(t, measure(two, "es-MX, en;q=0.5", false), base+1)
	assert.LessOrEqual(t, measure(two, "fr", false), base+1)
	assert.LessOrEqual(t, measure(two, "es", true), measure(one, "", true)+1, "merging Vary")
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// NewMessage takes one allocation for an error and up to two arguments:
// the 404 of a path no route matches costs no more than the sentence it
// replaced.
func TestNewMessageAllocations(t *testing.T) {
	path := "/v1/nope"
	var e *errdoc.Error
	assert.Equal(t, 1.0, testing.AllocsPerRun(1000, func() {
		e = errdoc.NewMessage(http.StatusNotFound, "routing.not_found", errdoc.Str("path", path))
	}))
	assert.Equal(t, "No route matches /v1/nope.", errdoc.DefaultCatalog().Detail(e, "en"))
	assert.Equal(t, 1.0, testing.AllocsPerRun(1000, func() {
		e = errdoc.CodedMessage("not_found", "routing.method_not_allowed_allow", errdoc.Str("method", "PUT"), errdoc.Str("allow", "GET"))
	}))
	assert.Equal(t, "PUT is not allowed here; use GET.", errdoc.DefaultCatalog().Detail(e, "en"))
	three := []errdoc.Arg{errdoc.Str("a", "1"), errdoc.Str("b", "2"), errdoc.Str("c", "3")}
	e = errdoc.NewMessage(409, "app.x", three...)
	three[0].Value = "changed"
	assert.Equal(t, "1", e.Message.Args[0].Value, "the arguments are copied")
}

// NewSentence holds the error, its subject phrase and the arguments in one
// allocation, and renders the subject in the document's language.
func TestNewSentence(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	var e *errdoc.Error
	assert.Equal(t, 1.0, testing.AllocsPerRun(1000, func() {
		e = errdoc.NewSentence(400, "params.int_range", "params.subject.query",
			[]errdoc.Arg{errdoc.Str("name", "limit")}, errdoc.Str("min", "1"), errdoc.Str("max", "100"))
	}))
	assert.Equal(t, "The query parameter limit must be an integer from 1 to 100.", cat.Detail(e, "en"))
	assert.Equal(t, "[es] [es] The query parameter limit must be an integer from 1 to 100.", esCatalog(t).Detail(e, "es"),
		"the sentence and its subject, each in the stand-in Spanish")
	many := errdoc.NewSentence(400, "app.x", "app.s", []errdoc.Arg{errdoc.Str("a", "1"), errdoc.Str("b", "2")},
		errdoc.Str("c", "3"), errdoc.Str("d", "4"), errdoc.Str("e", "5"), errdoc.Str("f", "6"))
	require.Len(t, many.Message.Args, 5, "past the inline room, the general form")
	assert.Equal(t, "subject", many.Message.Args[0].Name)
	assert.Len(t, many.Message.Args[0].Msg.Args, 2)
}
