package demo

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
)

// mountResponses mounts the response-side rows on the /v1 group: a 1 s
// timeout group (16), upstream calls (17, 18) and a route group in
// maintenance (24). The group's conditional requests (rows 2, 3) are
// NewRouter's, since chi takes a group's middlewares before its routes.
func (a *api) mountResponses(r chi.Router) {
	rs := newResponses()

	r.Group(func(r chi.Router) {
		r.Use(middleware.Timeout(time.Second))
		r.Get("/slow", rs.slow)
	})
	r.Get("/upstream/timeout", rs.upstreamTimeout)
	r.Get("/upstream/down", rs.upstreamDown)
	r.With(rs.maintenance.Handler).Get("/maintenance", ok)
}

// responses is the state of those rows: the maintenance switch, the HTTP
// client of the upstream calls, and the demo's own upstream, a second
// loopback listener started on first use and closed when the server that
// served that request shuts down.
type responses struct {
	maintenance *middleware.Maintenance
	client      *http.Client

	once     sync.Once
	err      error
	hangURL  string // an upstream that never answers
	downURL  string // a loopback port where nothing listens
	upstream *http.Server
	stop     chan struct{} // closed at shutdown: ends the slow handlers
	stopOnce sync.Once
}

func newResponses() *responses {
	m := middleware.NewMaintenance(middleware.MaintenanceOptions{
		RetryAfter: 2 * time.Minute,
		Detail:     "This route group is down for maintenance.",
	})
	m.Enable()
	return &responses{
		maintenance: m,
		client:      &http.Client{Timeout: time.Second, Transport: &http.Transport{}},
		stop:        make(chan struct{}),
	}
}

// start brings the upstream up on first use, and ties its life to the
// server of r (http.Server.RegisterOnShutdown).
func (rs *responses) start(r *http.Request) error {
	rs.once.Do(func() {
		// Registered last, after every field close reads is set: the
		// registration (under the server's lock) is what orders those
		// writes before a Shutdown's call of close.
		if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok {
			defer srv.RegisterOnShutdown(rs.close)
		}
		dead, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			rs.err = err
			return
		}
		rs.downURL = "http://" + dead.Addr().String()
		dead.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			rs.err = err
			return
		}
		rs.hangURL = "http://" + ln.Addr().String()
		rs.upstream = &http.Server{
			ReadHeaderTimeout: 5 * time.Second,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select { // hangs until the caller gives up or the demo stops
				case <-r.Context().Done():
				case <-rs.stop:
				}
			}),
		}
		go func() { _ = rs.upstream.Serve(ln) }()
	})
	return rs.err
}

func (rs *responses) close() {
	rs.stopOnce.Do(func() {
		close(rs.stop)
		rs.client.CloseIdleConnections()
		if rs.upstream != nil {
			_ = rs.upstream.Close()
		}
	})
}

// slow sleeps 5 s, ignoring its context; the group's 1 s timeout answers.
func (rs *responses) slow(w http.ResponseWriter, r *http.Request) {
	_ = rs.start(r)
	select {
	case <-time.After(5 * time.Second):
	case <-rs.stop:
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "finally"})
}

// upstreamTimeout calls the hanging upstream with a 1 s client deadline.
func (rs *responses) upstreamTimeout(w http.ResponseWriter, r *http.Request) {
	rs.call(w, r, func() string { return rs.hangURL })
}

// upstreamDown calls a loopback port where nothing listens.
func (rs *responses) upstreamDown(w http.ResponseWriter, r *http.Request) {
	rs.call(w, r, func() string { return rs.downURL })
}

func (rs *responses) call(w http.ResponseWriter, r *http.Request, url func() string) {
	if err := rs.start(r); err != nil {
		errdoc.Write(w, r, errdoc.Internal(errors.Join(errors.New("demo upstream did not start"), err)))
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, url()+"/stock", nil)
	if err != nil {
		errdoc.Write(w, r, errdoc.Internal(err))
		return
	}
	resp, err := middleware.DoUpstream(rs.client, req)
	if err != nil {
		errdoc.Write(w, r, err)
		return
	}
	defer resp.Body.Close()
	writeJSON(w, http.StatusOK, map[string]int{"upstream_status": resp.StatusCode})
}
