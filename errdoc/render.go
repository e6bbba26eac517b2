package errdoc

import (
	"net/http"
	"strings"
	"sync"
)

// Write renders err as an error document on w for request r. err may be an
// *Error, a List, an errors.Join of errors, or any error (classified with
// Classify). A nil err renders a 500.
//
// The response's headers follow one rule (headers.go): the representation
// and caching headers the handler set for the success it abandoned
// (Content-Encoding, Content-Disposition, ETag, Cache-Control, Location...)
// are dropped, the error's own headers are set, Cache-Control is
// Options.CacheControl ("no-store" by default) unless the error sets its
// own, and every document carries "Vary: Accept", merged
// into the Vary already set. When the catalog has more than one language,
// the document is in the one Accept-Language picks (see MatchLanguage), with
// Content-Language naming it and Accept-Language added to Vary. Set-Cookie, Vary, Link, CORS and security
// headers are kept. A 304 keeps its validators and caching headers and gets
// no document.
//
// When the response was already committed (see Committed) Write writes
// nothing and logs the error instead; a middleware that must end such a
// response aborts it. Once the request's end was recorded by whoever ended
// it (a Timeout's deadline, the client's hang-up), that end rendered there
// again, or a 4xx after it (Bind's error for the body the end cut short),
// is not logged: the end is the request's one record.
func (rd *Renderer) Write(w http.ResponseWriter, r *http.Request, err error) {
	// The pipeline flows one way: classify err into *Error values, resolve
	// each against the catalog, then encode them in the negotiated format.
	var one [1]item
	items, dropped := classifyAll(one[:0], err)
	li := rd.languageOf(r)
	for i := range items {
		items[i] = rd.resolve(items[i].e, li)
	}
	status := items[0].status
	if len(items) > 1 {
		var st [maxErrors]int
		for i := range items {
			st[i] = items[i].status
		}
		status = ResponseStatus(st[:len(items)]...)
	}
	id := rd.requestID(r)
	tid := rd.TraceID(r)
	if status >= 500 && rd.hangUp(w, r, items) {
		// Every error is the client's hang-up (see HungUp): nobody reads
		// an answer, so none is written, and the failure is the
		// client's, recorded as 499 below ERROR.
		status = StatusClientClosedRequest
		if !firstHangUp(r.Context()) {
			// Another layer of this request (a Timeout above a handler
			// that renders its context's end) recorded the hang-up:
			// one request, one record and one observation.
			return
		}
		rd.log(r, id, tid, status, items, dropped, Committed(w))
		rd.observe(r, id, tid, status, items, JSONAPI)
		return
	}

	if Committed(w) {
		if status < 500 && endRecorded(w, r) {
			// The request ended and whoever ended it recorded that (a
			// Timeout's deadline, its client's hang-up); a 4xx rendered
			// afterwards (a read of the body the end cut short) is its
			// aftermath, not a failure of its own: one record, the end's.
			return
		}
		rd.log(r, id, tid, status, items, dropped, true)
		return
	}

	h := w.Header()
	if v := h[rd.reqIDHdr]; len(v) == 1 && id != "" && v[0] != id {
		// An ID middleware below Handler gave the request its own ID
		// (see RequestIDFrom): the response says the same.
		h[rd.reqIDHdr] = []string{id}
	}
	dropSuccessHeaders(h, status == http.StatusNotModified, rd.reqIDHdr)
	ccSet, expiresSet := false, false
	for i := range items {
		for k, vs := range items[i].e.Header {
			k = http.CanonicalHeaderKey(k)
			ccSet = ccSet || k == "Cache-Control"
			expiresSet = expiresSet || k == "Expires"
			h.Del(k)
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
	if status == http.StatusNotModified {
		delete(h, "Content-Type") // a 304 keeps its Cache-Control
		w.WriteHeader(status)
		rd.observe(r, id, tid, status, items, JSONAPI)
		return
	}

	switch {
	case ccSet: // the error's own
	case expiresSet || rd.cacheControl == nil:
		delete(h, "Cache-Control") // the abandoned success's
	default:
		h["Cache-Control"] = rd.cacheControl
	}
	format, vnd := negotiate(acceptOf(r), rd.opts.Format, rd.opts.Strict)
	if len(rd.langTags) > 1 {
		// The document's language follows Accept-Language too.
		h["Content-Language"] = rd.langHdr[li]
		varyAcceptLanguage(h)
	} else {
		VaryAccept(h)
	}
	h["Content-Type"] = contentTypeHeader(format, vnd)
	h["X-Content-Type-Options"] = hdrNosniff

	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		// The document is built in pooled scratch space, which never
		// leaves this function, and written from a copy of its own: a
		// writer is told not to retain what it is given, but one that does
		// (a body logger handing it to a goroutine, say) must still never
		// see it overwritten by another request's document. A HEAD
		// response has no body to build.
		bp := bufPool.Get().(*[]byte)
		scratch := rd.appendDocument((*bp)[:0], r, format, status, id, tid, items)
		buf := append([]byte(nil), scratch...)
		if cap(scratch) <= 64<<10 {
			*bp = scratch
			bufPool.Put(bp)
		}
		_, _ = w.Write(buf)
	}

	rd.log(r, id, tid, status, items, dropped, false)
	rd.observe(r, id, tid, status, items, format)
}

// acceptOf returns r's Accept header, joining repeated fields. The key is
// looked up as net/http stores it, skipping Header.Get's canonicalisation.
func acceptOf(r *http.Request) string {
	vs := r.Header["Accept"]
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return vs[0]
	}
	return strings.Join(vs, ",")
}

// appendDocument encodes items in format f, as the answer to r (nil for
// the response-code page's examples); tid is the trace ID, "" for none.
func (rd *Renderer) appendDocument(b []byte, r *http.Request, f Format, status int, id, tid string, items []item) []byte {
	switch f {
	case Problem:
		return rd.appendProblem(b, r, status, id, tid, items)
	case Twitter:
		return rd.appendTwitter(b, tid, items)
	}
	return rd.appendJSONAPI(b, r, id, tid, items)
}

// bufPool holds the scratch space documents are built in (see Write); no
// slice from it is ever handed to a writer.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
