package demo

import "github.com/faultline-go/faultline/errdoc"

// OpenAPI describes the demo API for its OpenAPI document: every route the
// demo serves, with its success and the catalog codes it can answer with
// (their responses, headers and schemas come from the catalog). It is the
// shape an application gives errdoc.OpenAPIOptions. servers are the API's
// base URLs; nil means the origin of the renderer's DocsURL, which is what
// the demo server uses.
//
// Every route can also answer 500 (the recoverer); it is listed where a
// client would act on it. The router's own answers, for requests no
// operation serves, are listed on every operation as RouterErrors: 405
// with Allow for a method the path does not serve, 501 for a method no
// route knows, 404 for a path no route matches. Every route but the
// response-code page answers 406 when Accept allows none of its media types
// (middleware.Produces), and says so.
func OpenAPI(servers []errdoc.OpenAPIServer) errdoc.OpenAPIOptions {
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
	rateHeaders := []string{"RateLimit", "RateLimit-Policy"} // X-RateLimit-* are opt-in (ratelimit.Options.EnableHeaders)
	ok := errdoc.OpenAPISuccess{Description: "OK.", Schema: map[string]any{
		"type": "object", "required": []string{"status"},
		"properties": map[string]any{"status": map[string]any{"type": "string"}},
	}}
	// Every /v1 GET that answers 200 carries a computed ETag, so the
	// group's Conditional answers 304 and 412 on it.
	conditional := []string{"not_modified", "precondition_failed"}
	withETag := func(s errdoc.OpenAPISuccess) errdoc.OpenAPISuccess {
		s.Headers = append([]string{"ETag"}, s.Headers...)
		return s
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
		RouterErrors: []string{"not_found", "method_not_allowed", "not_implemented"},
		SecuritySchemes: map[string]errdoc.OpenAPISecurityScheme{
			"bearer": {Type: "http", Scheme: "bearer", Description: "Bearer reader or Bearer admin."},
		},
		Operations: []errdoc.Operation{
			{Method: "GET", Path: "/healthz", Summary: "Liveness", Tags: []string{"docs"}, Success: ok, Errors: []string{"not_acceptable"}},
			{Method: "GET", Path: "/v1/items", Summary: "List items", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Description: "The items.", Schema: map[string]any{"type": "array", "items": item}, Headers: []string{"ETag"}},
				Errors:  append([]string{"not_acceptable", "internal_error"}, conditional...)},
			{Method: "POST", Path: "/v1/items", Summary: "Create an item", Tags: []string{"items"},
				Request: &errdoc.OpenAPIBody{Schema: newItem, Required: true},
				Success: errdoc.OpenAPISuccess{Status: 201, Description: "The new item.", Schema: item},
				Errors:  []string{"not_acceptable", "precondition_failed", "request_timeout", "content_too_large", "unsupported_media_type", "unprocessable_entity", "internal_error"}},
			{Method: "GET", Path: "/v1/items/{id}", Summary: "Get an item", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Description: "The item.", Schema: item, Headers: []string{"ETag"}},
				Errors:  append([]string{"record_not_found", "not_acceptable", "internal_error"}, conditional...)},
			{Method: "DELETE", Path: "/v1/items/{id}", Summary: "Delete an item", Tags: []string{"items"}, Security: []string{"bearer"},
				Success: errdoc.OpenAPISuccess{Status: 204, Description: "Deleted."},
				Errors:  []string{"bad_request", "unauthorized", "forbidden", "record_not_found", "not_acceptable", "precondition_failed"}},
			{Method: "GET", Path: "/v1/private", Summary: "A route that needs a bearer token", Tags: []string{"failures"}, Security: []string{"bearer"},
				Success: withETag(ok), Errors: append([]string{"bad_request", "not_acceptable", "unauthorized"}, conditional...)},
			{Method: "GET", Path: "/v1/panic", Summary: "A handler that panics", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "internal_error"}},
			{Method: "GET", Path: "/v1/slow", Summary: "A handler slower than its group's 1 s timeout", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "gateway_timeout"}},
			{Method: "GET", Path: "/v1/upstream/timeout", Summary: "An upstream that hangs past the client's deadline", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "gateway_timeout"}},
			{Method: "GET", Path: "/v1/upstream/down", Summary: "An upstream nobody listens on", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "bad_gateway"}},
			{Method: "GET", Path: "/v1/limited", Summary: "Five requests a minute per client", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Description: "OK.", Schema: ok.Schema, Headers: append([]string{"ETag"}, rateHeaders...)},
				Errors:  append([]string{"not_acceptable", "too_many_requests"}, conditional...)},
			{Method: "GET", Path: "/v1/search", Summary: "Three requests a minute, Twitter's legacy 420", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Description: "OK.", Schema: ok.Schema, Headers: append([]string{"ETag"}, rateHeaders...)},
				Errors:  append([]string{"not_acceptable", "enhance_your_calm"}, conditional...)},
			{Method: "GET", Path: "/v1/legacy", Summary: "A retired endpoint", Tags: []string{"failures"}, Deprecated: true,
				Errors: []string{"not_acceptable", "gone"}},
			{Method: "GET", Path: "/v1/maintenance", Summary: "A route group in maintenance", Tags: []string{"failures"},
				Errors: []string{"not_acceptable", "service_unavailable"}},
			{Method: "GET", Path: "/v1/work", Summary: "Work of known capacity behind an adaptive concurrency limiter", Tags: []string{"failures"},
				Success: withETag(ok), Errors: append([]string{"not_acceptable", "service_unavailable"}, conditional...)},
			{Method: "GET", Path: "/v1/work/batch", Summary: "The same work, refused first when the group is at capacity", Tags: []string{"failures"},
				Success: withETag(ok), Errors: append([]string{"not_acceptable", "service_unavailable"}, conditional...)},
			{Method: "GET", Path: "/v1/work/limiter", Summary: "The /v1/work limiter's limit, in-flight, queued and refused counts", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Description: "The limiter's snapshot.", Headers: []string{"ETag"}, Schema: map[string]any{
					"type": "object", "required": []string{"limit", "in_flight", "queued", "rejected", "baseline_ms", "latency_ms"},
					"properties": map[string]any{
						"limit": map[string]any{"type": "integer"}, "in_flight": map[string]any{"type": "integer"},
						"queued": map[string]any{"type": "integer"}, "rejected": map[string]any{"type": "integer"},
						"baseline_ms": map[string]any{"type": "number"}, "latency_ms": map[string]any{"type": "number"},
					}}},
				Errors: append([]string{"not_acceptable", "service_unavailable"}, conditional...)},
			{Method: "GET", Path: "/1.1/items/{id}.json", ID: "getLegacyItem", Summary: "Get an item, Twitter v1 shape", Tags: []string{"items"},
				Description: "Kept for v1 clients, which get Twitter's error shape; deprecated in favour of /v1/items/{id}.",
				Deprecated:  true,
				Success:     errdoc.OpenAPISuccess{Description: "The item.", Schema: item, Headers: []string{"Deprecation", "Sunset", "Link"}},
				Errors:      []string{"record_not_found"}},
			{Method: "GET", Path: "/1.1/search.json", ID: "getLegacySearch", Summary: "Three requests a minute, Twitter's v1 shape", Tags: []string{"failures"},
				Success: errdoc.OpenAPISuccess{Description: "OK.", Schema: ok.Schema, Headers: rateHeaders},
				Errors:  []string{"enhance_your_calm"}},
			{Method: "GET", Path: "/docs/errors", Summary: "The response-code page", Tags: []string{"docs"},
				Query:   []errdoc.OpenAPIParameter{{Name: "format", Description: "html, markdown or openapi; overrides Accept.", Schema: map[string]any{"type": "string", "enum": []string{"html", "markdown", "md", "openapi", "json"}}}},
				Success: errdoc.OpenAPISuccess{Description: "The page, in the representation Accept prefers.", ContentType: "text/html", Schema: map[string]any{"type": "string"}, Headers: []string{"ETag", "Vary"}},
				Errors:  []string{"bad_request", "not_acceptable"}},
			{Method: "GET", Path: "/docs/openapi.json", Summary: "This document", Tags: []string{"docs"},
				Success: errdoc.OpenAPISuccess{Description: "The OpenAPI 3.1 document of the demo.", Schema: map[string]any{"type": "object"}, Headers: []string{"ETag", "Vary"}},
				Errors:  []string{"not_acceptable"}},
		},
	}
}
