package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/httpsyntax"
)

// ErrNoCredentials is what an Authenticate function returns (or wraps) when
// the request carries no credentials at all: the 401's challenge then has no
// error code, as RFC 6750 section 3.1 asks.
var ErrNoCredentials = errors.New("middleware: no credentials")

// AuthError is an authentication or authorization failure with a code of
// the scheme, such as RFC 6750's "invalid_token", which Auth puts in the
// WWW-Authenticate challenge.
type AuthError struct {
	// Code is the challenge's error code: "invalid_request" (answered 400),
	// "insufficient_scope" (403) or any other, such as "invalid_token" (401).
	// Empty means "invalid_token" from Authenticate and
	// "insufficient_scope" from Authorize.
	Code string
	// Description is shown to the client, as the document's detail and the
	// challenge's error_description. Empty means a generic sentence.
	Description string
	// Scope is the scope the request needs, for "insufficient_scope". Empty
	// means AuthOptions.Scope.
	Scope string
	// Err is the internal cause, logged and never shown.
	Err error
}

func (e *AuthError) Error() string {
	s := "middleware: authentication failed: " + e.Code
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *AuthError) Unwrap() error { return e.Err }

// AuthOptions configures Auth. Authenticate or Authorize must be set; every
// other zero value is documented with its field.
type AuthOptions struct {
	// Scheme is the authentication scheme the challenge names. Empty means
	// "Bearer", whose parameters follow RFC 6750.
	Scheme string
	// Realm is the challenge's realm parameter. Empty means none.
	Realm string
	// Scope is the challenge's scope parameter: space-separated scopes the
	// routes below need. Empty means none.
	Scope string

	// Authenticate checks the request's credentials and returns the request
	// to go on with (usually r with the caller's identity in its context),
	// or an error:
	//
	//   - ErrNoCredentials: 401 with a bare challenge;
	//   - an *AuthError: 401 (400 for "invalid_request") with its code and
	//     description in the challenge;
	//   - an *errdoc.Error: rendered as it is (a 503 when the identity
	//     provider is down, say); a 401 gets the challenge;
	//   - any other error: 401 "invalid_token" with a generic description,
	//     the error logged as the cause.
	//
	// Nil means the request goes on unchanged (an outer Auth authenticated
	// it) to Authorize.
	Authenticate func(r *http.Request) (*http.Request, error)

	// Authorize decides whether the authenticated request may go on: nil
	// lets it; an *AuthError is a 403 (its code, "insufficient_scope" by
	// default, and scope in the challenge); an *errdoc.Error is rendered as
	// it is; any other error is a 403 with a generic detail. Nil means every
	// authenticated request may go on.
	Authorize func(r *http.Request) error
}

// Auth returns a middleware that authenticates and authorizes requests with
// opts' functions and answers their failures with error documents carrying
// a WWW-Authenticate challenge:
//
//	r.Use(middleware.Auth(middleware.AuthOptions{Realm: "api", Authenticate: checkToken}))
//	r.With(middleware.Auth(middleware.AuthOptions{Realm: "api", Authorize: adminOnly})).Delete("/items/{id}", del)
//
// Auth panics if opts.Validate reports an error.
func Auth(opts AuthOptions) func(http.Handler) http.Handler {
	a, err := newAuth(opts)
	if err != nil {
		panic(err)
	}
	return a.middleware
}

// Validate reports the configuration errors Auth panics on: no function,
// a Scheme that is not a token, or a Realm or Scope that cannot be sent in
// a header (control characters; for Bearer, the characters RFC 6750
// excludes from scope).
func (o AuthOptions) Validate() error {
	_, err := newAuth(o)
	return err
}

type auth struct {
	opts   AuthOptions
	bearer bool
	prefix string // "Bearer realm=\"api\"", the start of every challenge
}

func newAuth(opts AuthOptions) (*auth, error) {
	if opts.Authenticate == nil && opts.Authorize == nil {
		return nil, errors.New("middleware: AuthOptions needs Authenticate or Authorize")
	}
	a := &auth{opts: opts}
	if a.opts.Scheme == "" {
		a.opts.Scheme = "Bearer"
	}
	if !httpsyntax.IsToken(a.opts.Scheme) {
		return nil, fmt.Errorf("middleware: AuthOptions.Scheme %q is not a token", opts.Scheme)
	}
	a.bearer = strings.EqualFold(a.opts.Scheme, "Bearer")
	if !headerSafe(opts.Realm) {
		return nil, fmt.Errorf("middleware: AuthOptions.Realm %q cannot be sent in a header", opts.Realm)
	}
	if !headerSafe(opts.Scope) || a.bearer && cleanBearer(opts.Scope, true) != opts.Scope {
		return nil, fmt.Errorf("middleware: AuthOptions.Scope %q cannot be sent in a challenge", opts.Scope)
	}
	a.prefix = a.opts.Scheme
	if opts.Realm != "" {
		a.prefix += " " + authParam("realm", opts.Realm)
	}
	return a, nil
}

