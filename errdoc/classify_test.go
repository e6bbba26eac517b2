package errdoc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type teapotError struct{}

func (teapotError) Error() string   { return "short and stout" }
func (teapotError) StatusCode() int { return 418 }

func jsonErr(t *testing.T, body string, v any, strict bool) error {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	require.Error(t, err)
	return err
}

func TestClassify(t *testing.T) {
	type item struct {
		Name     string `json:"name"`
		Quantity int    `json:"quantity"`
		Tags     []struct {
			Label string `json:"label"`
		} `json:"tags"`
	}
	var it item
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name        string
		err         error
		wantStatus  int
		wantPointer string
	}{
		{"nil", nil, 500, ""},
		{"plain", errors.New("boom"), 500, ""},
		{"own *Error", fmt.Errorf("wrap: %w", errdoc.New(409, "conflict")), 409, ""},
		{"status coder", fmt.Errorf("wrap: %w", teapotError{}), 418, ""},
		{"deadline", context.DeadlineExceeded, 504, ""},
		{"wrapped deadline", fmt.Errorf("calling upstream: %w", context.DeadlineExceeded), 504, ""},
		{"os deadline", os.ErrDeadlineExceeded, 504, ""},
		{"url timeout", &url.Error{Op: "Get", URL: "http://10.0.0.1", Err: timeoutErr{}}, 504, ""},
		{"refused", &url.Error{Op: "Get", URL: "http://127.0.0.1:1", Err: dialRefused}, 502, ""},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), 502, ""},
		{"dns", &net.DNSError{Err: "no such host", Name: "upstream.internal", IsNotFound: true}, 502, ""},
		{"max bytes", &http.MaxBytesError{Limit: 10}, 413, ""},
		{"syntax", jsonErr(t, `{"name":`+"\x01", &it, false), 422, ""},
		{"type", jsonErr(t, `{"name":"nut","quantity":"five"}`, &it, false), 422, "/quantity"},
		{"nested type", jsonErr(t, `{"tags":[{"label":5}]}`, &it, false), 422, nestedTypePointer},
		{"unknown field", jsonErr(t, `{"colour":"red"}`, &it, true), 422, "/colour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := errdoc.Classify(tc.err)
			require.NotNil(t, e)
			assert.Equal(t, tc.wantStatus, e.Status)
			assert.Equal(t, tc.wantPointer, e.Source.Pointer)
			if tc.err != nil && !errors.As(tc.err, new(*errdoc.Error)) {
				assert.ErrorIs(t, e, tc.err, "the original error is kept as the cause")
			}
			// Rendered, the raw error text never reaches the client.
			rec := render(t, errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()}), "", tc.err)
			assert.Equal(t, tc.wantStatus, rec.Code)
			for _, leak := range []string{"10.0.0.1", "127.0.0.1", "upstream.internal", "boom", "five", "json:"} {
				assert.NotContains(t, rec.Body.String(), leak)
			}
		})
	}
}

func TestClassifyJoined(t *testing.T) {
	joined := errors.Join(errors.New("x"), context.DeadlineExceeded)
	assert.Equal(t, 504, errdoc.Classify(joined).Status, "Classify looks through a join")
	rec := render(t, errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()}), "", joined)
	assert.Equal(t, 500, rec.Code, "Write renders a join as two errors; 500 and 504 make a 500")
	assert.Len(t, decode(t, rec.Body.Bytes())["errors"], 2)
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyRealUpstreamFailures(t *testing.T) {
	// A port where nothing listens: take a free one and close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = http.Get("http://" + addr + "/")
	require.Error(t, err)
	assert.Equal(t, 502, errdoc.Classify(err).Status)

	// A server that never answers, and a client deadline.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer hang.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+hang.Addr().String()+"/", nil)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	assert.Equal(t, 504, errdoc.Classify(err).Status)
}

func TestUnknownJSONField(t *testing.T) {
	field, ok := errdoc.UnknownJSONField(errors.New(`json: unknown field "a\"b"`))
	assert.True(t, ok)
	assert.Equal(t, `a\"b`, field)
	for _, s := range []string{"", "json: unknown field", `json: unknown field "`, "other"} {
		_, ok := errdoc.UnknownJSONField(errors.New(s))
		assert.False(t, ok, s)
	}
	_, ok = errdoc.UnknownJSONField(nil)
	assert.False(t, ok)
}
