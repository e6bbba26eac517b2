//go:build goexperiment.jsonv2

package errdoc_test

// nestedTypePointer is the pointer Classify gives a type error inside an
// array element. With encoding/json built on encoding/json/v2 (the default
// from Go 1.27, GOEXPERIMENT=jsonv2 before), UnmarshalTypeError.Field
// names the element's index, and so does the pointer.
const nestedTypePointer = "/tags/0/label"
