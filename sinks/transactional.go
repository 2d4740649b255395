package sinks

import (
	"context"
	"slices"
)

// Row is one item in the sink-neutral form every sink writes: the key of
// the input it came from and its named values, normalized (strings,
// int64, float64, bool, time.Time, []byte, nil, or JSON text for lists
// and maps).
type Row struct {
	// Key is the input's key: what resume, upserts and replays go by.
	Key string
	// Columns names the values; Values holds one value per column.
	Columns []string
	Values  []any
}

// Transactional is a sink of the user's own — a message queue, a
// warehouse, an API — that a Committer drives like the built-in ones:
// each commit round opens a transaction, writes the round's rows and
// commits, and only then records the round's input keys as done in the
// checkpoint (the keys reach observers as the commit event). Wrap one in
// NewTransactional to use it as a Target.
//
// Exactly once across a crash needs one more thing from the sink: a round
// interrupted between the sink's Commit and the checkpoint's is replayed
// on resume, and Write then lists its keys in replace. A sink that can
// delete or overwrite rows by key (an upsert, a keyed message with
// deduplication) keeps every key exactly once; one that cannot is at
// least once.
type Transactional interface {
	// ID names the sink in the checkpoint, e.g. "mq:orders"; it must be
	// stable across runs and unique among a Committer's sinks.
	ID() string
	// Open connects. It is called once, before anything else.
	Open(ctx context.Context) error
	// Begin starts a transaction.
	Begin(ctx context.Context) error
	// Write adds rows to the open transaction. Rows of the keys in
	// replace that an earlier, interrupted round may have written must be
	// removed or overwritten first. Rows must not be kept after Write
	// returns: the caller reuses them.
	Write(ctx context.Context, rows []Row, replace []string) error
	// Commit makes the transaction durable.
	Commit(ctx context.Context) error
	// Close releases the sink without committing.
	Close() error
}

// TxSink is a Target over a Transactional sink, made by NewTransactional.
type TxSink[T any] struct {
	base[T]
}

// NewTransactional returns a Target that converts items of type T
// (record.Record or a struct, as for every sink) to rows and writes them
// to t in transactions. Under a Committer the transactions follow its
// commit rounds; used alone, it commits every 1000 rows and at Flush and
// Close.
func NewTransactional[T any](t Transactional) (*TxSink[T], error) {
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	s := &TxSink[T]{}
	s.conv = conv
	s.sink = &txSink{t: t}
	return s, nil
}

// txSink adapts a Transactional to the rowSink the Committer drives.
type txSink struct {
	t       Transactional
	rows    []Row
	replace []string
	driven  bool
}

func (s *txSink) id() string                              { return s.t.ID() }
func (s *txSink) isFile() bool                            { return false }
func (s *txSink) open(ctx context.Context, _ int64) error { return s.t.Open(ctx) }
func (s *txSink) check([]row) error                       { return nil }
func (s *txSink) setDriven()                              { s.driven = true }
func (s *txSink) close() error                            { return s.t.Close() }

// put buffers rows until prepare.
func (s *txSink) put(ctx context.Context, rows []row, replace []string) error {
	for i := range rows {
		r := &rows[i]
		s.rows = append(s.rows, Row{Key: r.key, Columns: slices.Clone(r.cols), Values: slices.Clone(r.vals)})
	}
	s.replace = append(s.replace, replace...)
	if !s.driven && len(s.rows) >= 1000 {
		return flushSink(ctx, s)
	}
	return nil
}

// prepare sends the buffered rows into a new transaction.
func (s *txSink) prepare(ctx context.Context) (int64, error) {
	if err := s.t.Begin(ctx); err != nil {
		return -1, err
	}
	err := s.t.Write(ctx, s.rows, s.replace)
	clear(s.rows)
	s.rows, s.replace = s.rows[:0], s.replace[:0]
	return -1, err
}

func (s *txSink) commit(ctx context.Context) error { return s.t.Commit(ctx) }
