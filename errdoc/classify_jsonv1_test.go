//go:build !goexperiment.jsonv2

package errdoc_test

// nestedTypePointer is the pointer Classify gives a type error inside an
// array element. encoding/json's own decoder (Go 1.26 without
// GOEXPERIMENT=jsonv2) leaves the element's index out of
// UnmarshalTypeError.Field, so the pointer has no index either.
const nestedTypePointer = "/tags/label"
