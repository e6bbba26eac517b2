package demo

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/go-chi/chi/v5"
)

// newItem is the body of POST /v1/items. Quantity is a pointer so that a
// missing quantity is told apart from zero.
type newItem struct {
	Name     string `json:"name" validate:"required,max=100"`
	Quantity *int   `json:"quantity" validate:"required,gte=0"`
}

type roleKey struct{}

// mountRequests adds the request-side rows of the demo (8-13, 21-23) to the
// /v1 group. The group's Accept check (row 14) is NewRouter's, since chi
// takes a group's middlewares before its routes.
func (a *api) mountRequests(r chi.Router) {
	// Rows 8-13: bodies are JSON of at most 1 MiB arriving within 10 s,
	// unknown members refused. The target of the POST is the list: its
	// If-Match and If-Unmodified-Since (and If-None-Match: *) hold before
	// anything else, against the ETag a GET of the list carries (RFC 9110
	// section 13.1), which Current computes only for a conditional request.
	listState := middleware.ConditionalWithOptions(middleware.ConditionalOptions{
		Current: func(*http.Request) (middleware.Validators, bool) {
			return middleware.Validators{ETag: jsonETag(a.store.List())}, true
		},
	})
	r.With(listState, jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 1 << 20, BodyTimeout: 10 * time.Second})).Post("/items", a.createItem)

	// Rows 21-22: bearer tokens; deleting needs the admin role.
	authn := middleware.Auth(middleware.AuthOptions{Realm: "faultline-demo", Authenticate: authenticate})
	r.With(authn).Get("/private", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "role": roleOf(r)})
	})
	adminOnly := middleware.Auth(middleware.AuthOptions{Realm: "faultline-demo", Scope: "items:delete", Authorize: requireAdmin})
	r.With(authn, adminOnly).Delete("/items/{id}", a.deleteItem)

	// Row 23: retired, with its sunset date and successor.
	r.With(middleware.Retired(middleware.Lifecycle{
		Sunset:    time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC),
		Successor: "/v1/items",
		Docs:      "/docs/errors#gone",
	})).Get("/legacy", ok)
}

func (a *api) createItem(w http.ResponseWriter, r *http.Request) {
	in, err := jsonbody.Bind[newItem](r)
	if err != nil {
		errdoc.Write(w, r, err)
		return
	}
	it := a.store.Add(Item{Name: in.Name, Quantity: *in.Quantity})
	w.Header().Set("Location", "/v1/items/"+it.ID)
	writeJSON(w, http.StatusCreated, it)
}

func (a *api) deleteItem(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	// If-Match and If-Unmodified-Since hold before anything changes
	// (RFC 9110 section 13.1): against the ETag a GET of the item carries.
	it, exists := a.store.Get(id)
	var v middleware.Validators
	if exists {
		v.ETag = jsonETag(it)
	}
	if !middleware.CheckPreconditions(w, r, v, exists) {
		return
	}
	if !a.store.Delete(id) {
		errdoc.Write(w, r, recordNotFound(id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// authenticate accepts the demo's bearer tokens. A request without
// credentials for the Bearer scheme (none, or another scheme's) gets the
// bare challenge, without an error code (RFC 6750 section 3.1); a
// malformed Bearer credential is an invalid request.
func authenticate(r *http.Request) (*http.Request, error) {
	scheme, _, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, middleware.ErrNoCredentials
	}
	tok, ok := middleware.BearerToken(r)
	if !ok {
		return nil, &middleware.AuthError{Code: "invalid_request", Description: "Send the token as: Authorization: Bearer <token>."}
	}
	switch tok {
	case "reader", "admin": // the demo's tokens name their roles
		return r.WithContext(context.WithValue(r.Context(), roleKey{}, tok)), nil
	}
	return nil, &middleware.AuthError{Code: "invalid_token", Description: "The bearer token is not valid."}
}

func requireAdmin(r *http.Request) error {
	if roleOf(r) != "admin" {
		return &middleware.AuthError{Code: "insufficient_scope", Description: "Deleting items needs the admin role."}
	}
	return nil
}

func roleOf(r *http.Request) string {
	s, _ := r.Context().Value(roleKey{}).(string)
	return s
}
