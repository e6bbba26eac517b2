package errdoc

import (
	"net/http"
)

// docsPage is the content of the response-code page, shared by its Markdown
// and HTML forms: the catalog's rows and the example documents, resolved
// once when the page is generated.
type docsPage struct {
	Title    string
	API      string
	Rows     []docsRow
	Examples docsExamples
}

// docsRow is one row of the page's table.
type docsRow struct {
	Status      int
	Text        string // the entry's title
	Code        string // the anchor and the documents' code; "" for 200
	Description string
	LegacyCode  int  // Twitter's v1 code, 0 when none
	ServerSide  bool // 5xx: not the client's fault
}

// docsExamples are the example documents shown under the table, indented.
type docsExamples struct {
	JSONAPI, Problem, Twitter string
}

// page gathers the page's content from the catalog and opts.
func (rd *Renderer) page(opts DocsOptions) *docsPage {
	p := &docsPage{Title: opts.Title, API: opts.API}
	if p.Title == "" {
		p.Title = "Response Codes"
	}
	if p.API == "" {
		p.API = "The API"
	}
	p.Rows = append(p.Rows, docsRow{Status: http.StatusOK, Text: "OK", Description: "Success."})
	for _, e := range rd.catalog.entries {
		p.Rows = append(p.Rows, docsRow{
			Status: e.Status, Text: e.Title, Code: e.Code, Description: e.Description,
			LegacyCode: e.LegacyCode, ServerSide: e.Status >= 500,
		})
	}
	ex := rd.exampleError()
	p.Examples = docsExamples{
		JSONAPI: string(rd.exampleDocument(JSONAPI, ex)),
		Problem: string(rd.exampleDocument(Problem, ex)),
		Twitter: string(rd.exampleDocument(Twitter, &Error{Status: http.StatusTooManyRequests})),
	}
	return p
}
