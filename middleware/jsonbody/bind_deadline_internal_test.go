package jsonbody

import (
	"io"
	"net/http"
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
			w := &deadlineWriter{}
			b := armBodyDeadline(w, io.NopCloser(strings.NewReader("{}")), time.Hour)
			tc.end(b)
			b.expire() // what the timer would run, had Stop come too late
			b.expire()
			assert.Equal(t, tc.want, w.set.Load())
			b.disarm()
		})
	}
}
