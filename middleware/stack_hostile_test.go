package middleware_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/recoverer"
)

type stackItem struct {
	Owner string `json:"owner"`
}

// The README's stack (CORS, chi's RequestID, Handler, chi's Logger, the
// recoverer, Routing, a limiter and a Timeout in a sub-router's Use, Bind
// on a POST route) under many concurrent clients, over HTTP/1.1 and HTTP/2:
// handlers that outlive their deadline (and write, flush, panic, bind their
// body late) read only their own URL parameters, path values, request IDs,
// headers and body while chi's pooled route contexts serve other requests,
// and no client ever reads another's data, a late header, or a panic value.
func TestStackLateHandlersHoldOnlyTheirOwn(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) { hostileStack(t, proto) })
	}
}

func hostileStack(t *testing.T, proto string) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
	var late sync.WaitGroup
	var tolerated atomic.Int32
	var mu sync.Mutex
	var bad []string
	report := func(s string) { mu.Lock(); bad = append(bad, s); mu.Unlock() }

	observe := func(r *http.Request) string {
		return fmt.Sprintf("id=%s chi=%s errdoc=%s secret=%s pattern=%s pv=%s",
			chi.URLParam(r, "id"), chimw.GetReqID(r.Context()), errdoc.RequestIDFrom(r.Context()),
			r.Header.Get("X-Secret"), chi.RouteContext(r.Context()).RoutePattern(), r.PathValue("id"))
	}

	r := chi.NewRouter()
	r.Use(cors.Handler(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "HEAD", "POST"},
		AllowedHeaders: []string{"X-Secret", "Content-Type"},
		ExposedHeaders: errdoc.ExposedHeaders(),
	}))
	r.Use(chimw.RequestID)
	r.Use(rd.Handler)
	r.Use(chimw.RequestLogger(&chimw.DefaultLogFormatter{Logger: nopPrinter{}, NoColor: true}))
	r.Use(recoverer.New())
	middleware.Routing(r)
	r.Route("/v1", func(r chi.Router) {
		r.Use(ratelimit.New(1_000_000, time.Minute))
		r.Use(middleware.Timeout(300 * time.Millisecond))
		h := func(w http.ResponseWriter, r *http.Request) {
			before := observe(r)
			if r.URL.Query().Get("late") == "" {
				fmt.Fprintf(w, "%s", before)
				return
			}
			late.Add(1)
			defer late.Done()
			<-r.Context().Done()
			for i := 0; i < 20; i++ {
				time.Sleep(time.Millisecond)
				if now := observe(r); now != before {
					report("late handler saw " + now + ", had " + before)
				}
				w.Header().Set("X-Late", before)
				_, _ = w.Write([]byte(before))
				_ = http.NewResponseController(w).Flush()
			}
			if r.URL.Query().Get("late") == "panic" {
				panic("late secret " + before)
			}
		}
		r.Get("/items/{id}", h)
		r.Post("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
			before := observe(r)
			if r.URL.Query().Get("late") != "" {
				late.Add(1)
				defer late.Done()
				<-r.Context().Done()
				time.Sleep(5 * time.Millisecond)
			}
			it, err := jsonbody.Bind[stackItem](r)
			if err != nil {
				errdoc.Write(w, r, err)
				return
			}
			if it.Owner != r.Header.Get("X-Secret") {
				report("bound " + it.Owner + " in " + before)
			}
			if now := observe(r); now != before {
				report("post handler saw " + now + ", had " + before)
			}
			fmt.Fprintf(w, "%s owner=%s", before, it.Owner)
		})
	})
	srv, client := testsrv.NewServer(t, proto, r)

	const n = 150
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			id := fmt.Sprint(i)
			secret := "s-" + id
			rid := "req-" + id
			mode := []string{"", "1", "panic"}[i%3]
			method := []string{"GET", "POST", "HEAD"}[(i/3)%3]
			url := srv.URL + "/v1/items/" + id
			if mode != "" {
				url += "?late=" + mode
			}
			var body io.Reader
			if method == "POST" {
				b, _ := json.Marshal(stackItem{Owner: secret})
				body = bytes.NewReader(b)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, method, url, body)
			req.Header.Set("X-Secret", secret)
			req.Header.Set("X-Request-Id", rid)
			req.Header.Set("Origin", "https://app.example.com")
			if method == "POST" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := client.Do(req)
			if err != nil {
				report(fmt.Sprintf("%s %s: %v", method, url, err))
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			s := string(got)
			if resp.Header.Get("X-Request-Id") != rid {
				report(fmt.Sprintf("%s %s: X-Request-Id %q", method, url, resp.Header.Get("X-Request-Id")))
			}
			if resp.Header.Get("Access-Control-Allow-Origin") == "" {
				report(fmt.Sprintf("%s %s: no CORS header (%d)", method, url, resp.StatusCode))
			}
			if resp.Header.Get("X-Late") != "" {
				report(fmt.Sprintf("%s %s: late header reached the client", method, url))
			}
			want := http.StatusOK
			if mode != "" {
				want = http.StatusGatewayTimeout
			}
			if mode == "" && resp.StatusCode == http.StatusGatewayTimeout {
				tolerated.Add(1) // a busy machine: the 504 is checked like the late ones'
				want, mode = http.StatusGatewayTimeout, "busy"
			}
			if resp.StatusCode != want {
				report(fmt.Sprintf("%s %s: status %d %s", method, url, resp.StatusCode, s))
			}
			if strings.Contains(s, "late secret") || strings.Contains(s, "goroutine") {
				report(fmt.Sprintf("%s %s: leak %s", method, url, s))
			}
			for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '"' || r == '=' }) {
				if (strings.HasPrefix(f, "s-") && f != secret) || (strings.HasPrefix(f, "req-") && f != rid) {
					report(fmt.Sprintf("%s %s: another client's %s in %s", method, url, f, s))
				}
			}
			if mode == "" && method != "HEAD" && !strings.Contains(s, "id="+id+" chi="+rid+" errdoc="+rid+" secret="+secret) {
				report(fmt.Sprintf("%s %s: body %s", method, url, s))
			}
		}()
	}
	wg.Wait()
	late.Wait()
	client.CloseIdleConnections()
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("%d of the in-time requests met their deadline on a busy machine (tolerated)", tolerated.Load())
}

type nopPrinter struct{}

func (nopPrinter) Print(...any) {}
