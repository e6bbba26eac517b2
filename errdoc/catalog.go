package errdoc

import (
	"errors"
	"fmt"
	"sort"
)

// Entry describes one kind of error: its status, stable code, title and the
// description published on the response-code page.
type Entry struct {
	// Status is the HTTP status code, 304 or 400-599.
	Status int
	// Code is the stable machine-readable code: lowercase letters, digits and
	// underscores, starting with a letter, at most 64 bytes.
	Code string
	// Title is the short summary rendered in every document of this code.
	Title string
	// Description explains the code on the response-code page. It is also the
	// generic detail of 5xx errors, so it must not name internals.
	Description string
	// LegacyCode is Twitter's v1 numeric error code, when one applies; the
	// Twitter legacy format renders it (or Status when it is zero).
	LegacyCode int
	// LegacyMessage is the message of the Twitter legacy format; empty means
	// the error's detail or Title.
	LegacyMessage string
}

// Catalog is an immutable set of entries, looked up by code and by status.
// The first entry registered for a status is that status's entry; later
// entries with the same status (such as "record_not_found" for 404) are found
// by code only. The zero Catalog is empty; use DefaultCatalog.
type Catalog struct {
	entries  []Entry // sorted by status, then registration order
	byCode   map[string]int
	byStatus map[int]int
	// lang is the language of the entries and messages, "en" unless
	// WithDefaultLanguage changed it.
	lang string
	// messages are the templates of Messages in lang, by key.
	messages msgTable
	// translations are the other languages, in registration order.
	translations []*translation
	// page is the response-code page's own text in lang, nil for the
	// library's English (see WithDefaultLanguage); builtin the text in
	// lang of the built-in entries the catalog lacks, nil for English.
	page    msgTable
	builtin map[string]EntryText
}

// ErrInvalidEntry is wrapped by the errors NewCatalog and With return for an
// entry they refuse.
var ErrInvalidEntry = errors.New("errdoc: invalid catalog entry")

// NewCatalog returns a catalog of the given entries. It returns an error
// wrapping ErrInvalidEntry for an entry without a valid status, code or
// title, and for a code registered twice.
func NewCatalog(entries ...Entry) (*Catalog, error) {
	c := &Catalog{byCode: make(map[string]int, len(entries)), byStatus: make(map[int]int, len(entries)), lang: "en", messages: builtinTemplates}
	sorted := make([]Entry, len(entries))
	copy(sorted, entries)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Status < sorted[j].Status })
	for _, e := range sorted {
		if err := validEntry(e); err != nil {
			return nil, err
		}
		if _, dup := c.byCode[e.Code]; dup {
			return nil, fmt.Errorf("%w: code %q registered twice", ErrInvalidEntry, e.Code)
		}
		c.byCode[e.Code] = len(c.entries)
		if _, ok := c.byStatus[e.Status]; !ok {
			c.byStatus[e.Status] = len(c.entries)
		}
		c.entries = append(c.entries, e)
	}
	return c, nil
}

// MustCatalog is NewCatalog for start-up code. It panics if NewCatalog
// returns an error.
func MustCatalog(entries ...Entry) *Catalog {
	c, err := NewCatalog(entries...)
	if err != nil {
		panic(err)
	}
	return c
}

// With returns a new catalog holding c's entries and the given ones; c is
// unchanged. Applications register their own codes this way:
//
//	cat, err := errdoc.DefaultCatalog().With(errdoc.Entry{
//		Status: 404, Code: "record_not_found", Title: "Record not found",
//		Description: "The record identified in the request does not exist.",
//	})
//
// The new catalog keeps c's messages and default language. If c has
// translations, With fails with a *TranslationError: the new entries would
// have no text in those languages. Add entries first, then translations.
func (c *Catalog) With(entries ...Entry) (*Catalog, error) {
	if len(entries) > 0 && len(c.translations) > 0 {
		te := &TranslationError{Language: c.translations[0].tag}
		for _, e := range entries {
			te.Missing = append(te.Missing, "entries."+e.Code)
		}
		return nil, te
	}
	all := make([]Entry, 0, len(c.entries)+len(entries))
	all = append(all, c.entries...)
	all = append(all, entries...)
	n, err := NewCatalog(all...)
	if err != nil {
		return nil, err
	}
	n.lang, n.messages, n.translations, n.page, n.builtin = c.lang, c.messages, c.translations, c.page, c.builtin
	return n, nil
}

// MustWith is With for start-up code: it panics if With returns an
// error. Extending the default catalog is one call:
//
//	var catalog = errdoc.DefaultCatalog().MustWith(errdoc.Entry{
//		Status: 404, Code: "record_not_found", Title: "Record not found",
//		Description: "The record identified in the request does not exist.",
//	})
func (c *Catalog) MustWith(entries ...Entry) *Catalog {
	ext, err := c.With(entries...)
	if err != nil {
		panic(err)
	}
	return ext
}

