package crawl

import (
	"os"
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
	st, err := os.Stat(db.Path())
	if err != nil || st.Size() == 0 {
		return
	}
	// bbolt maps at least the file's size; the map starts at Info().Data.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(st.Size()), syscall.MADV_DONTNEED)
}
