package sinks

import (
	"bytes"
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
	conv.withKeyName(cfg.KeyColumn)
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
	written bool   // the header is in the file or the buffer
	vals    []any  // a row laid out on the header
	tmp     []byte // a formatted cell
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
		if sameCols(rows[i].cols, e.header) {
			continue
		}
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
		for i, c := range e.header {
			dst = e.appendSep(dst, i)
			dst = appendCell(dst, c, e.cfg.Comma)
		}
		dst = e.appendEOL(dst)
		e.written = true
	}
	for i := range rows {
		vals, err := e.inHeaderOrder(&rows[i])
		if err != nil {
			return dst, err
		}
		for j, v := range vals {
			dst = e.appendSep(dst, j)
			dst = e.appendValue(dst, v)
		}
		dst = e.appendEOL(dst)
	}
	return dst, nil
}

// inHeaderOrder returns r's values laid out on the header.
func (e *csvEncoder) inHeaderOrder(r *row) ([]any, error) {
	if sameCols(r.cols, e.header) {
		return r.vals, nil
	}
	e.vals = append(e.vals[:0], make([]any, len(e.header))...)
	for j, c := range r.cols {
		p, ok := e.pos[c]
		if !ok {
			return nil, &ColumnError{Column: c}
		}
		e.vals[p] = r.vals[j]
	}
	return e.vals, nil
}

func (e *csvEncoder) appendSep(dst []byte, i int) []byte {
	if i > 0 {
		dst = utf8.AppendRune(dst, e.cfg.Comma)
	}
	return dst
}

func (e *csvEncoder) appendEOL(dst []byte) []byte {
	if e.cfg.UseCRLF {
		dst = append(dst, '\r')
	}
	return append(dst, '\n')
}

// appendValue formats a normalized value as a cell.
func (e *csvEncoder) appendValue(dst []byte, v any) []byte {
	t := e.tmp[:0]
	switch x := v.(type) {
	case nil:
		return dst
	case string:
		if e.cfg.EscapeFormulas && isFormula(x) {
			t = append(append(t, '\''), x...)
			break
		}
		return appendCell(dst, x, e.cfg.Comma)
	case int64:
		t = strconv.AppendInt(t, x, 10)
	case float64:
		t = strconv.AppendFloat(t, x, 'g', -1, 64)
	case bool:
		t = strconv.AppendBool(t, x)
	case time.Time:
		t = x.AppendFormat(t, time.RFC3339Nano)
	case json.RawMessage:
		t = append(t, x...)
	default:
		t = fmt.Append(t, v)
	}
	e.tmp = t
	return appendCell(dst, t, e.cfg.Comma)
}

// isFormula reports whether a spreadsheet would run s as a formula.
func isFormula(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// appendCell quotes a cell when it holds the delimiter, a quote, a line
// break or leading white space, doubling quotes inside (RFC 4180).
func appendCell[S string | []byte](dst []byte, c S, comma rune) []byte {
	if !needsQuotes(c, comma) {
		return append(dst, c...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(c); i++ {
		if c[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c[i])
	}
	return append(dst, '"')
}

func needsQuotes[S string | []byte](c S, comma rune) bool {
	if len(c) == 0 {
		return false
	}
	if c[0] == ' ' || c[0] == '\t' {
		return true
	}
	switch x := any(c).(type) {
	case string:
		return strings.ContainsAny(x, "\"\r\n") || strings.ContainsRune(x, comma)
	case []byte:
		return bytes.ContainsAny(x, "\"\r\n") || bytes.ContainsRune(x, comma)
	}
	return true
}
