package translations

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
)

// Review of issue 20. Low: the Spanish does not hold one word per term
// across its three tables, and a reader meets both in one page or
// document: the page says "petición" where entries and details say
// "solicitud", entries and the page say "cabecera" where details say
// "encabezado", and "punto de acceso" and "endpoint" alternate (the
// response-code page's code table shows entry descriptions beside page
// prose). Fix: pick one word per term (solicitud, encabezado, endpoint
// or punto de acceso) and use it in spanish_entries, spanish_messages and
// spanish_page.
func TestReviewSpanishUsesOneWordPerTerm(t *testing.T) {
	var all []string
	for _, e := range spanishEntries() {
		all = append(all, e.Title, e.Description, e.LegacyMessage)
	}
	for _, m := range spanishMessages() {
		all = append(all, m)
	}
	for _, p := range spanishPage() {
		all = append(all, p)
	}
	// Placeholders ({endpoints}) and anchors (#api-endpoints) are not
	// words a reader sees.
	text := regexp.MustCompile(`\{[a-z_]+\}|#[a-z0-9_-]+`).ReplaceAllString(strings.ToLower(strings.Join(all, "\n")), "")
	for _, synonyms := range [][]string{
		{`solicitud`, `petici`},
		{`encabezado`, `cabecera`},
		{`endpoint`, `puntos? de acceso`},
	} {
		var used []string
		for _, w := range synonyms {
			if regexp.MustCompile(w).MatchString(text) {
				used = append(used, w)
			}
		}
		sort.Strings(used)
		if len(used) > 1 {
			t.Errorf("one term, several words: %v", used)
		}
	}
}

// Low: "routing.not_found_long" says "No route matches the requested
// route": the English "path" became "ruta", the word the table uses for
// "route", so the sentence says nothing. Fix: "Ninguna ruta coincide con
// esta dirección (path)." or similar.
func TestReviewSpanishRouteIsNotPath(t *testing.T) {
	s := spanishMessages()["routing.not_found_long"]
	if strings.Count(strings.ToLower(s), "ruta") > 1 {
		t.Errorf("routing.not_found_long is a tautology: %q", s)
	}
}

// Medium (with errdoc's TestReviewFallbackEntriesOfACustomCatalogAreTranslated):
// Spanish() only fits DefaultCatalog. An application whose catalog is
// built with errdoc.NewCatalog (its own codes only) must delete every
// built-in code from the translation first, or WithTranslation refuses
// them as unknown; and its fallback entries (a 405, a 500) then stay
// English in Spanish documents. Fix: let WithTranslation keep the text of
// built-in codes the catalog lacks, for the entries that answer in their
// place.
func TestReviewSpanishFitsACatalogOfOwnCodes(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found", Description: "No such record."})
	es := Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado", Description: "No existe."}
	if _, err := cat.WithTranslation(es); err != nil {
		t.Errorf("Spanish() does not fit a catalog of the application's own codes: %v", err)
	}
}
