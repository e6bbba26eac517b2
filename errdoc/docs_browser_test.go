package errdoc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// harness is a page of the test server that frames the response-code page
// once per anchor (each code's, each link of the table of contents, each
// endpoint's), at DocsURL#anchor, and reports from inside each frame what
// the browser made of it: the element :target selects, where it is on the
// screen, the styles applied, whether anything was loaded or any element
// came from catalog text, and which in-page links lead nowhere. It is the
// test's script: the page under test has none and its
// Content-Security-Policy would refuse one.
const harness = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head>
<body>
{{frames}}
<pre id="result">pending</pre>
<script>
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("iframe").forEach(function (f) {
    var r = {code: f.name};
    try {
      var d = f.contentDocument;
      if (f.dataset.click) { // follow a link of the contents, as a reader does
        var link = d.querySelector('nav.toc a[href="#' + f.dataset.click + '"]');
        r.clicked = link ? link.textContent : "";
        if (link) { link.click(); }
      }
      var t = d.querySelector(":target");
      r.lang = d.documentElement.lang;
      r.targetText = t ? t.textContent : "";
      r.title = d.title;
      r.targetId = t ? t.id : "";
      r.targetTag = t ? t.tagName : "";
      r.status = t && t.cells ? t.cells[0].textContent : "";
      r.codeCell = t && t.cells ? t.cells[2].textContent : "";
      var box = t ? t.getBoundingClientRect() : null;
      r.top = box ? Math.round(box.top) : -1;
      r.frameHeight = f.contentWindow.innerHeight;
      r.background = t ? f.contentWindow.getComputedStyle(t).backgroundColor : "";
      r.font = f.contentWindow.getComputedStyle(d.body).fontFamily;
      r.resources = f.contentWindow.performance.getEntriesByType("resource").length;
      r.injected = d.querySelectorAll("script, img, b, i, iframe, link").length;
      r.rows = d.querySelectorAll("#status-codes-table tbody tr").length;
      r.tocLinks = [];
      d.querySelectorAll("nav.toc a").forEach(function (a) { r.tocLinks.push(a.getAttribute("href")); });
      r.broken = [];
      d.querySelectorAll("a[href]").forEach(function (a) {
        var h = a.getAttribute("href");
        if (h.charAt(0) !== "#" || !d.getElementById(decodeURIComponent(h.slice(1)))) { r.broken.push(h); }
      });
    } catch (e) { r.error = String(e); }
    out.push(r);
  });
  document.getElementById("result").textContent = JSON.stringify(out);
});
</script>
</body></html>`

type frameReport struct {
	Code, Title, TargetID, TargetTag, Status, CodeCell, Background, Font, Error string
	Lang, TargetText, Clicked                                                   string
	Top, FrameHeight, Resources, Injected, Rows                                 int
	TOCLinks, Broken                                                            []string
}

func TestHTMLPageInBrowser(t *testing.T) {
	bin := testsrv.Chromium(t)
	cat := hostileCatalog(t)
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat.MustWithTranslation(spanishTranslation(cat, true))})
	opts := errdoc.DocsOptions{OpenAPI: errdoc.OpenAPIOptions{
		RouterErrors: []string{"not_found", "method_not_allowed"},
		Operations: append(hostileOperations().Operations, errdoc.Operation{
			Method: "DELETE", Path: "/v1/items/{id}", Summary: "Delete an item", Errors: []string{"unauthorized", "record_not_found"},
		}),
	}}
	docs := rd.DocsHandler(opts)
	entries := rd.Catalog().Entries()
	// The anchors besides the codes': the table of contents' and the
	// endpoints', read from the page the handler serves.
	var served strings.Builder
	require.NoError(t, rd.WriteHTML(&served, opts))
	toc := regexp.MustCompile(`(?s)<nav class="toc".*?</nav>`).FindString(served.String())
	var tocAnchors, endpointAnchors []string
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(toc, -1) {
		tocAnchors = append(tocAnchors, m[1])
	}
	for _, m := range regexp.MustCompile(`<tr id="(endpoint-[^"]+)"`).FindAllStringSubmatch(served.String(), -1) {
		endpointAnchors = append(endpointAnchors, m[1])
	}
	require.Len(t, tocAnchors, 11, "sections and subsections, endpoints among them")
	require.Equal(t, []string{"endpoint-get-v1-items-id", "endpoint-delete-v1-items-id"}, endpointAnchors)
	var frames strings.Builder
	var anchors []string
	for _, e := range entries {
		anchors = append(anchors, e.Code)
	}
	anchors = append(append(anchors, tocAnchors...), endpointAnchors...)
	for _, a := range anchors {
		// The frame is short, so that scrolling to the anchor is visible.
		fmt.Fprintf(&frames, "<iframe name=%q src=\"/docs/errors#%s\" width=\"1024\" height=\"240\"></iframe>\n", a, a)
	}
	// The Spanish page, by Accept-Language's stand-in ?lang=: a link of
	// its contents followed (clicked) and another opened by its anchor,
	// which are the English page's.
	spanish := []struct{ name, src, click, anchor, heading string }{
		{"es-click", "/docs/errors?lang=es", "retry-waiting", "retry-waiting", "Cuánto esperar"},
		{"es-anchor", "/docs/errors?lang=es#response-headers", "", "response-headers", "Cabeceras de respuesta"},
		{"es-code", "/docs/errors?lang=es#not_found", "", "not_found", ""},
	}
	for _, f := range spanish {
		fmt.Fprintf(&frames, "<iframe name=%q src=%q data-click=%q width=\"1024\" height=\"240\"></iframe>\n", f.name, f.src, f.click)
	}
	page := strings.Replace(harness, "{{frames}}", frames.String(), 1)
	mux := http.NewServeMux()
	mux.Handle("/docs/errors", rd.Handler(docs))
	mux.HandleFunc("/harness", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a loaded machine starts Chromium slowly
	defer cancel()
	dom := testsrv.DumpDOM(ctx, t, bin, srv.URL+"/harness", "--window-size=1100,900", "--virtual-time-budget=10000")

	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "no result in the dumped DOM: %s", dom)
	var reports []frameReport
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &reports), "result: %s", m[1])
	require.Len(t, reports, len(anchors)+len(spanish))
	for i, f := range spanish {
		r := reports[len(anchors)+i]
		t.Run(f.name, func(t *testing.T) {
			require.Empty(t, r.Error)
			assert.Equal(t, "es", r.Lang)
			assert.Equal(t, "Códigos de respuesta", r.Title)
			if f.click != "" {
				assert.Equal(t, f.heading, r.Clicked, "the contents link to the section by its Spanish heading")
			}
			assert.Equal(t, f.anchor, r.TargetID, "the English anchor lands in the Spanish page")
			if f.heading != "" {
				assert.Equal(t, f.heading, r.TargetText)
			} else {
				assert.Equal(t, "TR", r.TargetTag)
				assert.Contains(t, r.TargetText, "No encontrado")
			}
			assert.True(t, r.Top >= 0 && r.Top < r.FrameHeight, "the target is scrolled into view: top %d of %d", r.Top, r.FrameHeight)
			assert.NotEqual(t, "rgba(0, 0, 0, 0)", r.Background, "the target is highlighted")
			assert.Contains(t, r.Font, "system-ui", "the inline stylesheet is applied (allowed by its CSP hash)")
			assert.Zero(t, r.Resources, "the page loads nothing")
			assert.Empty(t, r.Broken, "every in-page link lands on an element")
			assert.Len(t, r.TOCLinks, len(tocAnchors))
		})
	}
	reports = reports[:len(anchors)]
	for i, r := range reports {
		anchor := anchors[i]
		t.Run(anchor, func(t *testing.T) {
			require.Empty(t, r.Error)
			require.Equal(t, anchor, r.Code)
			assert.Equal(t, "Response Codes", r.Title)
			assert.Equal(t, "en", r.Lang)
			assert.Equal(t, anchor, r.TargetID, "#%s selects its element", anchor)
			switch {
			case i < len(entries):
				e := entries[i]
				assert.Equal(t, "TR", r.TargetTag)
				assert.Equal(t, fmt.Sprint(e.Status), r.Status)
				assert.Equal(t, e.Code, r.CodeCell)
			case i < len(entries)+len(tocAnchors):
				assert.Contains(t, []string{"H2", "H3"}, r.TargetTag, "a link of the contents lands on a heading")
			default:
				assert.Equal(t, "TR", r.TargetTag, "an endpoint's anchor is its row")
			}
			assert.True(t, r.Top >= 0 && r.Top < r.FrameHeight, "the target is scrolled into view: top %d of %d", r.Top, r.FrameHeight)
			assert.Contains(t, r.Font, "system-ui", "the inline stylesheet is applied (allowed by its CSP hash)")
			assert.NotEqual(t, "rgba(0, 0, 0, 0)", r.Background, "the target is highlighted")
			assert.Zero(t, r.Resources, "the page loads nothing")
			assert.Zero(t, r.Injected, "catalog text never becomes markup")
			assert.Equal(t, len(entries)+1, r.Rows)
			assert.Len(t, r.TOCLinks, len(tocAnchors))
			if i == 0 { // the same page in every frame
				assert.Empty(t, r.Broken, "every in-page link lands on an element")
			}
		})
	}
}
