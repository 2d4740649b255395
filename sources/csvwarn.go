package sources

import (
	"fmt"
	"strings"
)

// Warnings are gathered as rows are read, in c.warns, and handed to
// CSVConfig.Warnings: by the sequential reader after each record, and
// for a block read in parallel when the source takes the block's items,
// so that both call it with the same warnings in the same order. Nothing
// is gathered when Warnings is nil.

// ragged checks a row with more or fewer fields than the header: it is
// kept, with a warning, when it is one line and its URL column holds a
// valid URL (and its key column a key), and fails with ErrFieldCount
// otherwise.
func (c *csvRows) ragged(key string, fields []string) (string, string, []string, error) {
	if emptyRow(fields) {
		return "", "", nil, c.empty()
	}
	count := fmt.Errorf("%w: got %d, want %d", ErrFieldCount, len(fields), len(c.columns))
	if c.urlAt >= len(fields) || c.keyAt >= len(fields) || len(c.sc.held) > 0 {
		// A record spanning lines with the wrong number of fields is
		// more likely a quote never closed than a ragged row: it fails,
		// and parsing resumes on its second line.
		return "", "", nil, count
	}
	f := fields[c.urlAt]
	u, err := ValidateURL(f, c.cfg.AllowFileURLs)
	if err != nil {
		return "", "", nil, count
	}
	if len(u) != len(f) {
		c.trimmed(f, u)
	}
	if c.keyAt >= 0 {
		if key = strings.TrimSpace(fields[c.keyAt]); key == "" {
			return "", "", nil, fmt.Errorf("%w in column %s", ErrEmptyKey, c.cfg.KeyColumn)
		}
	}
	c.note(fmt.Errorf("%w: got %d, want %d; row kept", ErrFieldCount, len(fields), len(c.columns)))
	return key, u, fields, nil
}

// emptyRow reports whether every field is blank.
func emptyRow(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// empty notes an empty row and returns ErrEmptyRow, which skips it.
func (c *csvRows) empty() error {
	c.note(ErrEmptyRow)
	return ErrEmptyRow
}

// trimmed notes that the URL u was trimmed from the field f.
func (c *csvRows) trimmed(f, u string) {
	at := strings.Index(f, u)
	c.note(fmt.Errorf("%w (the url is bytes %d to %d of the %d-byte field)", ErrURLSpace, at, at+len(u), len(f)))
}

// note adds a warning about the row being checked.
func (c *csvRows) note(err error) {
	if c.cfg.Warnings != nil {
		c.rowWarns = append(c.rowWarns, err)
	}
}

// rowWarned moves the warnings of the row checked, which starts at line,
// to the warnings to hand on.
func (c *csvRows) rowWarned(line int) {
	raw := c.sc.raw()
	for _, err := range c.rowWarns {
		c.warns = append(c.warns, Warning{Source: c.source, Line: line, Raw: raw, Err: err})
	}
	c.rowWarns = c.rowWarns[:0]
}

// takeBlanks turns the blank lines the scanner skipped into warnings.
func (c *csvRows) takeBlanks() {
	if len(c.sc.blanks) == 0 {
		return
	}
	for _, l := range c.sc.blanks {
		c.warns = append(c.warns, Warning{Source: c.source, Line: l, Err: ErrEmptyRow})
	}
	c.sc.blanks = c.sc.blanks[:0]
}

// deliver hands warnings to CSVConfig.Warnings.
func (c *csvRows) deliver(ws []Warning) {
	for _, w := range ws {
		c.cfg.Warnings(w)
	}
}
