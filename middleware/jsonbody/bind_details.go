package jsonbody

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/go-playground/validator/v10"
)

// fieldDetail says what is wrong with the value at ptr, from the failed
// tag and its parameter (both from the program, never from the client),
// without the value itself, in the API's terms: a field another tag names
// is named by its JSON pointer, never its Go name. prefix and root are the
// pointer and type of the struct the validator checked.
func fieldDetail(ptr, prefix string, root reflect.Type, fe validator.FieldError) string {
	subject := ptr
	if subject == "" {
		subject = "The request body"
	}
	param := fe.Param()
	kind := fe.Kind()
	var what string // how a size is counted
	switch kind {
	case reflect.String:
		what = " characters"
	case reflect.Slice, reflect.Array, reflect.Map:
		what = " elements"
	}
	sized := what != ""
	tag := fe.Tag()
	if phrase, ok := tagPhrases[tag]; ok {
		return subject + " " + phrase + "."
	}
	if param == "" && fe.Type() == timeType {
		// gt, gte, lt and lte without a parameter compare a time with now.
		switch tag {
		case "gt":
			return subject + " must be in the future."
		case "gte", "min":
			return subject + " must not be in the past."
		case "lt":
			return subject + " must be in the past."
		case "lte", "max":
			return subject + " must not be in the future."
		}
	}
	switch tag {
	case "required", "required_if", "required_unless", "required_with", "required_with_all",
		"required_without", "required_without_all":
		if kind == reflect.String || sized {
			return subject + " must not be empty."
		}
		return subject + " is required."
	case "excluded_if", "excluded_unless", "excluded_with", "excluded_with_all", "excluded_without", "excluded_without_all", "isdefault":
		return subject + " must be left out here."
	case "min", "gte":
		if sized {
			return subject + " must have at least " + param + what + "."
		}
		return subject + " must be at least " + param + "."
	case "max", "lte":
		if sized {
			return subject + " must have at most " + param + what + "."
		}
		return subject + " must be at most " + param + "."
	case "gt":
		if sized {
			return subject + " must have more than " + param + what + "."
		}
		return subject + " must be greater than " + param + "."
	case "lt":
		if sized {
			return subject + " must have fewer than " + param + what + "."
		}
		return subject + " must be less than " + param + "."
	case "len":
		if sized {
			return subject + " must have exactly " + param + what + "."
		}
		return subject + " must be " + param + "."
	case "eq":
		return subject + " must be " + param + "."
	case "ne":
		return subject + " must not be " + param + "."
	case "eq_ignore_case":
		return subject + " must be " + param + " (in any case)."
	case "ne_ignore_case":
		return subject + " must not be " + param + " (in any case)."
	case "oneof":
		return subject + " must be one of: " + strings.Join(strings.Fields(param), ", ") + "."
	case "oneofci":
		return subject + " must be one of (in any case): " + strings.Join(strings.Fields(param), ", ") + "."
	case "noneof":
		return subject + " must not be any of: " + strings.Join(strings.Fields(param), ", ") + "."
	case "datetime":
		return subject + " must be a date or time in the layout " + param + "."
	case "contains":
		return subject + " must contain " + strconv.Quote(param) + "."
	case "containsany":
		return subject + " must contain at least one of the characters " + strconv.Quote(param) + "."
	case "containsrune":
		return subject + " must contain the character " + strconv.Quote(param) + "."
	case "excludes":
		return subject + " must not contain " + strconv.Quote(param) + "."
	case "excludesall":
		return subject + " must not contain any of the characters " + strconv.Quote(param) + "."
	case "excludesrune":
		return subject + " must not contain the character " + strconv.Quote(param) + "."
	case "startswith":
		return subject + " must start with " + strconv.Quote(param) + "."
	case "startsnotwith":
		return subject + " must not start with " + strconv.Quote(param) + "."
	case "endswith":
		return subject + " must end with " + strconv.Quote(param) + "."
	case "endsnotwith":
		return subject + " must not end with " + strconv.Quote(param) + "."
	}
	if phrase, ok := fieldComparisons[tag]; ok {
		other, ok := otherField(prefix, root, fe, strings.Contains(tag, "csfield"))
		if !ok {
			return subject + " " + phrase + " another field."
		}
		return subject + " " + phrase + " " + other + "."
	}
	return subject + " does not satisfy the rule " + strconv.Quote(tag) + "."
}

