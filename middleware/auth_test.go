package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

type roleKey struct{}

// checkToken knows two tokens, "reader" and "admin"; "expired" is a token
// it recognises as no longer valid, "idp-down" stands for an identity
// provider that cannot be reached.
func checkToken(r *http.Request) (*http.Request, error) {
	if _, ok := r.Header["Authorization"]; !ok {
		return nil, middleware.ErrNoCredentials
	}
	tok, ok := middleware.BearerToken(r)
	if !ok {
		return nil, &middleware.AuthError{Code: "invalid_request", Description: "The Authorization header is not a bearer token."}
	}
	switch tok {
	case "reader", "admin":
		return r.WithContext(context.WithValue(r.Context(), roleKey{}, tok)), nil
	case "expired":
		return nil, &middleware.AuthError{Description: `The token "expired" \ long ago.`}
	case "idp-down":
		return nil, errdoc.New(http.StatusServiceUnavailable, "Sign-in is unavailable.")
	}
	return nil, errors.New("token lookup: no such token " + tok)
}

func adminOnly(r *http.Request) error {
	if r.Context().Value(roleKey{}) != "admin" {
		return &middleware.AuthError{Scope: "items:delete", Description: "Deleting items needs the admin role."}
	}
	return nil
}

func TestAuth(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.Group(func(r chi.Router) {
		r.Use(middleware.Auth(middleware.AuthOptions{Realm: "demo", Authenticate: checkToken}))
		r.Get("/private", func(w http.ResponseWriter, r *http.Request) {})
		r.With(middleware.Auth(middleware.AuthOptions{Realm: "demo", Authorize: adminOnly})).Delete("/items/1", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		})
		r.With(middleware.Auth(middleware.AuthOptions{Authorize: func(*http.Request) error { return errors.New("policy engine said no: rule 7") }})).Get("/opaque", func(w http.ResponseWriter, r *http.Request) {})
	})
	r.With(middleware.Auth(middleware.AuthOptions{Scheme: "Basic", Realm: `the "inner" \ zone`, Authenticate: func(r *http.Request) (*http.Request, error) {
		if _, _, ok := r.BasicAuth(); !ok {
			return nil, middleware.ErrNoCredentials
		}
		return nil, &middleware.AuthError{Code: "bad", Description: "Wrong password\r\nX-Injected: 1"}
	}})).Get("/basic", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	tests := []struct {
		name, method, path, authz string
		status                    int
		challenge                 string
		detail                    string
	}{
		{"no credentials", "GET", "/private", "", 401, `Bearer realm="demo"`, "send a bearer token"},
		{"reader", "GET", "/private", "Bearer reader", 200, "", ""},
		{"scheme in any case", "GET", "/private", "bEaReR admin", 200, "", ""},
		{"not bearer", "GET", "/private", "Basic YTpi", 400, `Bearer realm="demo", error="invalid_request", error_description="The Authorization header is not a bearer token."`, "not a bearer token"},
		{"expired", "GET", "/private", "Bearer expired", 401, `Bearer realm="demo", error="invalid_token", error_description="The token expired  long ago."`, `The token "expired" \ long ago.`},
		{"unknown token", "GET", "/private", "Bearer guess", 401, `Bearer realm="demo", error="invalid_token"`, "The credentials sent are not valid."},
		{"identity provider down", "GET", "/private", "Bearer idp-down", 503, "", ""},
		{"reader may not delete", "DELETE", "/items/1", "Bearer reader", 403, `Bearer realm="demo", error="insufficient_scope", error_description="Deleting items needs the admin role.", scope="items:delete"`, "admin role"},
		{"admin deletes", "DELETE", "/items/1", "Bearer admin", 204, "", ""},
		{"plain authorize error", "GET", "/opaque", "Bearer admin", 403, "", "The credentials sent do not allow this request."},
		{"basic without credentials", "GET", "/basic", "", 401, `Basic realm="the \"inner\" \\ zone"`, "send credentials"},
		{"basic, own code, escaped", "GET", "/basic", "Basic YTpi", 401, `Basic realm="the \"inner\" \\ zone", error="bad", error_description="Wrong passwordX-Injected: 1"`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			if tc.authz != "" {
				req.Header.Set("Authorization", tc.authz)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			rep := testsrv.Read(t, resp)
			require.Equal(t, tc.status, resp.StatusCode, "%s", rep.Body)
			assert.Equal(t, tc.challenge, resp.Header.Get("WWW-Authenticate"))
			if tc.detail != "" {
				assert.Contains(t, rep.Errors[0].Detail, tc.detail)
			}
			assert.NotContains(t, string(rep.Body), "rule 7")
			assert.NotContains(t, string(rep.Body), "no such token")
		})
	}
}

func TestAuthOptions(t *testing.T) {
	ok := func(r *http.Request) (*http.Request, error) { return r, nil }
	for _, bad := range []middleware.AuthOptions{
		{},
		{Scheme: "Bad Scheme", Authenticate: ok},
		{Realm: "a\nb", Authenticate: ok},
		{Scope: `read "all"`, Authenticate: ok},
		{Scope: "caf\u00e9", Authenticate: ok},
	} {
		assert.Error(t, bad.Validate(), "%+v", bad)
		assert.Panics(t, func() { middleware.Auth(bad) })
	}
	assert.NoError(t, middleware.AuthOptions{Scope: "read write", Authenticate: ok}.Validate())
}

func TestBearerToken(t *testing.T) {
	for h, want := range map[string]string{
		"Bearer abc.DEF-_~+/==": "abc.DEF-_~+/==",
		"bearer  x":             "x",
		"Bearer":                "",
		"Bearer ":               "",
		"Bearer a b":            "",
		"Bearer =a":             "",
		"Bearer a=b":            "",
		"Basic abc":             "",
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Authorization", h)
		got, ok := middleware.BearerToken(req)
		assert.Equal(t, want, got, h)
		assert.Equal(t, want != "", ok, h)
	}
}
