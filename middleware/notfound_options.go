package middleware

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/faultline-go/faultline/errdoc"
)

// answerOptions answers OPTIONS on a path the router serves: 204 No Content
// and the methods the path allows (RFC 9110 §9.3.7). A CORS preflight that
// gets here reached the router without meeting a CORS middleware, so the
// browser will refuse the request it announces: the first one is logged
// with where to mount CORS.
func answerOptions(w http.ResponseWriter, r *http.Request, allow string, hint *preflightHint) {
	if isPreflight(r) && hint.CompareAndSwap(false, true) {
		logger := errdoc.FromContext(r.Context()).Options().Logger
		if logger == nil {
			logger = slog.Default()
		}
		logger.LogAttrs(r.Context(), slog.LevelWarn,
			"CORS preflight reached the router: no CORS middleware answered it, so browsers will refuse the request; mount the CORS middleware outermost, before errdoc's Handler and Routing (r.Use(cors.Handler(...)) first), not in a route group",
			slog.String("request_id", errdoc.RequestIDFrom(r.Context())),
			slog.String("path", clip(r.URL.Path, 256)),
			slog.String("origin", clip(r.Header.Get("Origin"), 128)))
	}
	h := w.Header()
	h.Set("Allow", allow)
	h.Del("Content-Type")
	w.WriteHeader(http.StatusNoContent)
}

// preflightHint is set once a router has logged a preflight that reached
// it: the hint is worth one record, not one per request.
type preflightHint struct{ atomic.Bool }

// withOptions returns allow with OPTIONS added in its place, unless it is
// already listed.
func withOptions(allow string) string {
	if allow == "" {
		return ""
	}
	list := strings.Split(allow, ", ")
	if slices.Contains(list, http.MethodOptions) {
		return allow
	}
	i := 0
	for i < len(list) && allowRank(list[i]) < allowRank(http.MethodOptions) {
		i++
	}
	return strings.Join(slices.Insert(list, i, http.MethodOptions), ", ")
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// clip returns s cut to at most n bytes, for logging client text.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
