package translations_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/translations"
)

func ExampleSpanish() {
	es := translations.Spanish()
	es.Entries["record_not_found"] = errdoc.EntryText{Title: "Registro no encontrado",
		Description: "El registro identificado en la solicitud no existe."}
	es.Messages["app.record_not_found"] = "No existe ningún artículo con el ID {id}."

	catalog := errdoc.DefaultCatalog().
		MustWith(errdoc.Entry{Status: 404, Code: "record_not_found", Title: "Record not found",
			Description: "The record identified in the request does not exist."}).
		MustWithMessages(map[string]string{"app.record_not_found": "No item has the ID {id}."}).
		MustWithTranslation(es)
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: catalog, DocsURL: "-"})

	for _, lang := range []string{"es-MX,es;q=0.9", "fr"} {
		req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
		req.Header.Set("Accept-Language", lang)
		req.Header.Set("X-Request-ID", "req-1")
		rec := httptest.NewRecorder()
		rd.Handler(errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			id := path.Base(r.URL.Path)
			return errdoc.Coded("record_not_found", "").WithMessage("app.record_not_found", errdoc.Str("id", id))
		})).ServeHTTP(rec, req)
		fmt.Println(rec.Header().Get("Content-Language"), rec.Header().Values("Vary"))
		fmt.Println(rec.Body.String())
	}
	// Output:
	// es [Accept, Accept-Language]
	// {"errors":[{"id":"req-1","status":"404","code":"record_not_found","title":"Registro no encontrado","detail":"No existe ningún artículo con el ID 999."}]}
	// en [Accept, Accept-Language]
	// {"errors":[{"id":"req-1","status":"404","code":"record_not_found","title":"Record not found","detail":"No item has the ID 999."}]}
}
