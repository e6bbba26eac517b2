package recoverer_test

import "time"

// waitFor and tick bound the few waits on the server's goroutines, which
// finish after the client has seen the response.
const (
	waitFor = 5 * time.Second
	tick    = 5 * time.Millisecond
)
