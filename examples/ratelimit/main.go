// Command ratelimit mounts ratelimit three ways: router-wide, on a route
// group, and around a plain http.Handler without chi. With -redis, every
// instance started with the same address shares the limits.
//
//	go run ./examples/ratelimit -addr 127.0.0.1:8080 -redis localhost:6379 &
//	go run ./examples/ratelimit -addr 127.0.0.1:8081 -redis localhost:6379 &
//	for p in 8080 8081 8080 8081; do curl -s -o /dev/null -w '%{http_code}\n' localhost:$p/search; done  # 200 x3, then 429
//	curl -i localhost:8080/items       # RateLimit: "client";r=...
//	curl -i localhost:8080/std/export  # 200 twice an hour, then 429
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
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
		rdb := redis.NewClient(ratelimit.FailFastRedisOptions(redisAddr, 100*time.Millisecond))
		defer rdb.Close()
		shared, err := ratelimit.NewRedisCounter(rdb, ratelimit.RedisOptions{Prefix: "example-api:ratelimit:"})
		if err != nil {
			return err
		}
		counter = shared
	}
	h, err := newHandler(counter)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+addr, "redis", redisAddr)
	return srv.ListenAndServe()
}

// newHandler serves the chi router, and under /std/ the plain handler. Every
// limiter counts on counter, each under its own name.
func newHandler(counter ratelimit.Counter) (http.Handler, error) {
	// Router-wide: 100 requests a minute per client IP over the whole API.
	perClient, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "client", Limit: 100, Window: time.Minute, Counter: counter,
	})
	if err != nil {
		return nil, err
	}
	// Per route group: 3 searches a minute per client IP and route.
	search, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "search", Limit: 3, Window: time.Minute, Counter: counter,
		Key: ratelimit.Keys(ratelimit.KeyByIP, ratelimit.KeyByRoute),
	})
	if err != nil {
		return nil, err
	}
	// Around a plain handler: 2 exports an hour per client IP.
	exports, err := ratelimit.NewLimiter(ratelimit.Options{
		Name: "export", Limit: 2, Window: time.Hour, Counter: counter,
	})
	if err != nil {
		return nil, err
	}

	rd := errdoc.NewRenderer(errdoc.Options{})

	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Use(perClient.Handler)
	r.Get("/items", reply("items"))
	r.Group(func(r chi.Router) {
		r.Use(search.Handler)
		r.Get("/search", reply("results"))
	})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /export", reply("export"))
	plain := rd.Handler(exports.Handler(mux)) // no chi involved

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
