package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeLine is one command of the README's demo walk-through and what its
// comment claims: the status codes it prints, in order, and the quoted
// fragments its output contains.
type readmeLine struct {
	n        int // line number in README.md
	command  string
	statuses []int
	contains []string
}

var (
	// "200 x5" repeats a status; "then" and commas only read well.
	statusToken = regexp.MustCompile(`^(\d{3})(?:\s*x(\d+))?$`)
	// A fragment the output holds: "in double quotes", or `in backticks`
	// when it has double quotes of its own.
	quoted = regexp.MustCompile("\"([^\"]+)\"|`([^`]+)`")
	// What curl prints of a status: a status line (-i, -D -) or a bare
	// code on a line of its own (-w '%{http_code}\n').
	printedStatus = regexp.MustCompile(`(?m)^(?:HTTP/[0-9.]+ (\d{3})\b.*|(\d{3}))\r?$`)
)

// parseClaim reads "# 200 x5, then 429 with "Retry-After"": the statuses
// before the first word that is not one, and every quoted fragment.
func parseClaim(comment string) (statuses []int, contains []string) {
	claim := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(comment), "#"))
	for _, field := range strings.FieldsFunc(claim, func(r rune) bool { return r == ',' || r == ';' }) {
		words := strings.Fields(field)
		stop := false
		for i := 0; i < len(words); i++ {
			w := strings.TrimSuffix(words[i], ":")
			if w == "then" {
				continue
			}
			if i+1 < len(words) && strings.HasPrefix(words[i+1], "x") {
				if m := statusToken.FindStringSubmatch(w + words[i+1]); m != nil {
					w, i = w+words[i+1], i+1
				}
			}
			m := statusToken.FindStringSubmatch(w)
			if m == nil {
				stop = true
				break
			}
			code, _ := strconv.Atoi(m[1])
			n := 1
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
			}
			for range n {
				statuses = append(statuses, code)
			}
		}
		if stop {
			break
		}
	}
	for _, m := range quoted.FindAllStringSubmatch(claim, -1) {
		contains = append(contains, m[1]+m[2])
	}
	return statuses, contains
}

// readmeDemoLines returns the commands of README.md's fenced block that
// follows the heading "## The demo": every line that is not blank or a
// comment, with its claim.
func readmeDemoLines(t *testing.T) []readmeLine {
	t.Helper()
	f, err := os.Open("README.md")
	require.NoError(t, err)
	defer f.Close()
	var out []readmeLine
	sc := bufio.NewScanner(f)
	inSection, inBlock := false, false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			inSection = line == "## The demo"
		case inSection && strings.HasPrefix(line, "```"):
			inBlock = !inBlock
		case inSection && inBlock && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#"):
			cmd, comment, ok := strings.Cut(line, "  # ")
			require.True(t, ok, "README.md:%d has no claim (two spaces, then # and the statuses): %s", n, line)
			st, cont := parseClaim(comment)
			require.NotEmpty(t, st, "README.md:%d claims no status: %s", n, line)
			out = append(out, readmeLine{n: n, command: strings.TrimSpace(cmd), statuses: st, contains: cont})
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func TestParseClaim(t *testing.T) {
	for _, tc := range []struct {
		comment  string
		statuses []int
		contains []string
	}{
		{`# 200`, []int{200}, nil},
		{`# 200: HEAD on every GET route`, []int{200}, nil},
		{`# 404 "record_not_found"`, []int{404}, []string{"record_not_found"}},
		{`# 200 x5, then 429 with "Retry-After" and "RateLimit-Policy"`, []int{200, 200, 200, 200, 200, 429}, []string{"Retry-After", "RateLimit-Policy"}},
		{`# 200 x3 then 420`, []int{200, 200, 200, 420}, nil},
		{`# 403, then 204`, []int{403, 204}, nil},
		{`# 500; the panic value is only in the log`, []int{500}, nil},
		{`# the page`, nil, nil},
		{"# 404 `{\"code\":34,`", []int{404}, []string{`{"code":34,`}},
		{`# 504 after 1 s (the handler sleeps 5 s)`, []int{504}, nil},
	} {
		st, cont := parseClaim(tc.comment)
		assert.Equal(t, tc.statuses, st, tc.comment)
		assert.Equal(t, tc.contains, cont, tc.comment)
	}
}

// TestReadmeDemoLines runs the README's demo commands, in the README's order,
// with the real curl against one demo server, as a newcomer following the
// README would, and checks each line's claim: the statuses it prints and the
// quoted text its output contains.
func TestReadmeDemoLines(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed (.ci/run installs it): the README's lines cannot be run")
	}
	lines := readmeDemoLines(t)
	require.GreaterOrEqual(t, len(lines), 25, "the README shows the demo's rows")
	base, _ := startDemo(t)
	host := strings.TrimPrefix(base, "http://")
	for _, l := range lines {
		cmd := strings.ReplaceAll(l.command, "localhost:8080", host)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, "bash", "-c", "set -o pipefail; "+cmd).CombinedOutput()
		cancel()
		require.NoError(t, err, "README.md:%d: %s\n%s", l.n, l.command, out)
		var got []int
		for _, m := range printedStatus.FindAllStringSubmatch(string(out), -1) {
			s := m[1] + m[2]
			code, _ := strconv.Atoi(s)
			got = append(got, code)
		}
		assert.Equal(t, l.statuses, got, "README.md:%d: %s\n%s", l.n, l.command, out)
		for _, c := range l.contains {
			assert.Contains(t, strings.ToLower(string(out)), strings.ToLower(c), "README.md:%d: %s", l.n, l.command)
		}
	}
}
