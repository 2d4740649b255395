package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
)

// CSVConfig configures a CSV source. The zero value reads a
// comma-separated file with a header row and a column named "url".
type CSVConfig struct {
	// URLColumn picks the column holding the URL. Zero: the column whose
	// header is "url" (any case).
	URLColumn Column
	// KeyColumn picks the column holding each row's stable key. Zero: the
	// row's line number.
	KeyColumn Column
	// Comma is the field delimiter: ',' when zero; ';' and '\t' are the
	// usual others. Any ASCII character but '"', '\r' and '\n' works.
	Comma rune
	// NoHeader says the first row is data. Columns are then picked with
	// ColumnAt and named "0", "1", ... in Item.Columns, and every row must
	// have as many fields as the first.
	NoHeader bool
	// AllowFileURLs accepts file: URLs, which are rejected by default.
	AllowFileURLs bool
	// MaxRowBytes caps one record, quoted newlines included. Zero means
	// DefaultMaxRowBytes.
	MaxRowBytes int
	// Parsers is how many goroutines parse the input at once. Zero means
	// one per CPU (GOMAXPROCS), at most 8; 1 parses on the source's own
	// goroutine, reading 64 KiB at a time. Items come out in input order
	// and failures are the same whatever the number (see the package
	// documentation).
	Parsers int

	// blockSize is the parsers' block size; 0 means csvBlockSize. Tests
	// make it small to cross many block boundaries.
	blockSize int
	// lineByLine reads the input one line at a time with no blocks: the
	// plain sequential reader, which the block readers fall back on and
	// which tests compare them with.
	lineByLine bool
}

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
	cfg     CSVConfig
	source  string
	comma   byte
	sc      *csvScanner
	columns []string
	urlAt   int
	keyAt   int // -1: line number
	// lineField: the key is the line number, which the scanner adds to
	// each record as a last field.
	lineField bool
}

func readCSV(ctx context.Context, r io.Reader, source string, cfg CSVConfig, e *pipeline.Emitter[Item]) error {
	comma, err := cfg.comma()
	if err != nil {
		return err
	}
	parsers, err := cfg.parsers()
	if err != nil {
		return err
	}
	c := &csvRows{cfg: cfg, source: source, comma: comma}
	if cfg.lineByLine {
		return c.readLines(ctx, newLineReader(flushReader[Item]{r: r, e: e}, cfg.MaxRowBytes), e)
	}
	return c.readBlocks(ctx, r, parsers, e)
}

// readLines reads the records of lr one by one and emits them.
func (c *csvRows) readLines(ctx context.Context, lr *lineReader, e *pipeline.Emitter[Item]) error {
	c.sc = newLineScanner(lr, c.comma)
	c.sc.lineField = c.lineField
	for {
		fields, line, err := c.sc.scan()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			err = c.rowFailed(ctx, err, e)
		case c.columns == nil:
			if fields, err = c.header(fields, line); err == nil && fields != nil {
				err = c.emit(ctx, fields, line, e)
			}
		default:
			err = c.emit(ctx, fields, line, e)
		}
		if err != nil {
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
	case c.columns == nil && !c.cfg.NoHeader:
		return nil, c.fatal("header", err)
	}
	return re, nil
}

// header takes the header row, or with NoHeader the first data row, and
// resolves the configured columns. With NoHeader it returns the row's
// fields, which are data.
func (c *csvRows) header(fields []string, line int) ([]string, error) {
	header := fields
	if c.cfg.NoHeader {
		header = make([]string, len(fields))
		for i := range header {
			header[i] = strconv.Itoa(i)
		}
	}
	url := c.cfg.URLColumn
	if url.IsZero() {
		url = ColumnNamed("url")
	}
	var err error
	if c.urlAt, err = url.resolve(header, !c.cfg.NoHeader); err != nil {
		return nil, c.fatal("url column", err)
	}
	c.keyAt = -1
	if !c.cfg.KeyColumn.IsZero() {
		if c.keyAt, err = c.cfg.KeyColumn.resolve(header, !c.cfg.NoHeader); err != nil {
			return nil, c.fatal("key column", err)
		}
	}
	c.columns = header
	c.lineField = c.keyAt < 0
	c.sc.lineField = c.lineField
	if !c.cfg.NoHeader {
		return nil, nil
	}
	if c.lineField {
		fields = append(fields, strconv.Itoa(line))
	}
	return fields, nil
}

// emit checks one data row and emits it, or records it as a failure.
func (c *csvRows) emit(ctx context.Context, fields []string, line int, e *pipeline.Emitter[Item]) error {
	key, u, values, err := c.check(fields)
	if err != nil {
		return skipBadRow(ctx, e, c.source, &RowError{Line: line, Raw: c.sc.raw(), Err: err})
	}
	return e.Emit(Item{Key: key, URL: u, Line: line, Columns: c.columns, Values: values})
}

// check validates one data row and returns its key, URL and values. (It
// returns them rather than an Item: an Item is too large for registers,
// and each copy through memory showed in profiles.)
func (c *csvRows) check(fields []string) (key, u string, values []string, err error) {
	if c.sc.lineField {
		n := len(fields) - 1
		key, fields = fields[n], fields[:n:n]
	}
	if len(fields) != len(c.columns) {
		return "", "", nil, fmt.Errorf("%w: got %d, want %d", ErrFieldCount, len(fields), len(c.columns))
	}
	if u, err = ValidateURL(fields[c.urlAt], c.cfg.AllowFileURLs); err != nil {
		return "", "", nil, err
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

// parsers returns how many goroutines parse the input.
func (cfg CSVConfig) parsers() (int, error) {
	switch {
	case cfg.Parsers < 0:
		return 0, fmt.Errorf("sources: csv: Parsers is %d; want 0 (one per CPU) or more", cfg.Parsers)
	case cfg.Parsers > 0:
		return cfg.Parsers, nil
	}
	return min(runtime.GOMAXPROCS(0), maxCSVParsers), nil
}

// maxCSVParsers caps the default number of parsers: beyond it the stage
// that takes the items is the limit on any machine.
const maxCSVParsers = 8

func (cfg CSVConfig) comma() (byte, error) {
	switch r := cfg.Comma; {
	case r == 0:
		return ',', nil
	case r >= 0x80 || r == '"' || r == '\r' || r == '\n':
		return 0, fmt.Errorf("sources: csv: delimiter %q not supported", r)
	default:
		return byte(r), nil
	}
}
