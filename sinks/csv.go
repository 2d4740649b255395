package sinks

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CSV writes items as CSV with a header line. The header is
// CSVConfig.Columns if set, else the columns of the first item (for a
// struct, its fields; for a record.Record, key, url and the first record's
// fields). When appending to or resuming a file, the header already in it
// is kept. An item with a field the header lacks is rejected with a
// *ColumnError (marked pipeline.Skip); absent fields are written empty.
type CSV[T any] struct {
	base[T]
}

// CSVConfig configures a [CSV] sink; the zero value writes comma-separated
// lines ending in "\n" and leaves cell contents alone.
type CSVConfig struct {
	FileConfig
	// Columns fixes the header; by default the first item sets it.
	Columns []string
	// Comma is the field delimiter; default ','.
	Comma rune
	// UseCRLF ends lines with "\r\n".
	UseCRLF bool
	// EscapeFormulas prefixes string cells that start with = + - @ tab or
	// carriage return with a single quote, so spreadsheet programs show
	// them as text instead of running them as formulas (CSV injection).
	// Numbers are never changed.
	EscapeFormulas bool
}

// ColumnError reports an item with a field the CSV header does not have.
type ColumnError struct {
	// Column is the field missing from the header.
	Column string
}

// Error names the column.
func (e *ColumnError) Error() string {
	return fmt.Sprintf("sinks: csv: field %q is not in the header", e.Column)
}

// NewCSV returns a CSV sink writing to path. It opens nothing: the file is
// opened at the first Write, at Open, or by a Committer.
func NewCSV[T any](path string, cfg CSVConfig) (*CSV[T], error) {
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	if cfg.Comma == 0 {
		cfg.Comma = ','
	}
	if cfg.Comma == '"' || cfg.Comma == '\r' || cfg.Comma == '\n' || !utf8.ValidRune(cfg.Comma) {
		return nil, fmt.Errorf("sinks: csv: invalid delimiter %q", cfg.Comma)
	}
	s := &CSV[T]{}
	s.conv = conv
	enc := &csvEncoder{cfg: cfg}
	if cfg.Columns != nil {
		enc.setHeader(cfg.Columns)
	} else {
		enc.setHeader(conv.columns())
	}
	s.sink = newFileSink("csv", path, cfg.FileConfig, enc)
	return s, nil
}

type csvEncoder struct {
	cfg     CSVConfig
	header  []string
	pos     map[string]int
	written bool // the header is in the file or the buffer
	cells   []string
}

func (e *csvEncoder) setHeader(cols []string) {
	if cols == nil {
		return
	}
	e.header = cols
	e.pos = make(map[string]int, len(cols))
	for i, c := range cols {
		e.pos[c] = i
	}
}

// opened reads the header back from a file that has content.
func (e *csvEncoder) opened(f *os.File, existing int64) error {
	e.written = existing > 0
	if existing == 0 {
		return nil
	}
	r := csv.NewReader(io.NewSectionReader(f, 0, existing))
	r.Comma = e.cfg.Comma
	hdr, err := r.Read()
	if err != nil {
		return fmt.Errorf("reading the csv header: %w", err)
	}
	e.setHeader(hdr)
	return nil
}

func (e *csvEncoder) check(rows []row) error {
	if len(rows) == 0 {
		return nil
	}
	pos := e.pos
	if pos == nil { // the first row will set the header
		pos = make(map[string]int, len(rows[0].cols))
		for i, c := range rows[0].cols {
			pos[c] = i
		}
	}
	for i := range rows {
		for _, c := range rows[i].cols {
			if _, ok := pos[c]; !ok {
				return &ColumnError{Column: c}
			}
		}
	}
	return nil
}

func (e *csvEncoder) appendRows(dst []byte, rows []row) ([]byte, error) {
	if len(rows) > 0 && e.header == nil {
		e.setHeader(rows[0].cols)
	}
	if !e.written && e.header != nil {
		dst = e.appendLine(dst, e.header)
		e.written = true
	}
	for i := range rows {
		e.cells = e.cells[:0]
		for range e.header {
			e.cells = append(e.cells, "")
		}
		r := &rows[i]
		for j, c := range r.cols {
			p, ok := e.pos[c]
			if !ok {
				return dst, &ColumnError{Column: c}
			}
			e.cells[p] = e.cell(r.vals[j])
		}
		dst = e.appendLine(dst, e.cells)
	}
	return dst, nil
}

// cell formats a normalized value.
func (e *csvEncoder) cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if e.cfg.EscapeFormulas && x != "" && strings.IndexByte("=+-@\t\r", x[0]) >= 0 {
			return "'" + x
		}
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}

func (e *csvEncoder) appendLine(dst []byte, cells []string) []byte {
	for i, c := range cells {
		if i > 0 {
			dst = utf8.AppendRune(dst, e.cfg.Comma)
		}
		dst = e.appendCell(dst, c)
	}
	if e.cfg.UseCRLF {
		dst = append(dst, '\r')
	}
	return append(dst, '\n')
}

// appendCell quotes a cell when it holds the delimiter, a quote, a line
// break or leading white space, doubling quotes inside (RFC 4180).
func (e *csvEncoder) appendCell(dst []byte, c string) []byte {
	quote := c != "" && (c[0] == ' ' || c[0] == '\t' || strings.ContainsAny(c, "\"\r\n") ||
		strings.ContainsRune(c, e.cfg.Comma))
	if !quote {
		return append(dst, c...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(c, '"')
		if i < 0 {
			break
		}
		dst = append(dst, c[:i+1]...)
		dst = append(dst, '"')
		c = c[i+1:]
	}
	dst = append(dst, c...)
	return append(dst, '"')
}
