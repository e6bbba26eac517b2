package jsonbody_test

import (
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine behind: body deadlines and servers are all
// finished before a test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
