package crawl

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped tells the kernel the process no longer needs the pages of
// db's memory map (MADV_DONTNEED on a shared, read-only file mapping):
// they leave the resident set but stay in the page cache, and the next
// read faults them back in. Without it a crawl's resident memory grows
// with its store file, which bbolt maps whole, although the store holds
// nothing in the heap. Call it with no transaction open.
func releaseMapped(db *bolt.DB) {
	if n := mappedInUse(db); n > 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, n, syscall.MADV_DONTNEED)
	}
}

// mappedInUse is the length of db's memory map (from Info().Data) that
// holds its pages: the database's size as a transaction sees it, which
// is never past the end of the map. The file's size is no bound: past
// 16 MiB bbolt grows the file up to 16 MiB ahead of the map, and
// MADV_DONTNEED beyond the map would zero whatever memory follows it
// (the Go heap's, for one).
func mappedInUse(db *bolt.DB) uintptr {
	var n int64
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return uintptr(n)
}
