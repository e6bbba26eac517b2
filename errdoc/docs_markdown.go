package errdoc

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
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
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", mdText(p.Title))
	b.WriteString(mdLineStart(mdText(p.API)) + textMarkdown(p.Intro) + "\n\n")

	b.WriteString("## Contents\n\n")
	for _, s := range p.Contents {
		fmt.Fprintf(&b, "- [%s](#%s)\n", s.Title, s.Anchor)
		for _, sub := range s.Sub {
			fmt.Fprintf(&b, "  - [%s](#%s)\n", sub.Title, sub.Anchor)
		}
	}

	mdHeading(&b, "##", anchorCodes, "HTTP Status Codes")
	b.WriteString("The `code` of an error document is stable and safe to branch on. " +
		"The Retry column says whether sending the request again can help: see [Retrying Requests](#" + anchorRetry + ").\n\n")
	b.WriteString("| Code | Text | Description | Retry |\n| ---- | ---- | ----------- | ----- |\n")
	for _, row := range p.Rows {
		if row.Code == "" {
			fmt.Fprintf(&b, "| %d | %s | %s **Not an error code.** | %s |\n", row.Status, mdText(row.Text), mdText(row.Description), row.Retry)
			continue
		}
		desc := mdText(row.Description) + " Error code: `" + row.Code + "`."
		if row.LegacyCode != 0 {
			desc += " Twitter v1 code: " + strconv.Itoa(row.LegacyCode) + "."
		}
		if row.ServerSide {
			desc += " **Not your fault.**"
		}
		switch {
		case row.EveryEndpoint:
			desc += " Any endpoint can answer with it."
		case len(row.Endpoints) > 0:
			desc += " Returned by "
			if row.EndpointsAllBut {
				desc += "every endpoint but "
			}
			for i, ep := range row.Endpoints {
				if i > 0 {
					desc += ", "
				}
				desc += "[" + mdCode(ep.Label) + "](#" + ep.Anchor + ")"
			}
			desc += "."
		}
		fmt.Fprintf(&b, "| <a id=\"%s\"></a>%d | %s | %s | %s |\n", row.Code, row.Status, mdText(row.Text), desc, row.Retry)
	}

	if len(p.Endpoints) > 0 {
		mdHeading(&b, "##", anchorEndpoints, "Endpoints")
		b.WriteString("The error codes each endpoint can answer with")
		if len(p.RouterCodes) > 0 {
			b.WriteString(". Any endpoint can also answer with ")
			for i, c := range p.RouterCodes {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(mdCodeRef(c))
			}
			b.WriteString(": the router's answers to a path or a method that nothing serves")
		}
		b.WriteString(".\n\n| Endpoint | Summary | Error codes |\n| -------- | ------- | ----------- |\n")
		for _, ep := range p.Endpoints {
			summary := mdText(ep.Summary)
			if ep.Deprecated {
				summary += " Deprecated."
			}
			var codes []string
			for _, c := range ep.Codes {
				codes = append(codes, mdCodeRef(c)+" "+strconv.Itoa(c.Status))
			}
			fmt.Fprintf(&b, "| <a id=\"%s\"></a>%s | %s | %s |\n", ep.Anchor, mdCode(ep.Label()), summary, strings.Join(codes, ", "))
		}
	}

	mdHeading(&b, "##", anchorDocuments, "Error Messages")
	b.WriteString("Every error answer carries a JSON document in one of three formats: JSON:API by default, " +
		"problem details when the request's `Accept` header prefers them, and Twitter's v1 shape on routes that keep it. " +
		"A client should ignore members it does not know: new ones may be added, existing ones keep their meaning.\n")
	mdHeading(&b, "###", anchorJSONAPI, "JSON:API")
	b.WriteString("Errors are returned as a JSON:API errors document (`application/vnd.api+json` when requested, " +
		"`application/json` otherwise). For example:\n\n")
	b.WriteString("```json\n" + p.Examples.JSONAPI + "\n```\n\n")
	mdMembers(&b, p.JSONAPI)
	mdHeading(&b, "###", anchorProblem, "Problem Details")
	b.WriteString("A request whose `Accept` header prefers `application/problem+json` gets RFC 9457 problem details instead:\n\n")
	b.WriteString("```json\n" + p.Examples.Problem + "\n```\n\n")
	mdMembers(&b, p.Problem)
	mdHeading(&b, "###", anchorTwitter, "Twitter v1")
	b.WriteString("Routes that keep Twitter's v1 shape answer:\n\n")
	b.WriteString("```json\n" + p.Examples.Twitter + "\n```\n\n")
	mdMembers(&b, p.Twitter)
	mdHeading(&b, "###", anchorMeta, "Meta Members")
	b.WriteString("An error's `meta` holds facts specific to its code. " +
		"These are the members the server's error handling sends where it knows them, and the codes whose documents carry them:\n\n")
	b.WriteString("| Member | Codes | Meaning | Example |\n| ------ | ----- | ------- | ------- |\n")
	for _, m := range p.Meta {
		codes := "Any"
		if len(m.Codes) > 0 {
			var cs []string
			for _, c := range m.Codes {
				cs = append(cs, mdCodeRef(c))
			}
			codes = strings.Join(cs, ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCode(m.Name), codes, textMarkdown(m.Meaning), mdCode(m.Example))
	}

	mdHeading(&b, "##", anchorHeaders, "Response Headers")
	b.WriteString("Besides the document, these headers tell a client what to do next. " +
		"A browser's script can read them when the API allows its origin.\n\n")
	b.WriteString("| Header | Sent with | Meaning | Example |\n| ------ | --------- | ------- | ------- |\n")
	for _, h := range p.Headers {
		var names []string
		for _, n := range h.HeaderNames() {
			names = append(names, mdCode(n))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", strings.Join(names, ", "), textMarkdown(h.Sent), textMarkdown(h.Meaning), mdCode(h.Example))
	}

	mdHeading(&b, "##", anchorRetry, "Retrying Requests")
	b.WriteString("The Retry column of the [status codes](#" + anchorCodes + ") answers whether the same request can succeed later:\n\n")
	for _, k := range p.Retry {
		var sts []string
		for _, c := range k.Statuses {
			sts = append(sts, "["+strconv.Itoa(c.Status)+"](#"+c.Code+")")
		}
		fmt.Fprintf(&b, "- **%s** (%s). %s\n", k.Label, strings.Join(sts, ", "), textMarkdown(k.Meaning))
	}
	mdHeading(&b, "###", anchorWaiting, "How Long to Wait")
	for _, s := range p.Waiting {
		b.WriteString("- " + textMarkdown(s) + "\n")
	}
	mdHeading(&b, "###", anchorIdempotency, "Which Requests to Repeat")
	for _, s := range p.Idempotency {
		b.WriteString("- " + textMarkdown(s) + "\n")
	}
	return b.Bytes()
}

// mdHeading writes a heading with an anchor of its own, which every
// Markdown renderer keeps, whatever ids it derives from headings.
func mdHeading(b *bytes.Buffer, level, anchor, title string) {
	fmt.Fprintf(b, "\n%s <a id=\"%s\"></a>%s\n\n", level, anchor, title)
}

// mdMembers writes a reference table of document members.
func mdMembers(b *bytes.Buffer, ms []docsMember) {
	b.WriteString("| Member | Meaning | Example |\n| ------ | ------- | ------- |\n")
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
