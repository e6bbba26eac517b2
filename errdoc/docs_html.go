package errdoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
)

// WriteHTML writes the response-code page as one self-contained HTML
// document: no scripts, no external stylesheets, fonts or images, and a
// small inline stylesheet the page reads well without. Each catalog entry is
// a table row whose id is its code, so DocsURL#code (every document's
// links.about and problem type) scrolls to and highlights it. Catalog text
// and opts are HTML-escaped.
func (rd *Renderer) WriteHTML(w io.Writer, opts DocsOptions) error {
	b, err := rd.page(opts).html()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (p *docsPage) html() ([]byte, error) {
	var b bytes.Buffer
	if err := docsTemplate.Execute(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// docsCSS is the page's only style. It is sent inline and allowed by hash in
// the page's Content-Security-Policy (see docsCSP).
const docsCSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0; --zebra: #f6f8fa; --mark: #fff8c5; --code: #eff2f5; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --zebra: #151b23; --mark: #3b2f00; --code: #262c36; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 1.5rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
p { max-width: 48rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .875em; }
code { background: var(--code); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--code); padding: 1rem; border-radius: 6px; overflow-x: auto; line-height: 1.45; }
pre code { background: none; padding: 0; font-size: 1em; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .55rem .75rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--line); white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--zebra); }
tbody tr:target { background: var(--mark); outline: 2px solid var(--accent); outline-offset: -2px; }
tr { scroll-margin-top: 2rem; }
td.status { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.code { white-space: nowrap; }
@media (min-width: 60rem) { td.text { white-space: nowrap; } }
@media (max-width: 40rem) {
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table, tbody, tr, td { display: block; }
  tr { padding: .6rem .25rem; border-bottom: 1px solid var(--line); }
  td { border: 0; padding: .1rem .5rem; }
  td.status, td.text { display: inline-block; padding-right: 0; }
  td:empty { display: none; }
}
td.code a { text-decoration: none; }
.note { color: var(--muted); font-size: .9em; }
`

// docsCSP is the Content-Security-Policy of the HTML page: nothing may load
// from anywhere, and the only style is docsCSS.
var docsCSP = func() string {
	sum := sha256.Sum256([]byte(docsCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}()

// docsTemplate is parsed once; html/template escapes every value for its
// context.
var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(docsCSS) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{css}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<section aria-labelledby="http-status-codes">
<h2 id="http-status-codes">HTTP Status Codes</h2>
<p>{{.API}} attempts to return appropriate HTTP status codes for every request. Every error response carries a JSON error document; its <code>code</code> member is stable and safe to branch on. Link to a code with this page's address followed by <code>#</code> and the code.</p>
<div class="table">
<table>
<thead><tr><th scope="col">Status</th><th scope="col">Text</th><th scope="col">Error code</th><th scope="col">Description</th></tr></thead>
<tbody>
{{- range .Rows}}
{{- if .Code}}
<tr id="{{.Code}}"><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td class="code"><a href="#{{.Code}}"><code>{{.Code}}</code></a></td><td>{{.Description}}{{if .LegacyCode}} <span class="note">Twitter v1 code: {{.LegacyCode}}.</span>{{end}}{{if .ServerSide}} <strong>Not your fault.</strong>{{end}}</td></tr>
{{- else}}
<tr><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td></td><td>{{.Description}} <strong>Not an error code.</strong></td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="error-messages">
<h2 id="error-messages">Error Messages</h2>
<p>Errors are returned as a JSON:API errors document (<code>application/vnd.api+json</code> when requested, <code>application/json</code> otherwise). For example:</p>
<pre><code>{{.Examples.JSONAPI}}</code></pre>
<p>A request whose <code>Accept</code> header prefers <code>application/problem+json</code> gets RFC 9457 problem details instead:</p>
<pre><code>{{.Examples.Problem}}</code></pre>
<p>Routes that keep Twitter's v1 shape answer:</p>
<pre><code>{{.Examples.Twitter}}</code></pre>
<p>Every response carries an <code>X-Request-ID</code> header, and every error document the same request ID. Quote it when reporting a problem.</p>
</section>
</main>
</body>
</html>
`))
