package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFindPairs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		names    []string
		groups   []Group
		unpaired []string
	}{
		{
			name:  "our variants share the anchors and are never anchors",
			names: []string{"BenchmarkBind/ours", "BenchmarkBind/ours_415", "BenchmarkBind/encoding_json"},
			groups: []Group{
				{Pkg: "p", Ours: "BenchmarkBind/ours", Anchors: []string{"BenchmarkBind/encoding_json"}},
				{Pkg: "p", Ours: "BenchmarkBind/ours_415", Anchors: []string{"BenchmarkBind/encoding_json"}},
			},
		},
		{
			name:   "one anchor",
			names:  []string{"BenchmarkStack200/ours", "BenchmarkStack200/chi"},
			groups: []Group{{Pkg: "p", Ours: "BenchmarkStack200/ours", Anchors: []string{"BenchmarkStack200/chi"}}},
		},
		{
			name:  "several anchors, anchor first",
			names: []string{"BenchmarkWrite404/render.JSON", "BenchmarkWrite404/ours", "BenchmarkWrite404/encoding_json"},
			groups: []Group{{Pkg: "p", Ours: "BenchmarkWrite404/ours",
				Anchors: []string{"BenchmarkWrite404/render.JSON", "BenchmarkWrite404/encoding_json"}}},
		},
		{
			name: "nested: pairs only within their parent",
			names: []string{
				"BenchmarkRecoverer/standalone/ours", "BenchmarkRecoverer/standalone/chi",
				"BenchmarkRecoverer/tracked/ours", "BenchmarkRecoverer/tracked/chi",
			},
			groups: []Group{
				{Pkg: "p", Ours: "BenchmarkRecoverer/standalone/ours", Anchors: []string{"BenchmarkRecoverer/standalone/chi"}},
				{Pkg: "p", Ours: "BenchmarkRecoverer/tracked/ours", Anchors: []string{"BenchmarkRecoverer/tracked/chi"}},
			},
		},
		{
			name:  "ours in the middle of the name",
			names: []string{"BenchmarkX/ours/small", "BenchmarkX/chi/small", "BenchmarkX/ours/large", "BenchmarkX/chi/large"},
			groups: []Group{
				{Pkg: "p", Ours: "BenchmarkX/ours/small", Anchors: []string{"BenchmarkX/chi/small"}},
				{Pkg: "p", Ours: "BenchmarkX/ours/large", Anchors: []string{"BenchmarkX/chi/large"}},
			},
		},
		{
			name:     "unpaired benchmarks and an ours without anchor",
			names:    []string{"BenchmarkWriteProblem", "BenchmarkAccuracy/local", "BenchmarkLonely/ours", "BenchmarkA/ours", "BenchmarkA/b/c"},
			unpaired: []string{"BenchmarkWriteProblem", "BenchmarkAccuracy/local", "BenchmarkLonely/ours", "BenchmarkA/ours", "BenchmarkA/b/c"},
		},
		{
			name:     "a different top-level benchmark is no anchor",
			names:    []string{"BenchmarkA/ours", "BenchmarkB/chi"},
			unpaired: []string{"BenchmarkA/ours", "BenchmarkB/chi"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groups, unpaired := findPairs("p", tc.names)
			assert.Equal(t, tc.groups, groups)
			assert.Equal(t, tc.unpaired, unpaired)
		})
	}
}

func TestGroupLabels(t *testing.T) {
	g := Group{Ours: "BenchmarkAllowed/10000keys/ours", Anchors: []string{"BenchmarkAllowed/10000keys/httprate"}}
	assert.Equal(t, "BenchmarkAllowed/10000keys", g.Label())
	assert.Equal(t, "httprate", g.AnchorLabel(g.Anchors[0]))
	g = Group{Ours: "BenchmarkX/ours/small"}
	assert.Equal(t, "BenchmarkX/small", g.Label())
	assert.Equal(t, "BenchmarkBind/415", Group{Ours: "BenchmarkBind/ours_415"}.Label())
	assert.Equal(t, "chi", g.AnchorLabel("BenchmarkX/chi/small"))
}

// The pattern selects exactly one benchmark, with the testing package's
// per-element matching, whatever characters the name holds.
func TestBenchPattern(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		others  []string // names the pattern must not select
	}{
		{"BenchmarkStack200/ours", "^BenchmarkStack200$/^ours$", []string{"BenchmarkStack200/ours2", "BenchmarkStack2000/ours"}},
		{"BenchmarkWrite404/render.JSON", `^BenchmarkWrite404$/^render\.JSON$`, []string{"BenchmarkWrite404/renderXJSON"}},
		{"BenchmarkX/a(b)[c]+", `^BenchmarkX$/^a\(b\)\[c\]\+$`, []string{"BenchmarkX/ab"}},
		{"BenchmarkX/ours#01", "^BenchmarkX$/^ours#01$", []string{"BenchmarkX/ours"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := benchPattern(tc.name)
			assert.Equal(t, tc.pattern, p)
			assert.True(t, matchesLikeTesting(p, tc.name))
			for _, o := range tc.others {
				assert.False(t, matchesLikeTesting(p, o), o)
			}
		})
	}
}

// matchesLikeTesting applies a -test.bench pattern the way the testing
// package does for names without slashes inside elements: element by
// element.
func matchesLikeTesting(pattern, name string) bool {
	ps := regexpSplit(pattern)
	ns := strings.Split(name, "/")
	if len(ps) != len(ns) {
		return false
	}
	for i := range ps {
		if !regexp.MustCompile(ps[i]).MatchString(ns[i]) {
			return false
		}
	}
	return true
}

// regexpSplit splits on the slashes benchPattern put between elements,
// after each element's closing "$".
func regexpSplit(p string) []string {
	parts := strings.Split(p, "$/")
	for i := 0; i < len(parts)-1; i++ {
		parts[i] += "$"
	}
	return parts
}
