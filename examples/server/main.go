// Command server runs the faultline demo API (see README.md):
//
//	go run ./examples/server -addr 127.0.0.1:8080
//
// It listens on -addr, else $ADDR, else 127.0.0.1:8080, logs with log/slog,
// and shuts down gracefully on SIGINT or SIGTERM. Its documents link to
// -base-url, else to the address it listens on (localhost when that is a
// wildcard address such as :8080).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/faultline-go/faultline/middleware"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run serves the demo until ctx is done. ready, if not nil, receives the
// address the server listens on.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "listen address (default $ADDR, else 127.0.0.1:8080)")
	baseURL := fs.String("base-url", "", "the absolute URL clients reach the server at, for the documents' links "+
		"(default http:// and the listen address, localhost for a wildcard one)")
	corsOrigin := fs.String("cors-origin", demo.DefaultCORSOrigin, "the browser origin allowed to call the API and read its errors (CORS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if u, err := url.Parse(*corsOrigin); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("-cors-origin %q is not an origin such as http://localhost:5173", *corsOrigin)
	}
	if *addr == "" {
		*addr = getenv("ADDR")
	}
	if *addr == "" {
		*addr = "127.0.0.1:8080"
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base, err := publicBase(ln.Addr(), *baseURL)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler: demo.NewRouter(demo.Config{DocsURL: base + "/docs/errors", Logger: logger, CORSOrigins: []string{*corsOrigin}}),
		// Exposed directly to clients: every phase of a connection is
		// bounded, an idle keep-alive connection included.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// Requests that the shutdown cuts end with a cause of the server's, so
	// that errdoc never records them as clients hanging up (499).
	stop := middleware.NewServerShutdown(srv)
	logger.Info("demo API listening", "addr", base, "docs", base+"/docs/errors")
	if ready != nil {
		ready <- ln.Addr().String()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := stop.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// publicBase returns the absolute base URL of the documents' links:
// baseURL when given (an absolute http or https URL, without query or
// fragment), else http:// and the listen address, naming localhost when
// the server listens on every interface (0.0.0.0 or [::] is no address a
// client can reach).
func publicBase(listen net.Addr, baseURL string) (string, error) {
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return "", fmt.Errorf("-base-url %q: want an absolute http or https URL without query, fragment or user", baseURL)
		}
		return strings.TrimRight(u.String(), "/"), nil
	}
	host, port, err := net.SplitHostPort(listen.String())
	if err != nil {
		return "", err
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
