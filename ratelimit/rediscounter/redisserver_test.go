package rediscounter_test

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit/rediscounter"
	"github.com/redis/go-redis/v9"
)

// redisServer is a redis-server process of the test's own.
type redisServer struct {
	bin  string
	port int
	addr string
	cmd  *exec.Cmd
}

// startRedis starts redis-server on a free loopback port, or skips the test
// when the binary is not on PATH. It stops the server when the test ends.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not on PATH: install it (Debian: apt-get install redis-server) to run the Redis tests")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	s := &redisServer{bin: bin, port: port, addr: fmt.Sprintf("127.0.0.1:%d", port)}
	t.Cleanup(s.stop)
	s.start(t)
	return s
}

// start runs the server on s's port and waits until it answers.
func (s *redisServer) start(t testing.TB) {
	t.Helper()
	s.cmd = exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.ping()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not answer on %s: %v", s.addr, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ping sends PING on a connection of its own (no client, no pool, no
// goroutine left behind) and expects +PONG.
func (s *redisServer) ping() error {
	conn, err := net.DialTimeout("tcp", s.addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 7)
	if _, err := io.ReadFull(conn, buf); err != nil {
		return err
	}
	if string(buf) != "+PONG\r\n" {
		return fmt.Errorf("unexpected reply %q", buf)
	}
	return nil
}

// stop kills the server and waits for it; safe to call twice.
func (s *redisServer) stop() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

// client returns a go-redis client for s with the options the package
// recommends (FailFastRedisOptions) and timeout.
func (s *redisServer) client(t testing.TB, timeout time.Duration) *redis.Client {
	opts := rediscounter.FailFastRedisOptions(s.addr, timeout)
	opts.PoolSize = 128 // at least the tests' concurrency
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}