// tagPhrases completes "The value at /x ..." for the tags that take no
// parameter.
var tagPhrases = map[string]string{
	"unique":             "must not contain duplicates",
	"email":              "must be an email address",
	"url":                "must be a URL",
	"http_url":           "must be an HTTP or HTTPS URL",
	"https_url":          "must be an HTTPS URL",
	"uri":                "must be a URI",
	"urn_rfc2141":        "must be a URN",
	"urn_rfc8141":        "must be a URN",
	"uuid":               "must be a UUID",
	"uuid3":              "must be a UUID",
	"uuid4":              "must be a UUID",
	"uuid5":              "must be a UUID",
	"uuid7":              "must be a UUID",
	"uuid_rfc4122":       "must be a UUID",
	"uuid3_rfc4122":      "must be a UUID",
	"uuid4_rfc4122":      "must be a UUID",
	"uuid5_rfc4122":      "must be a UUID",
	"ulid":               "must be a ULID",
	"alpha":              "must contain only letters",
	"alphaunicode":       "must contain only letters",
	"alphaspace":         "must contain only letters and spaces",
	"alphanum":           "must contain only letters and digits",
	"alphanumunicode":    "must contain only letters and digits",
	"alphanumspace":      "must contain only letters, digits and spaces",
	"numeric":            "must contain only digits",
	"number":             "must contain only digits",
	"hexadecimal":        "must be a hexadecimal number",
	"boolean":            "must be true or false",
	"ascii":              "must contain only ASCII characters",
	"printascii":         "must contain only printable ASCII characters",
	"multibyte":          "must contain multi-byte characters",
	"lowercase":          "must be lower-case",
	"uppercase":          "must be upper-case",
	"ip":                 "must be an IP address",
	"ipv4":               "must be an IPv4 address",
	"ipv6":               "must be an IPv6 address",
	"cidr":               "must be a CIDR network",
	"cidrv4":             "must be an IPv4 CIDR network",
	"cidrv6":             "must be an IPv6 CIDR network",
	"mac":                "must be a MAC address",
	"hostname":           "must be a host name",
	"hostname_rfc1123":   "must be a host name",
	"fqdn":               "must be a fully qualified domain name",
	"hostname_port":      "must be a host and port",
	"port":               "must be a port number",
	"iso3166_1_alpha2":   "must be a two-letter country code",
	"iso3166_1_alpha3":   "must be a three-letter country code",
	"iso4217":            "must be a three-letter currency code",
	"bcp47_language_tag": "must be a language tag",
	"timezone":           "must be a time zone name",
	"e164":               "must be a phone number in E.164 format",
	"latitude":           "must be a latitude",
	"longitude":          "must be a longitude",
	"hexcolor":           "must be a hexadecimal colour",
	"rgb":                "must be an rgb() colour",
	"rgba":               "must be an rgba() colour",
	"hsl":                "must be an hsl() colour",
	"hsla":               "must be an hsla() colour",
	"iscolor":            "must be a colour",
	"base64":             "must be base64-encoded",
	"base64url":          "must be base64url-encoded",
	"base64rawurl":       "must be unpadded base64url-encoded",
	"json":               "must hold JSON",
	"jwt":                "must be a JSON Web Token",
	"semver":             "must be a semantic version",
	"isbn":               "must be an ISBN",
	"isbn10":             "must be an ISBN-10",
	"isbn13":             "must be an ISBN-13",
	"credit_card":        "must be a card number",
	"luhn_checksum":      "must have a valid check digit",
	"cron":               "must be a cron expression",
	"duration":           "must be a duration",
}

// fieldComparisons completes "The value at /x ... /y." for the tags that
// compare a field with another.
var fieldComparisons = map[string]string{
	"eqfield":       "must equal",
	"eqcsfield":     "must equal",
	"nefield":       "must differ from",
	"necsfield":     "must differ from",
	"gtfield":       "must be greater than",
	"gtcsfield":     "must be greater than",
	"gtefield":      "must be at least",
	"gtecsfield":    "must be at least",
	"ltfield":       "must be less than",
	"ltcsfield":     "must be less than",
	"ltefield":      "must be at most",
	"ltecsfield":    "must be at most",
	"fieldcontains": "must contain",
	"fieldexcludes": "must not contain",
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
