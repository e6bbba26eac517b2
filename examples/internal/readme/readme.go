// Package readme checks that the Go snippets of a README section are the
// code of an example program, so that every snippet compiles as shown and
// does what the program's tests say.
package readme

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Snippets returns the ```go blocks of the section of readme that starts at
// the line heading ("### errdoc") and ends at the next heading of the same
// or a higher level. It returns an error if the section is missing.
func Snippets(readme, heading string) ([]string, error) {
	level := strings.IndexFunc(heading, func(r rune) bool { return r != '#' })
	if level <= 0 {
		return nil, fmt.Errorf("readme: %q is not a Markdown heading", heading)
	}
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("readme: no section %q", heading)
	}
	var snippets []string
	var block []string
	inGo, inFence := false, false
	for _, l := range lines[start:] {
		switch {
		case !inFence && isHeading(l, level):
			return snippets, nil
		case !inFence && strings.HasPrefix(l, "```"):
			inFence, inGo = true, strings.TrimSpace(l) == "```go"
			block = nil
		case inFence && strings.HasPrefix(l, "```"):
			if inGo {
				snippets = append(snippets, strings.Join(block, "\n"))
			}
			inFence, inGo = false, false
		case inGo:
			block = append(block, l)
		}
	}
	return snippets, nil
}

// isHeading reports whether line is a heading of level or higher (fewer #).
func isHeading(line string, level int) bool {
	n := strings.IndexFunc(line, func(r rune) bool { return r != '#' })
	return n > 0 && n <= level && strings.HasPrefix(line[n:], " ")
}

// Contains reports whether the lines of snippet appear in src as consecutive
// lines, each compared without its leading and trailing white space (a
// snippet is dedented).
func Contains(src, snippet string) bool {
	if strings.TrimSpace(snippet) == "" {
		return false
	}
	s := trimmed(src)
	want := trimmed(strings.Trim(snippet, "\n"))
	for i := 0; i+len(want) <= len(s); i++ {
		match := true
		for j := range want {
			if s[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func trimmed(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// Check fails t unless every Go snippet of the section heading of the
// README at readmePath is code of the Go file at srcPath (see Contains). It
// fails too when the section has no Go snippet.
func Check(t testing.TB, readmePath, heading, srcPath string) {
	t.Helper()
	doc, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(srcPath)
	if err != nil {
		t.Fatal(err)
	}
	snippets, err := Snippets(string(doc), heading)
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) == 0 {
		t.Fatalf("%s: section %q has no Go snippet", readmePath, heading)
	}
	for _, s := range snippets {
		if !Contains(string(src), s) {
			t.Errorf("%s: a snippet of section %q is not code of %s:\n%s", readmePath, heading, srcPath, s)
		}
	}
}
