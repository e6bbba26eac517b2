package errdoc

// builtinTemplates are the library's messages in English, by key: the
// details its middlewares render (see Message). Every catalog starts with
// them; a translation must give each one. It is never written: catalogs
// copy it before they change it.
var builtinTemplates = msgTable{
	// errdoc
	"errdoc.errors":              "{count} errors; see errors.",
	"errdoc.body_too_large":      "The request body is larger than this route accepts.",
	"errdoc.body_malformed":      "The request body is not well-formed JSON.",
	"errdoc.body_unknown_member": "The request body has a member this route does not accept.",
	"errdoc.body_type_at":        "The value at {pointer} must be {type}.",
	"errdoc.body_type":           "The request body must be {type}.",
	"errdoc.type.boolean":        "a boolean",
	"errdoc.type.integer":        "an integer",
	"errdoc.type.number":         "a number",
	"errdoc.type.string":         "a string",
	"errdoc.type.array":          "an array",
	"errdoc.type.object":         "an object",
	"errdoc.type.other":          "of another type",

	// middleware: Routing and ServeMux
	"routing.not_found":                "No route matches {path}.",
	"routing.not_found_long":           "No route matches this path.",
	"routing.method_not_allowed":       "{method} is not allowed here.",
	"routing.method_not_allowed_allow": "{method} is not allowed here; use {allow}.",
	"routing.not_implemented":          "This method is not supported for any resource.",
}
