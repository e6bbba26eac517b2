package jsonbody

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/go-playground/validator/v10"

	"github.com/faultline-go/faultline/errdoc"
)

// fieldError says what is wrong with the value at ptr, from the failed
// tag and its parameter (both from the program, never from the client),
// without the value itself, in the API's terms: a field another tag names
// is named by its JSON pointer, never its Go name. prefix and root are the
// pointer and type of the struct the validator checked.
//
// Every message is a sentence about {subject} (the value at ptr, or the
// body), so a translation orders the sentence as its grammar needs; a size
// counted in characters and one counted in elements have sentences of
// their own.
func fieldError(ptr, prefix string, root reflect.Type, fe validator.FieldError) *errdoc.Error {
	subjectKey := "validate.subject.value"
	if ptr == "" {
		subjectKey = "validate.subject.body"
	}
	msg := func(key string, args ...errdoc.Arg) *errdoc.Error {
		return sentenceError(http.StatusUnprocessableEntity, key, subjectKey, ptr, args...)
	}
	param := fe.Param()
	kind := fe.Kind()
	var unit string // how a size is counted: "chars", "elements" or none
	switch kind {
	case reflect.String:
		unit = "chars"
	case reflect.Slice, reflect.Array, reflect.Map:
		unit = "elements"
	}
	sized := unit != ""
	// sizeKey picks the message of a size counted in unit.
	sizeKey := func(chars, elements string) string {
		if unit == "chars" {
			return chars
		}
		return elements
	}
	tag := fe.Tag()
	if key, ok := tagKeys[tag]; ok {
		return msg(key)
	}
	if param == "" && fe.Type() == timeType {
		// gt, gte, lt and lte without a parameter compare a time with now.
		switch tag {
		case "gt":
			return msg("validate.future")
		case "gte", "min":
			return msg("validate.not_past")
		case "lt":
			return msg("validate.past")
		case "lte", "max":
			return msg("validate.not_future")
		}
	}
	count := errdoc.Str("count", param)
	value := errdoc.Str("value", param)
	// text and values are built only for the tags that use them.
	text := func() errdoc.Arg { return errdoc.Str("text", strconv.Quote(param)) }
	values := func() errdoc.Arg { return errdoc.Str("values", strings.Join(strings.Fields(param), ", ")) }
	switch tag {
	case "required", "required_if", "required_unless", "required_with", "required_with_all",
		"required_without", "required_without_all":
		if kind == reflect.String || sized {
			return msg("validate.not_empty")
		}
		return msg("validate.required")
	case "excluded_if", "excluded_unless", "excluded_with", "excluded_with_all", "excluded_without", "excluded_without_all", "isdefault":
		return msg("validate.excluded")
	case "min", "gte":
		if sized {
			return msg(sizeKey("validate.min_chars", "validate.min_elements"), count)
		}
		return msg("validate.min", value)
	case "max", "lte":
		if sized {
			return msg(sizeKey("validate.max_chars", "validate.max_elements"), count)
		}
		return msg("validate.max", value)
	case "gt":
		if sized {
			return msg(sizeKey("validate.more_chars", "validate.more_elements"), count)
		}
		return msg("validate.gt", value)
	case "lt":
		if sized {
			return msg(sizeKey("validate.fewer_chars", "validate.fewer_elements"), count)
		}
		return msg("validate.lt", value)
	case "len":
		if sized {
			return msg(sizeKey("validate.len_chars", "validate.len_elements"), count)
		}
		return msg("validate.eq", value)
	case "eq":
		return msg("validate.eq", value)
	case "ne":
		return msg("validate.ne", value)
	case "eq_ignore_case":
		return msg("validate.eq_ignore_case", value)
	case "ne_ignore_case":
		return msg("validate.ne_ignore_case", value)
	case "oneof":
		return msg("validate.oneof", values())
	case "oneofci":
		return msg("validate.oneofci", values())
	case "noneof":
		return msg("validate.noneof", values())
	case "datetime":
		return msg("validate.datetime", errdoc.Str("layout", param))
	case "contains":
		return msg("validate.contains", text())
	case "containsany":
		return msg("validate.containsany", text())
	case "containsrune":
		return msg("validate.containsrune", text())
	case "excludes":
		return msg("validate.excludes", text())
	case "excludesall":
		return msg("validate.excludesall", text())
	case "excludesrune":
		return msg("validate.excludesrune", text())
	case "startswith":
		return msg("validate.startswith", text())
	case "startsnotwith":
		return msg("validate.startsnotwith", text())
	case "endswith":
		return msg("validate.endswith", text())
	case "endsnotwith":
		return msg("validate.endsnotwith", text())
	}
	if key, ok := fieldComparisons[tag]; ok {
		other, ok := otherField(prefix, root, fe, strings.Contains(tag, "csfield"))
		if !ok {
			return msg(key, errdoc.Sub("other", "validate.another_field"))
		}
		return msg(key, errdoc.Str("other", other))
	}
	return msg("validate.rule", errdoc.Str("rule", strconv.Quote(tag)))
}

