package translations

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

// TestSpanishPageRenders: the catalog holds the page as Spanish's Page,
// and renders it.
func TestSpanishPageRenders(t *testing.T) {
	es, err := errdoc.DefaultCatalog().WithTranslation(Spanish())
	require.NoError(t, err)
	_, err = es.WithTranslation(errdoc.Translation{Language: "es-MX", Page: spanishPage()})
	require.Error(t, err, "a page alone is not a translation")
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: es})
	var page strings.Builder
	require.NoError(t, rd.WriteHTML(&page, errdoc.DocsOptions{Language: "es"}))
	assert.Contains(t, page.String(), `<html lang="es">`)
	assert.Contains(t, page.String(), "<h1>Códigos de respuesta</h1>")
	assert.Contains(t, page.String(), "No encontrado")
}
