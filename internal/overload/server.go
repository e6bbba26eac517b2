package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// backend is the test server of known capacity: workers requests at a
// time (its bounded resource, say a database pool) each take service; the
// others wait for a worker, in arrival order, for as long as their
// requests last, as a connection pool's callers do. Its capacity is
// workers/service requests a second; setService changes it mid-run.
type backend struct {
	pool     chan struct{}
	service  atomic.Int64 // time.Duration
	inflight atomic.Int64 // requests inside, waiting or served
}

func newBackend(workers int, service time.Duration) *backend {
	b := &backend{pool: make(chan struct{}, workers)}
	b.service.Store(int64(service))
	return b
}

func (b *backend) setService(d time.Duration) { b.service.Store(int64(d)) }

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.inflight.Add(1)
	defer b.inflight.Add(-1)
	ctx := r.Context()
	select {
	case b.pool <- struct{}{}:
	case <-ctx.Done():
		return // the client left while the request waited for a worker
	}
	defer func() { <-b.pool }()
	t := time.NewTimer(time.Duration(b.service.Load()))
	defer t.Stop()
	select {
	case <-t.C:
		w.WriteHeader(http.StatusOK)
	case <-ctx.Done():
		// The client left mid-service; the work is lost, as a cancelled
		// query's is.
	}
}

// drain waits until no request is inside, or max has passed.
func (b *backend) drain(max time.Duration) {
	deadline := time.Now().Add(max)
	for b.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// protocols is cleartext HTTP/2 (h2c) only: a request the client gives up
// on resets its stream instead of closing a connection, so an overload of
// timeouts does not churn through the machine's ports.
func protocols() *http.Protocols {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &p
}

// newH2CServer serves h over h2c on a loopback port.
func newH2CServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.Protocols = protocols()
	srv.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: 1 << 14}
	srv.Start()
	return srv
}

// newClient returns the load's client: h2c, as many connections as it
// needs, no timeout of its own (each request carries its deadline).
func newClient() *http.Client {
	tr := &http.Transport{
		Protocols:           protocols(),
		MaxIdleConnsPerHost: 64,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		HTTP2:               &http.HTTP2Config{MaxConcurrentStreams: 1 << 14},
	}
	return &http.Client{Transport: tr}
}
