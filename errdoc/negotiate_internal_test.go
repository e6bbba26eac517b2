package errdoc

import (
	"regexp"
	"strconv"
	"testing"
)

// strictQ is RFC 9110's qvalue grammar.
var strictQ = regexp.MustCompile(`^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$`)

// FuzzQValue: any q parameter reads as a weight within 0-1000 or as
// unusable; a weight in RFC 9110's grammar reads exactly; one with more
// decimals reads as its value rounded up to the thousandth.
func FuzzQValue(f *testing.F) {
	for _, s := range []string{"q=1", "q = 0.1", "q=0.0001", "q=1.0001", "Q=0.5;level=1", "x=1;q=0", "q=\"0.5\"", "q=1e-3", "q=0.9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, params string) {
		q, ok := qValue(params)
		if !ok {
			return
		}
		if q < 0 || q > 1000 {
			t.Fatalf("qValue(%q) = %d", params, q)
		}
	})
}

func TestParseQExact(t *testing.T) {
	for _, v := range []string{"0", "0.", "0.1", "0.05", "0.001", "0.999", "1", "1.", "1.0", "1.000"} {
		if !strictQ.MatchString(v) {
			t.Fatalf("%q is not in the grammar", v)
		}
		q, ok := parseQ(v)
		want, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || q != int(want*1000+0.5) {
			t.Errorf("parseQ(%q) = %d, %v; want %v", v, q, ok, int(want*1000+0.5))
		}
	}
}
