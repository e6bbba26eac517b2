// Package rediscounter is the ratelimit.Counter shared by every instance of
// a service on one Redis: limiters with the same Name, limit and window
// count into one budget whichever instance serves the request, placed in
// time by Redis's clock. It is a package of its own, beside ratelimit, so
// that github.com/redis/go-redis/v9 is linked only into programs that
// import it.
//
// Usage (go-redis's package is also named redis, this one is not):
//
//	rdb := redis.NewClient(rediscounter.FailFastRedisOptions("localhost:6379", 100*time.Millisecond))
//	shared, err := rediscounter.NewRedisCounter(rdb, rediscounter.RedisOptions{Prefix: "search-api:ratelimit:"})
//	limiter, err := ratelimit.NewLimiter(ratelimit.Options{Limit: 100, Window: time.Minute, Counter: shared})
//
// One atomic Lua script per request checks and counts in a single round
// trip. A RedisCounter is shared exactly while Redis answers. While Redis
// is slow or down, a request whose call fails is not counted: the
// limiter's ratelimit.FailOpen (the default) admits it,
// ratelimit.FailClosed refuses it with 503 and Retry-After. Once a call
// fails, the counter fails every request at once without calling Redis and
// probes it each RetryInterval (50ms), so an outage costs no request its
// timeout and counting resumes within about 50ms of Redis answering again.
// Create the client with FailFastRedisOptions, which turn off go-redis's
// dial and command retries.
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
package rediscounter
