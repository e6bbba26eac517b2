// Package ratelimit answers requests over a rate limit with 429 Too Many
// Requests (or Twitter's legacy 420 Enhance Your Calm) rendered as errdoc
// documents, per router or route group, on one node or many.
//
// Usage:
//
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	r.With(ratelimit.New(100, time.Minute)).Get("/search", search)
//	r.With(ratelimit.Legacy(180, 15*time.Minute)).Get("/1/trends.json", trends)
//
// It uses go-chi/httprate's sliding-window rule, and goes around httprate's
// RateLimiter, whose one mutex is held across every counter call: the
// in-memory counter is sharded and bounded (16 bytes a key), and the Redis
// counter (package rediscounter) checks and counts in one atomic Lua script
// per request.
//
// # Headers
//
// Every counted answer carries the IETF RateLimit and RateLimit-Policy
// fields; refusals add Retry-After, the exact whole seconds until a request
// would be admitted. X-RateLimit-Limit/Remaining/Reset, which older clients
// read, are sent when Options.EnableHeaders asks for XRateLimitHeaders:
// they repeat the IETF fields, and each header costs every response its
// map entry and line. Each family can be switched off
// (Options.DisableHeaders). Values are built once a second and shared by
// the clients at one remaining count, not built per request.
//
// # Limiters never share counts
//
// Each limiter counts under its own namespace: Options.Name, or for an
// unnamed limiter one derived from its limit and window. Any number of
// limiters can share one Counter (one MemoryCounter, one Redis) without
// seeing each other's counts, and the instances of one service, built
// alike, share theirs on one Redis. NewLimiter refuses (ErrNamespaceConflict)
// a limiter its Counter could not tell apart from one it already serves:
// two unnamed limiters with the same limit and window, or one Name with two
// policies. Give each service sharing a Redis its own
// rediscounter.RedisOptions.Prefix.
//
// # Keys a client cannot mint
//
// Clients are keyed by TCP peer by default (KeyByIP; IPv6 by /64, or the
// prefix of KeyByIPPrefix): forwarding headers are trusted only through
// chi's middleware.ClientIPFrom*. KeyByAPIKey counts only the API keys your
// lookup recognises and everything else by IP; KeyByRoute keys by the
// route pattern chi matches, even under r.Use. These, and KeyByUser behind
// your authentication, are safe for unauthenticated traffic; a key made of
// whatever the client sends is not (see KeyFunc). Made-up keys cost little
// anyway: MemoryOptions.MaxKeys bounds memory, and Redis entries have a
// fixed size, are written only when a request is admitted and expire within
// two windows.
//
// # Redis
//
// Package rediscounter (github.com/faultline-go/faultline/ratelimit/rediscounter)
// holds the Counter shared exactly by every instance while Redis answers;
// it is a package of its own so that go-redis is linked only into programs
// that count on Redis. While Redis is slow or down, a request whose call
// fails is not counted: FailOpen (the default) admits it, FailClosed
// refuses it with 503 and Retry-After; either way the failure is reported
// (Options.OnCounterError, else the log at most once a second) and not
// logged again by the errdoc renderer:
//
//	rdb := redis.NewClient(rediscounter.FailFastRedisOptions("localhost:6379", 100*time.Millisecond))
//	shared, err := rediscounter.NewRedisCounter(rdb, rediscounter.RedisOptions{Prefix: "search-api:ratelimit:"})
//
// # Dependencies
//
// This package imports chi and errdoc only. It uses go-chi/httprate's
// sliding-window rule and accepts its key functions and counters
// (KeyFunc, NewLimitCounter) without importing it.
package ratelimit
