package fakebench

import "testing"

var out uint64

// BenchmarkWork: ours does half the anchor "double"'s work and the same as
// "same"; an allocation on ours only.
func BenchmarkWork(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out += Spin(2000)
			out += uint64(len(make([]byte, 64+out%2)))
		}
	})
	b.Run("double", func(b *testing.B) {
		for b.Loop() {
			out += Spin(4000)
		}
	})
	b.Run("same", func(b *testing.B) {
		for b.Loop() {
			out += Spin(2000)
		}
	})
}

func BenchmarkNested(b *testing.B) {
	b.Run("deep/ours", func(b *testing.B) {
		for b.Loop() {
			out += Spin(100)
		}
	})
	b.Run("deep/anchor.v2", func(b *testing.B) {
		for b.Loop() {
			out += Spin(100)
		}
	})
}

func BenchmarkAlone(b *testing.B) {
	for b.Loop() {
		out += Spin(10)
	}
}

func BenchmarkSkipped(b *testing.B) {
	b.Skip("needs a tool this machine lacks")
	b.Run("ours", func(b *testing.B) {})
	b.Run("chi", func(b *testing.B) {})
}
