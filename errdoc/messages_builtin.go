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

	// middleware: Params (sentences about {subject}, a params.subject.* phrase)
	"params.query_malformed": "The query string is not well-formed.",
	"params.subject.query":   "The query parameter {name}",
	"params.subject.path":    "The path parameter {name}",
	"params.subject.header":  "The {name} header",
	"params.once":            "{subject} must be given once.",
	"params.required":        "{subject} is required.",
	"params.not_empty":       "{subject} must not be empty.",
	"params.integer":         "{subject} must be an integer.",
	"params.int_range":       "{subject} must be an integer from {min} to {max}.",
	"params.finite_number":   "{subject} must be a finite number.",
	"params.boolean":         "{subject} must be true or false.",
	"params.enum":            "{subject} must be one of: {values}.",
	"params.uuid":            "{subject} must be a UUID such as 123e4567-e89b-12d3-a456-426614174000.",
	"params.time_rfc3339":    "{subject} must be a date and time in RFC 3339 format, such as 2006-01-02T15:04:05Z.",
	"params.date":            "{subject} must be a date such as 2006-01-02.",
	"params.http_date":       "{subject} must be an HTTP date such as Mon, 02 Jan 2006 15:04:05 GMT.",
	"params.time_layout":     "{subject} must be a time in the layout {layout}.",
	"params.duration":        "{subject} must be a duration such as 1m30s.",

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
