// Command recoverer mounts recoverer three ways: router-wide, on a route
// group, and around a plain http.Handler without chi.
//
//	go run ./examples/recoverer -addr 127.0.0.1:8080
//	curl -i localhost:8087/panic        # 500 document; the panic value only in the log
//	curl -i localhost:8087/admin/panic  # 500, reported to the group's error tracker
//	curl -i localhost:8087/std/panic    # 500 from http.ServeMux
package main

import (
	"flag"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8087", "listen address")
	flag.Parse()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	report := func(rep recoverer.Report) {
		logger.Info("reported to the tracker", "request_id", rep.RequestID, "outcome", rep.Outcome.String())
	}
	srv := &http.Server{Addr: *addr, Handler: newHandler(logger, report), ReadHeaderTimeout: 5 * time.Second}
	logger.Info("listening", "addr", "http://"+*addr)
	if err := srv.ListenAndServe(); err != nil {
		logger.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// newHandler serves the chi router, and under /std/ the plain handler.
// Panics are logged to logger; those of the admin group also go to report.
func newHandler(logger *slog.Logger, report func(recoverer.Report)) http.Handler {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: logger})

	// Router-wide: a panic in any route becomes the 500 document.
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Use(recoverer.WithOptions(recoverer.Options{Logger: logger}))
	r.Get("/panic", crash)

	// Per route group: the admin routes also report panics to an error tracker.
	r.Route("/admin", func(r chi.Router) {
		r.Use(recoverer.WithOptions(recoverer.Options{Logger: logger, Report: report}))
		r.Get("/panic", crash)
	})

	// Around a plain http.Handler, without chi.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /panic", crash)
	plain := rd.Handler(recoverer.WithOptions(recoverer.Options{Logger: logger})(mux))

	// One address for both: the chi router, and the plain handler under /std/.
	top := http.NewServeMux()
	top.Handle("/", r)
	top.Handle("/std/", http.StripPrefix("/std", plain))
	return top
}

func crash(http.ResponseWriter, *http.Request) {
	panic("connecting to db://admin:hunter2@10.0.0.5 failed")
}
