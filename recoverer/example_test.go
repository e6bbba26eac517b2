package recoverer_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
)

func Example() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.Use(recoverer.WithOptions(recoverer.Options{
		Logger: slog.New(slog.DiscardHandler), // slog.Default() when nil
		Report: func(rep recoverer.Report) { fmt.Println("reported:", rep.Outcome, rep.RequestID) },
	}))
	r.Get("/panic", func(http.ResponseWriter, *http.Request) {
		panic("demo panic: db password hunter2")
	})

	req := httptest.NewRequest(http.MethodGet, "/panic", nil)
	req.Header.Set("X-Request-ID", "req-7")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)

	fmt.Println(rec.Code)
	fmt.Println(rec.Body.String())
	// Output:
	// reported: rendered req-7
	// 500
	// {"errors":[{"id":"req-7","links":{"about":"http://example.com/docs/errors#internal_error","type":"http://example.com/docs/errors#internal_error"},"status":"500","code":"internal_error","title":"Internal Server Error","detail":"The server failed unexpectedly. This is usually temporary; try again later, and quote the request ID when reporting it."}]}
}
