// Package demo is the demo API of this module: a chi router over a small
// in-memory store of items, with the whole faultline stack mounted per route
// group. examples/server serves it and examples/docgen prints its
// response-code page.
//
// Usage:
//
//	h := demo.NewRouter(demo.Config{DocsURL: "http://127.0.0.1:8080/docs/errors"})
//	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: h}
//	log.Fatal(srv.ListenAndServe())
package demo
