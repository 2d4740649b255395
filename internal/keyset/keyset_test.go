package keyset

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestSetMatchesMap adds hashes (repeats, 0 and neighbours included)
// to a Set loaded with some, through many merges, and checks has and
// len against a map after every step.
func TestSetMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint64]bool{}
	var s Set
	loaded := make([]uint64, 3000)
	for i := range loaded {
		loaded[i] = rng.Uint64N(1 << 20)
		want[loaded[i]] = true
	}
	s.Load(loaded[:1500])
	s.Load(loaded[1500:])
	s.Seal()
	draw := func() uint64 {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return rng.Uint64N(1 << 20) // often loaded, or added before
		default:
			return rng.Uint64()
		}
	}
	for i := range 50_000 {
		h := draw()
		s.Add(h)
		want[h] = true
		if s.Len() != len(want) {
			t.Fatalf("step %d: len %d, want %d", i, s.Len(), len(want))
		}
		if q := draw(); s.Has(q) != want[q] {
			t.Fatalf("step %d: has(%d) = %v, want %v", i, q, s.Has(q), want[q])
		}
	}
	for h := range want {
		if !s.Has(h) {
			t.Fatalf("lost %d", h)
		}
	}
	for i := 1; i < len(s.sorted); i++ {
		if s.sorted[i-1] >= s.sorted[i] {
			t.Fatalf("sorted slice out of order at %d", i)
		}
	}
}

// TestSetZeroValue uses a Set that was never loaded nor sealed.
func TestSetZeroValue(t *testing.T) {
	var s Set
	if s.Has(0) || s.Has(7) || s.Len() != 0 {
		t.Fatal("empty set has keys")
	}
	s.Add(7)
	s.Add(0)
	s.Add(7)
	if !s.Has(0) || !s.Has(7) || s.Has(8) || s.Len() != 2 {
		t.Fatalf("has(0)=%v has(7)=%v has(8)=%v len=%d", s.Has(0), s.Has(7), s.Has(8), s.Len())
	}
}

// TestSetBytesPerKey checks the set stays near 10 bytes a key for a
// run that adds a million keys.
func TestSetBytesPerKey(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 1_000_000
	before := heapInUse()
	var s Set
	s.Seal()
	for i := range n {
		s.Add(Hash("https://example.test/products/item-" + string(rune('a'+i%26)) + itoa(i)))
	}
	per := float64(heapInUse()-before) / n
	runtime.KeepAlive(&s)
	t.Logf("%.1f bytes a key", per)
	if per > 14 {
		t.Fatalf("%.1f bytes a key, want at most 14", per)
	}
}

func itoa(i int) string {
	var b [20]byte
	p := len(b)
	for {
		p--
		b[p] = byte('0' + i%10)
		if i /= 10; i == 0 {
			return string(b[p:])
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestHashKnownValues(t *testing.T) {
	// Reference values of 64-bit FNV-1a.
	for in, want := range map[string]uint64{"": 0xcbf29ce484222325, "a": 0xaf63dc4c8601ec8c, "foobar": 0x85944171f73967e8} {
		if got := Hash(in); got != want {
			t.Errorf("Hash(%q) = %x, want %x", in, got, want)
		}
	}
}

// BenchmarkSetMemory reports the heap a million random hashes take in a
// Set and in a Go map, in bytes a hash.
//
//	go test -run '^$' -bench SetMemory ./internal/keyset
func BenchmarkSetMemory(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		r := rand.New(rand.NewPCG(3, 4))
		before := heapInUse()
		var s Set
		for range n {
			s.Add(r.Uint64())
		}
		set := float64(heapInUse()-before) / n
		runtime.KeepAlive(&s)
		s = Set{}
		before = heapInUse()
		m := map[uint64]struct{}{}
		for range n {
			m[r.Uint64()] = struct{}{}
		}
		mp := float64(heapInUse()-before) / n
		runtime.KeepAlive(m)
		b.ReportMetric(set, "set-B/hash")
		b.ReportMetric(mp, "map-B/hash")
	}
	b.ReportMetric(0, "ns/op")
}
