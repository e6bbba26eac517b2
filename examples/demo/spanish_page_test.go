package demo

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// placeholdersOf returns the {placeholders} of a page text, sorted and
// each once, and whether its braces are well-formed ("{{" and "}}" are
// literal braces).
func placeholdersOf(s string) ([]string, bool) {
	s = strings.NewReplacer("{{", "", "}}", "").Replace(s)
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`).FindAllStringSubmatch(s, -1) {
		seen[m[1]] = true
	}
	rest := regexp.MustCompile(`\{[a-z][a-z0-9_]*\}`).ReplaceAllString(s, "")
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, !strings.ContainsAny(rest, "{}")
}

// linkAnchors returns the anchors a page text links to, in order.
func linkAnchors(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestSpanishPageCoversEveryKey(t *testing.T) {
	en, es := errdoc.PageTexts(), spanishPage()
	require.NotEmpty(t, en)
	for key, english := range en {
		spanish, ok := es[key]
		if !assert.True(t, ok, "missing %s", key) {
			continue
		}
		assert.NotEmpty(t, strings.TrimSpace(spanish), key)
		want, _ := placeholdersOf(english)
		got, ok := placeholdersOf(spanish)
		assert.True(t, ok, "%s: braces", key)
		assert.Equal(t, want, got, "%s: the same placeholders", key)
		assert.Equal(t, linkAnchors(english), linkAnchors(spanish), "%s: links to the same anchors", key)
		assert.Equal(t, strings.Count(english, "`")%2, strings.Count(spanish, "`")%2, "%s: code spans close", key)
	}
	for key := range es {
		_, ok := en[key]
		assert.True(t, ok, "unknown key %s", key)
	}
	assert.Len(t, es, len(en))
}

// TestSpanishPagePassesTheCatalogsCheck: the catalog accepts the page as
// a translation's Page (the entries and messages here are stand-ins; the
// demo's Spanish translation has its own).
func TestSpanishPagePassesTheCatalogsCheck(t *testing.T) {
	cat := Catalog()
	tr := errdoc.Translation{Language: "es", Entries: map[string]errdoc.EntryText{}, Messages: map[string]string{}, Page: spanishPage()}
	for _, e := range cat.Entries() {
		tr.Entries[e.Code] = errdoc.EntryText{Title: e.Title, Description: e.Description, LegacyMessage: e.LegacyMessage}
	}
	for _, k := range cat.MessageKeys() {
		tr.Messages[k], _ = cat.Template("en", k)
	}
	es, err := cat.WithTranslation(tr)
	require.NoError(t, err)
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: es})
	var page strings.Builder
	require.NoError(t, rd.WriteHTML(&page, errdoc.DocsOptions{Language: "es", OpenAPI: OpenAPI(nil)}))
	assert.Contains(t, page.String(), `<html lang="es">`)
	assert.Contains(t, page.String(), "<h1>Códigos de respuesta</h1>")
}
