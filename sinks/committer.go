package sinks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/resume"
)

// Committer drives data sinks, a dead-letter sink and a resume checkpoint
// together, so that every input key's outputs are committed exactly once
// across crashes and resumes (see the package documentation for the
// protocol). It is a pipeline.Writer[Batch[T]]: use it as the Sink of a
// pipeline whose last stage groups each input's items into a Batch, and
// pass its Fail method to pipeline.OnFailure. It is safe for concurrent
// use.
type Committer[T any] struct {
	mu     sync.Mutex
	ckpt   resume.Store
	sinks  []rowSink // data sinks, then the dead-letter sink
	dead   rowSink
	conv   converter[T]
	fconv  converter[FailureRecord]
	cfg    CommitterConfig
	opened bool
	closed bool
	err    error // sticky: once a commit failed, nothing more is written
	// round is what was put since the last commit, kept so the round can
	// be written again without inputs a sink rejected (see redo).
	round []entry
	nkeys int // entries of round with a key
	since time.Time
	// replayed holds the pending keys already replaced in this run, so an
	// input listing a key twice does not replace its own first copy.
	replayed map[string]bool
}

// entry is one Write or Fail of the current round.
type entry struct {
	key     string
	rows    []row // data rows, or the one failure row
	replace []string
	failed  bool // a Fail: rows go to the dead-letter sink
	// rejected is set when a sink refused the input's rows: the rows
	// were replaced by a failure row, for reason.
	rejected bool
	reason   *RowRejectedError
	refused  int // the data rows the input had before it was rejected
}

// CommitterConfig configures a Committer; the zero value commits every
// 1000 keys or 5 s.
type CommitterConfig struct {
	// Every commits once this many keys are buffered; default 1000.
	Every int
	// Interval commits once the oldest buffered key is this old, checked
	// at each Write and Fail; default 5 s.
	Interval time.Duration
	// DeadLetter says how failures are keyed and stored.
	DeadLetter DeadLetterConfig
	// Now is the clock; default time.Now.
	Now func() time.Time
	// KeyColumn names the column of a record's key in every data sink;
	// default "key". Give the sinks the same name in their configs.
	KeyColumn string
	// OnCommit, if set, is called after each commit round that made keys
	// durable in every sink and the checkpoint, with those keys; never
	// for a round that failed. It is called with the Committer's lock
	// held: it must not call the Committer.
	OnCommit func(CommitEvent)
}

// CommitEvent is what one commit round made durable.
type CommitEvent struct {
	// Written are the input keys whose items are in the data sinks.
	Written []string
	// Failed are the input keys whose failure is in the dead-letter
	// sink: failures handed to Fail, and inputs a sink rejected.
	Failed []string
	// Rejected are the keys of Failed whose items a data sink refused
	// (a constraint violation, a value it cannot store), recorded as a
	// *RowRejectedError failure.
	Rejected []string
	// Rejections are those failures, one for each key of Rejected, in
	// its order: a run counts them with its other failures.
	Rejections []*RowRejectedError
	// Items is how many items the round wrote to each data sink.
	Items int
	// Refused is how many items the inputs of Rejected had: items a sink
	// refused, written to none.
	Refused int
}

