package main

import (
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8086", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "err", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: newRouter(), ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != nil {
		slog.Error("server stopped", "err", err)
		os.Exit(1)
	}
}
