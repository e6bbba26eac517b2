package jsonbody_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/translations"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type crate struct {
	Size  int    `json:"size" validate:"gte=1"`
	Label string `json:"label" validate:"required"`
}

func (c *crate) Validate() error {
	if c.Size > 100 {
		return jsonbody.InvalidMessage("/size", "app.crate_too_big", errdoc.Str("max", "100"))
	}
	return nil
}

// Bind's own details and an application's Validate message answer in the
// client's language, with their arguments and pointers.
func TestBindDetailsInTheClientsLanguage(t *testing.T) {
	es := translations.Spanish()
	es.Messages["app.crate_too_big"] = "Una caja admite como máximo {max} unidades."
	cat := errdoc.DefaultCatalog().
		MustWithMessages(map[string]string{"app.crate_too_big": "A crate holds at most {max} items."}).
		MustWithTranslation(es)
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Catalog: cat}).Handler)
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{})).Post("/crates", func(w http.ResponseWriter, r *http.Request) {
		if _, err := jsonbody.Bind[crate](r); err != nil {
			errdoc.Write(w, r, err)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	post := func(body, lang string) (string, []map[string]any) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/crates", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", lang)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		raw, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.NoError(t, res.Body.Close())
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "%s", raw)
		var doc struct{ Errors []map[string]any }
		require.NoError(t, json.Unmarshal(raw, &doc), "%s", raw)
		return res.Header.Get("Content-Language"), doc.Errors
	}
	details := func(errs []map[string]any) []string {
		var out []string
		for _, e := range errs {
			out = append(out, e["detail"].(string))
		}
		return out
	}

	lang, errs := post(`{"size":0,"label":"","extra":1}`, "es")
	assert.Equal(t, "es", lang)
	assert.ElementsMatch(t, []string{
		"El miembro /extra no se acepta aquí.",
		"El valor en /size debe ser como mínimo 1.",
		"El valor en /label no debe estar vacío.",
	}, details(errs))

	lang, errs = post(`{"size":500,"label":"x"}`, "es-AR")
	assert.Equal(t, "es", lang)
	assert.Equal(t, []string{"Una caja admite como máximo 100 unidades."}, details(errs))
	assert.Equal(t, map[string]any{"pointer": "/size"}, errs[0]["source"])

	lang, errs = post(`{"size":500,"label":"x"}`, "de")
	assert.Equal(t, "en", lang)
	assert.Equal(t, []string{"A crate holds at most 100 items."}, details(errs))
}
