package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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

// driveSlowAndFast sends slow+fast GETs through c from conc clients at
// once, every sixth to a slow ID ("slow0", "slow6", ...) and the rest to
// fast ones ("fast1", ...), at url(id). It reports through report a slow
// request not answered 504 and a fast one answered 200 with a body other
// than its ID, and returns how many responses the client saw broken: a
// fast handler that a loaded machine kept past its deadline after it had
// written has its response aborted, as Timeout documents; those are
// counted, not wrong reads.
func driveSlowAndFast(c *http.Client, url func(id string) string, slow, fast, conc int, report func(format string, args ...any)) (aborted int64) {
	var broken atomic.Int64
	ids := make(chan string)
	go func() {
		defer close(ids)
		for i := range slow + fast {
			if i%6 == 0 {
				ids <- fmt.Sprintf("slow%d", i)
			} else {
				ids <- fmt.Sprintf("fast%d", i)
			}
		}
	}()
	var clients sync.WaitGroup
	for range conc {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for id := range ids {
				resp, err := c.Get(url(id))
				if err != nil {
					broken.Add(1)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case strings.HasPrefix(id, "slow") && resp.StatusCode != http.StatusGatewayTimeout:
					report("%s answered %d", id, resp.StatusCode)
				case strings.HasPrefix(id, "fast") && resp.StatusCode == http.StatusOK && string(body) != id:
					report("%s read another's body %q", id, body)
				}
			}
		}()
	}
	clients.Wait()
	return broken.Load()
}
