package demo_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/stretchr/testify/assert"
)

// RFC 6750 section 3.1: a request without Bearer credentials, because it
// sends none or another scheme's, gets 401 and the bare challenge, no error
// code; a malformed Bearer credential is a 400 invalid_request; an unknown
// token a 401 invalid_token.
func TestPrivateChallenges(t *testing.T) {
	h := demo.NewRouter(demo.Config{})
	for _, tc := range []struct {
		authorization string
		status        int
		errorCode     string // the challenge's error parameter, "" for none
	}{
		{"", http.StatusUnauthorized, ""},
		{"Basic eDp5", http.StatusUnauthorized, ""},
		{"Digest username=x", http.StatusUnauthorized, ""},
		{"Bearer", http.StatusBadRequest, "invalid_request"},
		{"Bearer a b", http.StatusBadRequest, "invalid_request"},
		{"Bearer nope", http.StatusUnauthorized, "invalid_token"},
		{"bearer reader", http.StatusOK, ""},
	} {
		req := httptest.NewRequest(http.MethodGet, "/v1/private", nil)
		if tc.authorization != "" {
			req.Header.Set("Authorization", tc.authorization)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, tc.status, rec.Code, "%q: %s", tc.authorization, rec.Body)
		challenge := rec.Header().Get("WWW-Authenticate")
		if tc.status == http.StatusOK {
			continue
		}
		assert.Contains(t, challenge, "Bearer", tc.authorization)
		if tc.errorCode == "" {
			assert.NotContains(t, challenge, "error=", "%q: a bare challenge", tc.authorization)
		} else {
			assert.Contains(t, challenge, `error="`+tc.errorCode+`"`, tc.authorization)
		}
	}
}
