package crawl

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestReleaseMappedStaysInTheMap grows a bbolt file past 16 MiB, where
// bbolt sizes the file ahead of its memory map, and checks that the range
// releaseMapped drops lies within the map, although the file reaches past
// it (the range once went by the file's size and zeroed memory after the
// map: the Go runtime's, in BenchmarkFrontierStore at 1M URLs).
func TestReleaseMappedStaysInTheMap(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "f.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 1<<20)
	beyond := false
	for i := 0; i < 64 && !beyond; i++ {
		err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("b"))
			if err != nil {
				return err
			}
			return b.Put([]byte(fmt.Sprint(i)), value)
		})
		if err != nil {
			t.Fatal(err)
		}
		releaseMapped(db)
		start, end := mapping(t, db.Info().Data)
		if n := mappedInUse(db); start+n > end {
			t.Fatalf("after %d MiB: releaseMapped drops %#x..%#x, past the map's end %#x", i+1, start, start+n, end)
		}
		st, err := os.Stat(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		beyond = start+uintptr(st.Size()) > end
	}
	if !beyond {
		t.Fatal("the file never reached past its map: the test checks nothing")
	}
}

// mapping is the range of the memory mapping holding addr, from
// /proc/self/maps.
func mapping(t *testing.T, addr uintptr) (start, end uintptr) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		r, _, _ := strings.Cut(sc.Text(), " ")
		var s, e uintptr
		if _, err := fmt.Sscanf(r, "%x-%x", &s, &e); err == nil && s <= addr && addr < e {
			return s, e
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return 0, 0
}
