package middleware

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// MaintenanceOptions configures NewMaintenance. The zero value is ready to
// use; each field documents what its zero value means.
type MaintenanceOptions struct {
	// RetryAfter is sent in the 503's Retry-After header, rounded up to
	// whole seconds, when maintenance was switched on with Enable. Zero
	// means 5 minutes.
	RetryAfter time.Duration

	// Detail is the notice shown to clients in the 503 document, as it
	// is. Empty means the message "maintenance.down" ("This service is
	// down for maintenance."), rendered in the client's language.
	Detail string

	// Bypass, if set, lets the requests for which it returns true through
	// during maintenance (health checks, operators). Nil means none.
	Bypass func(*http.Request) bool

	// Now returns the current time, for EnableUntil's Retry-After. Nil
	// means time.Now.
	Now func() time.Time
}

// Maintenance is a switch that puts the route groups it is mounted on into
// maintenance at run time: while it is on, every request (but those Bypass
// lets through) is answered with a 503 error document and a Retry-After
// header. It is safe for concurrent use; use one per route group that is
// switched on its own:
//
//	m := middleware.NewMaintenance(middleware.MaintenanceOptions{})
//	r.With(m.Handler).Get("/reports", reports)
//	m.Enable() // from an admin endpoint, a signal handler...
type Maintenance struct {
	opts  MaintenanceOptions
	state atomic.Pointer[maintenanceState] // nil: off
}

type maintenanceState struct {
	until  time.Time   // zero: open-ended
	header http.Header // Retry-After of an open-ended maintenance
}

// NewMaintenance returns a switch, off. It panics if opts.RetryAfter is
// negative.
func NewMaintenance(opts MaintenanceOptions) *Maintenance {
	if opts.RetryAfter < 0 {
		panic("middleware: Maintenance's RetryAfter must not be negative")
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Maintenance{opts: opts}
}

// Enable switches maintenance on, with Options.RetryAfter as Retry-After.
func (m *Maintenance) Enable() {
	m.state.Store(&maintenanceState{header: http.Header{"Retry-After": {retryAfterSeconds(m.opts.RetryAfter)}}})
}

// EnableUntil switches maintenance on until t: Retry-After counts down to
// t, and the switch turns itself off at t.
func (m *Maintenance) EnableUntil(t time.Time) {
	m.state.Store(&maintenanceState{until: t})
}

// Disable switches maintenance off.
func (m *Maintenance) Disable() { m.state.Store(nil) }

// Enabled reports whether maintenance is on.
func (m *Maintenance) Enabled() bool {
	_, on := m.current()
	return on
}

func (m *Maintenance) current() (*maintenanceState, bool) {
	s := m.state.Load()
	if s == nil {
		return nil, false
	}
	if !s.until.IsZero() && !m.opts.Now().Before(s.until) {
		m.state.CompareAndSwap(s, nil)
		return nil, false
	}
	return s, true
}

// Handler is the middleware: mount it on the route group the switch is for.
func (m *Maintenance) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, on := m.current()
		if !on || m.opts.Bypass != nil && m.opts.Bypass(r) {
			next.ServeHTTP(w, r)
			return
		}
		hdr := s.header
		if hdr == nil {
			hdr = http.Header{"Retry-After": {retryAfterSeconds(s.until.Sub(m.opts.Now()))}}
		}
		e := &errdoc.Error{
			Status: http.StatusServiceUnavailable,
			Detail: m.opts.Detail,
			Public: true,
			Header: hdr,
			Cause:  ErrMaintenance,
		}
		if m.opts.Detail == "" {
			e.Message = errdoc.Message{Key: "maintenance.down"}
		}
		errdoc.Write(w, r, e)
	})
}

// ErrMaintenance is the cause of every 503 a Maintenance switch answers.
// errdoc's Observe sees it, so refusals can be counted, but the renderer
// does not log it: the switch is an operator's decision, not a failure, and
// a busy route group in maintenance would otherwise write an ERROR record
// per request.
var ErrMaintenance error = maintenanceError{}

type maintenanceError struct{}

func (maintenanceError) Error() string { return "middleware: the route group is in maintenance" }
func (maintenanceError) Logged() bool  { return true }
