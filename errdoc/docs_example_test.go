package errdoc_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
)

func ExampleRenderer_DocsHandler() {
	rd := errdoc.NewRenderer(errdoc.Options{DocsURL: "https://api.example.com/docs/errors"})
	docs := rd.DocsHandler(errdoc.DocsOptions{API: "The example API"}) // r.Get("/docs/errors", docs.ServeHTTP)

	for _, accept := range []string{
		"text/html,application/xhtml+xml,*/*;q=0.8", // a browser
		"text/markdown",
		"*/*", // curl
		"application/json",
	} {
		req := httptest.NewRequest("GET", "/docs/errors", nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		docs.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"), "| Vary:", rec.Header().Get("Vary"))
	}
	// Output:
	// 200 text/html; charset=utf-8 | Vary: Accept
	// 200 text/markdown; charset=utf-8 | Vary: Accept
	// 200 text/markdown; charset=utf-8 | Vary: Accept
	// 200 application/json | Vary: Accept
}

func ExampleRenderer_OpenAPI() {
	rd := errdoc.NewRenderer(errdoc.Options{DocsURL: "https://api.example.com/docs/errors"})
	doc, err := rd.OpenAPI(errdoc.OpenAPIOptions{
		Title: "Example API",
		Operations: []errdoc.Operation{{
			Method: "GET", Path: "/v1/items/{id}", Summary: "Get an item",
			Errors: []string{"not_found", "too_many_requests"},
		}},
	})
	if err != nil {
		panic(err)
	}
	op := doc["paths"].(map[string]any)["/v1/items/{id}"].(map[string]any)["get"].(map[string]any)
	fmt.Println(op["operationId"])
	fmt.Println(op["responses"].(map[string]any)["429"])
	headers := doc["components"].(map[string]any)["responses"].(map[string]any)["too_many_requests"].(map[string]any)["headers"]
	fmt.Println(len(headers.(map[string]any)), "headers on a 429, Retry-After among them:", headers.(map[string]any)["Retry-After"])
	fmt.Println(doc["servers"])
	// Output:
	// getV1ItemsById
	// map[$ref:#/components/responses/too_many_requests]
	// 9 headers on a 429, Retry-After among them: map[$ref:#/components/headers/Retry-After]
	// [map[url:https://api.example.com]]
}

func ExampleRenderer_DocsHandler_languages() {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "not_found", Title: "Not Found", Description: "Nothing is here."})
	// A translator starts from the English page texts; every key must be
	// translated (only three are, here, for brevity).
	page := errdoc.PageTexts()
	page["title"] = "Códigos de respuesta"
	page["api"] = "La API de ejemplo"
	page["section.codes"] = "Códigos de estado HTTP"
	es := errdoc.Translation{
		Language: "es",
		Entries:  map[string]errdoc.EntryText{"not_found": {Title: "No encontrado", Description: "Aquí no hay nada."}},
		Messages: map[string]string{},
		Page:     page,
	}
	for _, k := range cat.MessageKeys() {
		es.Messages[k], _ = cat.Template("en", k) // translated like the page
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat.MustWithTranslation(es)})
	docs := rd.DocsHandler(errdoc.DocsOptions{})

	for _, c := range []struct{ query, acceptLanguage string }{
		{"", "es-MX,es;q=0.9,en;q=0.5"},
		{"", "fr"},
		{"?lang=es", ""}, // a link to the Spanish page
	} {
		req := httptest.NewRequest("GET", "/docs/errors"+c.query, nil)
		req.Header.Set("Accept-Language", c.acceptLanguage)
		rec := httptest.NewRecorder()
		docs.ServeHTTP(rec, req)
		title, _, _ := strings.Cut(rec.Body.String(), "\n")
		fmt.Println(rec.Header().Get("Content-Language"), "|", title, "| Vary:", rec.Header().Get("Vary"))
	}
	// Output:
	// es | # Códigos de respuesta | Vary: Accept, Accept-Language
	// en | # Response Codes | Vary: Accept, Accept-Language
	// es | # Códigos de respuesta | Vary: Accept, Accept-Language
}
