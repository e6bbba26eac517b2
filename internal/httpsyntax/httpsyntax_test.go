package httpsyntax

import (
	"fmt"
	"strings"
	"testing"
)

func TestNextParam(t *testing.T) {
	type p struct{ name, value string }
	tests := map[string][]p{
		`charset=utf-8`:                      {{"charset", "utf-8"}},
		` Charset = "UTF-8" ; q=0.5`:         {{"charset", "UTF-8"}, {"q", "0.5"}},
		`a="x\"y\\z";b=2`:                    {{"a", `x"y\z`}, {"b", "2"}},
		`a="semi;colon";b`:                   {{"a", "semi;colon"}, {"b", ""}},
		`flag;q=1`:                           {{"flag", ""}, {"q", "1"}},
		`a="unterminated`:                    {{"a", "unterminated"}},
		`;;a=1;;`:                            {{"a", "1"}},
		`a="x" junk; b=2`:                    {{"a", "x"}, {"b", "2"}},
		`a="esc\`:                            {{"a", `esc\`}},
		`level=1; charset="iso-8859-1"; q=0`: {{"level", "1"}, {"charset", "iso-8859-1"}, {"q", "0"}},
	}
	for in, want := range tests {
		var got []p
		for rest := in; strings.TrimLeft(rest, " ;") != ""; {
			var name, value string
			name, value, rest = NextParam(rest)
			got = append(got, p{name, value})
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}
