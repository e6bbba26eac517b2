package translations

import (
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Spanish has every code of the default catalog, in Spanish, and a
// translation that lacked one is refused.
func TestSpanishHasEveryCode(t *testing.T) {
	cat, err := errdoc.DefaultCatalog().WithTranslation(Spanish())
	require.NoError(t, err)
	require.Equal(t, []string{"en", "es"}, cat.Languages())
	for _, e := range cat.Entries() {
		es, ok := cat.Text("es", e.Code)
		require.True(t, ok, e.Code)
		assert.NotEqual(t, e.Title, es.Title, "%s: a title left in English", e.Code)
		assert.NotEqual(t, e.Description, es.Description, "%s: a description left in English", e.Code)
	}
	assert.Len(t, spanishEntries(), len(cat.Entries()), "no code the catalog lacks")
	for _, code := range []string{"not_found", "conflict"} {
		tr := Spanish()
		delete(tr.Entries, code)
		_, err := errdoc.DefaultCatalog().WithTranslation(tr)
		var te *errdoc.TranslationError
		require.ErrorAs(t, err, &te, code)
		assert.Equal(t, []string{"entries." + code}, te.Missing)
	}
	a, b := Spanish(), Spanish()
	a.Entries["not_found"] = errdoc.EntryText{}
	assert.NotEmpty(t, b.Entries["not_found"].Title, "each call returns its own maps")
}
