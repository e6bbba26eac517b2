package errdoc

import (
	"sort"
	"testing"
)

// schemaMembers returns the member paths a schema of openAPISchemas
// declares, in the page's spelling: "errors[].source.pointer".
func schemaMembers(prefix string, schema obj, out map[string]bool) {
	props, _ := schema["properties"].(obj)
	for name, s := range props {
		path := prefix + name
		out[path] = true
		sub, _ := s.(obj)
		if items, ok := sub["items"].(obj); ok {
			schemaMembers(path+"[].", items, out)
		}
		schemaMembers(path+".", sub, out)
	}
}

// TestReferenceMatchesSchemas: the page documents every member the
// formats' schemas declare, and nothing they do not.
func TestReferenceMatchesSchemas(t *testing.T) {
	rd := NewRenderer(Options{DocsURL: "https://api.example.com/docs/errors"})
	schemas := openAPISchemas()
	for _, tc := range []struct {
		schema  string
		members []docsMember
	}{
		{"JSONAPIErrors", rd.jsonapiMembers(englishPage, "not_found")},
		{"ProblemDetails", rd.problemMembers(englishPage, "not_found")},
		{"TwitterErrors", rd.twitterMembers(englishPage)},
	} {
		t.Run(tc.schema, func(t *testing.T) {
			declared := map[string]bool{}
			schemaMembers("", schemas[tc.schema].(obj), declared)
			documented := map[string]bool{}
			for _, m := range tc.members {
				if documented[m.Name] {
					t.Errorf("%s documented twice", m.Name)
				}
				documented[m.Name] = true
				if m.Meaning == "" || m.Example == "" {
					t.Errorf("%s has no meaning or no example", m.Name)
				}
				if !declared[m.Name] {
					t.Errorf("%s is documented but not in the schema", m.Name)
				}
			}
			var missing []string
			for name := range declared {
				if !documented[name] {
					missing = append(missing, name)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("members the schema declares and the page does not explain: %v", missing)
			}
		})
	}
}

// TestReferenceFollowsTheRenderer: the links the reference describes are
// the renderer's.
func TestReferenceFollowsTheRenderer(t *testing.T) {
	names := func(ms []docsMember) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			out[m.Name] = m.Example
		}
		return out
	}
	for _, tc := range []struct {
		docsURL, wantType string
		links             bool
	}{
		{"", `"https://api.example.com/docs/errors#not_found"`, true},
		{"https://docs.example.org/errors", `"https://docs.example.org/errors#not_found"`, true},
		{"/errors", `"/errors#not_found"`, false},
		{"-", `"about:blank"`, false},
	} {
		rd := NewRenderer(Options{DocsURL: tc.docsURL, InstanceURI: "https://api.example.com/requests/"})
		jsonapi, problem := names(rd.jsonapiMembers(englishPage, "not_found")), names(rd.problemMembers(englishPage, "not_found"))
		if _, ok := jsonapi["errors[].links.about"]; ok != tc.links {
			t.Errorf("DocsURL %q: links documented %v, want %v", tc.docsURL, ok, tc.links)
		}
		if tc.links && jsonapi["errors[].links.about"] != tc.wantType {
			t.Errorf("DocsURL %q: links.about example %s, want %s", tc.docsURL, jsonapi["errors[].links.about"], tc.wantType)
		}
		if problem["type"] != tc.wantType {
			t.Errorf("DocsURL %q: type example %s, want %s", tc.docsURL, problem["type"], tc.wantType)
		}
		if want := `"https://api.example.com/requests/` + exampleRequestID + `"`; problem["instance"] != want {
			t.Errorf("instance example %s, want %s", problem["instance"], want)
		}
	}
}

// englishPage is the page's texts in English.
var englishPage = pageText{lang: "en", src: msgTable(builtinPageTexts())}

func TestRetryAdvice(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string
	}{
		{200, "–"}, {304, "–"},
		{400, "After a fix"}, {422, "After a fix"}, {505, "After a fix"}, {499, "After a fix"},
		{401, "After authenticating"}, {407, "After authenticating"}, {511, "After authenticating"},
		{403, "No"}, {404, "No"}, {410, "No"}, {501, "No"},
		{409, "After re-reading"}, {412, "After re-reading"}, {428, "After re-reading"},
		{420, "Yes, after Retry-After"}, {429, "Yes, after Retry-After"}, {503, "Yes, after Retry-After"},
		{500, "Yes, with backoff"}, {502, "Yes, with backoff"}, {504, "Yes, with backoff"}, {599, "Yes, with backoff"},
		{408, "Yes, once"}, {421, "Yes, once"}, {425, "Yes, once"},
	} {
		if got := retryFor(tc.status).label(englishPage); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.status, got, tc.want)
		}
	}
	// Every answer of the column is explained in the guide.
	explained := map[retryAdvice]bool{retryNotAnError: true}
	for _, k := range retryGuide {
		explained[k] = true
		if k.key() == "" || englishPage.s("retry."+k.key()+".meaning") == "" {
			t.Errorf("%q has no explanation", k.label(englishPage))
		}
	}
	for a := retryNotAnError; a <= retrySoon; a++ {
		if !explained[a] {
			t.Errorf("%q is not explained", a.label(englishPage))
		}
	}
}

func TestEndpointAnchor(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/v1/items/{id}", "endpoint-get-v1-items-id"},
		{"DELETE", "/", "endpoint-delete"},
		{"GET", "/1.1/items/{id}.json", "endpoint-get-1-1-items-id-json"},
		{"POST", "/Ünïcode/Path", "endpoint-post-n-code-path"},
	} {
		if got := endpointAnchor(tc.method, tc.path); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}
