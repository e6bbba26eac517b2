package middleware

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// ServerShutdown gives an http.Server's request contexts a cause when the
// server ends them, so that a request cut by the server's own shutdown is
// never taken for a client's hang-up (see errdoc.HungUp): net/http cancels
// a request's context with the same plain context.Canceled when its client
// goes away and when Server.Close closes its connection.
//
//	srv := &http.Server{Addr: addr, Handler: router}
//	stop := middleware.NewServerShutdown(srv)
//	go srv.ListenAndServe()
//	<-signals
//	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//	defer cancel()
//	_ = stop.Shutdown(ctx) // graceful; at ctx's end, ErrServerShutdown
//
// Call the server's own Shutdown and Close through it: a server closed
// directly still cuts its requests without a cause, as hang-ups.
type ServerShutdown struct {
	srv    *http.Server
	ctx    context.Context
	cancel context.CancelCauseFunc
	once   sync.Once
}

// NewServerShutdown sets srv.BaseContext so that every request's context
// descends from one the ServerShutdown cancels with a cause: ErrServerClosed
// for Close, ErrServerShutdown for a Shutdown whose context ends first. A
// BaseContext srv already had still gives each listener's context, with
// its values; it is ended with the same cause. Call it before the server
// starts.
func NewServerShutdown(srv *http.Server) *ServerShutdown {
	ctx, cancel := context.WithCancelCause(context.Background())
	s := &ServerShutdown{srv: srv, ctx: ctx, cancel: cancel}
	prev := srv.BaseContext
	srv.BaseContext = func(l net.Listener) context.Context {
		if prev == nil {
			return ctx
		}
		base, cancelBase := context.WithCancelCause(prev(l))
		context.AfterFunc(ctx, func() { cancelBase(context.Cause(ctx)) })
		return base
	}
	return s
}

// Shutdown shuts the server down gracefully, as http.Server.Shutdown does:
// it stops accepting connections and waits for the requests in flight. If
// ctx ends first, the requests still running are cut with the cause
// ErrServerShutdown, their connections closed, and ctx's error returned.
func (s *ServerShutdown) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil && ctx.Err() != nil {
		s.end(ErrServerShutdown)
		_ = s.srv.Close()
	}
	return err
}

// Close closes the server at once, as http.Server.Close does, after
// ending every request's context with the cause ErrServerClosed.
func (s *ServerShutdown) Close() error {
	s.end(ErrServerClosed)
	return s.srv.Close()
}

// Context returns the context the server's requests descend from: done,
// with its cause, once Close or an overdue Shutdown ended them.
func (s *ServerShutdown) Context() context.Context { return s.ctx }

func (s *ServerShutdown) end(cause error) {
	s.once.Do(func() { s.cancel(cause) })
}