// headerSafe reports whether s has only visible ASCII and spaces.
func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func (a *auth) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.opts.Authenticate != nil {
			r2, err := a.opts.Authenticate(r)
			if err != nil {
				errdoc.Write(w, r, a.authnError(err))
				return
			}
			if r2 != nil {
				r = r2
			}
		}
		if a.opts.Authorize != nil {
			if err := a.opts.Authorize(r); err != nil {
				errdoc.Write(w, r, a.authzError(err))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (a *auth) authnError(err error) *errdoc.Error {
	var de *errdoc.Error
	var ae *AuthError
	switch {
	case errors.As(err, &ae):
		return a.challengeError(ae, "invalid_token", msgNotValid)
	case errors.Is(err, ErrNoCredentials):
		key := "auth.no_credentials"
		if a.bearer {
			key = "auth.no_bearer_token"
		}
		e := errdoc.New(http.StatusUnauthorized, "").WithMessage(key).WithCause(err)
		return e.SetHeader("WWW-Authenticate", a.challenge("", "", a.opts.Scope))
	case errors.As(err, &de):
		if de.Status == http.StatusUnauthorized && de.Header.Get("WWW-Authenticate") == "" {
			c := *de // the caller's value may be shared; it is not changed
			c.Header = de.Header.Clone()
			return c.SetHeader("WWW-Authenticate", a.challenge("", "", a.opts.Scope))
		}
		return de
	}
	return a.challengeError(&AuthError{Err: err}, "invalid_token", msgNotValid)
}

// The message keys of the default details (see errdoc.Message).
const (
	msgNotValid   = "auth.not_valid"
	msgNotAllowed = "auth.not_allowed"
)

func (a *auth) authzError(err error) *errdoc.Error {
	var de *errdoc.Error
	var ae *AuthError
	switch {
	case errors.As(err, &ae):
		return a.challengeError(ae, "insufficient_scope", msgNotAllowed)
	case errors.As(err, &de):
		return de
	}
	return errdoc.New(http.StatusForbidden, "").WithMessage(msgNotAllowed).WithCause(err)
}

// challengeError is the document of an *AuthError with its challenge;
// code and the message genericKey stand in for its empty Code and
// Description. A Description is the application's text, rendered as it is.
func (a *auth) challengeError(ae *AuthError, code, genericKey string) *errdoc.Error {
	if ae.Code != "" {
		code = ae.Code
	}
	status := http.StatusUnauthorized
	switch code {
	case "invalid_request":
		status = http.StatusBadRequest
	case "insufficient_scope":
		status = http.StatusForbidden
	}
	scope := ae.Scope
	if scope == "" {
		scope = a.opts.Scope
	}
	e := errdoc.New(status, ae.Description).WithCause(ae)
	if ae.Description == "" {
		e.WithMessage(genericKey)
	}
	return e.SetHeader("WWW-Authenticate", a.challenge(code, ae.Description, scope))
}

// challenge builds the WWW-Authenticate value: the scheme and realm, then
// error, error_description and scope when set.
func (a *auth) challenge(code, description, scope string) string {
	var b strings.Builder
	b.WriteString(a.prefix)
	sep := " "
	if a.opts.Realm != "" {
		sep = ", "
	}
	add := func(name, value string) {
		if a.bearer {
			value = cleanBearer(value, name == "scope")
		} else {
			value = cleanQuoted(value)
		}
		if value == "" {
			return
		}
		b.WriteString(sep)
		b.WriteString(authParam(name, value))
		sep = ", "
	}
	if code != "" {
		add("error", code)
	}
	if description != "" {
		add("error_description", description)
	}
	if scope != "" {
		add("scope", scope)
	}
	return b.String()
}

// authParam formats name="value" as a quoted-string (RFC 9110 section
// 5.6.4): quotes and backslashes escaped.
func authParam(name, value string) string {
	var b strings.Builder
	b.Grow(len(name) + len(value) + 3)
	b.WriteString(name)
	b.WriteString(`="`)
	for i := 0; i < len(value); i++ {
		if value[i] == '"' || value[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(value[i])
	}
	b.WriteByte('"')
	return b.String()
}

// cleanQuoted drops what a quoted-string cannot carry in a header: control
// characters and non-ASCII bytes.
func cleanQuoted(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
}

// cleanBearer keeps the characters RFC 6750 section 3 allows in
// error_description (%x20-21 / %x23-5B / %x5D-7E) or, for scope, in its
// space-separated scope tokens (no space inside a token; runs of spaces
// collapse).
func cleanBearer(s string, scope bool) string {
	out := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, s)
	if scope {
		out = strings.Join(strings.Fields(out), " ")
	}
	return out
}

// BearerToken returns the token of an "Authorization: Bearer <token>"
// header (the scheme in any case, RFC 6750 section 2.1), and false when
// there is none or it is not a token68.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const scheme = "bearer "
	if len(h) <= len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return "", false
	}
	tok := strings.TrimLeft(h[len(scheme):], " ")
	if !isToken68(tok) {
		return "", false
	}
	return tok, true
}

// isToken68 reports whether s is an RFC 9110 token68.
func isToken68(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' {
			continue
		}
		break
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}
