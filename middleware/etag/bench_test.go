package etag_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware/etag"
)

// BenchmarkETag measures the ETag middleware (buffering, SHA-256, one
// write) beside the bare handler writing the same body; the difference per
// KiB is the cost of a computed ETag.
func BenchmarkETag(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10, 64 << 10} {
		body := bytes.Repeat([]byte("a"), size)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(body)
		})
		cases := []testsrv.BenchCase{
			{Name: "ours", H: etag.ETag(1 << 20)(h)},
			{Name: "bare", H: h},
		}
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) { testsrv.RunBench(b, cases, size) })
	}
}
