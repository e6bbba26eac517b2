package errdocotel

import (
	"slices"
	"strconv"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
)

// ErrorType is one value error.type takes: a catalog code.
type ErrorType struct {
	Code   string
	Status int
	// SpanError reports whether the span's status is Error when this is
	// the response's error: for a 5xx.
	SpanError bool
}

// ErrorTypes returns every value error.type takes with cat (nil means
// errdoc.DefaultCatalog()): each error code of the catalog, 304's excepted
// (not an error), and client_closed_request, by status then code. Codes
// are low-cardinality by construction: a catalog is fixed at start-up. A
// 5xx that a handler writes without errdoc gets its status as error.type
// ("500"), as the conventions say.
func ErrorTypes(cat *errdoc.Catalog) []ErrorType {
	if cat == nil {
		cat = errdoc.DefaultCatalog()
	}
	entries := append(cat.Entries(), errdoc.ClientClosedEntry())
	var out []ErrorType
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Status < 400 || seen[e.Code] {
			continue
		}
		seen[e.Code] = true
		out = append(out, ErrorType{Code: e.Code, Status: e.Status, SpanError: serverFailure(e.Status)})
	}
	slices.SortStableFunc(out, func(a, b ErrorType) int {
		if a.Status != b.Status {
			return a.Status - b.Status
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// ErrorTypeTable returns ErrorTypes(cat) as a Markdown table: the one the
// package documentation shows.
func ErrorTypeTable(cat *errdoc.Catalog) string {
	var b strings.Builder
	b.WriteString("| `error.type` | status | span status |\n|---|--:|---|\n")
	for _, t := range ErrorTypes(cat) {
		span := "unset"
		if t.SpanError {
			span = "Error"
		}
		b.WriteString("| `" + t.Code + "` | " + strconv.Itoa(t.Status) + " | " + span + " |\n")
	}
	return b.String()
}
