package resume

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestHashSetMatchesMap adds hashes (repeats, 0 and neighbours included)
// to a hashSet loaded with some, through many merges, and checks has and
// len against a map after every step.
func TestHashSetMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint64]bool{}
	var s hashSet
	loaded := make([]uint64, 3000)
	for i := range loaded {
		loaded[i] = rng.Uint64N(1 << 20)
		want[loaded[i]] = true
	}
	s.load(loaded[:1500])
	s.load(loaded[1500:])
	s.seal()
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
		s.add(h)
		want[h] = true
		if s.len() != len(want) {
			t.Fatalf("step %d: len %d, want %d", i, s.len(), len(want))
		}
		if q := draw(); s.has(q) != want[q] {
			t.Fatalf("step %d: has(%d) = %v, want %v", i, q, s.has(q), want[q])
		}
	}
	for h := range want {
		if !s.has(h) {
			t.Fatalf("lost %d", h)
		}
	}
	for i := 1; i < len(s.sorted); i++ {
		if s.sorted[i-1] >= s.sorted[i] {
			t.Fatalf("sorted slice out of order at %d", i)
		}
	}
}

// TestHashSetZeroValue uses a hashSet that was never loaded nor sealed.
func TestHashSetZeroValue(t *testing.T) {
	var s hashSet
	if s.has(0) || s.has(7) || s.len() != 0 {
		t.Fatal("empty set has keys")
	}
	s.add(7)
	s.add(0)
	s.add(7)
	if !s.has(0) || !s.has(7) || s.has(8) || s.len() != 2 {
		t.Fatalf("has(0)=%v has(7)=%v has(8)=%v len=%d", s.has(0), s.has(7), s.has(8), s.len())
	}
}

// TestHashSetBytesPerKey checks the set stays near 10 bytes a key for a
// run that adds a million keys.
func TestHashSetBytesPerKey(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 1_000_000
	before := heapInUse()
	var s hashSet
	s.seal()
	for i := range n {
		s.add(hashKey("https://example.test/products/item-" + string(rune('a'+i%26)) + itoa(i)))
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