// Lookup returns the entry with the given code.
func (c *Catalog) Lookup(code string) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	i, ok := c.byCode[code]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// ForStatus returns the first entry registered for status.
func (c *Catalog) ForStatus(status int) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	i, ok := c.byStatus[status]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Entries returns a copy of the entries, ordered by status.
func (c *Catalog) Entries() []Entry {
	if c == nil {
		return nil
	}
	out := make([]Entry, len(c.entries))
	copy(out, c.entries)
	return out
}

func validEntry(e Entry) error {
	switch {
	case e.Status != 304 && (e.Status < 400 || e.Status > 599):
		return fmt.Errorf("%w: code %q: status %d is not 304 or 400-599", ErrInvalidEntry, e.Code, e.Status)
	case !validCode(e.Code):
		return fmt.Errorf("%w: code %q must be lowercase letters, digits and underscores, starting with a letter, at most 64 bytes", ErrInvalidEntry, e.Code)
	case e.Title == "":
		return fmt.Errorf("%w: code %q has no title", ErrInvalidEntry, e.Code)
	}
	return nil
}

func validCode(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// DefaultCatalog returns a new catalog with an entry for every 4xx and 5xx
// status of RFC 9110 (but 418, which it reserves) and RFC 6585, for 304,
// Twitter's 420, 451 (RFC 7725), 425 (RFC 8470) and WebDAV's 423, 424 and
// 507: each with a stable code, a title, a description for the
// response-code page and a docs anchor. Each call returns a fresh catalog;
// extend it with MustWith or With.
//
// Like every catalog, it holds the library's messages (see
// Catalog.MessageKeys) in English; add languages with WithTranslation.
func DefaultCatalog() *Catalog {
	return MustCatalog(builtinEntries()...)
}

func builtinEntries() []Entry {
	return []Entry{
		{Status: 304, Code: "not_modified", Title: "Not Modified",
			Description: "The resource has not changed since the version the client holds (If-None-Match or If-Modified-Since). Not an error: the response has no body."},
		{Status: 400, Code: "bad_request", Title: "Bad Request",
			Description: "The request is malformed or cannot be served as sent. The error's detail says what to change."},
		{Status: 401, Code: "unauthorized", Title: "Unauthorized", LegacyCode: 32, LegacyMessage: "Could not authenticate you.",
			Description: "Authentication credentials are missing, expired or wrong. The WWW-Authenticate header names the scheme to use."},
		{Status: 402, Code: "payment_required", Title: "Payment Required",
			Description: "The request needs a paid plan or credit the account does not have. Check the account's billing before retrying."},
		{Status: 403, Code: "forbidden", Title: "Forbidden", LegacyCode: 220, LegacyMessage: "Your credentials do not allow access to this resource.",
			Description: "The request was understood and the client is known, but it is not allowed to do this."},
		{Status: 404, Code: "not_found", Title: "Not Found", LegacyCode: 34, LegacyMessage: "Sorry, that page does not exist.",
			Description: "No route matches the URI, or the resource it names does not exist."},
		{Status: 405, Code: "method_not_allowed", Title: "Method Not Allowed",
			Description: "The route exists but does not accept this method. The Allow header lists the methods it does accept."},
		{Status: 406, Code: "not_acceptable", Title: "Not Acceptable",
			Description: "The route cannot produce any representation the Accept header allows. Error documents themselves are always sent in a supported format."},
		{Status: 407, Code: "proxy_authentication_required", Title: "Proxy Authentication Required",
			Description: "A proxy between the client and this API needs credentials first. The Proxy-Authenticate header names the scheme."},
		{Status: 408, Code: "request_timeout", Title: "Request Timeout",
			Description: "The request body stopped arriving before the server's deadline. Send the whole body promptly, then retry."},
		{Status: 409, Code: "conflict", Title: "Conflict",
			Description: "The request conflicts with the resource's current state, such as creating a record that already exists or changing one another request changed first. Fetch the resource again, resolve the conflict, then retry."},
		{Status: 410, Code: "gone", Title: "Gone", LegacyCode: 251, LegacyMessage: "This endpoint has been retired and should not be used.",
			Description: "The endpoint or resource has been retired on purpose and will not come back. Migrate to its replacement."},
		{Status: 411, Code: "length_required", Title: "Length Required",
			Description: "The route needs to know the body's size up front: send a Content-Length header."},
		{Status: 412, Code: "precondition_failed", Title: "Precondition Failed",
			Description: "A condition of the request (If-Match, If-Unmodified-Since, or If-None-Match on a change) does not hold: the resource changed since the client last read it. Fetch it again, then retry with its new ETag."},
		{Status: 413, Code: "content_too_large", Title: "Content Too Large",
			Description: "The request body is larger than this route accepts."},
		{Status: 414, Code: "uri_too_long", Title: "URI Too Long",
			Description: "The request's URI is longer than the server accepts. Send large inputs in the body instead of the query string."},
		{Status: 415, Code: "unsupported_media_type", Title: "Unsupported Media Type",
			Description: "The request body's Content-Type is not one this route accepts."},
		{Status: 416, Code: "range_not_satisfiable", Title: "Range Not Satisfiable",
			Description: "The Range header asks for bytes that are not in the representation. The Content-Range header gives its current length."},
		{Status: 417, Code: "expectation_failed", Title: "Expectation Failed",
			Description: "The server cannot meet the request's Expect header. Send the request again without it."},
		{Status: 420, Code: "enhance_your_calm", Title: "Enhance Your Calm", LegacyCode: 88, LegacyMessage: "Rate limit exceeded",
			Description: "Legacy rate-limit answer of Twitter's v1 Search and Trends APIs: the client is sending too many requests. Wait for Retry-After before trying again."},
		{Status: 421, Code: "misdirected_request", Title: "Misdirected Request",
			Description: "The request reached a server that does not serve its host name, usually a reused connection. Retry on a new connection."},
		{Status: 422, Code: "unprocessable_entity", Title: "Unprocessable Entity",
			Description: "The request body could not be processed: it is not well-formed JSON, or a value has the wrong type or fails validation. source.pointer names the value."},
		{Status: 423, Code: "locked", Title: "Locked",
			Description: "The resource is locked against changes for now. Retry after the lock is released."},
		{Status: 424, Code: "failed_dependency", Title: "Failed Dependency",
			Description: "The request depended on another action that failed, so it was not performed."},
		{Status: 425, Code: "too_early", Title: "Too Early",
			Description: "The server will not process a request that might be replayed (TLS early data). Retry once the handshake has completed."},
		{Status: 426, Code: "upgrade_required", Title: "Upgrade Required",
			Description: "The route needs another protocol. The Upgrade header names it."},
		{Status: 428, Code: "precondition_required", Title: "Precondition Required",
			Description: "Changes to this resource must be conditional, so that one client does not overwrite another's: read it, then send If-Match with its ETag."},
		{Status: 429, Code: "too_many_requests", Title: "Too Many Requests", LegacyCode: 88, LegacyMessage: "Rate limit exceeded",
			Description: "The client's rate limit for this resource is used up. Retry-After says how many seconds to wait; the RateLimit headers describe the policy."},
		{Status: 431, Code: "request_header_fields_too_large", Title: "Request Header Fields Too Large",
			Description: "A request header, or the headers together, are larger than the server accepts. Send fewer or smaller headers (cookies, usually)."},
		{Status: 451, Code: "unavailable_for_legal_reasons", Title: "Unavailable For Legal Reasons",
			Description: "The resource cannot be served because of a legal demand. The Link header may name who made it (rel=\"blocked-by\")."},
		{Status: 500, Code: "internal_error", Title: "Internal Server Error", LegacyCode: 131, LegacyMessage: "Internal error",
			Description: "The server failed unexpectedly. This is usually temporary; try again later, and quote the request ID when reporting it."},
		{Status: 501, Code: "not_implemented", Title: "Not Implemented",
			Description: "The server does not recognise the request's method for any resource. An OPTIONS request to the resource lists the methods it allows."},
		{Status: 502, Code: "bad_gateway", Title: "Bad Gateway",
			Description: "A service this API depends on could not be reached or answered wrongly. Try again later."},
		{Status: 503, Code: "service_unavailable", Title: "Service Unavailable", LegacyCode: 130, LegacyMessage: "Over capacity",
			Description: "The server is up but overloaded or in maintenance. Try again after Retry-After."},
		{Status: 504, Code: "gateway_timeout", Title: "Gateway Timeout",
			Description: "The server is up but the request could not be completed in time, often because a service it depends on was too slow. Try again later."},
		{Status: 505, Code: "http_version_not_supported", Title: "HTTP Version Not Supported",
			Description: "The server does not support the request's HTTP version. Use HTTP/1.1 or HTTP/2."},
		{Status: 507, Code: "insufficient_storage", Title: "Insufficient Storage",
			Description: "The server cannot store what the request needs right now. This is usually temporary; try again later."},
		{Status: 511, Code: "network_authentication_required", Title: "Network Authentication Required",
			Description: "A network between the client and this API (a captive portal, say) needs the client to sign in first."},
	}
}
