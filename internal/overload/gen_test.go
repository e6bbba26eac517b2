package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The generator is open-loop: against a server that answers nothing until
// the load is over, it still sends every request, at its time. A
// closed-loop generator would stop at its concurrency.
func TestGeneratorIsOpenLoop(t *testing.T) {
	release := make(chan struct{})
	var arrived atomic.Int64
	srv := newH2CServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	client := newClient()
	defer client.CloseIdleConnections()

	var at1s atomic.Int64
	ld := load{segments: []segment{{rate: 400, dur: 2 * time.Second}}, deadline: 10 * time.Second}
	resc := make(chan []result, 1)
	go func() {
		resc <- fire(context.Background(), client, srv.URL, ld, 50*time.Millisecond, func(d time.Duration) {
			if d >= time.Second && at1s.Load() == 0 {
				at1s.Store(arrived.Load())
			}
		})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for arrived.Load() < 800 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.Equal(t, int64(800), arrived.Load(), "every request sent though none was answered")
	// The requests are paced, not sent at once: about half the schedule
	// had arrived at the one-second mark (the bound is wide: a busy
	// machine delays the generator, and catching up sends at once).
	assert.InDelta(t, 400, at1s.Load(), 300)
	close(release)
	res := <-resc
	assert.Len(t, res, 800)
	for i, r := range res {
		assert.Equal(t, http.StatusOK, r.status, "request %d", i)
		assert.Equal(t, time.Duration(float64(i)/400*float64(time.Second)), r.at)
	}
}

// A request past its deadline is a timeout, with its latency counted from
// the scheduled time.
func TestGeneratorCountsTimeouts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	res := fire(context.Background(), srv.Client(), srv.URL, load{segments: []segment{{rate: 20, dur: 200 * time.Millisecond}}, deadline: 50 * time.Millisecond}, time.Second, nil)
	assert.Len(t, res, 4)
	for _, r := range res {
		assert.True(t, r.timeout)
		assert.Zero(t, r.status)
		assert.GreaterOrEqual(t, r.latency, 50*time.Millisecond)
	}
}

func TestSchedule(t *testing.T) {
	ms := time.Millisecond
	ld := load{segments: []segment{{rate: 10, dur: 300 * ms}, {rate: 20, dur: 200 * ms}}}
	assert.Equal(t, []time.Duration{0, 100 * ms, 200 * ms, 300 * ms, 350 * ms, 400 * ms, 450 * ms}, ld.schedule())
}
