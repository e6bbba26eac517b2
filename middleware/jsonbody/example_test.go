package jsonbody_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

// serve runs one request through h and prints the status, the named
// headers and the body.
func serve(h http.Handler, req *http.Request, headers ...string) {
	req.Header.Set("X-Request-ID", "ex")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	for _, k := range headers {
		fmt.Printf("%s: %s\n", k, rec.Header().Get(k))
	}
	fmt.Println(strings.TrimSpace(rec.Body.String()))
}

func ExampleBind() {
	type Item struct {
		Name     string `json:"name" validate:"required"`
		Quantity int    `json:"quantity" validate:"gte=0"`
	}
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 64 << 10})).Post("/items", func(w http.ResponseWriter, r *http.Request) {
		item, err := jsonbody.Bind[Item](r)
		if err != nil {
			errdoc.Write(w, r, err)
			return
		}
		fmt.Fprintf(w, "created %s\n", item.Name)
	})

	// A member Item does not declare and two failed rules: one document.
	req := httptest.NewRequest(http.MethodPost, "/items", strings.NewReader(`{"name":"","quantity":-1,"colour":"red"}`))
	req.Header.Set("Content-Type", "application/json")
	serve(r, req)
	// Output:
	// 422
	// {"errors":[{"id":"ex.1","links":{"about":"http://example.com/docs/errors#unprocessable_entity","type":"http://example.com/docs/errors#unprocessable_entity"},"status":"422","code":"unprocessable_entity","title":"Unprocessable Entity","detail":"The member /colour is not accepted here.","source":{"pointer":"/colour"}},{"id":"ex.2","links":{"about":"http://example.com/docs/errors#unprocessable_entity","type":"http://example.com/docs/errors#unprocessable_entity"},"status":"422","code":"unprocessable_entity","title":"Unprocessable Entity","detail":"/name must not be empty.","source":{"pointer":"/name"}},{"id":"ex.3","links":{"about":"http://example.com/docs/errors#unprocessable_entity","type":"http://example.com/docs/errors#unprocessable_entity"},"status":"422","code":"unprocessable_entity","title":"Unprocessable Entity","detail":"/quantity must be at least 0.","source":{"pointer":"/quantity"}}],"meta":{"request_id":"ex"}}
}

// A route moved from encoding/json keeps accepting the member names its
// clients send in another case.
func ExampleBindOptions_matchCaseInsensitiveNames() {
	type Item struct {
		Name string `json:"name" validate:"required"`
	}
	for _, fold := range []bool{false, true} {
		b := jsonbody.NewBinder(jsonbody.BindOptions{MatchCaseInsensitiveNames: fold})
		req := httptest.NewRequest(http.MethodPost, "/items", strings.NewReader(`{"Name":"nut"}`))
		req.Header.Set("Content-Type", "application/json")
		var item Item
		err := b.Decode(req, &item)
		fmt.Printf("MatchCaseInsensitiveNames %v: name %q\n", fold, item.Name)
		var list errdoc.List
		if errors.As(err, &list) {
			// Bind's details are messages, rendered in the client's
			// language; Catalog.Detail renders one for a handler.
			cat := errdoc.DefaultCatalog()
			for _, e := range list {
				fmt.Printf("  %d %s\n", e.Status, cat.Detail(e, "en"))
			}
		}
	}
	// Output:
	// MatchCaseInsensitiveNames false: name ""
	//   422 The member /Name is not accepted here; member names are case-sensitive: did you mean /name?
	//   422 /name must not be empty.
	// MatchCaseInsensitiveNames true: name "nut"
}
