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
		{"application/problem+json;q=abc", errdoc.JSONAPI, false, errdoc.Problem, "application/problem+json"},
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
