package jsonbody

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// deadlineWriter counts the read deadlines set through it.
type deadlineWriter struct {
	http.ResponseWriter
	set atomic.Int64
}

func (d *deadlineWriter) SetReadDeadline(time.Time) error { d.set.Add(1); return nil }

// JSONBodies' body deadline is the one timer of the package that can fire
// after its handler returned. Once disarmed (the body read to its end, or
// the middleware returning), its function touches nothing: net/http may
// already serve the next request on the connection, whose deadlines are
// not this request's to set. Armed, it sets the deadline once.
func TestBodyDeadlineDisarmedTouchesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(*bodyDeadline)
		want int64
	}{
		{"disarmed by the middleware", func(b *bodyDeadline) { b.disarm() }, 0},
		{"disarmed at the body's end", func(b *bodyDeadline) { _, _ = io.ReadAll(b) }, 0},
		{"disarmed by Close", func(b *bodyDeadline) { _ = b.Close() }, 0},
		{"armed", func(*bodyDeadline) {}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &deadlineWriter{ResponseWriter: httptest.NewRecorder()}
			b := armBodyDeadline(w, httptest.NewRequest(http.MethodPost, "/", nil), io.NopCloser(strings.NewReader("{}")), time.Hour)
			tc.end(b)
			b.expire() // what the timer would run, had Stop come too late
			b.expire()
			assert.Equal(t, tc.want, w.set.Load())
			b.disarm()
		})
	}
}

// The timer can fire just as the body's last bytes arrive, after net/http
// started its background read of the HTTP/1.x connection, which then fails
// at the deadline and cancels the connection's context: the response then
// closes the connection, so no later request inherits that context. A
// body that ended before the timer leaves the connection alone.
func TestBodyDeadlineExpiredAtTheEndClosesTheConnection(t *testing.T) {
	for _, expireFirst := range []bool{true, false} {
		rec := httptest.NewRecorder()
		w := &deadlineWriter{ResponseWriter: rec}
		b := armBodyDeadline(w, httptest.NewRequest(http.MethodPost, "/", nil), io.NopCloser(strings.NewReader("{}")), time.Hour)
		if expireFirst {
			b.expire() // as if it fired between the last bytes and the end
		}
		_, err := io.ReadAll(b)
		assert.NoError(t, err)
		if expireFirst {
			assert.Equal(t, "close", rec.Header().Get("Connection"))
		} else {
			assert.Empty(t, rec.Header().Get("Connection"))
		}
		b.disarm()
	}
}

// slowBody returns n bytes, a few at a time, then EOF: a chunked body
// whose size Bind cannot know in advance.
type slowBody struct{ n int }

func (s *slowBody) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), s.n, 4096)
	for i := range k {
		p[i] = ' '
	}
	s.n -= k
	return k, nil
}

// Bind's buffer follows the bytes that arrived: never more than 2.5 times
// them (nor more than the 16 KiB chunk before they fill it), whatever the
// limit, the claimed length, or how the limit falls against the doubling.
// Before, a limit just under four times the buffer made it jump there.
func TestBindBufferFollowsTheBytes(t *testing.T) {
	for _, maxBytes := range []int64{1 << 20, 1<<20 - 2, 768 << 10, 5 << 20, 100} {
		for _, sent := range []int{1, 100, 16 << 10, 256<<10 + 2, 600 << 10, 1 << 20} {
			if int64(sent) > maxBytes {
				continue
			}
			for _, claim := range []int64{-1, int64(sent), maxBytes} {
				b := NewBinder(BindOptions{MaxBytes: maxBytes})
				req := httptest.NewRequest(http.MethodPost, "/", io.NopCloser(&slowBody{n: sent}))
				req.ContentLength = claim
				body, err := b.read(req)
				assert.NoError(t, err)
				assert.Len(t, body, sent)
				bound := max(int(float64(sent)*2.5), readChunk) + 1
				assert.LessOrEqual(t, cap(body), bound, "MaxBytes %d, sent %d, claimed %d", maxBytes, sent, claim)
			}
		}
	}
}
