package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/faultline-go/faultline/examples/stack"
)

// server is one of the routers listening on loopback.
type server struct {
	name string
	addr string
	srv  *http.Server
}

// servers are the routers: bare chi, the README stack and bare chi with
// chi's own middleware.
type servers struct {
	bare, stack, kit *server
}

// startServers serves bare chi, the README stack and chi's own middleware
// (stack.ChiMiddleware) on three loopback ports. The limiters admit 2^30
// requests a minute per client, far above what wrk sends: they count and
// set their headers, and never refuse.
func startServers() (*servers, error) {
	s := &servers{}
	var err error
	if s.bare, err = listen("bare chi", stack.Bare()); err != nil {
		return nil, err
	}
	opts := stack.Options{Limit: 1 << 30, Window: time.Minute}
	if s.stack, err = listen("stack", stack.New(opts)); err != nil {
		s.close()
		return nil, err
	}
	if s.kit, err = listen("chi mw", stack.ChiMiddleware(opts)); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// all returns the servers a run measures: bare chi and the stack, and
// chi's middleware with kit.
func (s *servers) all(kit bool) []*server {
	if kit {
		return []*server{s.bare, s.stack, s.kit}
	}
	return []*server{s.bare, s.stack}
}

func listen(name string, h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{name: name, addr: ln.Addr().String(), srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // wrk closing its connections is no news
	}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *servers) close() {
	for _, sv := range s.all(true) { // nil for those startServers did not reach
		if sv != nil {
			sv.srv.Close()
		}
	}
}

// paths are the measured paths and what every router answers on them.
var paths = [...]struct {
	name   string
	path   string
	status int
}{
	{"200 item", stack.PathOK, http.StatusOK},
	{"404 record", stack.PathRecordMissing, http.StatusNotFound},
	{"404 unknown route", stack.PathUnknownRoute, http.StatusNotFound},
}

// check makes sure each server answers each path as the comparison expects,
// the stack with its error documents and rate-limit headers, chi's
// middleware with httprate's.
func (s *servers) check(ctx context.Context) error {
	for _, p := range paths {
		for _, sv := range s.all(true) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+sv.addr+p.path, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != p.status {
				return fmt.Errorf("%s answers %s with %d; want %d", sv.name, p.path, resp.StatusCode, p.status)
			}
			if sv == s.stack {
				if resp.Header.Get("X-Request-Id") == "" {
					return fmt.Errorf("stack answers %s without a request ID", p.path)
				}
				if strings.HasPrefix(p.path, "/items/") && resp.Header.Get("RateLimit") == "" {
					return fmt.Errorf("stack answers %s without rate-limit headers", p.path)
				}
			}
			if sv == s.kit && strings.HasPrefix(p.path, "/items/") && resp.Header.Get("X-RateLimit-Remaining") == "" {
				return fmt.Errorf("chi's middleware answers %s without httprate's headers", p.path)
			}
		}
	}
	return nil
}
