package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
)

// CSV adds a source stage that reads CSV from r and emits one Item per
// row. Malformed rows are per-item failures (see the package
// documentation); a header without the URL column, a bad config or a read
// error is fatal.
//
// Rows are allocated in shared blocks: an item's strings (Key, URL,
// Values) point into a 4 KiB block of row texts, and its Values into a
// block of 64 strings. An item kept after it has been processed therefore
// keeps about 5 KiB alive, not only its own row; copy the strings (with
// strings.Clone) to keep a few values from many rows.
func CSV(p *pipeline.Pipeline, name string, r io.Reader, cfg CSVConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return readerSource(p, name, r, cfg, readCSV, opts)
}

// CSVFile is CSV reading the file at path, which is opened when the
// pipeline runs and closed when the source ends. "-" means standard input
// and a ".gz" name is decompressed (see [Open]). Row errors name the path.
func CSVFile(p *pipeline.Pipeline, name, path string, cfg CSVConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return fileSource(p, name, path, cfg, readCSV, opts)
}

// csvRows turns scanned records into items.
type csvRows struct {
	cfg    CSVConfig
	source string
	layout csvLayout
	comma  byte
	sc     *csvScanner
	// warns holds the warnings not yet handed to cfg.Warnings, rowWarns
	// those of the row being checked (without a line).
	warns    []Warning
	rowWarns []error
	columns  []string
	urlAt    int
	keyAt    int // -1: line number
	// lineField: the key is the line number, which the scanner adds to
	// each record as a last field.
	lineField bool
}

func readCSV(ctx context.Context, r io.Reader, source string, cfg CSVConfig, e *pipeline.Emitter[Item]) error {
	if _, err := cfg.comma(); err != nil {
		return err
	}
	parsers, err := cfg.parsers()
	if err != nil {
		return err
	}
	c := &csvRows{cfg: cfg, source: source}
	in, err := openText(r, cfg.Encoding)
	if err != nil {
		return c.fatal("encoding", err)
	}
	if c.layout, err = sniffCSV(in, source, cfg); err != nil {
		return err
	}
	c.comma = byte(c.layout.Comma)
	if cfg.lineByLine {
		return c.readLines(ctx, newLineReader(flushReader[Item]{r: in.r, e: e}, cfg.MaxRowBytes), e)
	}
	return c.readBlocks(ctx, in.r, parsers, e)
}

// newScanner returns a scanner of lr in the input's format.
func (c *csvRows) newScanner(lr *lineReader) *csvScanner {
	sc := newLineScanner(lr, c.comma, c.layout.Quotes)
	sc.countBlank = c.cfg.Warnings != nil
	return sc
}

// readLines reads the records of lr one by one and emits them.
func (c *csvRows) readLines(ctx context.Context, lr *lineReader, e *pipeline.Emitter[Item]) error {
	c.sc = c.newScanner(lr)
	c.sc.lineField = c.lineField
	for {
		fields, line, serr := c.sc.scan()
		c.takeBlanks()
		var err error
		switch {
		case errors.Is(serr, io.EOF):
		case serr != nil:
			err = c.rowFailed(ctx, serr, e)
		case c.columns == nil:
			if fields, err = c.header(fields, line); err == nil && fields != nil {
				err = c.emit(ctx, fields, line, e)
			}
		default:
			err = c.emit(ctx, fields, line, e)
		}
		c.deliver(c.warns)
		c.warns = c.warns[:0]
		if err != nil || errors.Is(serr, io.EOF) {
			return err
		}
	}
}

// rowFailed handles a scan error: a malformed data row is a per-item
// failure; a malformed header or a read error is fatal.
func (c *csvRows) rowFailed(ctx context.Context, err error, e *pipeline.Emitter[Item]) error {
	re, err := c.badRow(err)
	if err != nil {
		return err
	}
	return skipBadRow(ctx, e, c.source, re)
}

// badRow returns a scan error as the bad row it reports, or as a fatal
// error when it is a malformed header or a read error.
func (c *csvRows) badRow(err error) (*RowError, error) {
	re, ok := err.(*RowError)
	switch {
	case !ok:
		return nil, c.fatal("read", err)
	case c.columns == nil && c.layout.Header:
		return nil, c.fatal("header", err)
	}
	return re, nil
}

