// Package fakebench holds benchmarks of known shape and fixed reported times
// for benchtable's end-to-end test.
package fakebench
