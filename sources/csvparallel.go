package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/panics"
)

// A parallel CSV source has three parts. A splitter goroutine reads the
// input and cuts it into blocks of whole lines (csvsplit.go); parser
// goroutines turn blocks into items and row failures, each with its own
// scanner; the source's goroutine takes the results in input order and
// hands each block's items downstream with one EmitSlice. The blocks
// before the header is known are parsed on the source's goroutine, since
// parsers need the columns.
//
// A block's parser starts on the assumption that the block starts a
// record. When a quoted field runs to the end of a block that is not the
// last, the assumption failed for the next block (only malformed quoting,
// or a record longer than a block, does that): the source keeps the items
// before that record, stops the splitter, drops the parsers' later
// results, and reads the rest sequentially, from that record on. Output
// is therefore always what a sequential read gives.

// csvJob is one block on its way through the parsers.
type csvJob struct {
	block csvBlock
	rows  blockRows
	done  chan struct{} // closed when rows is set
}

// blockRows is what a parser made of one block.
type blockRows struct {
	items []Item
	fails []rowFail
	warns []Warning
	// tail is the line of a record that runs on past the block, from
	// which the rest of the input must be read sequentially; 0 if none.
	tail int
	err  error // fatal: a bad header
}

// rowFail is a bad row and how many of the block's items come before it.
type rowFail struct {
	at  int
	err *RowError
}

// readBlocks reads r in blocks. Until the header is known, and to the
// end with one parser, the source's goroutine parses them itself;
// otherwise parsers goroutines do.
func (c *csvRows) readBlocks(ctx context.Context, r io.Reader, parsers int, e *pipeline.Emitter[Item]) error {
	sp := newCSVSplitter(r, c.comma, c.layout.Quotes, c.cfg.MaxRowBytes, c.cfg.blockSize)
	c.sc = c.newScanner(newBlockLineReader(nil, 1, c.cfg.MaxRowBytes))
	for c.columns == nil || parsers == 1 {
		b := sp.next()
		if b.raw {
			return c.readRest(ctx, b, b.line, nil, sp, e)
		}
		rows := c.parseBlock(b)
		if done, err := c.finishBlock(ctx, b, rows, e); done || err != nil {
			if err == nil && rows.tail != 0 {
				return c.readRest(ctx, b, rows.tail, nil, sp, e)
			}
			return err
		}
	}
	return c.parseInParallel(ctx, sp, parsers, e)
}

// finishBlock emits a parsed block's items and failures in input order,
// and reports whether the parallel read ends with it: at the end of input,
// on a fatal error (returned), or at a record that runs on (rows.tail).
func (c *csvRows) finishBlock(ctx context.Context, b csvBlock, rows blockRows, e *pipeline.Emitter[Item]) (bool, error) {
	c.deliver(rows.warns)
	at := 0
	for _, f := range rows.fails {
		if f.at > at {
			if err := e.EmitSlice(rows.items[at:f.at:f.at]); err != nil {
				return true, err
			}
			at = f.at
		}
		if err := skipBadRow(ctx, e, c.source, f.err); err != nil {
			return true, err
		}
	}
	if at < len(rows.items) {
		if err := e.EmitSlice(rows.items[at:]); err != nil {
			return true, err
		}
	}
	switch {
	case rows.err != nil:
		return true, rows.err
	case rows.tail != 0:
		return true, nil
	case b.err != nil:
		return true, c.fatal("read", b.err)
	}
	return b.last, nil
}

