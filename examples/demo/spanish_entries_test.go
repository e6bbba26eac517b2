package demo

import (
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo answers in Spanish for every code it can answer: every entry of
// its catalog has Spanish text, and a translation that lacked one would be
// refused when the demo starts.
func TestSpanishHasEveryCode(t *testing.T) {
	cat := Catalog()
	require.Equal(t, []string{"en", "es"}, cat.Languages())
	for _, e := range cat.Entries() {
		es, ok := cat.Text("es", e.Code)
		require.True(t, ok, e.Code)
		assert.NotEqual(t, e.Title, es.Title, "%s: a title left in English", e.Code)
		assert.NotEqual(t, e.Description, es.Description, "%s: a description left in English", e.Code)
	}
	for _, code := range []string{"record_not_found", "conflict"} {
		tr := spanish()
		delete(tr.Entries, code)
		_, err := errdoc.DefaultCatalog().MustWith(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found",
			LegacyCode: 34, LegacyMessage: "Sorry, that page does not exist."}).
			MustWithMessages(map[string]string{"demo.record_not_found": "{id}"}).WithTranslation(tr)
		var te *errdoc.TranslationError
		require.ErrorAs(t, err, &te, code)
		assert.Equal(t, []string{"entries." + code}, te.Missing)
	}
}
