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
// links.about and problem type) scrolls to and highlights it; a table of
// contents links to the page's sections, and each endpoint of
// opts.OpenAPI's operations has a row of its own. Catalog text and opts are
// HTML-escaped. It returns an error if opts.OpenAPI describes operations
// the OpenAPI document refuses.
func (rd *Renderer) WriteHTML(w io.Writer, opts DocsOptions) error {
	p, err := rd.page(opts)
	if err != nil {
		return err
	}
	b, err := p.html()
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
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0; --zebra: #f6f8fa; --mark: #fff8c5; --code: #eff2f5; --accent: #0969da; --yes: #1a7f37; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --zebra: #151b23; --mark: #3b2f00; --code: #262c36; --accent: #4493f8; --yes: #3fb950; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
h2, h3 { scroll-margin-top: 1rem; }
h2:target, h3:target { background: var(--mark); }
p, li, dd { max-width: 48rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .875em; }
code { background: var(--code); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--code); padding: 1rem; border-radius: 6px; overflow-x: auto; line-height: 1.45; }
pre code { background: none; padding: 0; font-size: 1em; }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1.25rem; margin: 1.5rem 0; max-width: 48rem; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .25rem; padding: 0; border: 0; }
nav.toc ol { margin: 0; padding-left: 1.25rem; }
nav.toc li { margin: .15rem 0; break-inside: avoid; }
@media (min-width: 48rem) { nav.toc > ol { columns: 2; column-gap: 2rem; } }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .55rem .75rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--line); white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--zebra); }
tbody tr:target { background: var(--mark); outline: 2px solid var(--accent); outline-offset: -2px; }
tr { scroll-margin-top: 2rem; }
td.status { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.code, td.member, td.endpoint { white-space: nowrap; }
td.example { width: 30%; }
td.example code { overflow-wrap: anywhere; }
td.code a, .codes a, .ops a { text-decoration: none; }
.ops { display: block; margin-top: .3rem; color: var(--muted); font-size: .9em; }
.ops code { white-space: nowrap; }
.codes { list-style: none; margin: 0; padding: 0; }
.codes li { display: inline-block; margin: 0 .6rem .2rem 0; }
td.retry { font-size: .9em; }
.retry-yes { color: var(--yes); font-weight: 600; }
.retry-no, .retry-none { color: var(--muted); }
dl.retry dt { font-weight: 600; margin-top: .75rem; }
dl.retry dd { margin: .15rem 0 0 1.25rem; }
@media (min-width: 60rem) { td.retry { white-space: nowrap; } td.status, td.code, td.retry { width: 1%; } }
@media (max-width: 40rem) {
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table, tbody, tr, td { display: block; }
  tr { padding: .6rem .25rem; border-bottom: 1px solid var(--line); }
  td { border: 0; padding: .1rem .5rem; }
  td.status, td.text { display: inline-block; padding-right: 0; }
  td:empty { display: none; }
  td.retry::before { content: "Retry: "; color: var(--muted); font-weight: normal; }
  td.example { width: auto; }
  td.example::before { content: "Example: "; color: var(--muted); }
  td.sent::before { content: "Sent with: "; color: var(--muted); }
  td.member, td.endpoint, td.code { white-space: normal; }
}
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
// context. The page's own prose is markup that textHTML renders.
var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{
	"css":  func() template.CSS { return template.CSS(docsCSS) },
	"text": textHTML,
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
<p>{{.API}}{{text .Intro}}</p>
<nav class="toc" aria-labelledby="page-contents">
<h2 id="page-contents">Contents</h2>
<ol>
{{- range .Contents}}
<li><a href="#{{.Anchor}}">{{.Title}}</a>
{{- if .Sub}}<ol>{{range .Sub}}<li><a href="#{{.Anchor}}">{{.Title}}</a></li>{{end}}</ol>{{end -}}
</li>
{{- end}}
</ol>
</nav>
<section aria-labelledby="http-status-codes">
<h2 id="http-status-codes">HTTP Status Codes</h2>
<p>The <code>code</code> of an error document is stable and safe to branch on. The Retry column says whether sending the request again can help: see <a href="#retrying-requests">Retrying Requests</a>.</p>
<div class="table">
<table id="status-codes-table">
<thead><tr><th scope="col">Status</th><th scope="col">Text</th><th scope="col">Error code</th><th scope="col">Description</th><th scope="col">Retry</th></tr></thead>
<tbody>
{{- range .Rows}}
{{- if .Code}}
<tr id="{{.Code}}"><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td class="code"><a href="#{{.Code}}"><code>{{.Code}}</code></a></td><td>{{.Description}}{{if .LegacyCode}} <span class="note">Twitter v1 code: {{.LegacyCode}}.</span>{{end}}{{if .ServerSide}} <strong>Not your fault.</strong>{{end}}
{{- if .EveryEndpoint}}<span class="ops">Any endpoint can answer with it.</span>
{{- else if .Endpoints}}<span class="ops">Returned by {{if .EndpointsAllBut}}every endpoint but {{end}}{{range $i, $e := .Endpoints}}{{if $i}}, {{end}}<a href="#{{$e.Anchor}}"><code>{{$e.Label}}</code></a>{{end}}.</span>{{end -}}
</td><td class="retry retry-{{.RetryClass}}">{{.Retry}}</td></tr>
{{- else}}
<tr><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td></td><td>{{.Description}} <strong>Not an error code.</strong></td><td class="retry retry-{{.RetryClass}}">{{.Retry}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
</div>
</section>
{{- if .Endpoints}}
<section aria-labelledby="api-endpoints">
<h2 id="api-endpoints">Endpoints</h2>
<p>The error codes each endpoint can answer with{{if .RouterCodes}}. Any endpoint can also answer with {{range $i, $c := .RouterCodes}}{{if $i}}, {{end}}<a href="#{{$c.Code}}"><code>{{$c.Code}}</code></a>{{end}}: the router's answers to a path or a method that nothing serves{{end}}.</p>
<div class="table">
<table id="endpoints-table">
<thead><tr><th scope="col">Endpoint</th><th scope="col">Summary</th><th scope="col">Error codes</th></tr></thead>
<tbody>
{{- range .Endpoints}}
<tr id="{{.Anchor}}"><td class="endpoint"><code>{{.Label}}</code></td><td>{{.Summary}}{{if .Deprecated}} <span class="note">Deprecated.</span>{{end}}</td><td><ul class="codes">{{range .Codes}}<li><a href="#{{.Code}}"><code>{{.Code}}</code></a> <span class="note">{{.Status}}</span></li>{{end}}</ul></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
{{- end}}
<section aria-labelledby="error-messages">
<h2 id="error-messages">Error Messages</h2>
<p>Every error answer carries a JSON document in one of three formats: JSON:API by default, problem details when the request's <code>Accept</code> header prefers them, and Twitter's v1 shape on routes that keep it. A client should ignore members it does not know: new ones may be added, existing ones keep their meaning.</p>
<h3 id="json-api-members">JSON:API</h3>
<p>Errors are returned as a JSON:API errors document (<code>application/vnd.api+json</code> when requested, <code>application/json</code> otherwise). For example:</p>
<pre><code>{{.Examples.JSONAPI}}</code></pre>
{{template "members" .JSONAPI}}
<h3 id="problem-details-members">Problem Details</h3>
<p>A request whose <code>Accept</code> header prefers <code>application/problem+json</code> gets RFC 9457 problem details instead:</p>
<pre><code>{{.Examples.Problem}}</code></pre>
{{template "members" .Problem}}
<h3 id="twitter-v1-members">Twitter v1</h3>
<p>Routes that keep Twitter's v1 shape answer:</p>
<pre><code>{{.Examples.Twitter}}</code></pre>
{{template "members" .Twitter}}
<h3 id="meta-members">Meta Members</h3>
<p>An error's <code>meta</code> holds facts specific to its code. These are the members the server's error handling sends where it knows them, and the codes whose documents carry them:</p>
<div class="table">
<table>
<thead><tr><th scope="col">Member</th><th scope="col">Codes</th><th scope="col">Meaning</th><th scope="col">Example</th></tr></thead>
<tbody>
{{- range .Meta}}
<tr><td class="member"><code>{{.Name}}</code></td><td>{{if .Codes}}<ul class="codes">{{range .Codes}}<li>{{if .Linked}}<a href="#{{.Code}}"><code>{{.Code}}</code></a>{{else}}<code>{{.Code}}</code>{{end}}</li>{{end}}</ul>{{else}}Any{{end}}</td><td>{{text .Meaning}}</td><td class="example"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="response-headers">
<h2 id="response-headers">Response Headers</h2>
<p>Besides the document, these headers tell a client what to do next. A browser's script can read them when the API allows its origin.</p>
<div class="table">
<table>
<thead><tr><th scope="col">Header</th><th scope="col">Sent with</th><th scope="col">Meaning</th><th scope="col">Example</th></tr></thead>
<tbody>
{{- range .Headers}}
<tr><td class="member">{{range $i, $n := .HeaderNames}}{{if $i}}<br>{{end}}<code>{{$n}}</code>{{end}}</td><td class="sent">{{text .Sent}}</td><td>{{text .Meaning}}</td><td class="example"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="retrying-requests">
<h2 id="retrying-requests">Retrying Requests</h2>
<p>The Retry column of the <a href="#http-status-codes">status codes</a> answers whether the same request can succeed later:</p>
<dl class="retry">
{{- range .Retry}}
<dt>{{.Label}} <span class="note">{{range $i, $c := .Statuses}}{{if $i}}, {{end}}<a href="#{{$c.Code}}">{{$c.Status}}</a>{{end}}</span></dt>
<dd>{{text .Meaning}}</dd>
{{- end}}
</dl>
<h3 id="retry-waiting">How Long to Wait</h3>
<ul>
{{- range .Waiting}}
<li>{{text .}}</li>
{{- end}}
</ul>
<h3 id="retry-idempotency">Which Requests to Repeat</h3>
<ul>
{{- range .Idempotency}}
<li>{{text .}}</li>
{{- end}}
</ul>
</section>
</main>
</body>
</html>
{{define "members"}}<div class="table">
<table>
<thead><tr><th scope="col">Member</th><th scope="col">Meaning</th><th scope="col">Example</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="member"><code>{{.Name}}</code></td><td>{{text .Meaning}}</td><td class="example"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>{{end}}`))
