package jsonbody

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/faultline-go/faultline/errdoc"
)

// JSONTagName returns the name a struct field has in JSON: its json tag's
// name, or the Go name when the tag has none. Register it with a validator's
// RegisterTagNameFunc so that its field errors name JSON members; NewBinder
// does so for the validator it builds.
func JSONTagName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	switch name {
	case "-":
		if tag == "-" {
			return "" // not in JSON: the validator keeps the Go name
		}
	case "":
		return f.Name
	}
	return name
}

// maxFailures bounds the validation failures one Bind reports, as errdoc
// renders at most 100 errors in a document: a body of a million invalid
// elements costs one document, not a million error values.
const maxFailures = 100

// check runs every validation of v (a pointer to the decoded value) and
// returns their failures together.
func (b *Binder) check(r *http.Request, v any) error {
	return b.checkInto(nil, r, v, nil)
}

// checkInto appends the validation failures of v to list, the failures of
// decoding it, and returns them together. A partial value (p not nil) gets
// its struct tags checked, less the failures p skips, and neither its
// Validate method nor ValidateFunc: they were written for complete values.
func (b *Binder) checkInto(list errdoc.List, r *http.Request, v any, p *partial) error {
	list = b.structTags(list, v, p)
	if p == nil {
		if val, ok := v.(interface{ Validate() error }); ok {
			list = appendValidation(list, val.Validate())
		}
		if b.fn != nil {
			list = appendValidation(list, b.fn(r, v))
		}
	}
	return single(list)
}

// single returns nil for an empty list, its error for a list of one, and
// the list otherwise.
func single(list errdoc.List) error {
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return list
}

// structTags validates the struct tags of v: a struct, or the structs of a
// slice or array (whose pointers get the element's index).
func (b *Binder) structTags(list errdoc.List, v any, p *partial) errdoc.List {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return list
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Struct:
		return b.appendFieldErrors(list, "", rv.Type(), b.validate.Struct(rv.Addr().Interface()), p)
	case reflect.Slice, reflect.Array:
		et := rv.Type().Elem()
		for et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		if et.Kind() != reflect.Struct {
			return list
		}
		for i := 0; i < rv.Len() && len(list) < maxFailures; i++ {
			el := rv.Index(i)
			for el.Kind() == reflect.Pointer && !el.IsNil() {
				el = el.Elem()
			}
			if el.Kind() != reflect.Struct {
				continue
			}
			list = b.appendFieldErrors(list, "/"+strconv.Itoa(i), el.Type(), b.validate.Struct(el.Addr().Interface()), p)
		}
	}
	return list
}

// appendFieldErrors appends the field errors of err, from validating a
// struct of type root whose pointer is prefix.
func (b *Binder) appendFieldErrors(list errdoc.List, prefix string, root reflect.Type, err error, p *partial) errdoc.List {
	if err == nil {
		return list
	}
	var fes validator.ValidationErrors
	if !errors.As(err, &fes) {
		// InvalidValidationError: the validator was handed something it
		// cannot check, a programming mistake.
		return append(list, errdoc.Internal(err))
	}
	for _, fe := range fes {
		if len(list) >= maxFailures {
			break
		}
		ptr := prefix + namespacePointer(fe.Namespace())
		if p != nil && p.skip(ptr, fe.Tag()) {
			continue
		}
		list = append(list, fieldError(ptr, prefix, root, fe).AtPointer(ptr).WithCause(fe))
	}
	return list
}

// namespacePointer turns a validator namespace such as
// "Order.items[3].quantity" (the struct's type name, then field names as the
// tag name function reports them, with indices and map keys in brackets)
// into the JSON pointer "/items/3/quantity".
func namespacePointer(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	} else {
		return ""
	}
	var b strings.Builder
	b.Grow(len(ns) + 4)
	seg := func(s string) {
		b.WriteByte('/')
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(s[i])
			}
		}
	}
	for ns != "" {
		switch ns[0] {
		case '.':
			ns = ns[1:]
		case '[':
			end := strings.IndexByte(ns, ']')
			if end < 0 {
				seg(ns[1:])
				return b.String()
			}
			seg(ns[1:end])
			ns = ns[end+1:]
		default:
			end := strings.IndexAny(ns, ".[")
			if end < 0 {
				end = len(ns)
			}
			seg(ns[:end])
			ns = ns[end:]
		}
	}
	return b.String()
}

// appendValidation appends the failures a Validate method or function
// returned: errdoc values as they are (422 when they carry no status),
// anything else as one generic 422 with the error as its cause.
func appendValidation(list errdoc.List, err error) errdoc.List {
	if err == nil || len(list) >= maxFailures {
		return list
	}
	switch x := err.(type) {
	case *errdoc.Error:
		if x == nil {
			return list
		}
		if x.Status == 0 && x.Code == "" {
			c := *x // the caller's value may be shared; it is not changed
			c.Status = http.StatusUnprocessableEntity
			x = &c
		}
		return append(list, x)
	case errdoc.List:
		for _, e := range x {
			list = appendValidation(list, e)
		}
		return list
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			list = appendValidation(list, e)
		}
		return list
	}
	var e *errdoc.Error
	if errors.As(err, &e) && e != nil {
		return appendValidation(list, e)
	}
	return append(list, errdoc.New(http.StatusUnprocessableEntity, "").WithMessage("validate.failed").WithCause(err))
}
