package crawl_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/sluicehq/sluice/stages/crawl"
)

// TestDiskStoreSeenSet checks the DiskStore's seen-set against a
// MemoryStore's: the same Add and Claim answers for keys added before or
// after a write, evicted from its cache, and from before a reopen, over
// more keys than its cache holds, some of them hot.
func TestDiskStoreSeenSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	open := func() *crawl.DiskStore {
		s, err := crawl.OpenStore(path, crawl.StoreConfig{FlushEvery: 64})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	disk, mem := open(), crawl.NewMemoryStore()
	defer func() { disk.Close() }()
	rng := rand.New(rand.NewPCG(1, 2))
	key := func() string {
		if rng.IntN(4) == 0 {
			return fmt.Sprintf("http://h%d.example/hot/%d", rng.IntN(3), rng.IntN(20))
		}
		return fmt.Sprintf("http://h%d.example/p/%d", rng.IntN(3), rng.IntN(30_000))
	}
	var later []string
	for i := range 60_000 {
		switch op := rng.IntN(10); {
		case op < 7:
			k := key()
			e := crawl.Entry{Key: k, Host: k[:len("http://h0.example")], URL: k}
			got, err := disk.Add(e)
			want, _ := mem.Add(e)
			if err != nil || got != want {
				t.Fatalf("op %d: Add(%s) = %v, %v; memory store: %v", i, k, got, err, want)
			}
		case op < 8:
			k, by := key(), key()
			got, err := disk.Claim(k, by)
			want, _ := mem.Claim(k, by)
			if err != nil || got != want {
				t.Fatalf("op %d: Claim(%s, %s) = %v, %v; memory store: %v", i, k, by, got, err, want)
			}
		default:
			e, ok, err := disk.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				later = append(later, e.Key)
			}
			if len(later) == 50 {
				if err := disk.MarkDone(later...); err != nil {
					t.Fatal(err)
				}
				later = later[:0]
			}
		}
		if i%15_000 == 14_999 {
			if err := disk.Close(); err != nil {
				t.Fatal(err)
			}
			disk = open()
		}
	}
	if got, want := disk.Admitted(), mem.Admitted(); got != want {
		t.Errorf("admitted %d, memory store %d", got, want)
	}
}