// header takes the header row, or without one the first data row, and
// resolves the configured columns. Without a header it returns the row's
// fields, which are data.
func (c *csvRows) header(fields []string, line int) ([]string, error) {
	header := fields
	if !c.layout.Header {
		header = make([]string, len(fields))
		for i := range header {
			header[i] = strconv.Itoa(i)
		}
	}
	var err error
	if c.urlAt, err = c.urlColumn(header); err != nil {
		return nil, c.fatal("url column", err)
	}
	c.keyAt = -1
	if !c.cfg.KeyColumn.IsZero() {
		if c.keyAt, err = c.cfg.KeyColumn.resolve(header, c.layout.Header); err != nil {
			return nil, c.fatal("key column", err)
		}
	}
	c.columns = header
	c.lineField = c.keyAt < 0
	c.sc.lineField = c.lineField
	if c.cfg.Format != nil {
		c.deliver(c.warns) // the blank lines before this row
		c.warns = c.warns[:0]
		c.cfg.Format(c.layout.CSVFormat)
	}
	if c.layout.Header {
		return nil, nil
	}
	if c.lineField {
		fields = append(fields, strconv.Itoa(line))
	}
	return fields, nil
}

// urlColumn resolves the URL column in header: the one picked, else the
// one named "url", else the one found by content.
func (c *csvRows) urlColumn(header []string) (int, error) {
	url := c.cfg.URLColumn
	if url.IsZero() {
		url = ColumnNamed("url")
		if at, err := url.resolve(header, c.layout.Header); err == nil {
			c.layout.URLColumn = at
			return at, nil
		} else if c.layout.guessURL < 0 || c.layout.guessURL >= len(header) {
			if !c.layout.Header {
				err = errors.New("no column holds http(s) urls in the first rows")
			}
			return 0, err
		}
		c.layout.URLColumn, c.layout.URLFound = c.layout.guessURL, true
		return c.layout.guessURL, nil
	}
	at, err := url.resolve(header, c.layout.Header)
	c.layout.URLColumn = at
	return at, err
}

// emit checks one data row and emits it, or records it as a failure.
func (c *csvRows) emit(ctx context.Context, fields []string, line int, e *pipeline.Emitter[Item]) error {
	key, u, values, err := c.check(fields)
	if len(c.rowWarns) > 0 {
		c.rowWarned(line)
	}
	switch {
	case err == ErrEmptyRow:
		return nil
	case err != nil:
		return skipBadRow(ctx, e, c.source, &RowError{Line: line, Raw: c.sc.rewind(), Err: err})
	}
	return e.Emit(Item{Key: key, URL: u, Line: line, Columns: c.columns, Values: values})
}

// check validates one data row and returns its key, URL and values. (It
// returns them rather than an Item: an Item is too large for registers,
// and each copy through memory showed in profiles.) A row to skip without
// a failure returns ErrEmptyRow; warnings go to rowWarns.
func (c *csvRows) check(fields []string) (key, u string, values []string, err error) {
	if c.sc.lineField {
		n := len(fields) - 1
		key, fields = fields[n], fields[:n:n]
	}
	if len(fields) != len(c.columns) {
		return c.ragged(key, fields)
	}
	f := fields[c.urlAt]
	if u, err = ValidateURL(f, c.cfg.AllowFileURLs); err != nil {
		if emptyRow(fields) {
			return "", "", nil, c.empty()
		}
		return "", "", nil, err
	}
	if len(u) != len(f) {
		c.trimmed(f, u)
	}
	if c.keyAt >= 0 {
		if key = strings.TrimSpace(fields[c.keyAt]); key == "" {
			return "", "", nil, fmt.Errorf("%w in column %s", ErrEmptyKey, c.cfg.KeyColumn)
		}
	}
	return key, u, fields, nil
}

func (c *csvRows) fatal(what string, err error) error {
	src := c.source
	if src == "" {
		src = "input"
	}
	return fmt.Errorf("sources: csv %s: %s: %w", src, what, unprefixed{err})
}
