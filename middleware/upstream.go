package middleware

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// UpstreamFailure is the cause of the 502 or 504 an upstream failure is
// answered with. It carries the raw error, which names the upstream's
// address: errdoc logs it with the request ID and never renders it.
type UpstreamFailure struct {
	// Upstream is the scheme and host the call went to, when known.
	Upstream string
	// Err is the raw error.
	Err error
}

// Error returns the upstream and the raw error's text, for logs only.
func (e *UpstreamFailure) Error() string {
	if e.Upstream == "" {
		return "upstream call failed: " + e.Err.Error()
	}
	return "upstream " + e.Upstream + " failed: " + e.Err.Error()
}

// Unwrap returns the raw error.
func (e *UpstreamFailure) Unwrap() error { return e.Err }

// UpstreamError turns the error of a call to an upstream service (from
// http.Client.Do, an http.RoundTripper or httputil.ReverseProxy) into an
// error document, classified by errdoc.Classify:
//
//   - the upstream took too long (a context deadline, a dial, TLS handshake
//     or response-header timeout): 504 Gateway Timeout;
//   - anything else (a refused or reset connection, a failed DNS lookup, a
//     failed TLS handshake or certificate check, a malformed response, a
//     connection closed before the response): 502 Bad Gateway.
//
// The document carries only the catalog's generic description; the raw
// error, upstream address included, is its Cause and goes to the log with
// the request ID. A nil err returns nil.
//
//	resp, err := client.Do(req)
//	if err != nil {
//		errdoc.Write(w, r, middleware.UpstreamError(err))
//		return
//	}
func UpstreamError(err error) *errdoc.Error {
	return upstreamError(nil, err)
}

// upstreamError is UpstreamError naming the upstream that out was sent to.
func upstreamError(out *http.Request, err error) *errdoc.Error {
	if err == nil {
		return nil
	}
	status := http.StatusBadGateway
	if errdoc.Classify(err).Status == http.StatusGatewayTimeout {
		status = http.StatusGatewayTimeout
	}
	f := &UpstreamFailure{Err: err}
	if out != nil && out.URL != nil && out.URL.Host != "" {
		f.Upstream = out.URL.Scheme + "://" + out.URL.Host
	}
	return &errdoc.Error{Status: status, Cause: f}
}

// DoUpstream sends req with client (http.DefaultClient when nil) and
// returns the response, or the failure as UpstreamError's document, ready
// for errdoc.Write. The response, when there is one, is the caller's to
// close; an upstream's own error status is not a failure here. A call cut
// because the incoming request's client went away (req built with its
// context) is the client's hang-up: errdoc records it as 499 and writes
// nothing (see DoUpstreamWithin and errdoc.HungUp).
func DoUpstream(client *http.Client, req *http.Request) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, upstreamError(req, err)
	}
	return resp, nil
}

// DoUpstreamWithin is DoUpstream with a deadline of its own: the call, the
// reading of the response's body included, must finish within d, or its
// context ends with the cause ErrUpstreamTimeout and the failure is a 504.
// The deadline is released when the response's body is closed, or at once
// when the call fails; close the body, as with any response.
//
// Build req with the incoming request's context
// (http.NewRequestWithContext(r.Context(), ...)): when the client goes
// away, the call stops with net/http's plain context.Canceled, and errdoc
// records the client's hang-up as 499 and writes nothing (see
// errdoc.HungUp), where an upstream's own reset stays a 502 and this
// deadline, or one set above, a 504.
//
// DoUpstreamWithin panics if d is not positive.
func DoUpstreamWithin(client *http.Client, req *http.Request, d time.Duration) (*http.Response, error) {
	if d <= 0 {
		panic(fmt.Sprintf("middleware: DoUpstreamWithin needs a positive duration, got %v", d))
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), d, ErrUpstreamTimeout)
	resp, err := DoUpstream(client, req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases a call's deadline when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// ProxyErrorHandler is an httputil.ReverseProxy ErrorHandler that answers
// upstream failures with UpstreamError's document through the renderer in
// the request's context:
//
//	proxy := httputil.NewSingleHostReverseProxy(target)
//	proxy.ErrorHandler = middleware.ProxyErrorHandler
//
// ReverseProxy hands it the outgoing request when the upstream call failed,
// so the logged cause names the upstream. When the proxy had already
// started the response, nothing more is written and the failure is logged.
func ProxyErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	errdoc.Write(w, r, upstreamError(r, err))
}
