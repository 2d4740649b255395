// Package resume is the checkpoint of a resumable run: which input keys
// have been committed by every sink, which were in a commit round that
// never finished, and the byte offsets the file sinks had at the last
// commit. It is an append-only log of checksummed lines (prepare lines
// fsync'd before the SQL sinks commit; see Checkpoint.Commit for why the
// commit line need not be), which sinks.Committer writes and a resumed
// run reads.
//
// Keys are kept as 64-bit FNV-1a hashes, so memory does not grow with key
// length: the keys loaded at Open sit in a sorted slice, 8 bytes each
// (8.7 MB of heap for a million keys, against 104 MB for a map of the URL
// strings), and Done is a binary search; keys committed during the run go
// to a map, about 44 bytes each. On disk a key takes 16 hex digits. For n
// keys the
// chance that two collide (and a resume wrongly skips one) is about
// n²/2⁶⁵: 3·10⁻⁸ for a million keys, 3·10⁻⁴ for a hundred million.
package resume
