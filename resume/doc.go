// Package resume is the checkpoint of a resumable run: which input keys
// have been committed by every sink, which were in a commit round that
// never finished, and the byte offsets the file sinks had at the last
// commit. It is an append-only log of checksummed lines, fsync'd on every
// append, which sinks.Committer writes and a resumed run reads.
//
// Keys are kept as 64-bit FNV-1a hashes, so memory does not grow with key
// length: about 16 bytes per key in memory and 16 on disk. For n keys the
// chance that two collide (and a resume wrongly skips one) is about
// n²/2⁶⁵: 3·10⁻⁸ for a million keys, 3·10⁻⁴ for a hundred million.
package resume
