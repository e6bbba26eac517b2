package errdoc_test

import (
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept   string
		def      errdoc.Format
		strict   bool
		wantFmt  errdoc.Format
		wantType string
	}{
		{"", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"*/*", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"application/json", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"application/vnd.api+json", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/vnd.api+json"},
		{"APPLICATION/VND.API+JSON", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/vnd.api+json"},
		{"application/problem+json", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
		{"application/problem+json;q=0.9, application/json", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"application/json;q=0.5, application/problem+json", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
		{"application/json;q=0.5, application/problem+json;q=0.8", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
		// Equal q-values: the configured format wins.
		{"application/problem+json, application/vnd.api+json", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/vnd.api+json"},
		{"application/vnd.api+json, application/problem+json", errdoc.Problem, false, errdoc.Problem, "application/problem+json"},
		{"application/problem+json, application/json", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		// q=0 refuses a type.
		{"application/problem+json;q=0, */*", errdoc.Problem, false, errdoc.JSONAPI, "application/json"},
		{"application/vnd.api+json;q=0, */*", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
		// Unservable: the default, never a 406.
		{"application/xml", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"text/html;q=0.9, image/png", errdoc.Problem, false, errdoc.Problem, "application/problem+json"},
		{",,;;q=,", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		// A weight that cannot be read makes its range ignored.
		{"application/problem+json;q=abc", errdoc.JSONAPI, false, errdoc.JSONAPI, "application/json"},
		{"application/problem+json ; q=1.000 ; charset=utf-8", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
		// Twitter is chosen by configuration only.
		{"application/json", errdoc.Twitter, false, errdoc.Twitter, "application/json"},
		{"application/problem+json", errdoc.Twitter, false, errdoc.Problem, "application/problem+json"},
		{"application/problem+json", errdoc.Twitter, true, errdoc.Twitter, "application/json"},
		{"application/vnd.api+json", errdoc.JSONAPI, true, errdoc.JSONAPI, "application/vnd.api+json"},
	}
	for _, tc := range tests {
		f, ct := errdoc.Negotiate(tc.accept, tc.def, tc.strict)
		assert.Equal(t, tc.wantFmt, f, "Accept %q, default %v, strict %v", tc.accept, tc.def, tc.strict)
		assert.Equal(t, tc.wantType, ct, "Accept %q", tc.accept)
	}
}

// q-values per RFC 9110 12.4.2, and what this package makes of invalid ones:
// each case pits problem+json at weight q against application/json at 0.5
// (the default, JSON:API, wins ties), so the winner tells how q was read.
func TestNegotiateQValues(t *testing.T) {
	const problem, json = errdoc.Problem, errdoc.JSONAPI
	tests := []struct {
		q    string
		want errdoc.Format
	}{
		{"q=1", problem}, {"q=1.", problem}, {"q=1.000", problem}, {"Q=0.9", problem},
		{"q=0.6", problem}, {"q=0.501", problem}, {"q=0.5", json}, {"q=0.499", json},
		// Whitespace around the name, "=" and the value.
		{"q = 0.1", json}, {"q =0.9", problem}, {" q= 0.9 ", problem}, {"q\t=\t0.1", json},
		// More than three decimals round up to the next thousandth.
		{"q=0.0001", json}, {"q=0.5001", problem}, {"q=0.50000", json}, {"q=1.0000", problem},
		// Invalid weights: the range is ignored, so problem+json never wins.
		{"q=2", json}, {"q=1.5", json}, {"q=1.0001", json}, {"q=-1", json}, {"q=.9", json},
		{"q=0,9", json}, {"q=", json}, {"q=\"0.9\"", json}, {"q=0.9x", json}, {"q=abc", json},
	}
	for _, tc := range tests {
		accept := "application/problem+json;" + tc.q + ", application/json;q=0.5"
		f, _ := errdoc.Negotiate(accept, errdoc.JSONAPI, false)
		assert.Equal(t, tc.want, f, "Accept %q", accept)
	}
	// A tiny weight is still an acceptance, q=0 a refusal.
	f, _ := errdoc.Negotiate("application/problem+json;q=0.0001, application/vnd.api+json;q=0", errdoc.JSONAPI, false)
	assert.Equal(t, problem, f)
	f, _ = errdoc.Negotiate("application/vnd.api+json;q=0.0000, */*", errdoc.JSONAPI, false)
	assert.Equal(t, problem, f, "q=0.0000 refuses JSON:API")
}

func TestNegotiateAllocatesNothing(t *testing.T) {
	accept := "text/html;q=0.9, application/json;q=0.5, application/problem+json;q=0.8, */*;q=0.1"
	allocs := testing.AllocsPerRun(100, func() { errdoc.Negotiate(accept, errdoc.JSONAPI, false) })
	assert.Zero(t, allocs)
}

func TestParseFormat(t *testing.T) {
	for name, want := range map[string]errdoc.Format{"jsonapi": errdoc.JSONAPI, "problem": errdoc.Problem, "TWITTER": errdoc.Twitter} {
		got, ok := errdoc.ParseFormat(name)
		assert.True(t, ok)
		assert.Equal(t, want, got)
		assert.Equal(t, want.String(), got.String())
	}
	_, ok := errdoc.ParseFormat("xml")
	assert.False(t, ok)
}
