package ratelimit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-chi/httprate"
	"github.com/stretchr/testify/assert"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
)

// httprate's own in-memory counter is an HTTPRateCounter: any
// httprate.LimitCounter adapts, although this package does not import
// httprate.
func TestLimitCounterAdapter(t *testing.T) {
	c := ratelimit.NewLimitCounter(httprate.NewLocalLimitCounter(time.Hour))
	h := limiter(t, ratelimit.Options{Limit: 50, Window: time.Hour, Counter: c})(okHandler)
	admitted, _ := hammer(t, 16, 10, h)
	assert.Equal(t, 50, admitted)
	assert.True(t, strings.HasPrefix(testsrv.Serve(h, "192.0.2.1:1").Header().Get("RateLimit"), `"default";r=0;`))

	other := limiter(t, ratelimit.Options{Limit: 5, Window: time.Hour, Counter: c})(okHandler)
	assert.Equal(t, 200, testsrv.Serve(other, "192.0.2.1:1").Code, "a second limiter on the adapter has its own counts")
	_, err := ratelimit.NewLimiter(ratelimit.Options{Limit: 5, Window: time.Minute, Name: "m", Counter: c})
	assert.ErrorIs(t, err, ratelimit.ErrNamespaceConflict, "an httprate counter has one window")
}
