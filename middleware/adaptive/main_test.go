package adaptive_test

import (
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine or a wait behind: waiters, their timers and
// servers are all finished before a test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
