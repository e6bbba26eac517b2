//go:build race

package ratelimit_test

// raceEnabled: the race detector slows the million-key fills tenfold.
const raceEnabled = true
