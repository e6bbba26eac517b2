package errdoc

import (
	"strconv"
	"unicode/utf8"
)

// maxStringBytes bounds every string member of a document; longer text is cut
// at a rune boundary and ends with an ellipsis. It keeps a detail built from
// client input from growing a response without bound.
const maxStringBytes = 4096

const hexDigits = "0123456789abcdef"

// plainASCII[c] is true for the ASCII bytes a JSON string holds as they are.
// It is computed once and never changed.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// Word-at-a-time tests (SWAR) over eight bytes packed little-endian.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// load8 reads s[i:i+8] as a little-endian word; the compiler merges it into
// one load.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// hasByte is non-zero when some byte of x equals b.
func hasByte(x uint64, b byte) uint64 {
	y := x ^ (lsb * uint64(b))
	return (y - lsb) &^ y & msb
}

// plain8 reports whether none of x's eight bytes needs escaping: all ASCII,
// none a control character, '"', '\\', '<', '>' or '&'.
func plain8(x uint64) bool {
	below := (x - lsb*0x20) &^ x & msb // some byte < 0x20 (x's high bits are clear)
	return x&msb == 0 && below|hasByte(x, '"')|hasByte(x, '\\')|hasByte(x, '<')|hasByte(x, '>')|hasByte(x, '&') == 0
}

// quote returns s as a JSON string, for values quoted once at construction.
func quote(s string) string { return string(appendString(nil, s)) }

// appendString appends s as a JSON string. It escapes what encoding/json's
// HTML-safe mode escapes (<, >, &, U+2028, U+2029, control characters),
// replaces invalid UTF-8 with U+FFFD and cuts s at maxStringBytes.
func appendString(dst []byte, s string) []byte {
	cut := false
	if len(s) > maxStringBytes {
		n := maxStringBytes
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	if cut {
		dst = append(dst, "…"...)
	}
	return append(dst, '"')
}

// appendEscaped appends s escaped as the inside of a JSON string, under
// appendString's rules but without quotes or a length cut.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(load8(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// appendMember appends ,"name":"value" (without the comma when first).
func appendMember(dst []byte, first bool, name, value string) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendString(dst, value)
}

// appendIntMember appends ,"name":n (without the comma when first).
func appendIntMember(dst []byte, first bool, name string, n int) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return strconv.AppendInt(dst, int64(n), 10)
}
