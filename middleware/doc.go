// Package middleware holds the chi-compatible handlers and middlewares that
// turn routing and request failures into errdoc documents: unknown routes
// (404) and methods (405, with an Allow header computed from the router).
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	middleware.Routing(r) // 404 and 405 as error documents
package middleware
