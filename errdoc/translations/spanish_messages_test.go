package translations

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
)

// Every message of the default catalog has a Spanish template with the same
// placeholders, and the Spanish table has no key the catalog lacks.
func TestSpanishMessagesComplete(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	es := spanishMessages()
	keys := cat.MessageKeys()
	if len(keys) == 0 {
		t.Fatal("the default catalog has no messages")
	}
	known := map[string]bool{}
	for _, k := range keys {
		known[k] = true
		tmpl, ok := es[k]
		if !ok || tmpl == "" {
			t.Errorf("no Spanish template for %q", k)
			continue
		}
		// WithMessages refuses a template that does not parse or whose
		// placeholders differ from the library's.
		if _, err := cat.WithMessages(map[string]string{k: tmpl}); err != nil {
			t.Errorf("%q: %v", k, err)
		}
	}
	for k := range es {
		if !known[k] {
			t.Errorf("Spanish template for %q, a key the catalog lacks", k)
		}
	}
	// The check above bites: a renamed placeholder is refused.
	if _, err := cat.WithMessages(map[string]string{"params.required": "{sujeto} es obligatorio."}); err == nil {
		t.Error("a template with another placeholder was accepted")
	}
}

// Sentences compose in Spanish as they do in English: a subject phrase in
// its sentence. (A catalog whose default language is Spanish.)
func TestSpanishMessagesRender(t *testing.T) {
	cat, err := errdoc.DefaultCatalog().WithDefaultLanguage(Spanish())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/?limit=x", nil)
	req.Header.Add("X-Trace", "a")
	req.Header.Add("X-Trace", "b")
	p := middleware.NewParams(req)
	p.Query("limit").IntRange(1, 100)
	_ = p.Header("X-Trace").String()
	var list errdoc.List
	if err := p.Err(); !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("errors %v", err)
	}
	for i, want := range []string{
		"El parámetro de consulta limit debe ser un número entero de 1 a 100.",
		"El campo de cabecera X-Trace debe enviarse una sola vez.",
	} {
		if got := cat.Detail(list[i], "es"); got != want {
			t.Errorf("detail %d: %q, want %q", i, got, want)
		}
	}
}
