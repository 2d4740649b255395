package main

import "testing"

// The runtime's limit is the budget less the program's own resident
// pages and the reserve, and never under half the budget.
func TestMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ budget, own, want int64 }{
		{256 * mib, 14 * mib, 240 * mib},
		{40 * mib, 14 * mib, 24 * mib},
		{40 * mib, 0, 38 * mib},        // own pages unknown: the reserve only
		{20 * mib, 14 * mib, 10 * mib}, // 4 MiB left: half the budget instead
		{16 * mib, 15 * mib, 8 * mib},
	} {
		if got := memoryLimit(c.budget, c.own); got != c.want {
			t.Errorf("memoryLimit(%d MiB, %d MiB) = %d MiB, want %d MiB", c.budget/mib, c.own/mib, got/mib, c.want/mib)
		}
	}
}
