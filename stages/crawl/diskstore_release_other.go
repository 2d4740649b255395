//go:build !linux

package crawl

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op outside Linux.
func releaseMapped(*bolt.DB) {}
