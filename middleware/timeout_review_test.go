package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

// A response with more than a thousand header keys keeps every one, and
// its trailers, declared or set with http.TrailerPrefix after the body,
// reach the client: also when the handler deleted a header after it
// committed, so that its map holds as many keys as when it was copied.
func TestTimeoutReviewManyHeadersAndTrailers(t *testing.T) {
	const keys = 1500
	for _, proto := range protos {
		for _, tc := range []struct {
			name    string
			trailer func(w http.ResponseWriter)
		}{
			{"declared", func(w http.ResponseWriter) { w.Header().Set("X-Sum", "42") }},
			{"prefixed", func(w http.ResponseWriter) { w.Header().Set(http.TrailerPrefix+"X-Sum", "42") }},
			{"prefixed after a delete", func(w http.ResponseWriter) {
				w.Header().Del("X-H0007")
				w.Header().Set(http.TrailerPrefix+"X-Sum", "42")
			}},
		} {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				h := middleware.Timeout(5 * time.Second)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Transfer-Encoding", "chunked")
					for i := range keys {
						w.Header().Set(fmt.Sprintf("X-H%04d", i), "v")
					}
					if tc.name == "declared" {
						w.Header().Set("Trailer", "X-Sum")
					}
					_, _ = io.WriteString(w, "body")
					tc.trailer(w)
				}))
				srv, c := testsrv.NewServer(t, proto, h)
				req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
				resp, err := c.Do(req)
				require.NoError(t, err)
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, "body", string(b))
				n := 0
				for k := range resp.Header {
					if strings.HasPrefix(k, "X-H") {
						n++
					}
				}
				assert.Equal(t, keys, n)
				assert.Equal(t, "42", resp.Trailer.Get("X-Sum"), "trailers %v", slices.Collect(mapKeys(resp.Trailer)))
			})
		}
	}
}

func mapKeys(h http.Header) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}
}
