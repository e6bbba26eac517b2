package rediscounter_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/ratelimit/rediscounter"
)

func ExampleNewRedisCounter() {
	// Settings that fail at once while Redis is down: one dial attempt, no
	// command retries, every call bounded by the limiter's timeout.
	rdb := redis.NewClient(rediscounter.FailFastRedisOptions("localhost:6379", 100*time.Millisecond))
	defer rdb.Close()
	shared, err := rediscounter.NewRedisCounter(rdb, rediscounter.RedisOptions{Prefix: "search-api:ratelimit:"})
	if err != nil {
		panic(err)
	}
	// Two limiters on one counter, each under its own namespace.
	search, _ := ratelimit.NewLimiter(ratelimit.Options{Limit: 100, Window: time.Minute, Counter: shared})
	login, _ := ratelimit.NewLimiter(ratelimit.Options{Name: "login", Limit: 5, Window: time.Minute, Counter: shared})
	// A second unnamed 100 a minute on the same counter could not be told
	// apart from the first.
	_, err = ratelimit.NewLimiter(ratelimit.Options{Limit: 100, Window: time.Minute, Counter: shared})
	fmt.Println(errors.Is(err, ratelimit.ErrNamespaceConflict))
	fmt.Println(shared.RedisKey(search.Namespace(), "192.0.2.1"))
	fmt.Println(shared.RedisKey(login.Namespace(), "192.0.2.1"))
	// Output:
	// true
	// search-api:ratelimit:v1|~100/1m0s|192.0.2.1
	// search-api:ratelimit:v1|login|192.0.2.1
}
