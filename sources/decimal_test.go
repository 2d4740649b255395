package sources

import (
	"strconv"
	"testing"
)

// TestDecimal checks the kept digits against strconv over runs of
// consecutive numbers (carries included), repeats and jumps.
func TestDecimal(t *testing.T) {
	var d decimal
	check := func(n int) {
		t.Helper()
		if got, want := string(d.of(n)), strconv.Itoa(n); got != want {
			t.Fatalf("of(%d) = %q, want %q", n, got, want)
		}
	}
	for n := 1; n <= 100_500; n++ {
		check(n)
	}
	for _, n := range []int{100_500, 7, 8, 9, 10, 10, 999, 1000, 99_999_999, 100_000_000, 100_000_001, 0, 1, 0, -5, -4} {
		check(n)
	}
}
