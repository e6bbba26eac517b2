package middleware_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// waitEnded waits until n handlers have counted themselves in ended: the
// goroutines a Timeout leaves running after its 504, which a test must see
// end before it does (goleak, and a server closed under a running handler).
// 30 s is the bound of a machine too loaded to finish them.
func waitEnded(t testing.TB, ended *atomic.Int64, n int64) {
	t.Helper()
	for wait := time.Now(); ended.Load() < n; time.Sleep(time.Millisecond) {
		require.Less(t, time.Since(wait), 30*time.Second, "handlers still running: %d of %d ended", ended.Load(), n)
	}
}
