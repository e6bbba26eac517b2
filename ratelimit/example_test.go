package ratelimit_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
)

func Example() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(ratelimit.New(2, time.Minute)).Get("/v1/limited", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	})

	for i := 0; i < 3; i++ {
		req := httptest.NewRequest(http.MethodGet, "/v1/limited", nil)
		req.RemoteAddr = "192.0.2.10:5000"
		req.Header.Set("X-Request-ID", fmt.Sprint("req-", i))
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		// RateLimit ends with ;t=, the seconds until the quota is restored.
		remaining, _, _ := strings.Cut(rec.Header().Get("RateLimit"), ";t=")
		fmt.Println(rec.Code, rec.Header().Get("RateLimit-Policy"), remaining)
	}
	// Output:
	// 200 "default";q=2;w=60 "default";r=1
	// 200 "default";q=2;w=60 "default";r=0
	// 429 "default";q=2;w=60 "default";r=0
}

var accounts = map[string]string{"k-4f9c...": "acme"}

func ExampleNewLimiter() {
	limiter, err := ratelimit.NewLimiter(ratelimit.Options{
		Limit:  1000,
		Window: time.Hour,
		Name:   "api-key",
		Key: ratelimit.KeyByAPIKey("X-API-Key", func(_ context.Context, key string) (string, bool, error) {
			account, ok := accounts[key] // only keys you issued count as keys
			return account, ok, nil
		}), // anything else is counted by client IP
		OnFailure: ratelimit.FailClosed, // for a shared Counter that can fail
	})
	if err != nil {
		panic(err) // start-up configuration
	}
	r := chi.NewRouter()
	r.Use(limiter.Handler)
	fmt.Println("configured")
	// Output: configured
}
