package rediscounter

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// lateCtx is a request's context in the instant between its deadline and
// its timer marking it done: past the deadline, Err still nil.
type lateCtx struct{ context.Context }

func (lateCtx) Deadline() (time.Time, bool) { return time.Now().Add(-time.Millisecond), true }

// A call the request's own deadline cut does not mark Redis down, even
// when go-redis reports the socket's timeout before the context is done;
// a call that failed while the request still had time does.
func TestFailBlamesRedisOnlyForItsOwnFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		ctx  context.Context
		down bool
	}{
		{"request still running", context.Background(), true},
		{"request past its deadline, not yet done", lateCtx{context.Background()}, false},
		{"request done", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &RedisCounter{now: time.Now, retry: int64(time.Minute)}
			err := c.fail(tc.ctx, errors.New("read tcp: i/o timeout"))
			assert.ErrorContains(t, err, "i/o timeout")
			assert.Equal(t, tc.down, c.down.Load() != 0)
		})
	}
}
