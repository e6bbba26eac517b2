// Package stack builds the routers that the whole-stack measurements
// compare: faultline's layers of the README's stack (errdoc.Renderer.Handler,
// recoverer.New, middleware.Routing, a ratelimit limiter on the route and an
// errdoc.HandlerFunc), a bare chi router serving the same routes by hand,
// and that bare router with chi's own middleware (ChiRequestID, and
// ChiMiddleware: RequestID, Recoverer and httprate).
//
// BenchmarkStack200, BenchmarkStack404Record and BenchmarkStack404Route
// compare them in-process (make bench pairs ours with each); make load
// serves them on loopback ports and drives them with wrk.
//
// Usage:
//
//	ours := stack.New(stack.Options{})  // the README stack
//	bare := stack.Bare()                 // chi and encoding/json, nothing else
//	kit := stack.ChiMiddleware(stack.Options{}) // bare with chi's own middleware
//	http.ListenAndServe("127.0.0.1:8080", ours)
package stack
