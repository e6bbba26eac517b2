package errdoc

import (
	"slices"
	"strconv"
	"strings"
)

// docsEndpoint is one operation of the API on the page: its anchor and
// the error codes it answers with beside the router's.
type docsEndpoint struct {
	Anchor     string // "endpoint-get-v1-items-id": never a code, which has no '-'
	Method     string
	Path       string // the OpenAPI path template
	Summary    string
	Deprecated bool
	Codes      []docsCodeRef // its own codes, in the catalog's order
}

// Label is how the page names the endpoint: "GET /v1/items/{id}".
func (e docsEndpoint) Label() string { return e.Method + " " + e.Path }

// docsEndpointRef links a code's row to an endpoint.
type docsEndpointRef struct {
	Anchor, Label string
}

// endpoints returns the page's endpoints from the operations of opts, and
// the router's codes: those every endpoint can answer with. Nil when opts
// describes no operations. The operations are checked as the OpenAPI
// document checks them.
func (rd *Renderer) endpoints(opts OpenAPIOptions) ([]docsEndpoint, []docsCodeRef, error) {
	if len(opts.Operations) == 0 {
		return nil, nil, nil
	}
	if _, err := rd.OpenAPI(opts); err != nil {
		return nil, nil, err
	}
	order := map[string]int{}
	for i, e := range rd.catalog.entries {
		order[e.Code] = i
	}
	refs := func(codes []string) []docsCodeRef {
		out := make([]docsCodeRef, 0, len(codes))
		for _, c := range codes {
			e, _ := rd.catalog.Lookup(c) // OpenAPI checked it is there
			out = append(out, docsCodeRef{Code: c, Status: e.Status, Linked: true})
		}
		slices.SortStableFunc(out, func(a, b docsCodeRef) int { return order[a.Code] - order[b.Code] })
		return out
	}
	var eps []docsEndpoint
	anchors := map[string]bool{}
	for _, op := range opts.Operations {
		path, _, _ := openAPIPath(op) // OpenAPI checked it
		var own []string
		for _, c := range op.Errors {
			if !slices.Contains(opts.RouterErrors, c) && !slices.Contains(own, c) {
				own = append(own, c)
			}
		}
		ep := docsEndpoint{
			Method: strings.ToUpper(op.Method), Path: path, Summary: op.Summary,
			Deprecated: op.Deprecated, Codes: refs(own),
		}
		ep.Anchor = endpointAnchor(ep.Method, path)
		for n := 2; anchors[ep.Anchor]; n++ {
			ep.Anchor = endpointAnchor(ep.Method, path) + "-" + strconv.Itoa(n)
		}
		anchors[ep.Anchor] = true
		eps = append(eps, ep)
	}
	var router []string
	for _, c := range opts.RouterErrors {
		if !slices.Contains(router, c) {
			router = append(router, c)
		}
	}
	return eps, refs(router), nil
}

// endpointAnchor derives an anchor from a method and a path: lowercase
// letters and digits, runs of anything else one '-'.
func endpointAnchor(method, path string) string {
	var b strings.Builder
	b.WriteString("endpoint-" + strings.ToLower(method))
	dash := true
	for _, c := range strings.ToLower(path) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(c)
			continue
		}
		dash = true
	}
	return b.String()
}

// docsCodeEndpoints are the endpoints a code's row names: the endpoints
// that list the code, or, when more than a few do and fewer do not, those
// that do not (AllBut); Every when all of them do.
type docsCodeEndpoints struct {
	Refs   []docsEndpointRef
	AllBut bool
	Every  bool
}

// allButAfter is how many endpoints a code's row lists before it rather
// names those that do not answer with the code.
const allButAfter = 4

// endpointsByCode maps each code to the endpoints its row names.
func endpointsByCode(eps []docsEndpoint) map[string]docsCodeEndpoints {
	listed := map[string]map[string]bool{} // code: endpoint anchors
	for _, ep := range eps {
		for _, c := range ep.Codes {
			if listed[c.Code] == nil {
				listed[c.Code] = map[string]bool{}
			}
			listed[c.Code][ep.Anchor] = true
		}
	}
	m := map[string]docsCodeEndpoints{}
	for code, in := range listed {
		var ce docsCodeEndpoints
		switch {
		case len(in) == len(eps):
			ce.Every = true
		case len(in) > allButAfter && 2*len(in) > len(eps):
			ce.AllBut = true
		}
		for _, ep := range eps {
			if !ce.Every && in[ep.Anchor] != ce.AllBut {
				ce.Refs = append(ce.Refs, docsEndpointRef{Anchor: ep.Anchor, Label: ep.Label()})
			}
		}
		m[code] = ce
	}
	return m
}
