package rediscounter_test

import (
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine behind: Redis pools and servers are all
// stopped.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
