package errdoc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarkdownListsEveryEntry(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	var b bytes.Buffer
	require.NoError(t, rd.WriteMarkdown(&b, errdoc.DocsOptions{API: "The demo API"}))
	page := b.String()
	assert.Contains(t, page, "| Code | Text | Description | Retry |")
	for _, e := range rd.Catalog().Entries() {
		row := regexp.MustCompile(`(?m)^\| <a id="` + e.Code + `"></a>` + strconv.Itoa(e.Status) + ` \| ` + regexp.QuoteMeta(e.Title) + ` \|`)
		assert.Regexp(t, row, page, "row for %s", e.Code)
	}
	// The example documents in the page are valid.
	blocks := regexp.MustCompile("(?s)```json\n(.*?)\n```").FindAllStringSubmatch(page, -1)
	require.Len(t, blocks, 3)
	requireJSONAPI(t, []byte(blocks[0][1]))
	assert.Contains(t, blocks[0][1], "record_not_found")
	requireProblem(t, []byte(blocks[1][1]))
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, blocks[2][1])
}

// hostileCatalog holds application text that tries to inject markup into
// the page: every writer of the page must render it as text.
func hostileCatalog(t testing.TB) *errdoc.Catalog {
	t.Helper()
	cat, err := errdoc.DefaultCatalog().With(errdoc.Entry{
		Status: 404, Code: "record_not_found", Title: `<b>Record</b> | not "found"`,
		Description: "<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) *bold* `tick` & \\ back\nslash",
	})
	require.NoError(t, err)
	return cat
}

func TestMarkdownEscapesCatalogText(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: hostileCatalog(t)})
	var b bytes.Buffer
	require.NoError(t, rd.WriteMarkdown(&b, errdoc.DocsOptions{Title: "<i>T</i>", API: "1. # Evil", OpenAPI: hostileOperations()}))
	page := b.String()
	table, _, ok := strings.Cut(page, `## <a id="error-messages"></a>Error Messages`) // the examples are code blocks
	require.True(t, ok)
	for _, raw := range []string{"<script", "<img", "<b>", "<i>", "[link]", "*bold*", "`tick`", " | not", "*op*"} {
		assert.NotContains(t, table, raw)
	}
	assert.Contains(t, table, "| &lt;b&gt;Get&lt;/b&gt; \\*op\\* \\| x |", "the operation's summary is text")
	assert.Contains(t, page, "| <a id=\"record_not_found\"></a>404 | &lt;b&gt;Record&lt;/b&gt; \\| not \"found\" | &lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, page, `\[link\](javascript:alert(3)) \*bold\* \`+"`tick\\`"+` &amp; \\ back slash`)
	assert.Contains(t, page, "\n1\\. # Evil answers", "the API name cannot start a list")
	// Every row of the codes table still has exactly five unescaped
	// pipes, and every endpoint's row four.
	for _, line := range strings.Split(page, "\n") {
		switch {
		case strings.HasPrefix(line, `| <a id="endpoint-`):
			assert.Equal(t, 4, strings.Count(line, "|")-strings.Count(line, `\|`), line)
		case strings.HasPrefix(line, "| <a id="):
			assert.Equal(t, 5, strings.Count(line, "|")-strings.Count(line, `\|`), line)
		}
	}
}

// hostileOperations describe one operation whose summary tries to inject
// markup into the page.
func hostileOperations() errdoc.OpenAPIOptions {
	return errdoc.OpenAPIOptions{Operations: []errdoc.Operation{{
		Method: "GET", Path: "/v1/items/{id}", Summary: "<b>Get</b> *op* | x",
		Errors: []string{"record_not_found"},
	}}}
}

