package errdoc

import (
	"html/template"
	"strings"
)

// The page's own prose (the reference, the retry guide; the texts of
// docs_pagetext.go and of translations' pages) is written once for both
// forms of the page in a small markup: plain text with `code`
// spans and [label](#anchor) links to anchors of the page, whose label may
// hold code spans. textHTML and textMarkdown render it; both escape the
// text between the markup, so prose that carries application text (a
// docs URL in an example, say) stays text.

// textSegment is one piece of prose markup.
type textSegment struct {
	kind   byte // 't' text, 'c' code, 'l' link
	text   string
	anchor string // links: the anchor, without '#'
}

// parseText splits s into segments. Markup that does not close is text.
func parseText(s string) []textSegment {
	var segs []textSegment
	var plain strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			segs = append(segs, textSegment{kind: 't', text: plain.String()})
			plain.Reset()
		}
	}
	for s != "" {
		switch s[0] {
		case '`':
			if end := strings.IndexByte(s[1:], '`'); end >= 0 {
				flush()
				segs = append(segs, textSegment{kind: 'c', text: s[1 : 1+end]})
				s = s[2+end:]
				continue
			}
		case '[':
			// The label ends at the first ']', which must open "(#".
			if mid := strings.IndexByte(s, ']'); mid > 0 && strings.HasPrefix(s[mid:], "](#") {
				if end := strings.IndexByte(s[mid:], ')'); end > 0 && validAnchor(s[mid+3:mid+end]) {
					flush()
					segs = append(segs, textSegment{kind: 'l', text: s[1:mid], anchor: s[mid+3 : mid+end]})
					s = s[mid+end+1:]
					continue
				}
			}
		}
		plain.WriteByte(s[0])
		s = s[1:]
	}
	flush()
	return segs
}

// validAnchor reports whether a is an anchor of the page: letters,
// digits, '-' and '_', as codes and section anchors are. A link to
// anything else is text: page texts come from translations too.
func validAnchor(a string) bool {
	if a == "" {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// textHTML renders prose markup as HTML.
func textHTML(s string) template.HTML {
	var b strings.Builder
	for _, seg := range parseText(s) {
		switch seg.kind {
		case 'c':
			b.WriteString("<code>" + template.HTMLEscapeString(seg.text) + "</code>")
		case 'l':
			b.WriteString(`<a href="#` + template.HTMLEscapeString(seg.anchor) + `">` + string(textHTML(seg.text)) + "</a>")
		default:
			b.WriteString(template.HTMLEscapeString(seg.text))
		}
	}
	return template.HTML(b.String())
}

// textMarkdown renders prose markup as Markdown that is also safe in a
// table cell.
func textMarkdown(s string) string {
	var b strings.Builder
	for _, seg := range parseText(s) {
		switch seg.kind {
		case 'c':
			b.WriteString(mdCode(seg.text))
		case 'l':
			b.WriteString("[" + textMarkdown(seg.text) + "](#" + seg.anchor + ")")
		default:
			b.WriteString(mdText(seg.text))
		}
	}
	return b.String()
}

// mdCode returns s as a Markdown code span that is safe in a table cell:
// a pipe is escaped (GitHub's tables split cells on it even inside code),
// and a backtick in s gets a longer fence.
func mdCode(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}
