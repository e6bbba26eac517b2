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
// It uses go-chi/httprate's sliding-window rule and KeyFunc type, and goes
// around httprate's RateLimiter, whose one mutex is held across every
// counter call: the in-memory counter is sharded and bounded (16 bytes a
// key), and the Redis counter checks and counts in one atomic Lua script
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
// policies. Give each service sharing a Redis its own RedisOptions.Prefix.
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
// A RedisCounter is shared exactly by every instance while Redis answers.
// While Redis is slow or down, a request whose call fails is not counted:
// FailOpen (the default) admits it, FailClosed refuses it with 503 and
// Retry-After; either way the failure is reported (Options.OnCounterError,
// else the log at most once a second) and not logged again by the errdoc
// renderer. Once a call fails, the counter fails every request at once
// without calling Redis and probes it each RetryInterval (50ms), so an
// outage costs no request its timeout and counting resumes within about
// 50ms of Redis answering again. Create the client with
// FailFastRedisOptions, which turn off go-redis's dial and command retries:
//
//	rdb := redis.NewClient(ratelimit.FailFastRedisOptions("localhost:6379", 100*time.Millisecond))
//	shared, err := ratelimit.NewRedisCounter(rdb, ratelimit.RedisOptions{Prefix: "search-api:ratelimit:"})
//
// The Redis key layout is versioned (RedisKeyVersion) and documented on
// RedisCounter.
//
// Every Redis call, probes included, runs on the request's own goroutine
// and ends with its context: nothing of the package outlives a request. A
// call that the request's deadline cuts while Redis still owes its reply
// leaves no stale reply behind, since go-redis closes that connection
// instead of returning it to its pool (TestRedisCutCallLeavesNoStaleReply),
// and it does not mark Redis down.
package ratelimit
