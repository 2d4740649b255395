package crawl

import "container/list"

// hostRing is the round-robin order of the hosts that have queued
// entries. Each store keeps per-host state of its own in V.
type hostRing[V any] struct {
	ring  *list.List // of *ringHost[V]
	byKey map[string]*ringHost[V]
	next  *list.Element
}

type ringHost[V any] struct {
	name string
	elem *list.Element
	v    V
}

func newHostRing[V any]() *hostRing[V] {
	return &hostRing[V]{ring: list.New(), byKey: map[string]*ringHost[V]{}}
}

// get returns host's state, adding it to the ring (at the end of the
// round) if it is not there.
func (r *hostRing[V]) get(host string) *ringHost[V] {
	h := r.byKey[host]
	if h == nil {
		h = &ringHost[V]{name: host}
		h.elem = r.ring.PushBack(h)
		r.byKey[host] = h
	}
	return h
}

// remove takes host out of the ring (it has nothing queued).
func (r *hostRing[V]) remove(h *ringHost[V]) {
	if r.next == h.elem {
		r.next = h.elem.Next()
	}
	r.ring.Remove(h.elem)
	delete(r.byKey, h.name)
}

// each visits the hosts once, in round-robin order from where the last
// round stopped, until fn returns true; the round then goes on from the
// host after the one fn took.
func (r *hostRing[V]) each(fn func(h *ringHost[V]) (took bool)) {
	n := r.ring.Len()
	e := r.next
	for range n {
		if e == nil {
			e = r.ring.Front()
		}
		h := e.Value.(*ringHost[V])
		nextE := e.Next()
		if fn(h) {
			r.next = nextE
			return
		}
		e = nextE
	}
}
