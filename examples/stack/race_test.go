//go:build race

package stack_test

// raceEnabled: under the race detector sync.Pool drops a quarter of what
// is put back, so allocation counts vary from run to run.
const raceEnabled = true
