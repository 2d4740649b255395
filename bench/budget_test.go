package bench

import (
	"os"
	"testing"
)

// TestBudget checks the performance budget on the CPU-bound scenario:
// the sluice command does at least as many requests per CPU-second as
// the hand-written baseline (best of three alternating runs each, to damp
// a shared machine's noise), with a peak RSS of at most 64 MiB. It takes
// about a minute; set SLUICE_BENCH=1 to run it.
func TestBudget(t *testing.T) {
	if os.Getenv("SLUICE_BENCH") == "" {
		t.Skip("set SLUICE_BENCH=1 to run the end-to-end performance budget (about a minute)")
	}
	r := setup(t, cpuBound)
	var best struct{ sluice, baseline usage }
	var peak int64
	for i := range 3 {
		s, b := r.sluice(t, nil), r.baseline(t)
		t.Logf("round %d: sluice %.0f req/cpu-s (cpu %v, wall %v, rss %.1f MiB); baseline %.0f req/cpu-s (cpu %v, wall %v, rss %.1f MiB)",
			i+1, s.reqPerCPUSecond(), s.cpu, s.wall, mib(s.rss), b.reqPerCPUSecond(), b.cpu, b.wall, mib(b.rss))
		if i == 0 || s.cpu < best.sluice.cpu {
			best.sluice = s
		}
		if i == 0 || b.cpu < best.baseline.cpu {
			best.baseline = b
		}
		peak = max(peak, s.rss)
	}
	ratio := best.sluice.reqPerCPUSecond() / best.baseline.reqPerCPUSecond()
	t.Logf("best: sluice %.0f req/cpu-s, baseline %.0f req/cpu-s, ratio %.2f; sluice peak RSS %.1f MiB (baseline %.1f MiB)",
		best.sluice.reqPerCPUSecond(), best.baseline.reqPerCPUSecond(), ratio, mib(peak), mib(best.baseline.rss))
	if ratio < 1.0 {
		t.Errorf("sluice does %.2f× the baseline's requests per CPU-second, want ≥ 1.0", ratio)
	}
	if peak > 64<<20 {
		t.Errorf("sluice peak RSS %.1f MiB, want ≤ 64 MiB", mib(peak))
	}
}
