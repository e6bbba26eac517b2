package jsonbody

import (
	"bytes"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

func TestPartialSkip(t *testing.T) {
	p := &partial{failed: []string{"/quantity", "/lines/1"}}
	folded := &partial{failed: []string{"/Quantity"}, fold: true}
	for _, tc := range []struct {
		p    *partial
		ptr  string
		tag  string
		want bool
	}{
		{p, "/quantity", "gte", true},
		{p, "/quantities", "gte", false}, // a sibling whose name starts alike
		{p, "/lines/1/sku", "required", true},
		{p, "/lines/10/sku", "required", false},
		{p, "/lines", "max", false}, // above a failure: the array is still the client's
		{p, "/name", "required", false},
		{p, "/name", "required_with", true},
		{p, "/name", "eqfield", true},
		{p, "/name", "gtecsfield", true},
		{p, "/name", "fieldcontains", true},
		{p, "/name", "excluded_if", true},
		{folded, "/quantity", "gte", true},
		{&partial{failed: []string{"/Quantity"}}, "/quantity", "gte", false},
	} {
		if got := tc.p.skip(tc.ptr, tc.tag); got != tc.want {
			t.Errorf("%v skip(%q, %q) = %v, want %v", tc.p.failed, tc.ptr, tc.tag, got, tc.want)
		}
	}
}

// FuzzCutOut cuts every value out of well-formed documents, one at a
// time: what is left is well-formed JSON with its line breaks where they
// were, of the same length when the cut was made in place, and the value
// is gone (a member) or null (an element), all else unchanged.
func FuzzCutOut(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":[1,"x",{"c":null}],"d":{"e":[[]]}}`,
		"{\n \"a\" : 1 ,\n \"b\":\n[true,\n2]\n}",
		"[[\n12]]", // copied: a line break in the first four bytes
		`[1,2,3]`, `{"a~1b":{"~0":1}}`, `{"":{"":[{"":0}]}}`, `"x"`, `{}`, `[[1],"\u002f"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 4096 || syntaxOf(doc) != nil {
			return
		}
		var tree any
		if err := json.Unmarshal(doc, &tree); err != nil {
			return // a number past float64, which the comparison below needs
		}
		var ptrs []jsontext.Pointer
		walk(tree, "", &ptrs)
		for _, p := range ptrs {
			cp := bytes.Clone(doc)
			out, ok := cutOut(cp, p)
			if !ok {
				t.Fatalf("%q: %q not found", doc, p)
			}
			if syn := syntaxOf(out); syn != nil {
				t.Fatalf("%q cut at %q: %q: %v", doc, p, out, syn)
			}
			if bytes.Count(out, []byte("\n")) != bytes.Count(doc, []byte("\n")) {
				t.Fatalf("%q cut at %q: lines moved: %q", doc, p, out)
			}
			if &out[0] == &cp[0] && len(out) != len(doc) {
				t.Fatalf("%q cut at %q: cut in place to another length", doc, p)
			}
			var got any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			want := remove(tree, p)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q cut at %q: %q is %#v, want %#v", doc, p, out, got, want)
			}
		}
	})
}

// walk appends the pointers of every value under v, at p, to ptrs (at
// most 64, the same ones for the same v: members in order of their names).
func walk(v any, p jsontext.Pointer, ptrs *[]jsontext.Pointer) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if len(*ptrs) < 64 {
				*ptrs = append(*ptrs, p.AppendToken(k))
				walk(x[k], p.AppendToken(k), ptrs)
			}
		}
	case []any:
		for i, e := range x {
			if len(*ptrs) < 64 {
				*ptrs = append(*ptrs, p.AppendToken(strconv.Itoa(i)))
				walk(e, p.AppendToken(strconv.Itoa(i)), ptrs)
			}
		}
	}
}

// remove returns a copy of v without the member at p, or with null for the
// element at p.
func remove(v any, p jsontext.Pointer) any {
	first, rest, _ := strings.Cut(string(p)[1:], "/")
	first = strings.NewReplacer("~1", "/", "~0", "~").Replace(first)
	last := !strings.Contains(string(p)[1:], "/")
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			switch {
			case k != first:
				out[k] = e
			case !last:
				out[k] = remove(e, jsontext.Pointer("/"+rest))
			}
		}
		return out
	case []any:
		out := slices.Clone(x)
		i, _ := strconv.Atoi(first)
		if last {
			out[i] = nil
		} else {
			out[i] = remove(x[i], jsontext.Pointer("/"+rest))
		}
		return out
	}
	return v
}
