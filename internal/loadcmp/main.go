// Command loadcmp compares the README stack with bare chi on sockets: it
// serves both (examples/stack) on loopback ports and drives them with wrk,
// one after the other, several rounds of a few seconds on each of three
// paths (an item, a missing record, an unknown route), then prints
// requests/s, the ratio stack/bare per round and its median, and p99
// latency. Unless -chi-middleware=false, it measures a third router the
// same way, bare chi with chi's own middleware (RequestID, Recoverer and
// httprate), and prints where it stands against both. make load runs it:
//
//	go run ./internal/loadcmp -rounds 5 -duration 2s -connections 32 -threads 1
//
// The limiters admit 2^30 requests a minute per client: every request is
// counted and gets its rate-limit headers, none is refused. The run fails
// if a response on the item path is not a 2xx, or if a 404 path answers
// anything but non-2xx responses.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadcmp:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	wrk         string
	rounds      int
	duration    time.Duration
	warmup      time.Duration
	connections int
	threads     int
	serve       bool
	kit         bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadcmp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.wrk, "wrk", "wrk", "the wrk command (Debian package wrk)")
	fs.IntVar(&cfg.rounds, "rounds", 5, "rounds: wrk runs of each server on each path")
	fs.DurationVar(&cfg.duration, "duration", 2*time.Second, "length of each wrk run")
	fs.DurationVar(&cfg.warmup, "warmup", time.Second, "an unmeasured wrk run on each server first; 0 for none")
	fs.IntVar(&cfg.connections, "connections", 32, "wrk -c: connections kept open")
	fs.IntVar(&cfg.threads, "threads", 1, "wrk -t: client threads (the servers share the remaining cores)")
	fs.BoolVar(&cfg.serve, "serve", false, "only serve the routers and print their addresses, until interrupted")
	fs.BoolVar(&cfg.kit, "chi-middleware", true, "also measure bare chi with chi's own middleware (RequestID, Recoverer, httprate)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	switch {
	case fs.NArg() > 0:
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.rounds < 1:
		return config{}, fmt.Errorf("-rounds %d: want at least 1", cfg.rounds)
	case cfg.duration < time.Second:
		return config{}, fmt.Errorf("-duration %v: want at least 1s (wrk's resolution)", cfg.duration)
	case cfg.threads < 1 || cfg.connections < cfg.threads:
		return config{}, fmt.Errorf("-threads %d -connections %d: want 1 <= threads <= connections", cfg.threads, cfg.connections)
	case cfg.warmup < 0:
		return config{}, fmt.Errorf("-warmup %v: want 0 or more", cfg.warmup)
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	srv, err := startServers()
	if err != nil {
		return err
	}
	defer srv.close()
	if err := srv.check(ctx); err != nil {
		return err
	}
	if cfg.serve {
		fmt.Fprintf(stdout, "bare chi: http://%s\nstack:    http://%s\nchi mw:   http://%s\n", srv.bare.addr, srv.stack.addr, srv.kit.addr)
		<-ctx.Done()
		return nil
	}
	rep, err := compare(ctx, cfg, srv, stderr)
	if err != nil {
		return err
	}
	return writeReport(stdout, rep)
}
