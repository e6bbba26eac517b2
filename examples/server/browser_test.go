package main

import (
	"context"
	"encoding/json"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/internal/testsrv"
)

// corsPage is a front-end page served from another origin than the API's.
// Its script fetches API answers as a browser application would and writes
// what the browser let it read into #result.
const corsPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>front end</title></head>
<body><pre id="result">pending</pre>
<script>
const api = "{{api}}";
async function call(path, n) {
  let r;
  for (let i = 0; i < n; i++) r = await fetch(api + path, {headers: {"Accept": "application/json"}});
  let doc = null;
  try { doc = await r.json(); } catch (e) { doc = String(e); }
  return {path: path, status: r.status, doc: doc,
    retryAfter: r.headers.get("Retry-After"), requestID: r.headers.get("X-Request-ID"),
    rateLimit: r.headers.get("RateLimit")};
}
(async () => {
  const out = [];
  try {
    out.push(await call("/v1/items/999", 1));
    out.push(await call("/v1/panic", 1));
    out.push(await call("/v1/limited", 6));
    const del = await fetch(api + "/v1/items/2", {method: "DELETE", headers: {"Authorization": "Bearer admin"}});
    out.push({path: "DELETE /v1/items/2", status: del.status, requestID: del.headers.get("X-Request-ID")});
    const who = await fetch(api + "/v1/private");
    out.push({path: "/v1/private", status: who.status, requestID: who.headers.get("X-Request-ID"),
      wwwAuthenticate: who.headers.get("WWW-Authenticate")});
  } catch (e) { out.push({error: String(e)}); }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>`

type browserAnswer struct {
	Path       string `json:"path"`
	Status     int    `json:"status"`
	Doc        any    `json:"doc"`
	RetryAfter string `json:"retryAfter"`
	RequestID  string `json:"requestID"`
	RateLimit  string `json:"rateLimit"`
	WWWAuth    string `json:"wwwAuthenticate"`
	Error      string `json:"error"`
}

// Row 32 in a real browser: a page served from the demo's trusted origin
// (another port, so another origin) fetches a 404, a panic's 500 and a 429
// from the demo, and reads each status, document and the headers a client
// acts on; a DELETE passes its preflight. Without CORS headers on errors,
// fetch would reject with a network error and the page would read nothing.
func TestBrowserReadsErrorsCrossOrigin(t *testing.T) {
	bin := testsrv.Chromium(t)
	// The front end listens first, so that its origin is known to the demo.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	frontOrigin := "http://localhost:" + port
	base, _ := startDemo(t, "-cors-origin", frontOrigin)
	page := strings.ReplaceAll(corsPage, "{{api}}", base)
	front := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})}}
	front.Start()
	defer front.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom := testsrv.DumpDOM(ctx, t, bin, frontOrigin+"/", "--virtual-time-budget=20000")
	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "no result in the dumped DOM: %s", dom)
	var got []browserAnswer
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got), "result: %s", m[1])
	require.Len(t, got, 5, "result: %s", m[1])
	for _, a := range got {
		assert.Empty(t, a.Error)
		assert.NotEmpty(t, a.RequestID, "%s: the page reads X-Request-ID", a.Path)
	}
	docCode := func(a browserAnswer) string {
		d, _ := a.Doc.(map[string]any)
		errs, _ := d["errors"].([]any)
		if len(errs) == 0 {
			return ""
		}
		e, _ := errs[0].(map[string]any)
		code, _ := e["code"].(string)
		return code
	}
	assert.Equal(t, 404, got[0].Status)
	assert.Equal(t, "record_not_found", docCode(got[0]))
	assert.Equal(t, 500, got[1].Status)
	assert.Equal(t, "internal_error", docCode(got[1]))
	assert.Equal(t, 429, got[2].Status)
	assert.Equal(t, "too_many_requests", docCode(got[2]))
	assert.NotEmpty(t, got[2].RetryAfter, "the page reads Retry-After")
	assert.NotEmpty(t, got[2].RateLimit, "the page reads RateLimit")
	assert.Equal(t, 204, got[3].Status, "the DELETE, with its Authorization header, passed its preflight")
	assert.Equal(t, 401, got[4].Status)
	assert.True(t, strings.HasPrefix(got[4].WWWAuth, "Bearer"), "the page reads WWW-Authenticate: %q", got[4].WWWAuth)
}
