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

// server is one of the two routers listening on loopback.
type server struct {
	name string
	addr string
	srv  *http.Server
}

// servers are both routers.
type servers struct {
	bare, stack *server
}

// startServers serves bare chi and the README stack on two loopback ports.
// The stack's limiter admits 2^30 requests a minute per client, far above
// what wrk sends: it counts and sets its headers, and never refuses.
func startServers() (*servers, error) {
	bare, err := listen("bare chi", stack.Bare())
	if err != nil {
		return nil, err
	}
	st, err := listen("stack", stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute}))
	if err != nil {
		bare.srv.Close()
		return nil, err
	}
	return &servers{bare: bare, stack: st}, nil
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
	s.bare.srv.Close()
	s.stack.srv.Close()
}

// paths are the measured paths and what both routers answer on them.
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
// the stack with its error documents and rate-limit headers.
func (s *servers) check(ctx context.Context) error {
	for _, p := range paths {
		for _, sv := range []*server{s.bare, s.stack} {
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
		}
	}
	return nil
}
