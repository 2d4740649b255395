package crawl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/sluicehq/sluice/stages/fetch"
)

// Entry is one URL in the frontier.
type Entry struct {
	// Key is the normalized URL: the seen-set key, and the Key of the
	// fetch.Request the crawl makes, so the records extracted from the
	// page, and the commit events about them, carry it.
	Key string
	// Host is the origin the URL belongs to, for per-host fairness.
	Host string
	// URL is the URL to fetch, as found.
	URL string
	// Depth is the link depth: 0 for seeds.
	Depth int
	// Meta is the seed's user data, passed on to the pages it leads to.
	Meta map[string]string
}

// request is the fetch.Request for e.
func (e Entry) request() fetch.Request {
	return fetch.Request{URL: e.URL, Key: e.Key, Depth: e.Depth, Meta: e.Meta}
}

// Store keeps a crawl's frontier: the set of keys seen and the queue of
// entries to fetch, handed out breadth-first per host and round-robin
// across hosts. Its methods are safe for concurrent use.
//
// An entry handed out by Next stays in flight until MarkDone names its
// key. A persistent store hands the entries still in flight out again
// when it is reopened, so MarkDone should be called once what the page
// produced is durable: from a sink's commit event.
type Store interface {
	// Add queues e unless its key was seen before, and reports whether it
	// was new.
	Add(e Entry) (bool, error)
	// Claim marks key seen on behalf of the entry with key by, without
	// queueing anything (the canonical URL, or redirect target, of the
	// page fetched for by). It reports true when key was new or by had
	// claimed it before (the page is fetched again after a resume), false
	// when key was seen otherwise: the page is a duplicate.
	Claim(key, by string) (bool, error)
	// Next takes the next entry of the next host, round-robin, skipping
	// hosts for which busy reports true (nil skips none). ok is false when
	// no host has an entry it may take.
	Next(busy func(host string) bool) (e Entry, ok bool, err error)
	// Len is the number of entries queued.
	Len() int
	// Admitted is the number of entries ever queued, over every run.
	Admitted() int64
	// MarkDone ends the named entries' flight. Keys not in flight are
	// ignored.
	MarkDone(keys ...string) error
	// Close releases the store. A persistent store keeps its state.
	Close() error
}

// ErrClosed is returned by a store's methods after Close.
var ErrClosed = errors.New("crawl: store closed")

// encodeEntry appends e's binary form: depth, then key, host, URL and the
// meta pairs (sorted), each length-prefixed.
func encodeEntry(dst []byte, e Entry) []byte {
	dst = binary.AppendUvarint(dst, uint64(e.Depth))
	for _, s := range []string{e.Key, e.Host, e.URL} {
		dst = appendString(dst, s)
	}
	dst = binary.AppendUvarint(dst, uint64(len(e.Meta)))
	keys := make([]string, 0, len(e.Meta))
	for k := range e.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		dst = appendString(appendString(dst, k), e.Meta[k])
	}
	return dst
}

func appendString(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}

// decodeEntry is the inverse of encodeEntry.
func decodeEntry(b []byte) (Entry, error) {
	var e Entry
	d := decoder{b: b}
	e.Depth = int(d.uvarint())
	e.Key, e.Host, e.URL = d.string(), d.string(), d.string()
	if n := d.uvarint(); n > 0 && d.err == nil {
		e.Meta = make(map[string]string, min(n, 64))
		for range n {
			k := d.string()
			e.Meta[k] = d.string()
			if d.err != nil {
				break
			}
		}
	}
	if d.err != nil {
		return Entry{}, fmt.Errorf("crawl: store: corrupt entry: %w", d.err)
	}
	return e, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errors.New("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("string past the end")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