func TestHTMLPage(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: hostileCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	var b bytes.Buffer
	require.NoError(t, rd.WriteHTML(&b, errdoc.DocsOptions{Title: "<i>Codes</i>", OpenAPI: hostileOperations()}))
	page := b.String()
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n"))
	for _, e := range rd.Catalog().Entries() {
		assert.Equal(t, 1, strings.Count(page, ` id="`+e.Code+`"`), e.Code)
		assert.Contains(t, page, `<tr id="`+e.Code+`"><td class="status">`+strconv.Itoa(e.Status)+`</td>`)
		assert.Contains(t, page, `<a href="#`+e.Code+`">`)
	}
	// Self-contained: nothing is loaded from anywhere, no script runs.
	for _, raw := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "url(", "@import", "<i>", "<b>"} {
		assert.NotContains(t, page, raw)
	}
	assert.NotRegexp(t, `<[^>]*\s(src|srcset|action)=`, page)
	ids := map[string]int{}
	for _, id := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		ids[id[1]]++
	}
	for id, n := range ids {
		assert.Equal(t, 1, n, "id %q is unique", id)
	}
	for _, href := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		assert.True(t, strings.HasPrefix(href[1], "#"), "only in-page links: %s", href[1])
		assert.Contains(t, ids, strings.TrimPrefix(href[1], "#"), "the link lands on an element")
	}
	// The table of contents names every section, and every section is in it.
	toc := regexp.MustCompile(`(?s)<nav class="toc".*?</nav>`).FindString(page)
	require.NotEmpty(t, toc)
	for _, section := range regexp.MustCompile(`<h[23] id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if section[1] != "page-contents" {
			assert.Contains(t, toc, `<a href="#`+section[1]+`">`, "the contents link to %s", section[1])
		}
	}
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, page, "&lt;b&gt;Get&lt;/b&gt; *op* | x")
	assert.Contains(t, page, "<title>&lt;i&gt;Codes&lt;/i&gt;</title>")
	// The example documents are shown escaped and parse back.
	pres := regexp.MustCompile(`(?s)<pre><code>(.*?)</code></pre>`).FindAllStringSubmatch(page, -1)
	require.Len(t, pres, 3)
	requireJSONAPI(t, []byte(htmlUnescape(pres[0][1])))
	requireProblem(t, []byte(htmlUnescape(pres[1][1])))
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#39;", "'", "&amp;", "&").Replace(s)
}

func TestDocsHandlerNegotiates(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	srv := httptest.NewServer(rd.Handler(rd.DocsHandler(errdoc.DocsOptions{})))
	defer srv.Close()
	const (
		md   = "text/markdown; charset=utf-8"
		html = "text/html; charset=utf-8"
		oa   = "application/json"
		vnd  = "application/vnd.oai.openapi+json;version=3.1.0"
	)
	tests := []struct {
		name, query, accept string
		status              int
		ct                  string
	}{
		{"no Accept", "", "", 200, md},
		{"curl", "", "*/*", 200, md},
		{"browser", "", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", 200, html},
		{"xhtml only", "", "application/xhtml+xml", 406, "application/json"},
		{"markdown", "", "text/markdown", 200, md},
		{"markdown preferred by q", "", "text/html;q=0.5, text/markdown;q=0.9", 200, md},
		{"html preferred by q", "", "text/markdown;q=0.4, text/html", 200, html},
		{"text wildcard ties to markdown", "", "text/*", 200, md},
		{"specific range beats wildcard", "", "text/*;q=0.9, text/markdown;q=0.1", 200, html},
		{"markdown refused", "", "text/markdown;q=0, */*", 200, html},
		{"json", "", "application/json", 200, oa},
		{"openapi media type", "", "application/vnd.oai.openapi+json", 200, vnd},
		{"uppercase", "", "TEXT/HTML", 200, html},
		{"format overrides Accept", "?format=html", "text/markdown", 200, html},
		{"format markdown", "?format=markdown", "text/html", 200, md},
		{"format openapi", "?format=openapi", "", 200, oa},
		{"nothing acceptable", "", "image/png", 406, "application/json"},
		{"everything refused", "", "*/*;q=0", 406, "application/json"},
		{"unknown format", "?format=<x>", "", 400, "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := getAccept(t, srv, tc.query, tc.accept)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.ct, resp.Header.Get("Content-Type"))
			assert.Contains(t, resp.Header.Values("Vary"), "Accept")
			assert.NotContains(t, string(body), "<x>", "client input is not echoed")
			switch tc.ct {
			case html:
				assert.Contains(t, string(body), `<tr id="gateway_timeout"><td class="status">504</td>`)
				assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")
			case md:
				assert.Contains(t, string(body), `<a id="gateway_timeout"></a>504 | Gateway Timeout |`)
			case oa, vnd:
				assert.True(t, json.Valid(body))
			}
			if tc.status == 200 {
				assert.Equal(t, strconv.Itoa(len(body)), resp.Header.Get("Content-Length"))
				assert.NotEmpty(t, resp.Header.Get("ETag"))
			}
		})
	}
}

func TestDocsHandlerCachingAndMethods(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	srv := httptest.NewServer(rd.Handler(rd.DocsHandler(errdoc.DocsOptions{})))
	defer srv.Close()
	get := func(method, accept, inm string) *http.Response {
		req, _ := http.NewRequest(method, srv.URL, nil)
		req.Header.Set("Accept", accept)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	htmlResp, mdResp := get("GET", "text/html", ""), get("GET", "text/markdown", "")
	assert.NotEqual(t, htmlResp.Header.Get("ETag"), mdResp.Header.Get("ETag"), "each representation has its own tag")
	notMod := get("GET", "text/html", `"other", W/`+htmlResp.Header.Get("ETag"))
	assert.Equal(t, 304, notMod.StatusCode)
	assert.Equal(t, htmlResp.Header.Get("ETag"), notMod.Header.Get("ETag"))
	assert.Equal(t, 200, get("GET", "text/markdown", htmlResp.Header.Get("ETag")).StatusCode, "the HTML tag does not match Markdown")
	requireDistinctOpenAPITags(t, srv.URL+"?format=openapi")

	head := get("HEAD", "text/html", "")
	assert.Equal(t, 200, head.StatusCode)
	assert.Equal(t, htmlResp.Header.Get("Content-Length"), head.Header.Get("Content-Length"))

	post := get("POST", "text/html", "")
	assert.Equal(t, 405, post.StatusCode)
	assert.Equal(t, "GET, HEAD", post.Header.Get("Allow"))
}

// getAccept GETs srv's path with the given Accept header (none when empty)
// and returns the response with its body read.
func getAccept(t *testing.T, srv *httptest.Server, path, accept string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, body
}
