// Package jsonbody decodes JSON request bodies into typed values and turns
// every way a body can be wrong into one errdoc document: 415 for a
// Content-Type other than JSON, 413 past the size limit (never reading more
// than the limit plus one byte), 408 for a body that stalls, 422 with an
// RFC 6901 source.pointer for a body that is not JSON, and otherwise one
// 422 document listing every member the type does not declare, every value
// that does not fit it and every validation failure of the value
// (go-playground/validator struct tags under their JSON names, a Validate
// method, a validator function), each at its pointer. Details are written
// for the API's client ("must be an integer", "must have at most 10
// characters"), never in Go's terms, and never repeat a value the client
// sent. They are messages of errdoc's catalog (keys "bind.*", "validate.*"
// and "media.*"), rendered in the language the client asks for when the
// catalog has translations: the *errdoc.Error values Bind returns carry an
// errdoc.Message and no Detail, and a handler that wants a detail's text
// renders it with [errdoc.Catalog.Detail], such as
// errdoc.DefaultCatalog().Detail(e, "en").
//
// Usage:
//
//	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 1 << 20})).Post("/items", create)
//
//	func create(w http.ResponseWriter, r *http.Request) {
//		item, err := jsonbody.Bind[Item](r) // 415, 413, 422 at /lines/3/quantity
//		if err != nil {
//			errdoc.Write(w, r, err)
//			return
//		}
//		// ...
//	}
//
// Member names match json tags exactly by default, as in encoding/json/v2:
// a client that sends "Name" for the field "name" gets a 422 that asks
// "did you mean /name?". [BindOptions].MatchCaseInsensitiveNames matches
// them as encoding/json does, for routes whose clients were written
// against it.
//
// [JSONBodies] configures a route group and refuses a bad Content-Type or
// an oversized Content-Length before the handler runs; [Bind] works with or
// without it.
//
// It is a package of its own, beside middleware, because it is the one
// that needs github.com/go-json-experiment/json (encoding/json v2's
// prototype: JSON pointers with array indices; duplicate names, invalid
// UTF-8 and trailing data refused) and github.com/go-playground/validator:
// programs that do not decode bodies with it link neither.
package jsonbody
