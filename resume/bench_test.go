package resume

import (
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// BenchmarkOpenMillionKeys loads a checkpoint of 1,000,000 committed keys
// (1000 rounds of 1000), and reports the load rate, the file size and the
// heap the done set takes, against a plain map[string]struct{} of the same
// keys (the baseline the hashes replace).
func BenchmarkOpenMillionKeys(b *testing.B) {
	const rounds, per = 1000, 1000
	path := filepath.Join(b.TempDir(), "ckpt")
	c, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, per)
	for r := range rounds {
		for i := range keys {
			keys[i] = "https://example.test/products/item-" + strconv.Itoa(r*per+i)
		}
		rd, err := c.Prepare(keys, map[string]int64{"jsonl:out.jsonl": int64(r)})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Commit(rd); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	b.Run("checkpoint", func(b *testing.B) {
		var heap uint64
		for b.Loop() {
			before := heapInUse()
			c, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			heap = heapInUse() - before
			if c.Len() != rounds*per {
				b.Fatalf("Len = %d", c.Len())
			}
			c.Close()
		}
		b.ReportMetric(float64(rounds*per*b.N)/b.Elapsed().Seconds(), "keys/s")
		b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
	})
	b.Run("map-of-strings", func(b *testing.B) {
		var heap uint64
		for b.Loop() {
			before := heapInUse()
			m := make(map[string]struct{})
			for i := range rounds * per {
				m["https://example.test/products/item-"+strconv.Itoa(i)] = struct{}{}
			}
			heap = heapInUse() - before
			runtime.KeepAlive(m)
		}
		b.ReportMetric(float64(rounds*per*b.N)/b.Elapsed().Seconds(), "keys/s")
		b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
	})
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
