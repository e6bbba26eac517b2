package errdoc

import "net/http"

// obj is a JSON object of the OpenAPI document.
type obj = map[string]any

// openAPISchemas returns the schemas of the three document formats.
func openAPISchemas() obj {
	source := obj{
		"type":        "object",
		"description": "The part of the request the error is about; at most one member.",
		"properties": obj{
			"pointer":   obj{"type": "string", "description": "JSON Pointer (RFC 6901) into the request body."},
			"parameter": obj{"type": "string", "description": "Query parameter at fault."},
			"header":    obj{"type": "string", "description": "Request header at fault."},
		},
	}
	jsonapiError := obj{
		"type":     "object",
		"required": []string{"status", "code", "title"},
		"properties": obj{
			"id": obj{"type": "string", "description": "The request ID (suffixed .N when a document carries several errors; meta.request_id then holds it as it is)."},
			"links": obj{"type": "object", "properties": obj{
				"about": obj{"type": "string", "format": "uri", "description": "This code's row on the response-code page."},
				"type":  obj{"type": "string", "format": "uri", "description": "Same as about."},
			}},
			"status": obj{"type": "string", "pattern": "^[0-9]{3}$", "description": "The HTTP status code, as a string."},
			"code":   obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$", "description": "Stable, machine-readable error code: branch on it."},
			"title":  obj{"type": "string", "description": "Short summary of the code; the same for every occurrence."},
			"detail": obj{"type": "string", "description": "What went wrong in this occurrence."},
			"source": source,
			"meta":   obj{"type": "object", "description": "Extra, code-specific members."},
		},
		"additionalProperties": false,
	}
	traceID := obj{"type": "string", "pattern": "^[0-9a-f]{32}$",
		"description": "The W3C trace ID of the request's trace (a valid traceparent header, or the active span), when it has one."}
	return obj{
		"JSONAPIErrors": obj{
			"type":        "object",
			"description": "A JSON:API 1.1 errors document.",
			"required":    []string{"errors"},
			"properties": obj{
				"errors": obj{"type": "array", "minItems": 1, "items": jsonapiError},
				"meta": obj{"type": "object", "description": "Members about the whole response.",
					"properties": obj{
						"request_id": obj{"type": "string", "description": "The request ID as it is, in a document of several errors (whose ids are suffixed .N)."},
						"trace_id":   traceID,
					}},
			},
			"additionalProperties": false,
		},
		"ProblemDetails": obj{
			"type":        "object",
			"description": "RFC 9457 problem details.",
			"required":    []string{"type", "title", "status"},
			"properties": obj{
				"type":       obj{"type": "string", "format": "uri-reference", "description": "This code's row on the response-code page, or about:blank."},
				"title":      obj{"type": "string"},
				"status":     obj{"type": "integer", "minimum": 400, "maximum": 599},
				"detail":     obj{"type": "string"},
				"instance":   obj{"type": "string", "format": "uri-reference", "description": "Names this occurrence."},
				"request_id": obj{"type": "string", "description": "The request ID, as in the X-Request-ID header."},
				"trace_id":   traceID,
				"code":       obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
				"pointer":    obj{"type": "string"},
				"parameter":  obj{"type": "string"},
				"header":     obj{"type": "string"},
				"meta":       obj{"type": "object"},
				"errors":     obj{"type": "array", "items": obj{"type": "object"}, "description": "The errors of a document that carries several."},
			},
		},
		"TwitterErrors": obj{
			"type":        "object",
			"description": "Twitter's v1 error shape, sent as application/json by routes configured for it.",
			"required":    []string{"errors"},
			"properties": obj{"errors": obj{"type": "array", "minItems": 1, "items": obj{
				"type":                 "object",
				"required":             []string{"code", "message"},
				"properties":           obj{"code": obj{"type": "integer"}, "message": obj{"type": "string"}},
				"additionalProperties": false,
			}}, "trace_id": traceID},
			"additionalProperties": false,
		},
	}
}

// openAPIHeader describes a response header the library's middlewares send.
type openAPIHeader struct {
	description string
	schema      obj
}

