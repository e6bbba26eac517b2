package main

import (
	"regexp"
	"strings"
)

// ours is the sub-benchmark name of our side of a side-by-side benchmark.
// A sibling named ours_<variant> (BenchmarkBind/ours_415) is another of our
// sides, measured beside the same anchors, never an anchor itself.
const ours = "ours"

func isOurs(e string) bool { return e == ours || strings.HasPrefix(e, ours+"_") }

// Group is one of our benchmarks and the anchors it runs beside.
type Group struct {
	Pkg     string   // import path of the package
	Ours    string   // full name of our side: BenchmarkX/ours, BenchmarkX/1keys/ours, ...
	Anchors []string // full names of the anchors, in the order discovered
}

// Label is the group's name without the "ours" element: BenchmarkX,
// BenchmarkX/1keys; a variant keeps its name: BenchmarkBind/415 for
// BenchmarkBind/ours_415.
func (g Group) Label() string {
	elems := strings.Split(g.Ours, "/")
	out := elems[:0:0]
	for _, e := range elems {
		switch {
		case e == ours:
		case isOurs(e):
			out = append(out, strings.TrimPrefix(e, ours+"_"))
		default:
			out = append(out, e)
		}
	}
	return strings.Join(out, "/")
}

// AnchorLabel is the element of anchor that differs from our side's name:
// chi, httprate, encoding_json.
func (g Group) AnchorLabel(anchor string) string {
	o, a := strings.Split(g.Ours, "/"), strings.Split(anchor, "/")
	for i := range o {
		if i < len(a) && o[i] != a[i] {
			return a[i]
		}
	}
	return anchor
}

// findPairs groups benchmark names into side-by-side pairs: a name with an
// element "ours" and every other name equal to it except in that element,
// at any depth and with any number of anchors (BenchmarkX/ours beside
// BenchmarkX/chi and BenchmarkX/encoding_json; BenchmarkX/tracked/ours
// beside BenchmarkX/tracked/chi). It also returns the names that are in no
// pair, ours without an anchor included, in the order given.
func findPairs(pkg string, names []string) (groups []Group, unpaired []string) {
	split := make([][]string, len(names))
	for i, n := range names {
		split[i] = strings.Split(n, "/")
	}
	paired := make([]bool, len(names))
	for i, elems := range split {
		for pos, e := range elems {
			if !isOurs(e) {
				continue
			}
			g := Group{Pkg: pkg, Ours: names[i]}
			for j, other := range split {
				if j != i && sameExcept(elems, other, pos) && !isOurs(other[pos]) {
					g.Anchors = append(g.Anchors, names[j])
					paired[j] = true
				}
			}
			if len(g.Anchors) > 0 {
				groups = append(groups, g)
				paired[i] = true
			}
		}
	}
	for i, n := range names {
		if !paired[i] {
			unpaired = append(unpaired, n)
		}
	}
	return groups, unpaired
}

// sameExcept reports whether a and b have the same elements except at pos.
func sameExcept(a, b []string, pos int) bool {
	if len(a) != len(b) || pos >= len(b) {
		return false
	}
	for i := range a {
		if i != pos && a[i] != b[i] {
			return false
		}
	}
	return true
}

// benchPattern is the -test.bench pattern that selects exactly the benchmark
// named name: each slash-separated element anchored and quoted.
func benchPattern(name string) string {
	elems := strings.Split(name, "/")
	for i, e := range elems {
		elems[i] = "^" + regexp.QuoteMeta(e) + "$"
	}
	return strings.Join(elems, "/")
}
