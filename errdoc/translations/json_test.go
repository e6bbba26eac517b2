package translations

import (
	"encoding/json"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A translation's JSON form is what translators edit: Spanish survives the
// round trip through it, and the catalog takes what comes back.
func TestSpanishThroughJSON(t *testing.T) {
	raw, err := json.MarshalIndent(Spanish(), "", "  ")
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"language": "es"`)
	assert.Contains(t, string(raw), `"legacy_message": "Lo sentimos, esa página no existe."`)
	var back errdoc.Translation
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, Spanish(), back)
	cat, err := errdoc.DefaultCatalog().WithTranslation(back)
	require.NoError(t, err)
	assert.Equal(t, []string{"en", "es"}, cat.Languages())
}
