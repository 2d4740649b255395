package crawl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"

	bolt "go.etcd.io/bbolt"
)

// flush writes the pending changes in one transaction, in the order that
// keeps the file consistent at every commit.
func (s *DiskStore) flush() error {
	if s.pending == 0 && len(s.pDone) == 0 {
		return nil
	}
	s.endRead()
	var a arena
	err := s.db.Update(func(tx *bolt.Tx) error {
		seen, queue, flight := tx.Bucket(bucketSeen), tx.Bucket(bucketQueue), tx.Bucket(bucketFlight)
		for k, by := range s.pSeen {
			if err := seen.Put(a.str(k), a.seenValue(by)); err != nil {
				return err
			}
		}
		if err := s.writeQueues(queue, &a); err != nil {
			return err
		}
		for k, p := range s.pFlight {
			if err := flight.Put(a.str(k), a.flight(p)); err != nil {
				return err
			}
		}
		for _, k := range s.pDone {
			if flight.Get([]byte(k)) == nil {
				continue
			}
			if err := flight.Delete([]byte(k)); err != nil {
				return err
			}
			s.flight--
		}
		return s.writeMeta(tx.Bucket(bucketMeta))
	})
	if err != nil {
		return fmt.Errorf("crawl: store: write: %w", err)
	}
	s.reset()
	releaseMapped(s.db) // keep resident memory flat as the file grows
	return nil
}

// writeQueues appends the entries added since the last write to their
// hosts' queues and deletes those taken from disk.
func (s *DiskStore) writeQueues(queue *bolt.Bucket, a *arena) error {
	for _, h := range s.dirty {
		if len(h.v.pend) == 0 {
			continue
		}
		b, err := queue.CreateBucketIfNotExists([]byte(h.name))
		if err != nil {
			return err
		}
		for _, p := range h.v.pend {
			if err := b.Put(a.seq(p.seq), a.entry(p.e)); err != nil {
				return err
			}
		}
		h.v.disk += len(h.v.pend)
		h.v.pend = nil
	}
	for _, d := range s.pDel {
		b := queue.Bucket([]byte(d.host))
		if b == nil {
			return errors.New("queue bucket missing")
		}
		if err := b.Delete(binary.BigEndian.AppendUint64(nil, d.seq)); err != nil {
			return err
		}
	}
	return nil
}

// arena carves the keys and values of one write transaction out of a
// few large blocks, instead of a buffer each: bbolt keeps them until the
// commit, so none is reused. The zero value is ready.
type arena struct{ buf []byte }

// take returns the bytes appended to the block since start, and starts a
// new block when this one is nearly full.
func (a *arena) take(start int) []byte {
	b := a.buf[start:len(a.buf):len(a.buf)]
	if cap(a.buf)-len(a.buf) < 512 {
		a.buf = make([]byte, 0, 64<<10)
	}
	return b
}

func (a *arena) start() int {
	if a.buf == nil {
		a.buf = make([]byte, 0, 64<<10)
	}
	return len(a.buf)
}

func (a *arena) str(s string) []byte {
	i := a.start()
	a.buf = append(a.buf, s...)
	return a.take(i)
}

// seenValue is the seen bucket's value for a key claimed by by: a zero
// byte, then by.
func (a *arena) seenValue(by string) []byte {
	i := a.start()
	a.buf = append(append(a.buf, 0), by...)
	return a.take(i)
}

func (a *arena) seq(n uint64) []byte {
	i := a.start()
	a.buf = binary.BigEndian.AppendUint64(a.buf, n)
	return a.take(i)
}

// flight is the flight bucket's value of an entry: its sequence number,
// then the entry.
func (a *arena) flight(p pendEntry) []byte {
	i := a.start()
	a.buf = encodeEntry(binary.BigEndian.AppendUint64(a.buf, p.seq), p.e)
	return a.take(i)
}

func (a *arena) entry(e Entry) []byte {
	i := a.start()
	a.buf = encodeEntry(a.buf, e)
	return a.take(i)
}

func (s *DiskStore) writeMeta(meta *bolt.Bucket) error {
	if err := meta.Put(keySeq, binary.BigEndian.AppendUint64(nil, s.seq)); err != nil {
		return err
	}
	return meta.Put(keyAdmitted, binary.BigEndian.AppendUint64(nil, uint64(s.admitted)))
}

// recover makes the buckets, reads the counters, puts the entries that
// were in flight back at the head of their queues, rebuilds the seen
// filter from the seen-set and the host ring from the queues.
func (s *DiskStore) recover() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSeen, bucketQueue, bucketFlight, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta, queue, flight := tx.Bucket(bucketMeta), tx.Bucket(bucketQueue), tx.Bucket(bucketFlight)
		if v := meta.Get(keySeq); len(v) == 8 {
			s.seq = binary.BigEndian.Uint64(v)
		}
		if v := meta.Get(keyAdmitted); len(v) == 8 {
			s.admitted = int64(binary.BigEndian.Uint64(v))
		}
		if err := requeue(queue, flight); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSeen).ForEach(func(k, _ []byte) error {
			s.index.add(maphash.Bytes(s.index.seed, k))
			return nil
		}); err != nil {
			return err
		}
		return queue.ForEachBucket(func(host []byte) error {
			n := 0 // counted, not Stats().KeyN, which misses this transaction's puts
			c := queue.Bucket(host).Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				n++
			}
			if n > 0 {
				s.host(string(host)).v.disk = n
				s.queued += n
			}
			return nil
		})
	})
}

// requeue moves every entry in flight back into its host's queue under
// its old sequence number, so it comes out first.
func requeue(queue, flight *bolt.Bucket) error {
	var keys [][]byte
	err := flight.ForEach(func(k, v []byte) error {
		if len(v) < 8 {
			return errors.New("corrupt flight record")
		}
		e, err := decodeEntry(v[8:])
		if err != nil {
			return err
		}
		b, err := queue.CreateBucketIfNotExists([]byte(e.Host))
		if err != nil {
			return err
		}
		keys = append(keys, k)
		return b.Put(append([]byte(nil), v[:8]...), append([]byte(nil), v[8:]...))
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := flight.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
