package sinks

import (
	"context"
	"sync"
)

// Target is a sink a [Committer] can drive: every sink of this package
// ([JSONL], [CSV], [SQLite], [Postgres]) is one. A Target also works on its
// own as a pipeline.Writer[T].
//
// The interface is sealed: the Committer needs hooks (open at a checkpoint
// offset, two-phase commit) that only this package's sinks provide.
type Target[T any] interface {
	// Write buffers one item.
	Write(ctx context.Context, v T) error
	// Close commits what is buffered and releases the sink.
	Close(ctx context.Context) error
	core() rowSink
}

// rowSink is the non-generic core of a sink: it stores rows.
type rowSink interface {
	// id names the sink in the checkpoint, e.g. "jsonl:out.jsonl".
	id() string
	// isFile reports whether the sink has a byte offset to checkpoint.
	isFile() bool
	// open prepares the sink. For a file sink, at >= 0 truncates the file
	// to that committed offset; at < 0 opens it as configured.
	open(ctx context.Context, at int64) error
	// check reports, before anything is written, whether put would
	// reject rows (a CSV row with a column its header lacks).
	check(rows []row) error
	// put buffers rows. replace lists keys whose earlier rows must be
	// deleted first (keys an interrupted commit may have written).
	put(ctx context.Context, rows []row, replace []string) error
	// prepare makes everything put so far durable except for the final
	// commit: files flush and fsync and return their offset; SQL sinks
	// send their rows into the open transaction and return -1.
	prepare(ctx context.Context) (int64, error)
	// commit ends the transaction prepare filled (SQL); files do nothing.
	commit(ctx context.Context) error
	// close releases the sink without committing.
	close() error
	// setDriven turns off the sink's own size and time commits; a
	// Committer decides when to commit.
	setDriven()
}

// base is the generic front every sink shares: lazy open, conversion from
// T to a row, and the pipeline.Writer methods for plain use.
type base[T any] struct {
	mu     sync.Mutex
	conv   converter[T]
	sink   rowSink
	opened bool
	closed bool
	rows   [1]row
	item   T // Write's argument, copied here so it does not escape to the heap
}

func (b *base[T]) core() rowSink { return b.sink }

// Open opens the sink's file or database now instead of at the first
// Write. It is optional.
func (b *base[T]) Open(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ensureOpen(ctx)
}

func (b *base[T]) ensureOpen(ctx context.Context) error {
	if b.closed {
		return errClosed
	}
	if b.opened {
		return nil
	}
	if err := b.sink.open(ctx, -1); err != nil {
		return err
	}
	b.opened = true
	return nil
}

// Write converts v to a row and buffers it, committing when the sink's
// batch size or interval is reached. A value the sink cannot store is
// reported as a *ValueError marked with pipeline.Skip.
func (b *base[T]) Write(ctx context.Context, v T) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.ensureOpen(ctx); err != nil {
		return err
	}
	r := &b.rows[0]
	b.item = v
	err := b.conv.convert(&b.item, r)
	var zero T
	b.item = zero
	if err != nil {
		return skip(err)
	}
	if err := b.sink.check(b.rows[:]); err != nil {
		return skip(err)
	}
	return b.sink.put(ctx, b.rows[:], nil)
}

// Flush commits what is buffered: files are written and fsync'd, SQL
// transactions committed.
func (b *base[T]) Flush(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.ensureOpen(ctx); err != nil {
		return err
	}
	return flushSink(ctx, b.sink)
}

func flushSink(ctx context.Context, s rowSink) error {
	if _, err := s.prepare(ctx); err != nil {
		return err
	}
	return s.commit(ctx)
}

// Close commits what is buffered and closes the sink. A sink never
// written to is still opened, so its file or table exists afterwards.
func (b *base[T]) Close(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	err := b.ensureOpen(ctx)
	if err == nil {
		err = flushSink(ctx, b.sink)
	}
	b.closed = true
	if b.opened {
		if cerr := b.sink.close(); err == nil {
			err = cerr
		}
	}
	return err
}
