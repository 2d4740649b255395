package resume

// hashKey is 64-bit FNV-1a. The checkpoint keeps hashes, not keys, so its
// memory does not depend on the keys' length (see the package doc). Two
// distinct keys collide with probability about n²/2⁶⁵ for n keys (3·10⁻⁸
// for a million, 3·10⁻⁴ for 100 million); a collision makes a resume skip
// one key it should have run.
func hashKey(key string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= prime64
	}
	return h
}
