package fetch

import (
	"math/bits"
	"sync"
)

// Body buffers are recycled by size class, powers of two from 4 KiB to
// 1 MiB; a larger body gets a buffer of its own.
const (
	minBodyClass = 12 // 4 KiB
	maxBodyClass = 20 // 1 MiB
)

// bodyPool recycles the buffers of released responses. Buffers are held
// as *[]byte so that putting one back does not allocate.
type bodyPool struct {
	classes [maxBodyClass - minBodyClass + 1]sync.Pool
}

// bodyClass is the index of the smallest class holding n bytes, or -1.
func bodyClass(n int) int {
	if n > 1<<maxBodyClass {
		return -1
	}
	if n <= 1<<minBodyClass {
		return 0
	}
	return bits.Len(uint(n-1)) - minBodyClass
}

// get returns an empty buffer with room for at least n bytes.
func (p *bodyPool) get(n int) *[]byte {
	c := bodyClass(n)
	if c < 0 {
		b := make([]byte, 0, n)
		return &b
	}
	if b, ok := p.classes[c].Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 1<<(c+minBodyClass))
	return &b
}

// put recycles b, which must not be used after. Buffers whose capacity is
// not exactly a class size (grown elsewhere, or too large) are dropped.
func (p *bodyPool) put(b *[]byte) {
	c := cap(*b)
	if c < 1<<minBodyClass || c > 1<<maxBodyClass || c&(c-1) != 0 {
		return
	}
	p.classes[bits.Len(uint(c))-1-minBodyClass].Put(b)
}
