// Package httpsyntax parses the pieces of HTTP field syntax (RFC 9110
// section 5.6) that several faultline packages read: tokens, media types
// and their parameters. It is internal, shared by middleware (Accept,
// WWW-Authenticate) and middleware/jsonbody (Content-Type), so that
// neither copies it and neither imports the other.
package httpsyntax
