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

	// middleware: Produces
	"accept.none": "This resource is available as {types} only, and the Accept header allows none of them.",

	// middleware: Auth (an AuthError.Description is rendered as it is)
	"auth.no_credentials":  "This resource needs authentication: send credentials in the Authorization header.",
	"auth.no_bearer_token": "This resource needs authentication: send a bearer token in the Authorization header.",
	"auth.not_valid":       "The credentials sent are not valid.",
	"auth.not_allowed":     "The credentials sent do not allow this request.",

	// middleware: Conditional
	"conditional.failed": "The resource does not match the request's preconditions; it changed since the client read it.",

	// middleware: Retired and Deprecated (Lifecycle.Detail is rendered as it is)
	"retired.gone":                 "This endpoint has been retired.",
	"retired.gone_since":           "This endpoint has been retired since {date}.",
	"retired.gone_successor":       "This endpoint has been retired. Use {successor} instead.",
	"retired.gone_since_successor": "This endpoint has been retired since {date}. Use {successor} instead.",

	// middleware: Throttle, Maintenance (MaintenanceOptions.Detail is rendered as it is), adaptive
	"throttle.at_capacity": "The server is at capacity. Try again after Retry-After.",
	"maintenance.down":     "This service is down for maintenance.",
	"adaptive.at_capacity": "The server is at capacity. Try again after Retry-After.",

	// ratelimit
	"ratelimit.used_up":     "The rate limit of {limit} requests per {window} is used up. Retry after the number of seconds in Retry-After.",
	"ratelimit.unavailable": "Requests cannot be counted against their rate limit right now. Retry after the number of seconds in Retry-After.",
}
