// Package fakebench holds benchmarks of known shape for benchtable's
// end-to-end test.
package fakebench

// Spin does n units of work that the compiler cannot remove.
func Spin(n int) uint64 {
	x := uint64(88172645463325252)
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}
