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
  td.retry::before { content: attr(data-label) ": "; color: var(--muted); font-weight: normal; }
  td.example { width: auto; }
  td.example::before { content: attr(data-label) ": "; color: var(--muted); }
  td.sent::before { content: attr(data-label) ": "; color: var(--muted); }
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
	"members": func(p *docsPage, ms []docsMember) docsMembersTable {
		return docsMembersTable{T: p.T, Members: ms}
	},
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{css}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>{{text .IntroBefore}}{{.API}}{{text .IntroAfter}}</p>
<nav class="toc" aria-labelledby="page-contents">
<h2 id="page-contents">{{index $.T "contents"}}</h2>
<ol>
{{- range .Contents}}
<li><a href="#{{.Anchor}}">{{.Title}}</a>
{{- if .Sub}}<ol>{{range .Sub}}<li><a href="#{{.Anchor}}">{{.Title}}</a></li>{{end}}</ol>{{end -}}
</li>
{{- end}}
</ol>
</nav>
<section aria-labelledby="http-status-codes">
<h2 id="http-status-codes">{{index $.T "section.codes"}}</h2>
<p>{{text (index $.T "codes.intro")}}</p>
<div class="table">
<table id="status-codes-table">
<thead><tr><th scope="col">{{index $.T "column.status"}}</th><th scope="col">{{index $.T "column.text"}}</th><th scope="col">{{index $.T "column.code"}}</th><th scope="col">{{index $.T "column.description"}}</th><th scope="col">{{index $.T "column.retry"}}</th></tr></thead>
<tbody>
{{- range .Rows}}
{{- if .Code}}
<tr id="{{.Code}}"><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td class="code"><a href="#{{.Code}}"><code>{{.Code}}</code></a></td><td>{{.Description}}{{if .LegacyNote}} <span class="note">{{.LegacyNote}}</span>{{end}}{{if .ServerSide}} <strong>{{index $.T "row.server_side"}}</strong>{{end}}
{{- if .EveryEndpoint}}<span class="ops">{{index $.T "row.every_endpoint"}}</span>
{{- else if .Endpoints}}<span class="ops">{{.EndpointsBefore}}{{range $i, $e := .Endpoints}}{{if $i}}, {{end}}<a href="#{{$e.Anchor}}"><code>{{$e.Label}}</code></a>{{end}}{{.EndpointsAfter}}</span>{{end -}}
</td><td class="retry retry-{{.RetryClass}}" data-label="{{index $.T "column.retry"}}">{{.Retry}}</td></tr>
{{- else}}
<tr><td class="status">{{.Status}}</td><td class="text">{{.Text}}</td><td></td><td>{{.Description}} <strong>{{index $.T "row.not_an_error"}}</strong></td><td class="retry retry-{{.RetryClass}}" data-label="{{index $.T "column.retry"}}">{{.Retry}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
</div>
</section>
{{- if .Endpoints}}
<section aria-labelledby="api-endpoints">
<h2 id="api-endpoints">{{index $.T "section.endpoints"}}</h2>
<p>{{text .EndpointsBefore}}{{range $i, $c := .RouterCodes}}{{if $i}}, {{end}}<a href="#{{$c.Code}}"><code>{{$c.Code}}</code></a>{{end}}{{text .EndpointsAfter}}</p>
<div class="table">
<table id="endpoints-table">
<thead><tr><th scope="col">{{index $.T "column.endpoint"}}</th><th scope="col">{{index $.T "column.summary"}}</th><th scope="col">{{index $.T "column.codes"}}</th></tr></thead>
<tbody>
{{- range .Endpoints}}
<tr id="{{.Anchor}}"><td class="endpoint"><code>{{.Label}}</code></td><td>{{.Summary}}{{if .Deprecated}} <span class="note">{{index $.T "endpoints.deprecated"}}</span>{{end}}</td><td><ul class="codes">{{range .Codes}}<li><a href="#{{.Code}}"><code>{{.Code}}</code></a> <span class="note">{{.Status}}</span></li>{{end}}</ul></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
{{- end}}
<section aria-labelledby="error-messages">
<h2 id="error-messages">{{index $.T "section.documents"}}</h2>
<p>{{text (index $.T "documents.intro")}}</p>
<h3 id="json-api-members">{{index $.T "section.jsonapi"}}</h3>
<p>{{text (index $.T "jsonapi.intro")}}</p>
<pre><code>{{.Examples.JSONAPI}}</code></pre>
{{template "members" (members $ .JSONAPI)}}
<h3 id="problem-details-members">{{index $.T "section.problem"}}</h3>
<p>{{text (index $.T "problem.intro")}}</p>
<pre><code>{{.Examples.Problem}}</code></pre>
{{template "members" (members $ .Problem)}}
<h3 id="twitter-v1-members">{{index $.T "section.twitter"}}</h3>
<p>{{text (index $.T "twitter.intro")}}</p>
<pre><code>{{.Examples.Twitter}}</code></pre>
{{template "members" (members $ .Twitter)}}
<h3 id="meta-members">{{index $.T "section.meta"}}</h3>
<p>{{text (index $.T "meta.intro")}}</p>
<div class="table">
<table>
<thead><tr><th scope="col">{{index $.T "column.member"}}</th><th scope="col">{{index $.T "column.meta_codes"}}</th><th scope="col">{{index $.T "column.meaning"}}</th><th scope="col">{{index $.T "column.example"}}</th></tr></thead>
<tbody>
{{- range .Meta}}
<tr><td class="member"><code>{{.Name}}</code></td><td>{{if .Codes}}<ul class="codes">{{range .Codes}}<li>{{if .Linked}}<a href="#{{.Code}}"><code>{{.Code}}</code></a>{{else}}<code>{{.Code}}</code>{{end}}</li>{{end}}</ul>{{else}}{{index $.T "meta.any"}}{{end}}</td><td>{{text .Meaning}}</td><td class="example" data-label="{{index $.T "column.example"}}"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="response-headers">
<h2 id="response-headers">{{index $.T "section.headers"}}</h2>
<p>{{text (index $.T "headers.intro")}}</p>
<div class="table">
<table>
<thead><tr><th scope="col">{{index $.T "column.header"}}</th><th scope="col">{{index $.T "column.sent"}}</th><th scope="col">{{index $.T "column.meaning"}}</th><th scope="col">{{index $.T "column.example"}}</th></tr></thead>
<tbody>
{{- range .Headers}}
<tr><td class="member">{{range $i, $n := .HeaderNames}}{{if $i}}<br>{{end}}<code>{{$n}}</code>{{end}}</td><td class="sent" data-label="{{index $.T "column.sent"}}">{{text .Sent}}</td><td>{{text .Meaning}}</td><td class="example" data-label="{{index $.T "column.example"}}"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="retrying-requests">
<h2 id="retrying-requests">{{index $.T "section.retry"}}</h2>
<p>{{text (index $.T "retry.intro")}}</p>
<dl class="retry">
{{- range .Retry}}
<dt>{{.Label}} <span class="note">{{range $i, $c := .Statuses}}{{if $i}}, {{end}}<a href="#{{$c.Code}}">{{$c.Status}}</a>{{end}}</span></dt>
<dd>{{text .Meaning}}</dd>
{{- end}}
</dl>
<h3 id="retry-waiting">{{index $.T "section.waiting"}}</h3>
<ul>
{{- range .Waiting}}
<li>{{text .}}</li>
{{- end}}
</ul>
<h3 id="retry-idempotency">{{index $.T "section.idempotency"}}</h3>
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
<thead><tr><th scope="col">{{index .T "column.member"}}</th><th scope="col">{{index .T "column.meaning"}}</th><th scope="col">{{index .T "column.example"}}</th></tr></thead>
<tbody>
{{- range .Members}}
<tr><td class="member"><code>{{.Name}}</code></td><td>{{text .Meaning}}</td><td class="example" data-label="{{index $.T "column.example"}}"><code>{{.Example}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>{{end}}`))

// docsMembersTable is what the template "members" renders: a reference
// table with the page's texts.
type docsMembersTable struct {
	T       map[string]string
	Members []docsMember
}
