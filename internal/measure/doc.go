// Package measure holds what the module's measurement commands share: the
// median and the per-round ratio statistics that cancel a shared machine's
// drift, and the description of the machine the numbers come from.
// internal/benchtable (make bench) and internal/loadcmp (make load) use it.
//
// Usage:
//
//	r := measure.Ratios(ours, anchor) // one ratio per round, then the median
//	fmt.Printf("%.2fx (%.2f-%.2f)\n", r.Median, r.Min, r.Max)
package measure
