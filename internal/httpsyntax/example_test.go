package httpsyntax_test

import (
	"fmt"

	"github.com/faultline-go/faultline/internal/httpsyntax"
)

func ExampleSplitMediaType() {
	typ, sub, params, ok := httpsyntax.SplitMediaType(`Application/Problem+JSON; charset="utf-8"`)
	fmt.Println(typ, sub, ok)
	for params != "" {
		var name, value string
		name, value, params = httpsyntax.NextParam(params)
		fmt.Println(name, value)
	}
	fmt.Println(httpsyntax.IsToken("Bearer"), httpsyntax.IsToken("a b"))
	// Output:
	// application problem+json true
	// charset utf-8
	// true false
}
