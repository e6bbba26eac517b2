package middleware_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/faultline-go/faultline/middleware"
)

// A server closed through ServerShutdown ends the requests it cuts with a
// cause of its own, which errdoc never takes for a client's hang-up.
func ExampleNewServerShutdown() {
	started, cause := make(chan struct{}), make(chan error, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		cause <- context.Cause(r.Context())
	}))
	stop := middleware.NewServerShutdown(srv.Config)
	srv.Start()
	defer srv.Close()

	go func() {
		if resp, err := srv.Client().Get(srv.URL); err == nil {
			resp.Body.Close()
		}
	}()
	<-started // the request is in flight
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	fmt.Println(stop.Shutdown(ctx)) // the request outlives the grace period
	fmt.Println(<-cause)
	// Output:
	// context deadline exceeded
	// middleware: the server shut down before the request finished
}

// The causes wrap context.DeadlineExceeded where they are deadlines.
func ExampleErrTimeout() {
	fmt.Println(middleware.ErrTimeout)
	// Output: middleware: the Timeout's deadline passed: context deadline exceeded
}
