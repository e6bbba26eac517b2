// Package middleware holds the chi-compatible handlers and middlewares that
// turn routing and request failures into errdoc documents.
//
// [Routing] answers what a router's routes do not take: HEAD on every GET
// route (the GET handler runs, net/http drops the body), 404 for a path no
// route matches, 405 with a truthful Allow header for a method the path does
// not serve, and 501 for a method no route of the router knows.
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	middleware.Routing(r) // after r.Use, before the routes
package middleware