// tagKeys are the messages of the tags that take no parameter, each a
// sentence about {subject}.
var tagKeys = map[string]string{
	"unique":             "validate.unique",
	"email":              "validate.email",
	"url":                "validate.url",
	"http_url":           "validate.http_url",
	"https_url":          "validate.https_url",
	"uri":                "validate.uri",
	"urn_rfc2141":        "validate.urn",
	"urn_rfc8141":        "validate.urn",
	"uuid":               "validate.uuid",
	"uuid3":              "validate.uuid",
	"uuid4":              "validate.uuid",
	"uuid5":              "validate.uuid",
	"uuid7":              "validate.uuid",
	"uuid_rfc4122":       "validate.uuid",
	"uuid3_rfc4122":      "validate.uuid",
	"uuid4_rfc4122":      "validate.uuid",
	"uuid5_rfc4122":      "validate.uuid",
	"ulid":               "validate.ulid",
	"alpha":              "validate.letters",
	"alphaunicode":       "validate.letters",
	"alphaspace":         "validate.letters_spaces",
	"alphanum":           "validate.letters_digits",
	"alphanumunicode":    "validate.letters_digits",
	"alphanumspace":      "validate.letters_digits_spaces",
	"numeric":            "validate.digits",
	"number":             "validate.digits",
	"hexadecimal":        "validate.hexadecimal",
	"boolean":            "validate.boolean",
	"ascii":              "validate.ascii",
	"printascii":         "validate.printable_ascii",
	"multibyte":          "validate.multibyte",
	"lowercase":          "validate.lowercase",
	"uppercase":          "validate.uppercase",
	"ip":                 "validate.ip",
	"ipv4":               "validate.ipv4",
	"ipv6":               "validate.ipv6",
	"cidr":               "validate.cidr",
	"cidrv4":             "validate.cidrv4",
	"cidrv6":             "validate.cidrv6",
	"mac":                "validate.mac",
	"hostname":           "validate.hostname",
	"hostname_rfc1123":   "validate.hostname",
	"fqdn":               "validate.fqdn",
	"hostname_port":      "validate.hostname_port",
	"port":               "validate.port",
	"iso3166_1_alpha2":   "validate.country_alpha2",
	"iso3166_1_alpha3":   "validate.country_alpha3",
	"iso4217":            "validate.currency",
	"bcp47_language_tag": "validate.language_tag",
	"timezone":           "validate.timezone",
	"e164":               "validate.e164",
	"latitude":           "validate.latitude",
	"longitude":          "validate.longitude",
	"hexcolor":           "validate.hexcolor",
	"rgb":                "validate.rgb",
	"rgba":               "validate.rgba",
	"hsl":                "validate.hsl",
	"hsla":               "validate.hsla",
	"iscolor":            "validate.color",
	"base64":             "validate.base64",
	"base64url":          "validate.base64url",
	"base64rawurl":       "validate.base64rawurl",
	"json":               "validate.json",
	"jwt":                "validate.jwt",
	"semver":             "validate.semver",
	"isbn":               "validate.isbn",
	"isbn10":             "validate.isbn10",
	"isbn13":             "validate.isbn13",
	"credit_card":        "validate.card_number",
	"luhn_checksum":      "validate.check_digit",
	"cron":               "validate.cron",
	"duration":           "validate.duration",
}

// fieldComparisons are the messages of the tags that compare a field with
// another, sentences about {subject} and {other}: the other field's
// pointer, or "another field".
var fieldComparisons = map[string]string{
	"eqfield":       "validate.field.eq",
	"eqcsfield":     "validate.field.eq",
	"nefield":       "validate.field.ne",
	"necsfield":     "validate.field.ne",
	"gtfield":       "validate.field.gt",
	"gtcsfield":     "validate.field.gt",
	"gtefield":      "validate.field.gte",
	"gtecsfield":    "validate.field.gte",
	"ltfield":       "validate.field.lt",
	"ltcsfield":     "validate.field.lt",
	"ltefield":      "validate.field.lte",
	"ltecsfield":    "validate.field.lte",
	"fieldcontains": "validate.field.contains",
	"fieldexcludes": "validate.field.excludes",
}

// otherField returns the JSON pointer of the field a comparison tag names
// by its Go name: a sibling of the failed field, or (crossStruct, the
// "cs" tags) a path of Go names from the root struct.
func otherField(prefix string, root reflect.Type, fe validator.FieldError, crossStruct bool) (string, bool) {
	var goPath string
	if crossStruct {
		goPath = fe.Param()
	} else {
		ns := fe.StructNamespace()
		i := strings.IndexByte(ns, '.')
		j := strings.LastIndexByte(ns, '.')
		if i < 0 {
			return "", false
		}
		if i == j {
			goPath = fe.Param()
		} else {
			goPath = ns[i+1:j] + "." + fe.Param()
		}
	}
	return goPathPointer(prefix, root, goPath)
}

// goPathPointer turns a path of Go field names and indices under the
// struct type t ("Lines[2].Quantity") into a JSON pointer under prefix.
func goPathPointer(prefix string, t reflect.Type, goPath string) (string, bool) {
	ptr := jsontext.Pointer(prefix)
	for goPath != "" {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if goPath[0] == '[' {
			end := strings.IndexByte(goPath, ']')
			if end < 0 {
				return "", false
			}
			switch t.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map:
				ptr = ptr.AppendToken(goPath[1:end])
				t = t.Elem()
			default:
				return "", false
			}
			goPath = strings.TrimPrefix(goPath[end+1:], ".")
			continue
		}
		end := strings.IndexAny(goPath, ".[")
		if end < 0 {
			end = len(goPath)
		}
		if t.Kind() != reflect.Struct {
			return "", false
		}
		f, ok := t.FieldByName(goPath[:end])
		if !ok {
			return "", false
		}
		name := JSONTagName(f)
		if name == "" {
			return "", false // not in JSON
		}
		ptr = ptr.AppendToken(name)
		t = f.Type
		goPath = strings.TrimPrefix(goPath[end:], ".")
	}
	return string(ptr), validPointer(string(ptr))
}
