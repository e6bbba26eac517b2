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
}

// ErrInvalidEntry is wrapped by the errors NewCatalog and With return for an
// entry they refuse.
var ErrInvalidEntry = errors.New("errdoc: invalid catalog entry")

// NewCatalog returns a catalog of the given entries. It returns an error
// wrapping ErrInvalidEntry for an entry without a valid status, code or
// title, and for a code registered twice.
func NewCatalog(entries ...Entry) (*Catalog, error) {
	c := &Catalog{byCode: make(map[string]int, len(entries)), byStatus: make(map[int]int, len(entries))}
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
func (c *Catalog) With(entries ...Entry) (*Catalog, error) {
	all := make([]Entry, 0, len(c.entries)+len(entries))
	all = append(all, c.entries...)
	all = append(all, entries...)
	return NewCatalog(all...)
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

// DefaultCatalog returns a new catalog of every status this library emits:
// the statuses of Twitter's and M-RETS's response-code pages (304, 400, 401,
// 403, 404, 406, 410, 420, 422, 429, 500, 502, 503, 504) and 405, 408 (a
// request body that stopped arriving), 412, 413, 415 and 501 (a request
// method no route knows).
// Each call returns a fresh catalog; extend it with With.
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
		{Status: 403, Code: "forbidden", Title: "Forbidden", LegacyCode: 220, LegacyMessage: "Your credentials do not allow access to this resource.",
			Description: "The request was understood and the client is known, but it is not allowed to do this."},
		{Status: 404, Code: "not_found", Title: "Not Found", LegacyCode: 34, LegacyMessage: "Sorry, that page does not exist.",
			Description: "No route matches the URI, or the resource it names does not exist."},
		{Status: 405, Code: "method_not_allowed", Title: "Method Not Allowed",
			Description: "The route exists but does not accept this method. The Allow header lists the methods it does accept."},
		{Status: 406, Code: "not_acceptable", Title: "Not Acceptable",
			Description: "The route cannot produce any representation the Accept header allows. Error documents themselves are always sent in a supported format."},
		{Status: 408, Code: "request_timeout", Title: "Request Timeout",
			Description: "The request body stopped arriving before the server's deadline. Send the whole body promptly, then retry."},
		{Status: 410, Code: "gone", Title: "Gone", LegacyCode: 251, LegacyMessage: "This endpoint has been retired and should not be used.",
			Description: "The endpoint or resource has been retired on purpose and will not come back. Migrate to its replacement."},
		{Status: 412, Code: "precondition_failed", Title: "Precondition Failed",
			Description: "A condition of the request (If-Match, If-Unmodified-Since, or If-None-Match on a change) does not hold: the resource changed since the client last read it. Fetch it again, then retry with its new ETag."},
		{Status: 413, Code: "content_too_large", Title: "Content Too Large",
			Description: "The request body is larger than this route accepts."},
		{Status: 415, Code: "unsupported_media_type", Title: "Unsupported Media Type",
			Description: "The request body's Content-Type is not one this route accepts."},
		{Status: 420, Code: "enhance_your_calm", Title: "Enhance Your Calm", LegacyCode: 88, LegacyMessage: "Rate limit exceeded",
			Description: "Legacy rate-limit answer of Twitter's v1 Search and Trends APIs: the client is sending too many requests. Wait for Retry-After before trying again."},
		{Status: 422, Code: "unprocessable_entity", Title: "Unprocessable Entity",
			Description: "The request body could not be processed: it is not well-formed JSON, or a value has the wrong type or fails validation. source.pointer names the value."},
		{Status: 429, Code: "too_many_requests", Title: "Too Many Requests", LegacyCode: 88, LegacyMessage: "Rate limit exceeded",
			Description: "The client's rate limit for this resource is used up. Retry-After says how many seconds to wait; the RateLimit headers describe the policy."},
		{Status: 500, Code: "internal_error", Title: "Internal Server Error", LegacyCode: 131, LegacyMessage: "Internal error",
			Description: "The server failed unexpectedly. This is usually temporary; try again later, and quote the request ID when reporting it."},
		{Status: 501, Code: "not_implemented", Title: "Not Implemented",
			Description: "The request method is not supported for any resource of this API. Use one of the methods its routes document."},
		{Status: 502, Code: "bad_gateway", Title: "Bad Gateway",
			Description: "A service this API depends on could not be reached or answered wrongly. Try again later."},
		{Status: 503, Code: "service_unavailable", Title: "Service Unavailable", LegacyCode: 130, LegacyMessage: "Over capacity",
			Description: "The server is up but overloaded or in maintenance. Try again after Retry-After."},
		{Status: 504, Code: "gateway_timeout", Title: "Gateway Timeout",
			Description: "The server is up but the request could not be completed in time, often because a service it depends on was too slow. Try again later."},
	}
}
