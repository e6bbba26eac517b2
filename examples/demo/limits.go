package demo

import (
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
)

// limits are the demo's rate-limited routes (DEMO.md rows 19, 20 and 30).
// They share one counter, as the limiters of a service on one Redis would:
// each limiter counts under its own namespace, so /v1/search and
// /1.1/search.json (the same 3 a minute) are two budgets because they have
// two Names. The demo is exposed directly: clients are keyed by TCP peer.
type limits struct {
	counter ratelimit.Counter
}

func newLimits() *limits {
	return &limits{counter: ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})}
}

func (l *limits) limiter(opts ratelimit.Options) *ratelimit.Limiter {
	opts.Counter = l.counter
	lim, err := ratelimit.NewLimiter(opts)
	if err != nil {
		panic(err) // the demo's own configuration
	}
	return lim
}

// mountV1 mounts /v1/limited (429 after 5 a minute) and /v1/search (420
// after 3 a minute) on the /v1 group.
func (l *limits) mountV1(r chi.Router) {
	r.With(l.limiter(ratelimit.Options{Limit: 5, Window: time.Minute}).Handler).Get("/limited", ok)
	r.With(l.limiter(ratelimit.Options{Name: "search", Limit: 3, Window: time.Minute, Legacy: true}).Handler).Get("/search", ok)
}

// mountLegacy mounts /search.json on the /1.1 group, whose renderer keeps
// Twitter's v1 shape: 420 after 3 a minute ({"errors":[{"code":88,...}]}).
func (l *limits) mountLegacy(r chi.Router) {
	lim := l.limiter(ratelimit.Options{Name: "search-1.1", Limit: 3, Window: time.Minute, Legacy: true})
	r.With(lim.Handler).Get("/search.json", ok)
}
