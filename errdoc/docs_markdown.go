package errdoc

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteMarkdown writes the response-code page generated from the renderer's
// catalog: a table of contents; a "| Code | Text | Description | Retry |"
// table with one row per entry, each starting with an <a id="code">
// anchor; the endpoints of opts.OpenAPI's operations and their codes; an
// example error document in each format with a reference of its members;
// the headers a client acts on; and how to retry. Catalog text and opts are
// escaped: they cannot add markup, links or table cells to the page. It
// returns an error if opts.OpenAPI describes operations the OpenAPI
// document refuses.
func (rd *Renderer) WriteMarkdown(w io.Writer, opts DocsOptions) error {
	p, err := rd.page(opts)
	if err != nil {
		return err
	}
	_, err = w.Write(p.markdown())
	return err
}

func (p *docsPage) markdown() []byte {
	t := p.T
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", mdText(p.Title))
	b.WriteString(mdLineStart(textMarkdown(p.IntroBefore)+mdText(p.API)) + textMarkdown(p.IntroAfter) + "\n\n")

	b.WriteString("## " + mdText(t["contents"]) + "\n\n")
	for _, s := range p.Contents {
		fmt.Fprintf(&b, "- [%s](#%s)\n", mdText(s.Title), s.Anchor)
		for _, sub := range s.Sub {
			fmt.Fprintf(&b, "  - [%s](#%s)\n", mdText(sub.Title), sub.Anchor)
		}
	}

	mdHeading(&b, "##", anchorCodes, t["section.codes"])
	b.WriteString(mdParagraph(t["codes.intro"]))
	mdTableHead(&b, t["column.status_md"], t["column.text"], t["column.description"], t["column.retry"])
	for _, row := range p.Rows {
		if row.Code == "" {
			fmt.Fprintf(&b, "| %d | %s | %s **%s** | %s |\n", row.Status, mdText(row.Text), mdText(row.Description), mdText(t["row.not_an_error"]), mdText(row.Retry))
			continue
		}
		desc := mdText(row.Description) + " " + textMarkdown(row.ErrorCode)
		if row.LegacyNote != "" {
			desc += " " + mdText(row.LegacyNote)
		}
		if row.ServerSide {
			desc += " **" + mdText(t["row.server_side"]) + "**"
		}
		switch {
		case row.EveryEndpoint:
			desc += " " + mdText(t["row.every_endpoint"])
		case len(row.Endpoints) > 0:
			desc += " " + mdText(row.EndpointsBefore)
			for i, ep := range row.Endpoints {
				if i > 0 {
					desc += ", "
				}
				desc += "[" + mdCode(ep.Label) + "](#" + ep.Anchor + ")"
			}
			desc += mdText(row.EndpointsAfter)
		}
		fmt.Fprintf(&b, "| <a id=\"%s\"></a>%d | %s | %s | %s |\n", row.Code, row.Status, mdText(row.Text), desc, mdText(row.Retry))
	}

	if len(p.Endpoints) > 0 {
		mdHeading(&b, "##", anchorEndpoints, t["section.endpoints"])
		b.WriteString(textMarkdown(p.EndpointsBefore))
		for i, c := range p.RouterCodes {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(mdCodeRef(c))
		}
		b.WriteString(textMarkdown(p.EndpointsAfter) + "\n\n")
		mdTableHead(&b, t["column.endpoint"], t["column.summary"], t["column.codes"])
		for _, ep := range p.Endpoints {
			summary := mdText(ep.Summary)
			if ep.Deprecated {
				summary += " " + mdText(t["endpoints.deprecated"])
			}
			var codes []string
			for _, c := range ep.Codes {
				codes = append(codes, mdCodeRef(c)+" "+strconv.Itoa(c.Status))
			}
			fmt.Fprintf(&b, "| <a id=\"%s\"></a>%s | %s | %s |\n", ep.Anchor, mdCode(ep.Label()), summary, strings.Join(codes, ", "))
		}
	}

	mdHeading(&b, "##", anchorDocuments, t["section.documents"])
	b.WriteString(mdLineStart(textMarkdown(t["documents.intro"])) + "\n")
	mdHeading(&b, "###", anchorJSONAPI, t["section.jsonapi"])
	b.WriteString(mdParagraph(t["jsonapi.intro"]))
	b.WriteString("```json\n" + p.Examples.JSONAPI + "\n```\n\n")
	p.mdMembers(&b, p.JSONAPI)
	mdHeading(&b, "###", anchorProblem, t["section.problem"])
	b.WriteString(mdParagraph(t["problem.intro"]))
	b.WriteString("```json\n" + p.Examples.Problem + "\n```\n\n")
	p.mdMembers(&b, p.Problem)
	mdHeading(&b, "###", anchorTwitter, t["section.twitter"])
	b.WriteString(mdParagraph(t["twitter.intro"]))
	b.WriteString("```json\n" + p.Examples.Twitter + "\n```\n\n")
	p.mdMembers(&b, p.Twitter)
	mdHeading(&b, "###", anchorMeta, t["section.meta"])
	b.WriteString(mdParagraph(t["meta.intro"]))
	mdTableHead(&b, t["column.member"], t["column.meta_codes"], t["column.meaning"], t["column.example"])
	for _, m := range p.Meta {
		codes := mdText(t["meta.any"])
		if len(m.Codes) > 0 {
			var cs []string
			for _, c := range m.Codes {
				cs = append(cs, mdCodeRef(c))
			}
			codes = strings.Join(cs, ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCode(m.Name), codes, textMarkdown(m.Meaning), mdCode(m.Example))
	}

	mdHeading(&b, "##", anchorHeaders, t["section.headers"])
	b.WriteString(mdParagraph(t["headers.intro"]))
	mdTableHead(&b, t["column.header"], t["column.sent"], t["column.meaning"], t["column.example"])
	for _, h := range p.Headers {
		var names []string
		for _, n := range h.HeaderNames() {
			names = append(names, mdCode(n))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", strings.Join(names, ", "), textMarkdown(h.Sent), textMarkdown(h.Meaning), mdCode(h.Example))
	}

	mdHeading(&b, "##", anchorRetry, t["section.retry"])
	b.WriteString(mdParagraph(t["retry.intro"]))
	for _, k := range p.Retry {
		var sts []string
		for _, c := range k.Statuses {
			sts = append(sts, "["+strconv.Itoa(c.Status)+"](#"+c.Code+")")
		}
		fmt.Fprintf(&b, "- **%s** (%s). %s\n", mdText(k.Label), strings.Join(sts, ", "), textMarkdown(k.Meaning))
	}
	mdHeading(&b, "###", anchorWaiting, t["section.waiting"])
	for _, s := range p.Waiting {
		b.WriteString("- " + textMarkdown(s) + "\n")
	}
	mdHeading(&b, "###", anchorIdempotency, t["section.idempotency"])
	for _, s := range p.Idempotency {
		b.WriteString("- " + textMarkdown(s) + "\n")
	}
	return b.Bytes()
}

// mdTableHead writes a table's header row and its delimiter row.
func mdTableHead(b *bytes.Buffer, columns ...string) {
	for _, c := range columns {
		b.WriteString("| " + mdText(c) + " ")
	}
	b.WriteString("|\n")
	for _, c := range columns {
		b.WriteString("| " + strings.Repeat("-", max(3, utf8.RuneCountInString(c))) + " ")
	}
	b.WriteString("|\n")
}

// mdHeading writes a heading with an anchor of its own, which every
// Markdown renderer keeps, whatever ids it derives from headings.
func mdHeading(b *bytes.Buffer, level, anchor, title string) {
	fmt.Fprintf(b, "\n%s <a id=\"%s\"></a>%s\n\n", level, anchor, mdText(title))
}

// mdMembers writes a reference table of document members.
func (p *docsPage) mdMembers(b *bytes.Buffer, ms []docsMember) {
	mdTableHead(b, p.T["column.member"], p.T["column.meaning"], p.T["column.example"])
	for _, m := range ms {
		fmt.Fprintf(b, "| %s | %s | %s |\n", mdCode(m.Name), textMarkdown(m.Meaning), mdCode(m.Example))
	}
}

// mdCodeRef is a code as Markdown, linked to its row when the page has one.
func mdCodeRef(c docsCodeRef) string {
	if c.Linked {
		return "[" + mdCode(c.Code) + "](#" + c.Code + ")"
	}
	return mdCode(c.Code)
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

// mdParagraph is a paragraph of the page's prose markup (see
// textMarkdown), kept a paragraph whatever a translation starts it with.
func mdParagraph(s string) string { return mdLineStart(textMarkdown(s)) + "\n\n" }

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
