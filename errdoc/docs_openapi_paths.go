package errdoc

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// paths returns the paths object of opts' operations, recording the
// components they reference.
func (b *openAPIBuilder) paths(opts OpenAPIOptions) (obj, error) {
	paths := obj{}
	ids := map[string]bool{}
	for _, op := range opts.Operations {
		path, params, err := openAPIPath(op)
		if err != nil {
			return nil, err
		}
		method := strings.ToLower(op.Method)
		if !openAPIMethod(method) {
			return nil, invalidOperation(op, "method must be one of GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE")
		}
		if op.Summary == "" {
			return nil, invalidOperation(op, "no summary")
		}
		id := op.ID
		if id == "" {
			id = operationID(method, op.Path)
		}
		if ids[id] {
			return nil, invalidOperation(op, "operationId %q used twice", id)
		}
		ids[id] = true
		o := obj{"operationId": id, "summary": op.Summary}
		if op.Description != "" {
			o["description"] = op.Description
		}
		if len(op.Tags) > 0 {
			o["tags"] = op.Tags
		}
		if op.Deprecated {
			o["deprecated"] = true
		}
		security := []obj{}
		for _, name := range op.Security {
			if _, ok := opts.SecuritySchemes[name]; !ok {
				return nil, invalidOperation(op, "security scheme %q is not in SecuritySchemes", name)
			}
			security = append(security, obj{name: []string{}})
		}
		o["security"] = security
		for _, q := range op.Query {
			schema := q.Schema
			if schema == nil {
				schema = obj{"type": "string"}
			}
			p := obj{"name": q.Name, "in": "query", "required": q.Required, "schema": schema}
			if q.Description != "" {
				p["description"] = q.Description
			}
			params = append(params, p)
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if rb := op.Request; rb != nil {
			ct := rb.ContentType
			if ct == "" {
				ct = MediaTypeJSON
			}
			body := obj{"required": rb.Required, "content": obj{ct: obj{"schema": schemaOrAny(rb.Schema)}}}
			if rb.Description != "" {
				body["description"] = rb.Description
			}
			o["requestBody"] = body
		}
		responses, err := b.operationResponses(op, opts.RouterErrors)
		if err != nil {
			return nil, err
		}
		o["responses"] = responses
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		if _, dup := item[method]; dup {
			return nil, invalidOperation(op, "described twice")
		}
		item[method] = o
	}
	return paths, nil
}

// operationResponses returns op's responses: its success and one response
// per status of its error codes, a reference to the catalog's response when
// one code has that status.
func (b *openAPIBuilder) operationResponses(op Operation, router []string) (obj, error) {
	s := op.Success
	status := s.Status
	if status == 0 {
		status = http.StatusOK
	}
	if status < 100 || status > 399 {
		return nil, invalidOperation(op, "success status %d is not 1xx-3xx", status)
	}
	headers := append([]string{"X-Request-ID"}, s.Headers...)
	for _, h := range s.Headers {
		if _, ok := openAPIHeaders[h]; !ok || h == "X-Request-ID" {
			return nil, invalidOperation(op, "unknown success header %q", h)
		}
	}
	desc := s.Description
	if desc == "" {
		desc = http.StatusText(status)
	}
	success := obj{"description": desc, "headers": b.headerRefs(headers)}
	if status != http.StatusNoContent && status != http.StatusNotModified && status >= 200 {
		ct := s.ContentType
		if ct == "" {
			ct = MediaTypeJSON
		}
		success["content"] = obj{ct: obj{"schema": schemaOrAny(s.Schema)}}
	}
	responses := obj{strconv.Itoa(status): success}

	byStatus := map[int][]Entry{}
	var order []int
	codes := op.Errors
	for _, code := range router {
		if !slices.Contains(op.Errors, code) {
			codes = append(codes[:len(codes):len(codes)], code)
		}
	}
	for _, code := range codes {
		e, ok := b.rd.catalog.Lookup(code)
		if !ok {
			return nil, invalidOperation(op, "code %q is not in the catalog", code)
		}
		if e.Status == status {
			if !slices.Contains(op.Errors, code) {
				continue // a router code with this operation's success status (a 204 OPTIONS, say)
			}
			return nil, invalidOperation(op, "code %q has the success status %d", code, status)
		}
		if byStatus[e.Status] == nil {
			order = append(order, e.Status)
		}
		byStatus[e.Status] = append(byStatus[e.Status], e)
	}
	for _, st := range order {
		entries := byStatus[st]
		if len(entries) == 1 {
			b.responses[entries[0].Code] = true
			responses[strconv.Itoa(st)] = obj{"$ref": "#/components/responses/" + entries[0].Code}
			continue
		}
		// Several codes share the status: one response names them all.
		var codes, descs []string
		for _, e := range entries {
			codes = append(codes, e.Code)
			descs = append(descs, e.Code+": "+e.Description)
		}
		resp := obj{
			"description": strconv.Itoa(st) + " " + strings.Join(codes, " or ") + ". " + strings.Join(descs, " "),
			"headers":     b.headerRefs(errorHeaders(st)),
		}
		if st != http.StatusNotModified {
			resp["content"] = b.errorContent(entries)
		}
		responses[strconv.Itoa(st)] = resp
	}
	return responses, nil
}

func schemaOrAny(s map[string]any) map[string]any {
	if s == nil {
		return obj{}
	}
	return s
}

func openAPIMethod(m string) bool {
	switch m {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}

// openAPIPath turns a chi route pattern into an OpenAPI path template and
// its path parameters.
func openAPIPath(op Operation) (string, []obj, error) {
	p := op.Path
	if !strings.HasPrefix(p, "/") {
		return "", nil, invalidOperation(op, "path must start with /")
	}
	if strings.Contains(p, "*") {
		return "", nil, invalidOperation(op, "wildcard paths cannot be described")
	}
	var out strings.Builder
	var params []obj
	seen := map[string]bool{}
	for p != "" {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			if strings.IndexByte(p, '}') >= 0 {
				return "", nil, invalidOperation(op, "unbalanced }")
			}
			out.WriteString(p)
			break
		}
		out.WriteString(p[:i])
		// The parameter ends at the brace that balances this one: a
		// regexp may hold braces of its own ({id:[0-9]{3}}).
		depth, j := 0, i
		for ; j < len(p); j++ {
			if p[j] == '{' {
				depth++
			} else if p[j] == '}' {
				if depth--; depth == 0 {
					break
				}
			}
		}
		if j == len(p) {
			return "", nil, invalidOperation(op, "unbalanced {")
		}
		name, re, hasRE := strings.Cut(p[i+1:j], ":")
		if name == "" || seen[name] {
			return "", nil, invalidOperation(op, "parameter %q empty or repeated", name)
		}
		seen[name] = true
		schema := obj{"type": "string"}
		if hasRE {
			schema["pattern"] = "^" + strings.TrimSuffix(strings.TrimPrefix(re, "^"), "$") + "$"
		}
		params = append(params, obj{"name": name, "in": "path", "required": true, "schema": schema})
		out.WriteString("{" + name + "}")
		p = p[j+1:]
	}
	return out.String(), params, nil
}

// operationID derives an operationId from a method and a route pattern:
// "get" and "/v1/items/{id}" give "getV1ItemsById".
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			name, _, _ := strings.Cut(strings.Trim(seg, "{}"), ":")
			b.WriteString("By")
			seg = name
		}
		upper := true
		for _, c := range seg {
			switch {
			case c >= 'a' && c <= 'z' && upper:
				b.WriteRune(c - 'a' + 'A')
				upper = false
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
				b.WriteRune(c)
				upper = false
			default:
				upper = true
			}
		}
	}
	return b.String()
}
