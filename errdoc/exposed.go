package errdoc

// ExposedHeaders returns the response headers a client of the API acts on:
// X-Request-ID (to quote), Retry-After, RateLimit and RateLimit-Policy (and
// the legacy X-RateLimit-Limit, -Remaining and -Reset), WWW-Authenticate,
// Allow, ETag, Sunset, Deprecation, Link and Content-Language. A browser
// lets a page's script read only the headers a CORS response exposes, so
// pass them to the CORS middleware's exposed-headers option:
//
//	r.Use(cors.Handler(cors.Options{
//		AllowedOrigins: []string{"https://app.example.com"},
//		ExposedHeaders: errdoc.ExposedHeaders(),
//	}))
//
// Each call returns a new slice. Renderer.ExposedHeaders names the
// renderer's own request-ID header instead of X-Request-ID.
func ExposedHeaders() []string {
	return []string{
		"X-Request-ID", "Retry-After", "RateLimit", "RateLimit-Policy",
		"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
		"WWW-Authenticate", "Allow", "ETag", "Sunset", "Deprecation", "Link",
		"Content-Language",
	}
}

// ExposedHeaders is the package's ExposedHeaders with rd's request-ID
// header (Options.RequestIDHeader) in place of X-Request-ID.
func (rd *Renderer) ExposedHeaders() []string {
	h := ExposedHeaders()
	if rd.opts.RequestIDHeader != "" {
		h[0] = rd.reqIDHdr
	}
	return h
}
