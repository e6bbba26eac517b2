package demo

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Over a real server (HTTP/1.1 and HTTP/2): with the group nearly full,
// batch work is refused with a 503 document and Retry-After while normal
// work is still admitted, and the limiter's snapshot (critical, never
// refused here) shows it.
func TestWorkRefusesBatchFirst(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			w := newWork()
			entered, release := make(chan struct{}, 64), make(chan struct{})
			w.hold = func(*http.Request) {
				entered <- struct{}{}
				<-release
			}
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Catalog: Catalog(), Logger: slog.New(slog.DiscardHandler)}).Handler)
			r.Route("/v1", w.mount)
			srv, c := testsrv.NewServer(t, proto, r)
			get := func(path string) *http.Response {
				resp, err := c.Get(srv.URL + path)
				require.NoError(t, err)
				return resp
			}

			// The limit starts at 20; batch work keeps a tenth of it free.
			var wg sync.WaitGroup
			var mu sync.Mutex
			var codes []int
			for range 18 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp := get("/v1/work")
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					codes = append(codes, resp.StatusCode)
					mu.Unlock()
				}()
				<-entered
			}

			resp := get("/v1/work/batch")
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
			assert.Contains(t, string(body), `"code":"service_unavailable"`)

			resp = get("/v1/work/limiter")
			var snap map[string]float64
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&snap))
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, 20.0, snap["limit"])
			assert.Equal(t, 19.0, snap["in_flight"], "the 18 held and the snapshot itself")
			assert.Equal(t, 1.0, snap["rejected"])

			wg.Add(1)
			go func() { // normal work is still admitted
				defer wg.Done()
				resp := get("/v1/work")
				resp.Body.Close()
				mu.Lock()
				codes = append(codes, resp.StatusCode)
				mu.Unlock()
			}()
			<-entered
			close(release)
			wg.Wait()
			assert.Len(t, codes, 19)
			for _, code := range codes {
				assert.Equal(t, http.StatusOK, code)
			}
			assert.Zero(t, w.lim.Snapshot().InFlight)
		})
	}
}

// The work itself holds one of the workers for the service time, and
// stops waiting for one when its client goes away.
func TestWorkHoldsAWorker(t *testing.T) {
	w := newWork()
	for range workWorkers {
		w.workers <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.serve((&http.Request{}).WithContext(ctx))
		close(done)
	}()
	cancel()
	<-done
	for range workWorkers {
		<-w.workers
	}
	w.serve(&http.Request{})
	assert.Empty(t, w.workers, "the worker is given back")
}