// parseInParallel runs the splitter and the parsers and takes their
// results in order, until the input ends or the read falls back to
// sequential.
func (c *csvRows) parseInParallel(ctx context.Context, sp *csvSplitter, parsers int, e *pipeline.Emitter[Item]) error {
	pending := make(chan *csvJob, 2*parsers)
	work := make(chan *csvJob, parsers)
	stop := make(chan struct{})
	stopOnce := sync.OnceFunc(func() { close(stop) })
	var wg conc.WaitGroup
	defer wg.Wait()
	defer func() {
		stopOnce()
		for range pending { // let the splitter end
		}
	}()
	wg.Go(func() { split(sp, pending, work, stop) })
	for range parsers {
		p := c.parser()
		wg.Go(func() { p.parseJobs(work, stop) })
	}
	for j := range pending {
		if !j.block.raw {
			select {
			case <-j.done:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}
		tail := j.block.line
		if !j.block.raw {
			done, err := c.finishBlock(ctx, j.block, j.rows, e)
			if !done || err != nil {
				if err != nil {
					return err
				}
				continue
			}
			if tail = j.rows.tail; tail == 0 {
				return nil
			}
		}
		stopOnce()
		var later [][]byte
		for k := range pending {
			later = append(later, k.block.data)
		}
		return c.readRest(ctx, j.block, tail, later, sp, e)
	}
	return nil
}

// parseJobs parses the blocks of work until it is closed, skipping them
// once stop is closed. A panic in the parser becomes the block's fatal
// error, so that the source, which waits for the block, ends with it.
func (c *csvRows) parseJobs(work <-chan *csvJob, stop <-chan struct{}) {
	for j := range work {
		select {
		case <-stop:
		default:
			if r := panics.Try(func() { j.rows = c.parseBlock(j.block) }); r != nil {
				j.rows = blockRows{err: fmt.Errorf("sources: csv parser: %w", r.AsError())}
			}
		}
		close(j.done)
	}
}

// split sends the splitter's blocks to the source (pending, in order) and
// to the parsers (work) until the input ends or stop is closed.
func split(sp *csvSplitter, pending, work chan<- *csvJob, stop <-chan struct{}) {
	defer close(work)
	defer close(pending)
	for {
		b := sp.next()
		j := &csvJob{block: b, done: make(chan struct{})}
		select {
		case pending <- j:
		case <-stop:
			sp.unread(b)
			return
		}
		if b.raw {
			return
		}
		select {
		case work <- j:
		case <-stop:
			return
		}
		if b.last {
			return
		}
	}
}

// parser returns a copy of c, which knows the columns, with a scanner of
// its own.
func (c *csvRows) parser() *csvRows {
	p := *c
	p.warns, p.rowWarns = nil, nil
	p.sc = c.newScanner(newBlockLineReader(nil, 1, c.cfg.MaxRowBytes))
	p.sc.lineField = c.lineField
	return &p
}

// parseBlock turns the records of b into items and failures. A quoted
// field that runs to the end of b ends the block's records (rows.tail)
// unless the input truly ends there.
func (c *csvRows) parseBlock(b csvBlock) (rows blockRows) {
	c.sc.reset(newBlockLineReader(b.data, b.line, c.cfg.MaxRowBytes))
	rows = blockRows{items: make([]Item, 0, bytes.Count(b.data, newline)+1)}
	defer func() { rows.warns, c.warns = c.warns, nil }()
	for {
		fields, line, err := c.sc.scan()
		c.takeBlanks()
		switch {
		case errors.Is(err, io.EOF):
			return rows
		case err != nil && c.sc.ranOut && (!b.last || b.err != nil):
			rows.tail = line
			return rows
		case err != nil:
			re, err := c.badRow(err)
			if err != nil {
				rows.err = err
				return rows
			}
			rows.fails = append(rows.fails, rowFail{at: len(rows.items), err: re})
		case c.columns == nil:
			if fields, err = c.header(fields, line); err != nil {
				rows.err = err
				return rows
			}
			if fields != nil {
				c.add(&rows, fields, line)
			}
		default:
			c.add(&rows, fields, line)
		}
	}
}

// add checks one data row and adds it to rows as an item or a failure.
func (c *csvRows) add(rows *blockRows, fields []string, line int) {
	key, u, values, err := c.check(fields)
	if len(c.rowWarns) > 0 {
		c.rowWarned(line)
	}
	if err == ErrEmptyRow {
		return
	}
	if err != nil {
		re := &RowError{Line: line, Raw: c.sc.rewind(), Err: err}
		rows.fails = append(rows.fails, rowFail{at: len(rows.items), err: re})
		return
	}
	rows.items = append(rows.items, Item{Key: key, URL: u, Line: line, Columns: c.columns, Values: values})
}

// readRest reads sequentially from line tail of block b on: the rest of
// b, the later blocks already cut, what the splitter holds, and the rest
// of its input.
func (c *csvRows) readRest(ctx context.Context, b csvBlock, tail int, later [][]byte, sp *csvSplitter, e *pipeline.Emitter[Item]) error {
	data := b.data
	for range tail - b.line {
		data = data[bytes.IndexByte(data, '\n')+1:]
	}
	rs := []io.Reader{bytes.NewReader(data)}
	for _, d := range later {
		rs = append(rs, bytes.NewReader(d))
	}
	rs = append(rs, bytes.NewReader(sp.buf))
	switch {
	case sp.err == nil:
		rs = append(rs, sp.r)
	case !errors.Is(sp.err, io.EOF):
		rs = append(rs, errReader{sp.err})
	}
	lr := newLineReader(flushReader[Item]{r: io.MultiReader(rs...), e: e}, c.cfg.MaxRowBytes)
	lr.num, lr.started = tail-1, tail > 1
	return c.readLines(ctx, lr, e)
}

// errReader returns err from every Read.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
