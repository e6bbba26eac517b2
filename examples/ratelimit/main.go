// Command ratelimit mounts ratelimit three ways: router-wide, on a route
// group, and around a plain http.Handler without chi. With -redis, every
// instance started with the same address shares the limits.
//
//	go run ./examples/ratelimit -addr 127.0.0.1:8083 -redis localhost:6379 &
//	go run ./examples/ratelimit -addr 127.0.0.1:8084 -redis localhost:6379 &
//	for p in 8083 8084 8083 8084; do curl -s -o /dev/null -w '%{http_code}\n' localhost:$p/search; done  # 200 x3, then 429
//	curl -i localhost:8083/items       # RateLimit: "client";r=...
//	curl -i localhost:8083/std/export  # 200 twice an hour, then 429
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/ratelimit/rediscounter"
	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8083", "listen address")
	redisAddr := flag.String("redis", "", "Redis address the instances share (say localhost:6379); empty counts in this process")
	flag.Parse()
	if err := run(*addr, *redisAddr); err != nil {
		slog.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, redisAddr string) error {
	var counter ratelimit.Counter = ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})
	if redisAddr != "" {
		shared, rdb, err := newRedisCounter(redisAddr, 100*time.Millisecond)
		if err != nil {
			return err
		}
		defer rdb.Close()
		counter = shared
	}
	h, err := newHandler(counter)
	if err != nil {
		return err
	}
	// Listen before saying so: a port in use is an error, not a log line
	// that claims otherwise.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+ln.Addr().String(), "redis", redisAddr)
	return srv.Serve(ln)
}

// newRedisCounter returns the counter every instance of the service shares
// on the Redis at addr. Each call is bounded by timeout; while Redis is down,
// requests fail at once (no dial or command retries) and the limiters'
// FailurePolicy decides.
func newRedisCounter(addr string, timeout time.Duration) (*rediscounter.RedisCounter, *redis.Client, error) {
	rdb := redis.NewClient(rediscounter.FailFastRedisOptions(addr, timeout))
	shared, err := rediscounter.NewRedisCounter(rdb, rediscounter.RedisOptions{
		Prefix:  "example-api:ratelimit:", // one per service sharing the Redis
		Timeout: timeout,
	})
	if err != nil {
		_ = rdb.Close()
		return nil, nil, err
	}
	return shared, rdb, nil
}

// newHandler serves the chi router, and under /std/ the plain handler.
func newHandler(counter ratelimit.Counter) (http.Handler, error) {
	// Every limiter counts on counter, each under its own name.
	perClient, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "client", Limit: 100, Window: time.Minute, Counter: counter, // keyed by client IP
	})
	if err != nil {
		return nil, err
	}
	search, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "search", Limit: 3, Window: time.Minute, Counter: counter,
		Key: ratelimit.Keys(ratelimit.KeyByIP, ratelimit.KeyByRoute), // per client and route
	})
	if err != nil {
		return nil, err
	}
	exports, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "export", Limit: 2, Window: time.Hour, Counter: counter,
	})
	if err != nil {
		return nil, err
	}
	rd := errdoc.NewRenderer(errdoc.Options{})

	// Router-wide: 100 requests a minute per client over the whole API.
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Use(perClient.Handler)
	r.Get("/items", reply("items"))

	// Per route group: 3 searches a minute per client and route.
	r.Group(func(r chi.Router) {
		r.Use(search.Handler)
		r.Get("/search", reply("results"))
	})

	// Around a plain http.Handler, without chi: 2 exports an hour per client.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export", reply("export"))
	plain := rd.Handler(exports.Handler(mux))

	// One address for both: the chi router, and the plain handler under /std/.
	top := http.NewServeMux()
	top.Handle("/", r)
	top.Handle("/std/", http.StripPrefix("/std", plain))
	return top, nil
}

func reply(what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, what)
	}
}