// openAPIHeaders are the response headers the document can declare, keyed by
// name. Only those a response of the document references are emitted.
var openAPIHeaders = map[string]openAPIHeader{
	"X-Request-ID": {"The request's ID: the one the client sent when valid, else a generated one. Error documents carry the same ID; quote it when reporting a problem.",
		obj{"type": "string", "examples": []string{"4f1c2a9e8b7d6c5a4f3e2d1c"}}},
	"Vary": {"Accept: the error document's format is negotiated from the Accept header.",
		obj{"type": "string", "examples": []string{"Accept"}}},
	"Cache-Control": {"no-store by default: an error document describes one request (it carries its ID) and is not to be reused by any cache. An error that sets its own caching, or Options.CacheControl, changes it.",
		obj{"type": "string", "examples": []string{"no-store"}}},
	"Retry-After": {"How long to wait before retrying: seconds, or an HTTP date (RFC 9110 §10.2.3).",
		obj{"type": "string", "examples": []string{"30"}}},
	"RateLimit": {"The client's remaining quota and the seconds until it resets (IETF RateLimit header fields draft).",
		obj{"type": "string", "examples": []string{`"default";r=0;t=30`}}},
	"RateLimit-Policy": {"The quota policy: requests per window in seconds (IETF RateLimit header fields draft).",
		obj{"type": "string", "examples": []string{`"default";q=5;w=60`}}},
	"X-RateLimit-Limit": {"Requests allowed per window. Sent by limiters that enable the X-RateLimit-* fields (ratelimit.Options.EnableHeaders).",
		obj{"type": "integer", "minimum": 0, "examples": []int{5}}},
	"X-RateLimit-Remaining": {"Requests left in the current window. Sent by limiters that enable the X-RateLimit-* fields.",
		obj{"type": "integer", "minimum": 0, "examples": []int{0}}},
	"X-RateLimit-Reset": {"When the current window resets, in Unix seconds. Sent by limiters that enable the X-RateLimit-* fields.",
		obj{"type": "integer", "minimum": 0, "examples": []int{1767225600}}},
	"Allow": {"The methods the resource accepts (RFC 9110 §10.2.1).",
		obj{"type": "string", "examples": []string{"GET, HEAD, POST"}}},
	"WWW-Authenticate": {"The authentication scheme and parameters to use (RFC 9110 §11.6.1).",
		obj{"type": "string", "examples": []string{`Bearer realm="api"`}}},
	"Sunset": {"When the endpoint stops, or stopped, answering (RFC 8594), an HTTP date.",
		obj{"type": "string", "examples": []string{"Sat, 01 Nov 2025 00:00:00 GMT"}}},
	"Deprecation": {"Since when the endpoint is deprecated (RFC 9745), a Unix time prefixed with @.",
		obj{"type": "string", "examples": []string{"@1735689600"}}},
	"Link": {"Related resources (RFC 8288), such as the successor-version of a retired endpoint or its deprecation notice.",
		obj{"type": "string", "examples": []string{`<https://api.example.com/v2/items>; rel="successor-version"`}}},
	"ETag": {"The entity tag of the representation the client holds (RFC 9110 §8.8.3).",
		obj{"type": "string", "examples": []string{`"33a64df551425fcc"`}}},
}

// errorHeaders returns the headers a response of the given status sends, in
// the order they are declared.
func errorHeaders(status int) []string {
	var own []string
	switch status {
	case http.StatusNotModified:
		return []string{"ETag", "X-Request-ID"}
	case http.StatusUnauthorized:
		own = []string{"WWW-Authenticate"}
	case http.StatusMethodNotAllowed:
		own = []string{"Allow"}
	case http.StatusGone:
		own = []string{"Sunset", "Link"}
	case 420, http.StatusTooManyRequests:
		own = []string{"Retry-After", "RateLimit", "RateLimit-Policy",
			"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	case http.StatusServiceUnavailable:
		own = []string{"Retry-After"}
	}
	// Every error document carries these (see Renderer.Write).
	return append(own, "X-Request-ID", "Vary", "Cache-Control")
}
