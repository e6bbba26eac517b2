package middleware

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// Lifecycle describes the end of a route's life, for Retired and
// Deprecated. The zero value describes a route retired without notice; each
// field documents what its zero value means.
type Lifecycle struct {
	// Deprecated is when the route was, or will be, deprecated, sent as
	// "Deprecation: @<unix seconds>" (RFC 9745). Zero means no Deprecation
	// header.
	Deprecated time.Time

	// Sunset is when the route stops (or stopped) answering, sent as the
	// Sunset header's HTTP date (RFC 8594). From that instant on, a
	// Deprecated route answers 410 as a Retired one does. Zero means no
	// Sunset header, and a Deprecated route that keeps answering.
	Sunset time.Time

	// Successor is the URI of the replacement, sent as
	// `Link: <uri>; rel="successor-version"` and named in the 410's detail.
	// Empty means none.
	Successor string

	// Docs is the URI of a page about the deprecation and retirement, sent
	// as a Link with rel="deprecation" (RFC 9745) and rel="sunset" (RFC
	// 8594). Empty means none.
	Docs string

	// Detail is the 410's detail. Empty means a sentence naming Sunset and
	// Successor when they are set.
	Detail string

	// Now returns the current time, for Deprecated's switch to 410. Nil
	// means time.Now.
	Now func() time.Time
}

// lifecycle is a Lifecycle with its headers built once.
type lifecycle struct {
	now    func() time.Time
	sunset time.Time
	header http.Header    // Deprecation, Sunset, Link
	detail string         // Lifecycle.Detail, rendered as it is
	msg    errdoc.Message // the default sentence when detail is empty; read-only
}

func newLifecycle(l Lifecycle) (*lifecycle, error) {
	lc := &lifecycle{now: l.Now, sunset: l.Sunset, header: http.Header{}, detail: l.Detail}
	if lc.now == nil {
		lc.now = time.Now
	}
	if !l.Deprecated.IsZero() {
		lc.header.Set("Deprecation", "@"+strconv.FormatInt(l.Deprecated.Unix(), 10))
	}
	if !l.Sunset.IsZero() {
		lc.header.Set("Sunset", l.Sunset.UTC().Format(http.TimeFormat))
	}
	for _, link := range []struct{ uri, rel string }{
		{l.Successor, "successor-version"}, {l.Docs, "deprecation"}, {l.Docs, "sunset"},
	} {
		if link.uri == "" {
			continue
		}
		if err := checkLinkURI(link.uri); err != nil {
			return nil, err
		}
		lc.header.Add("Link", "<"+link.uri+`>; rel="`+link.rel+`"`)
	}
	if lc.detail == "" {
		lc.msg = retiredMessage(l.Sunset, l.Successor)
	}
	return lc, nil
}

// checkLinkURI refuses what cannot sit between the angle brackets of a Link
// header.
func checkLinkURI(s string) error {
	if strings.ContainsAny(s, "<> \t\"") || !headerSafe(s) {
		return fmt.Errorf("middleware: Lifecycle link %q cannot be sent in a Link header", s)
	}
	if _, err := url.Parse(s); err != nil {
		return fmt.Errorf("middleware: Lifecycle link %q: %w", s, err)
	}
	return nil
}

// retiredMessage is the default 410 sentence, naming sunset and successor
// when they are set: a whole sentence for each case, so a translation
// words each one as its grammar needs.
func retiredMessage(sunset time.Time, successor string) errdoc.Message {
	date := errdoc.Str("date", sunset.UTC().Format(time.DateOnly))
	next := errdoc.Str("successor", successor)
	switch {
	case !sunset.IsZero() && successor != "":
		return errdoc.Message{Key: "retired.gone_since_successor", Args: []errdoc.Arg{date, next}}
	case !sunset.IsZero():
		return errdoc.Message{Key: "retired.gone_since", Args: []errdoc.Arg{date}}
	case successor != "":
		return errdoc.Message{Key: "retired.gone_successor", Args: []errdoc.Arg{next}}
	}
	return errdoc.Message{Key: "retired.gone"}
}

func (lc *lifecycle) gone() *errdoc.Error {
	e := errdoc.New(http.StatusGone, lc.detail)
	e.Message = lc.msg           // its Args are shared by every 410 and never written
	e.Header = lc.header.Clone() // errdoc may keep the error; the shared header stays ours
	return e
}

// Retired returns a middleware that answers every request with a 410 Gone
// document carrying l's Sunset, Deprecation and Link headers, in place of
// the handler it wraps:
//
//	r.With(middleware.Retired(middleware.Lifecycle{
//		Sunset:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
//		Successor: "/v2/items",
//	})).Get("/v1/legacy", nil)
//
// Retired panics if a link is not a URI reference that a Link header can
// carry.
func Retired(l Lifecycle) func(http.Handler) http.Handler {
	lc, err := newLifecycle(l)
	if err != nil {
		panic(err)
	}
	return func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			errdoc.Write(w, r, lc.gone())
		})
	}
}

// Deprecated returns a middleware for a route that still answers but is on
// its way out: every response carries l's Deprecation, Sunset and Link
// headers, and from l.Sunset on the route answers 410 as Retired does, so
// that retiring it needs no deployment.
//
// Deprecated panics as Retired does.
func Deprecated(l Lifecycle) func(http.Handler) http.Handler {
	lc, err := newLifecycle(l)
	if err != nil {
		panic(err)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !lc.sunset.IsZero() && !lc.now().Before(lc.sunset) {
				errdoc.Write(w, r, lc.gone())
				return
			}
			h := w.Header()
			for k, vs := range lc.header {
				h[k] = append(h[k], vs...)
			}
			next.ServeHTTP(w, r)
		})
	}
}
