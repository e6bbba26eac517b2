package adaptive_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware/adaptive"
	"github.com/go-chi/chi/v5"
)

func Example() {
	lim := adaptive.New(adaptive.Options{
		// Batch exports may be refused first; payments go first.
		Priority: func(r *http.Request) adaptive.Priority {
			switch r.Header.Get("X-Traffic-Class") {
			case "batch":
				return adaptive.Sheddable
			case "payment":
				return adaptive.Critical
			}
			return adaptive.Normal
		},
		// Health checks answer in microseconds: keep them out of the baseline.
		SkipMeasure: func(r *http.Request) bool { return r.URL.Path == "/v1/work/healthz" },
	})

	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.Route("/v1/work", func(r chi.Router) {
		r.Use(lim.Handler)
		r.Get("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "done") })
		r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	})

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/work/", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
	s := lim.Snapshot()
	fmt.Println("limit", s.Limit, "in flight", s.InFlight, "queued", s.Queued, "rejected", s.Rejected)
	// Output:
	// 200 done
	// limit 20 in flight 0 queued 0 rejected 0
}