// NewCommitter returns a Committer over the data sinks and the dead-letter
// sink (nil if failures are not recorded; Fail then returns an error),
// recording rounds in ckpt: a *resume.Checkpoint or any other
// resume.Store. A nil ckpt (or nil *resume.Checkpoint) commits the sinks
// together without recording keys. The
// Committer owns the sinks: it opens them at the first Write or Fail
// (NewCommitter opens nothing), commits them, and closes them at Close;
// do not use them directly as well. It does not close ckpt. With a
// checkpoint, a struct item type written to a SQL sink needs a key column.
// Sinks writing to an io.Writer (NewJSONLWriter, NewCSVWriter) are refused.
func NewCommitter[T any](ckpt resume.Store, data []Target[T], dead Target[FailureRecord], cfg CommitterConfig) (*Committer[T], error) {
	if c, ok := ckpt.(*resume.Checkpoint); ok && c == nil {
		ckpt = nil
	}
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	conv.withKeyName(cfg.KeyColumn)
	fconv, _ := newConverter[FailureRecord]()
	if cfg.Every <= 0 {
		cfg.Every = 1000
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.DeadLetter = cfg.DeadLetter.withDefaults()
	c := &Committer[T]{ckpt: ckpt, conv: conv, fconv: fconv, cfg: cfg}
	seen := map[string]bool{}
	for _, t := range data {
		c.sinks = append(c.sinks, t.core())
	}
	if dead != nil {
		c.dead = dead.core()
		c.sinks = append(c.sinks, c.dead)
	}
	for _, s := range c.sinks {
		if _, ok := s.(*streamSink); ok {
			return nil, errStream
		}
		if _, isSQL := s.(*sqlSink); isSQL && ckpt != nil && conv.meta != nil && conv.meta.keyCol < 0 && s != c.dead {
			return nil, fmt.Errorf("sinks: committer: %s: %s has no key column, so rows of a replayed key cannot be replaced; "+
				"add a `sluice:\"name,key\"` tag or a Key field", s.id(), conv.meta.typ)
		}
		if seen[s.id()] {
			return nil, fmt.Errorf("sinks: committer: sink %s given twice", s.id())
		}
		seen[s.id()] = true
		s.setDriven()
	}
	return c, nil
}

// errNoDeadLetter is returned by Fail without a dead-letter sink.
var errNoDeadLetter = errors.New("sinks: committer: failure with no dead-letter sink")

// Write buffers one input's items in every data sink and counts its key
// toward the next commit. An item a sink cannot store fails the whole
// batch with a *ValueError or *ColumnError marked pipeline.Skip: nothing
// of it is written, and the engine hands it to Fail. An item a database
// refuses later, when the rows are sent, fails the batch too: see
// "Rejected rows" in the package documentation.
func (c *Committer[T]) Write(ctx context.Context, b Batch[T]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ready(ctx); err != nil {
		return err
	}
	if b.Key == "" {
		return skip(errors.New("sinks: committer: batch with an empty key"))
	}
	rows := make([]row, len(b.Items))
	for i := range b.Items {
		if err := c.conv.convert(&b.Items[i], &rows[i]); err != nil {
			return skip(err)
		}
		if rows[i].key == "" {
			rows[i].setKey(b.Key)
		}
		rows[i].in = b.Key
	}
	for _, s := range c.sinks[:c.dataCount()] {
		if err := s.check(rows); err != nil {
			return skip(err)
		}
	}
	return c.add(ctx, entry{key: b.Key, rows: rows, replace: c.replaceKeys(b.Key, rows)})
}

// Fail writes a failure to the dead-letter sink and, when its input has a
// key, counts that key as done at the next commit. It has the signature
// pipeline.OnFailure takes.
func (c *Committer[T]) Fail(ctx context.Context, f pipeline.Failure) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ready(ctx); err != nil {
		return err
	}
	if c.dead == nil {
		return errNoDeadLetter
	}
	rec := NewFailureRecord(f, c.cfg.DeadLetter)
	rows := []row{{}}
	if err := c.fconv.convert(&rec, &rows[0]); err != nil {
		return c.fail(err)
	}
	rows[0].in = rec.Key
	return c.add(ctx, entry{key: rec.Key, rows: rows, replace: c.replaceKeys(rec.Key, rows), failed: true})
}

// add puts an input's rows in the sinks, counts its key toward the round
// and commits when the round is full or old enough.
func (c *Committer[T]) add(ctx context.Context, e entry) error {
	if c.nkeys == 0 {
		c.since = c.cfg.Now()
	}
	c.round = append(c.round, e)
	if e.key != "" {
		c.nkeys++
	}
	if err := c.put(ctx, &c.round[len(c.round)-1]); err != nil {
		if err := c.redo(ctx, err); err != nil {
			return err
		}
	}
	if c.nkeys >= c.cfg.Every || c.cfg.Now().Sub(c.since) >= c.cfg.Interval {
		return c.commit(ctx)
	}
	return nil
}

// put hands an entry's rows to the sinks, and its replaced keys to the
// sinks its rows do not go to (rows of the key's earlier run).
func (c *Committer[T]) put(ctx context.Context, e *entry) error {
	for _, s := range c.sinks[:c.dataCount()] {
		rows := e.rows
		if e.failed {
			rows = nil
		}
		if !e.failed || e.replace != nil {
			if err := s.put(ctx, rows, e.replace); err != nil {
				return err
			}
		}
	}
	if c.dead != nil && (e.failed || e.replace != nil) {
		var rows []row
		if e.failed {
			rows = e.rows
		}
		return c.dead.put(ctx, rows, e.replace)
	}
	return nil
}

func (c *Committer[T]) dataCount() int {
	if c.dead != nil {
		return len(c.sinks) - 1
	}
	return len(c.sinks)
}

// replaceKeys lists the keys whose earlier rows the sinks must delete: for
// a key an interrupted commit may have written, the key and its rows' keys.
func (c *Committer[T]) replaceKeys(key string, rows []row) []string {
	if c.ckpt == nil || key == "" || c.replayed[key] || !c.ckpt.Pending(key) {
		return nil
	}
	if c.replayed == nil {
		c.replayed = map[string]bool{}
	}
	c.replayed[key] = true
	keys := []string{key}
	for i := range rows {
		if rows[i].key != key {
			keys = append(keys, rows[i].key)
		}
	}
	return keys
}

// fail makes err sticky: after a sink failed, the Committer writes and
// commits nothing more, so no round is recorded on top of a lost one.
func (c *Committer[T]) fail(err error) error {
	if c.err == nil {
		c.err = err
	}
	return err
}
