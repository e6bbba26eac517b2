package main

import "github.com/faultline-go/faultline/errdoc"

// demoOpenAPI describes the demo API's operations (DEMO.md's rows) for the
// OpenAPI document: each operation's success and the catalog codes it can
// answer with. It is the shape an application gives errdoc.OpenAPIOptions.
// local names the server `make run` starts; otherwise the server is the
// origin of the renderer's DocsURL.
func demoOpenAPI(local bool) errdoc.OpenAPIOptions {
	item := map[string]any{
		"type":     "object",
		"required": []string{"id", "name", "quantity"},
		"properties": map[string]any{
			"id":       map[string]any{"type": "string"},
			"name":     map[string]any{"type": "string", "minLength": 1},
			"quantity": map[string]any{"type": "integer", "minimum": 0},
		},
	}
	newItem := map[string]any{
		"type":       "object",
		"required":   []string{"name", "quantity"},
		"properties": map[string]any{"name": item["properties"].(map[string]any)["name"], "quantity": item["properties"].(map[string]any)["quantity"]},
	}
	rateHeaders := []string{"RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	var servers []errdoc.OpenAPIServer
	if local {
		servers = []errdoc.OpenAPIServer{{URL: "http://127.0.0.1:8080", Description: "make run"}}
	}
	return errdoc.OpenAPIOptions{
		Servers:     servers,
		Title:       "faultline demo API",
		Version:     "1.0.0",
		Description: "The demo server of faultline: every failure answers with one error document. The response-code page is /docs/errors.",
		License:     &errdoc.OpenAPILicense{Name: "MIT", Identifier: "MIT"},
		Tags: []errdoc.OpenAPITag{
			{Name: "items", Description: "The demo's inventory."},
			{Name: "failures", Description: "Routes that fail on purpose, one per kind of failure."},
			{Name: "docs", Description: "The API's own documentation."},
		},
		SecuritySchemes: map[string]errdoc.OpenAPISecurityScheme{
			"bearer": {Type: "http", Scheme: "bearer", Description: "Bearer reader or Bearer admin."},
		},
		Operations: []errdoc.Operation{
			{Method: "GET", Path: "/v1/items", Summary: "List items", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Description: "The items.", Schema: map[string]any{"type": "array", "items": item}, Headers: []string{"ETag"}},
				Errors:  []string{"not_modified", "not_acceptable", "internal_error"}},
			{Method: "POST", Path: "/v1/items", Summary: "Create an item", Tags: []string{"items"},
				Request: &errdoc.OpenAPIBody{Schema: newItem, Required: true},
				Success: errdoc.OpenAPISuccess{Status: 201, Description: "The new item.", Schema: item},
				Errors:  []string{"content_too_large", "unsupported_media_type", "unprocessable_entity", "internal_error"}},
			{Method: "GET", Path: "/v1/items/{id}", Summary: "Get an item", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Description: "The item.", Schema: item},
				Errors:  []string{"record_not_found", "internal_error"}},
			{Method: "DELETE", Path: "/v1/items/{id}", Summary: "Delete an item", Tags: []string{"items"}, Security: []string{"bearer"},
				Success: errdoc.OpenAPISuccess{Status: 204, Description: "Deleted."},
				Errors:  []string{"unauthorized", "forbidden", "record_not_found"}},
			{Method: "GET", Path: "/v1/private", Summary: "A route that needs a bearer token", Tags: []string{"failures"}, Security: []string{"bearer"},
				Errors: []string{"unauthorized"}},
			{Method: "GET", Path: "/v1/limited", Summary: "Five requests a minute per client", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Headers: rateHeaders},
				Errors:  []string{"too_many_requests"}},
			{Method: "GET", Path: "/v1/search", Summary: "Three requests a minute, Twitter's legacy 420", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Headers: rateHeaders},
				Errors:  []string{"enhance_your_calm"}},
			{Method: "GET", Path: "/v1/legacy", Summary: "A retired endpoint", Tags: []string{"failures"}, Deprecated: true,
				Errors: []string{"gone"}},
			{Method: "GET", Path: "/v1/maintenance", Summary: "A route in maintenance", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "service_unavailable"}},
			{Method: "GET", Path: "/1.1/items/{id}.json", ID: "getLegacyItem", Summary: "Get an item, Twitter v1 shape", Tags: []string{"items"},
				Description: "Kept for v1 clients, which get Twitter's error shape; deprecated in favour of /v1/items/{id}.",
				Deprecated:  true,
				Success:     errdoc.OpenAPISuccess{Description: "The item.", Schema: item, Headers: []string{"Deprecation", "Sunset", "Link"}},
				Errors:      []string{"record_not_found"}},
			{Method: "GET", Path: "/docs/errors", Summary: "The response-code page", Tags: []string{"docs"},
				Query:   []errdoc.OpenAPIParameter{{Name: "format", Description: "html, markdown or openapi; overrides Accept.", Schema: map[string]any{"type": "string", "enum": []string{"html", "markdown", "md", "openapi", "json"}}}},
				Success: errdoc.OpenAPISuccess{Description: "The page, in the representation Accept prefers.", ContentType: "text/html", Schema: map[string]any{"type": "string"}, Headers: []string{"ETag", "Vary"}},
				Errors:  []string{"bad_request", "not_acceptable"}},
		},
	}
}
