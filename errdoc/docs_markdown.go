package errdoc

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMarkdown writes the response-code page generated from the renderer's
// catalog: a "| Code | Text | Description |" table with one row per entry,
// each starting with an <a id="code"> anchor, then an example error document
// in each format. Catalog text and opts are escaped: they cannot add markup,
// links or table cells to the page.
func (rd *Renderer) WriteMarkdown(w io.Writer, opts DocsOptions) error {
	_, err := w.Write(rd.page(opts).markdown())
	return err
}

func (p *docsPage) markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n## HTTP Status Codes\n\n", mdText(p.Title))
	fmt.Fprintf(&b, "%s attempts to return appropriate HTTP status codes for every request. "+
		"Every error response carries a JSON error document; its `code` member is stable and safe to branch on.\n\n", mdLineStart(mdText(p.API)))
	b.WriteString("| Code | Text | Description |\n| ---- | ---- | ----------- |\n")
	for _, row := range p.Rows {
		if row.Code == "" {
			fmt.Fprintf(&b, "| %d | %s | %s **Not an error code.** |\n", row.Status, mdText(row.Text), mdText(row.Description))
			continue
		}
		desc := mdText(row.Description) + " Error code: `" + row.Code + "`."
		if row.LegacyCode != 0 {
			desc += " Twitter v1 code: " + strconv.Itoa(row.LegacyCode) + "."
		}
		if row.ServerSide {
			desc += " **Not your fault.**"
		}
		fmt.Fprintf(&b, "| <a id=\"%s\"></a>%d | %s | %s |\n", row.Code, row.Status, mdText(row.Text), desc)
	}
	b.WriteString("\n## Error Messages\n\n")
	b.WriteString("Errors are returned as a JSON:API errors document (`application/vnd.api+json` when requested, " +
		"`application/json` otherwise). For example:\n\n")
	b.WriteString("```json\n" + p.Examples.JSONAPI + "\n```\n\n")
	b.WriteString("A request whose `Accept` header prefers `application/problem+json` gets RFC 9457 problem details instead:\n\n")
	b.WriteString("```json\n" + p.Examples.Problem + "\n```\n\n")
	b.WriteString("Routes that keep Twitter's v1 shape answer:\n\n")
	b.WriteString("```json\n" + p.Examples.Twitter + "\n```\n\n")
	b.WriteString("Every response carries an `X-Request-ID` header, and every error document the same request ID. " +
		"Quote it when reporting a problem.\n")
	return b.Bytes()
}

// mdEscaper makes application-supplied text inert in Markdown: HTML is
// written as entities, and every character that starts Markdown syntax
// inside a line (emphasis, code, links, table cells) is backslash-escaped.
// Line breaks would end a table row; they become spaces.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes s for a Markdown table cell or heading.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdLineStart keeps escaped text that starts a paragraph from starting a
// block instead: a heading, quote, list item or thematic break.
func mdLineStart(s string) string {
	s = strings.TrimLeft(s, " \t") // four spaces would start a code block
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=', '~':
		return `\` + s
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
