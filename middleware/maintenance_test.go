package middleware_test

import (
	"github.com/faultline-go/faultline/internal/logbuf"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaintenancePerRouteGroup(t *testing.T) {
	reports := middleware.NewMaintenance(middleware.MaintenanceOptions{
		RetryAfter: 90 * time.Second,
		Detail:     "Reports are being rebuilt until 03:00 UTC.",
		Bypass:     func(r *http.Request) bool { return r.Header.Get("X-Operator") == "yes" },
	})
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.With(reports.Handler).Get("/reports", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	r.Get("/items", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

	do := func(path string, operator bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if operator {
			req.Header.Set("X-Operator", "yes")
		}
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec
	}
	assert.False(t, reports.Enabled())
	assert.Equal(t, http.StatusNoContent, do("/reports", false).Code)

	reports.Enable()
	assert.True(t, reports.Enabled())
	rec := do("/reports", false)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "90", rec.Header().Get("Retry-After"))
	assert.Contains(t, rec.Body.String(), `"detail":"Reports are being rebuilt until 03:00 UTC."`)
	assert.Equal(t, http.StatusNoContent, do("/items", false).Code, "another group is not affected")
	assert.Equal(t, http.StatusNoContent, do("/reports", true).Code, "Bypass lets operators through")

	reports.Disable()
	assert.Equal(t, http.StatusNoContent, do("/reports", false).Code)
}

func TestMaintenanceEnableUntilCountsDown(t *testing.T) {
	var now atomic.Pointer[time.Time]
	t0 := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	now.Store(&t0)
	m := middleware.NewMaintenance(middleware.MaintenanceOptions{Now: func() time.Time { return *now.Load() }})
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	m.EnableUntil(t0.Add(10*time.Minute + 500*time.Millisecond))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "601", rec.Header().Get("Retry-After"))
	assert.Contains(t, rec.Body.String(), "down for maintenance")

	later := t0.Add(11 * time.Minute)
	now.Store(&later)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusNoContent, rec.Code, "the switch turns itself off at the end")
	assert.False(t, m.Enabled())
}

// Toggling while requests flow: every answer is a 204 or a complete 503
// with Retry-After, and the race detector sees no shared state.
func TestMaintenanceToggleUnderLoad(t *testing.T) {
	m := middleware.NewMaintenance(middleware.MaintenanceOptions{})
	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	stop := make(chan struct{})
	var toggler sync.WaitGroup
	toggler.Add(1)
	go func() {
		defer toggler.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				m.Enable()
			} else {
				m.Disable()
			}
		}
	}()
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				switch {
				case rec.Code == http.StatusNoContent:
				case rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "300":
				default:
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	toggler.Wait()
	require.Zero(t, bad.Load())
}

func TestMaintenanceRejectsNegativeRetryAfter(t *testing.T) {
	assert.Panics(t, func() { middleware.NewMaintenance(middleware.MaintenanceOptions{RetryAfter: -time.Second}) })
}

// A group in maintenance refuses every request, deliberately: the
// refusals are observed (countable) but not logged as failures.
func TestMaintenanceIsObservedNotLogged(t *testing.T) {
	var logs logbuf.Buffer
	var observed []error
	rd := errdoc.NewRenderer(errdoc.Options{
		Logger:  slog.New(slog.NewJSONHandler(&logs, nil)),
		Observe: func(o errdoc.Observation) { observed = append(observed, o.Cause) },
	})
	m := middleware.NewMaintenance(middleware.MaintenanceOptions{RetryAfter: time.Minute})
	m.Enable()
	h := rd.Handler(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	for range 3 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	}
	require.Len(t, observed, 3)
	assert.ErrorIs(t, observed[0], middleware.ErrMaintenance)
	assert.Empty(t, logs.String(), "no ERROR record per refused request")
}
