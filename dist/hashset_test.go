package dist

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestHashSet checks the set against a map over random adds (repeats
// included) and lookups, through many merges.
func TestHashSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s hashSet
	want := map[uint64]struct{}{}
	for i := range 200_000 {
		h := r.Uint64N(300_000) // repeats, and misses below
		s.add(h)
		want[h] = struct{}{}
		if i%997 == 0 {
			for range 50 {
				q := r.Uint64N(300_000)
				_, ok := want[q]
				if s.has(q) != ok {
					t.Fatalf("after %d adds: has(%d) = %v, want %v", i+1, q, !ok, ok)
				}
			}
		}
	}
	if s.len() != len(want) {
		t.Fatalf("len %d, want %d", s.len(), len(want))
	}
	for h := range want {
		if !s.has(h) {
			t.Fatalf("lost %d", h)
		}
	}
	if !isSortedUnique(s.sorted) {
		t.Fatal("the sorted part is not sorted and unique")
	}
	if len(s.sorted) == 0 {
		t.Fatal("never merged")
	}
}

func isSortedUnique(xs []uint64) bool {
	for i := 1; i < len(xs); i++ {
		if xs[i-1] >= xs[i] {
			return false
		}
	}
	return true
}

// BenchmarkHashSetMemory reports the heap a set of a million random
// hashes holds, as a hashSet and as a map, in bytes per hash.
//
//	go test -run '^$' -bench HashSetMemory ./dist
func BenchmarkHashSetMemory(b *testing.B) {
	const n = 1_000_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for b.Loop() {
		r := rand.New(rand.NewPCG(3, 4))
		before := heap()
		var s hashSet
		for range n {
			s.add(r.Uint64())
		}
		set := heap() - before
		runtime.KeepAlive(&s)
		s = hashSet{}
		before = heap()
		m := map[uint64]struct{}{}
		for range n {
			m[r.Uint64()] = struct{}{}
		}
		mp := heap() - before
		runtime.KeepAlive(m)
		b.ReportMetric(float64(set)/n, "set-B/hash")
		b.ReportMetric(float64(mp)/n, "map-B/hash")
	}
	b.ReportMetric(0, "ns/op")
}
