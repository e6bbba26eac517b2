package ratelimit_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Must 1 in memory: limiters built alike on one MemoryCounter, with every
// option they can leave zero left zero.
func TestLimitersNeverShareCounts(t *testing.T) {
	c := ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})
	r := chi.NewRouter()
	r.With(limiter(t, ratelimit.Options{Limit: 100, Window: time.Minute, Counter: c})).Get("/search", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, Counter: c})).Get("/login", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 3, Window: time.Minute, Counter: c})).Get("/burst", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 1000, Window: time.Hour, Counter: c})).Get("/hourly", okHandler)
	for i := 0; i < 10; i++ {
		require.Equal(t, 200, serveRouter(r, "/search").Code)
	}
	assert.Equal(t, 200, serveRouter(r, "/login").Code, "a fresh limiter has its whole budget")
	burst, hourly := 0, 0
	for i := 0; i < 30; i++ {
		if serveRouter(r, "/burst").Code == 200 {
			burst++
		}
		if serveRouter(r, "/hourly").Code == 200 {
			hourly++
		}
	}
	assert.Equal(t, 3, burst, "3/min admits 3 of 30 interleaved with a 1000/h limiter")
	assert.Equal(t, 30, hourly, "and the 1000/h limiter is not over-limited by it")
}

func TestNamespaceClaims(t *testing.T) {
	type lim struct {
		name   string
		limit  int
		window time.Duration
	}
	for _, tc := range []struct {
		name     string
		first    lim
		second   lim
		conflict bool
	}{
		{"unnamed, same limit and window", lim{"", 100, time.Minute}, lim{"", 100, time.Minute}, true},
		{"unnamed, other limit", lim{"", 100, time.Minute}, lim{"", 5, time.Minute}, false},
		{"unnamed, other window", lim{"", 100, time.Minute}, lim{"", 100, time.Hour}, false},
		{"one name, other limit", lim{"search", 100, time.Minute}, lim{"search", 5, time.Minute}, true},
		{"one name, other window", lim{"search", 100, time.Minute}, lim{"search", 100, time.Hour}, true},
		{"one name, one policy: shared on purpose", lim{"search", 100, time.Minute}, lim{"search", 100, time.Minute}, false},
		{"two names", lim{"search", 100, time.Minute}, lim{"login", 100, time.Minute}, false},
		{"a name beside an unnamed limiter", lim{"search", 100, time.Minute}, lim{"", 100, time.Minute}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})
			_, err := ratelimit.NewLimiter(ratelimit.Options{Name: tc.first.name, Limit: tc.first.limit, Window: tc.first.window, Counter: c})
			require.NoError(t, err)
			_, err = ratelimit.NewLimiter(ratelimit.Options{Name: tc.second.name, Limit: tc.second.limit, Window: tc.second.window, Counter: c})
			if tc.conflict {
				assert.ErrorIs(t, err, ratelimit.ErrNamespaceConflict)
			} else {
				assert.NoError(t, err)
			}
			// On a counter of its own, any limiter is fine.
			_, err = ratelimit.NewLimiter(ratelimit.Options{Name: tc.second.name, Limit: tc.second.limit, Window: tc.second.window})
			assert.NoError(t, err)
		})
	}
}

// One Name with one policy, mounted twice, is one budget: the way to share
// a limit between routes on purpose.
func TestOneNameSharesOnPurpose(t *testing.T) {
	c := ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})
	r := chi.NewRouter()
	r.With(limiter(t, ratelimit.Options{Name: "writes", Limit: 2, Window: time.Minute, Counter: c})).Post("/a", okHandler)
	r.With(limiter(t, ratelimit.Options{Name: "writes", Limit: 2, Window: time.Minute, Counter: c})).Post("/b", okHandler)
	post := func(path string) int {
		rec := serveMethod(r, http.MethodPost, path)
		return rec.Code
	}
	assert.Equal(t, 200, post("/a"))
	assert.Equal(t, 200, post("/b"))
	assert.Equal(t, 429, post("/a"))
	assert.Equal(t, 429, post("/b"))
}

// Two processes of one service are two Counter values on one store: the
// same derived namespaces, one budget (TestTwoInstancesShareOneLimit runs
// it on Redis); here, the policies they derive agree.
func TestUnnamedPoliciesAreDeterministic(t *testing.T) {
	var got []ratelimit.Policy
	rec := recordingCounter{claimed: &got}
	for i := 0; i < 2; i++ {
		_, err := ratelimit.NewLimiter(ratelimit.Options{Limit: 100, Window: time.Minute, Counter: rec})
		require.NoError(t, err)
	}
	require.Len(t, got, 2)
	assert.Equal(t, got[0], got[1])
	assert.Equal(t, "~100/1m0s", got[0].Namespace)
	assert.False(t, got[0].Named)
}

type recordingCounter struct {
	ratelimit.Counter
	claimed *[]ratelimit.Policy
}

func (r recordingCounter) Claim(p ratelimit.Policy) error {
	*r.claimed = append(*r.claimed, p)
	return nil
}
