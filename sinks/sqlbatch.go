package sinks

import (
	"context"
	"fmt"
	"strings"
)

// sqlBatch is the buffered rows of one flush laid out on the union of
// their columns, in first-seen order.
type sqlBatch struct {
	rows   []row
	cols   []column
	pos    map[string]int
	keyCol string   // set by the sink
	first  []string // the first row's columns, the prefix of cols
}

// newSQLBatch lays rows out. Kinds are inferred only for the columns
// known reports the table lacks; the table fixes the others.
func newSQLBatch(rows []row, known func(col string) bool) *sqlBatch {
	b := &sqlBatch{rows: rows, pos: map[string]int{}}
	if len(rows) > 0 {
		b.first = rows[0].cols
	}
	var last []string
	var idx []int  // position in b.cols of each column of last
	var scan []int // columns of last whose kind is to be inferred
	for i := range rows {
		r := &rows[i]
		if !sameCols(r.cols, last) {
			idx, scan = idx[:0], scan[:0]
			for j, c := range r.cols {
				p, ok := b.pos[c]
				if !ok {
					p = len(b.cols)
					b.pos[c] = p
					b.cols = append(b.cols, column{name: c})
				}
				idx = append(idx, p)
				if !known(c) {
					scan = append(scan, j)
				}
			}
			last = r.cols
		}
		for _, j := range scan {
			if k := kindOf(r.vals[j]); k != kindUnknown {
				c := &b.cols[idx[j]]
				c.kind = widen(c.kind, k)
			}
		}
	}
	return b
}

// widen is the kind of a column holding values of kinds a and b: ints
// and floats make a float column, other mixes a text column.
func widen(a, b colKind) colKind {
	switch {
	case a == b || a == kindUnknown:
		return b
	case a == kindInt && b == kindFloat || a == kindFloat && b == kindInt:
		return kindFloat
	}
	return kindText
}

// sameCols reports whether a and b are the same column slice (rows of a
// struct type, and consecutive records of one shape, share one).
func sameCols(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// matrix returns the rows' values aligned to b.cols. A row whose columns
// are exactly b.cols is used as is.
func (b *sqlBatch) matrix() [][]any {
	out := make([][]any, len(b.rows))
	for i := range b.rows {
		r := &b.rows[i]
		if len(r.cols) == len(b.cols) && (sameCols(r.cols, b.first) || b.inOrder(r.cols)) {
			out[i] = r.vals
			continue
		}
		vals := make([]any, len(b.cols))
		for j, c := range r.cols {
			vals[b.pos[c]] = r.vals[j]
		}
		out[i] = vals
	}
	return out
}

func (b *sqlBatch) inOrder(cols []string) bool {
	for i, c := range cols {
		if b.cols[i].name != c {
			return false
		}
	}
	return true
}

// ensureSchema creates the table, or adds the columns it lacks, and for
// Upsert makes sure the key column is unique.
func (s *sqlSink) ensureSchema(ctx context.Context, b *sqlBatch) error {
	if s.cfg.Mode == Upsert && b.keyCol == "" && len(b.cols) > 0 {
		return fmt.Errorf("sinks: %s: %w", s.d.name(), errNoKey)
	}
	if !s.exists {
		if len(b.cols) == 0 {
			return nil
		}
		return s.createTable(ctx, b)
	}
	for _, c := range b.cols {
		if _, ok := s.byName[s.fold(c.name)]; ok {
			continue
		}
		q := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", s.d.table(), s.d.quote(c.name), s.d.colType(c.kind))
		if err := s.d.exec(ctx, q); err != nil {
			return fmt.Errorf("sinks: %s: add column %q: %w", s.d.name(), c.name, err)
		}
		s.addCol(c)
	}
	if s.cfg.Mode == Upsert && !s.unique && b.keyCol != "" {
		idx := s.d.quote(s.cfg.Table + "_" + b.keyCol + "_key")
		q := fmt.Sprintf("CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s)", idx, s.d.table(), s.d.quote(b.keyCol))
		if err := s.d.exec(ctx, q); err != nil {
			return fmt.Errorf("sinks: %s: unique index on %q: %w", s.d.name(), b.keyCol, err)
		}
		s.unique = true
	}
	return nil
}

func (s *sqlSink) createTable(ctx context.Context, b *sqlBatch) error {
	defs := make([]string, len(b.cols))
	for i, c := range b.cols {
		defs[i] = s.d.quote(c.name) + " " + s.d.colType(c.kind)
		if s.cfg.Mode == Upsert && c.name == b.keyCol {
			defs[i] += " PRIMARY KEY"
		}
	}
	q := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", s.d.table(), strings.Join(defs, ", "))
	if err := s.d.exec(ctx, q); err != nil {
		return fmt.Errorf("sinks: %s: create table: %w", s.d.name(), err)
	}
	for _, c := range b.cols {
		s.addCol(c)
	}
	s.exists, s.unique = true, s.cfg.Mode == Upsert
	return nil
}

func (s *sqlSink) addCol(c column) {
	if c.kind == kindUnknown {
		c.kind = kindText
	}
	s.byName[s.fold(c.name)] = len(s.cols)
	s.cols = append(s.cols, c)
}
