// Package ratelimit answers requests over a rate limit with 429 Too Many
// Requests (or Twitter's legacy 420 Enhance Your Calm) rendered as errdoc
// documents, per router or route group, on one node or many.
//
// It uses go-chi/httprate's sliding-window rule, key functions and
// LimitCounter interface, and goes around httprate's RateLimiter, whose one
// mutex is held across every counter call: the in-memory counter is sharded
// and bounded, and the Redis counter checks and counts in one atomic Lua
// script per request, so that any number of instances share one limit
// exactly without a lock in the process.
//
// Every answer carries Retry-After (the exact whole seconds until a request
// would be admitted, from the window's state), the IETF RateLimit and
// RateLimit-Policy fields, and X-RateLimit-Limit/Remaining/Reset; each family
// can be switched off. Clients are keyed by TCP peer by default: forwarding
// headers are trusted only through chi's middleware.ClientIPFrom*.
//
// Usage:
//
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	r.With(ratelimit.New(100, time.Minute)).Get("/search", search)
//	r.With(ratelimit.Legacy(180, 15*time.Minute)).Get("/1/trends.json", trends)
package ratelimit
