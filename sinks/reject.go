package sinks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// rejectedError reports inputs whose rows a sink refused (a constraint
// violation, a value out of range, text the database cannot store). A
// Committer turns each into a failure of that input and writes the rest
// of the round; on its own a sink returns it as a fatal error.
type rejectedError struct {
	sink string
	// inputs maps each rejected input key to the first row error.
	inputs map[string]error
}

func (e *rejectedError) Error() string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range e.inputs {
			if !yield(k) {
				return
			}
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "sinks: %s rejected the rows of %d input(s)", e.sink, len(keys))
	for i, k := range keys {
		if i == 3 {
			b.WriteString(", ...")
			break
		}
		fmt.Fprintf(&b, "; %q: %v", k, e.inputs[k])
	}
	return b.String()
}

// RowRejectedError is the failure a Committer records for an input whose
// rows a sink refused.
type RowRejectedError struct {
	// Sink is the id of the refusing sink.
	Sink string
	// Err is the sink's error for the first refused row.
	Err error
}

// Error names the sink and its reason.
func (e *RowRejectedError) Error() string {
	return fmt.Sprintf("sinks: %s rejected the row: %v", e.Sink, e.Err)
}

// Unwrap returns the sink's error.
func (e *RowRejectedError) Unwrap() error { return e.Err }

// isRowError reports whether err is about the rows sent rather than the
// connection or the table: a value that cannot be converted, a Postgres
// data exception (class 22: invalid UTF-8 or a NUL byte in text, a
// number out of range), an integrity constraint violation (class 23) or
// a row over a size limit (54000); a SQLite constraint, TOOBIG or
// MISMATCH error.
func isRowError(err error) bool {
	var ve *ValueError
	var pe *pgconn.PgError
	var se *sqlite.Error
	switch {
	case errors.As(err, &ve):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "23") || pe.Code == "54000"
	case errors.As(err, &se):
		switch se.Code() & 0xff {
		case 18, 19, 20: // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH
			return true
		}
	}
	return false
}

// findRejects is called when inserting b failed with a row error: it
// finds the rows at fault by inserting b's rows one by one, each within
// a savepoint, in a transaction that is then rolled back (the Committer
// rewrites the round without the rejected inputs). It returns nil when
// no single row fails on its own (the error came from rows together).
func (s *sqlSink) findRejects(ctx context.Context, b *sqlBatch) (map[string]error, error) {
	s.d.rollback(ctx)
	s.inTx = false
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	if err := s.d.begin(ctx); err != nil {
		return nil, err
	}
	bad, err := s.insertEach(ctx, b)
	s.d.rollback(ctx)
	if rerr := s.reload(ctx); err == nil {
		err = rerr
	}
	return bad, err
}

func (s *sqlSink) insertEach(ctx context.Context, b *sqlBatch) (map[string]error, error) {
	if err := s.ensureSchema(ctx, b); err != nil {
		return nil, err
	}
	cols, upsertKey := s.insertCols(b)
	bad := map[string]error{}
	for i, v := range b.matrix() {
		if err := s.d.exec(ctx, "SAVEPOINT sluice_row"); err != nil {
			return nil, err
		}
		err := s.d.insert(ctx, cols, [][]any{v}, upsertKey)
		switch {
		case err == nil:
			err = s.d.exec(ctx, "RELEASE SAVEPOINT sluice_row")
		case isRowError(err):
			if _, seen := bad[b.rows[i].in]; !seen {
				bad[b.rows[i].in] = err
			}
			err = s.d.exec(ctx, "ROLLBACK TO SAVEPOINT sluice_row")
		}
		if err != nil {
			return nil, err
		}
	}
	return bad, nil
}

// reload reads the table's columns again after a rollback, which undoes
// the tables and columns the transaction created.
func (s *sqlSink) reload(ctx context.Context) error {
	cols, exists, err := s.d.columns(ctx)
	if err != nil {
		return err
	}
	s.cols = s.cols[:0]
	clear(s.byName)
	for _, c := range cols {
		s.byName[s.fold(c.name)] = len(s.cols)
		s.cols = append(s.cols, c)
	}
	s.exists = exists
	s.unique = s.committedUnique && exists
	return nil
}

// rewind drops everything since the last commit: the open transaction and
// the buffered rows.
func (s *sqlSink) rewind(ctx context.Context) error {
	if s.inTx {
		s.d.rollback(ctx)
		s.inTx = false
	}
	clear(s.buf)
	s.buf, s.replace = s.buf[:0], s.replace[:0]
	return s.reload(ctx)
}

// rewind drops everything since the last commit: the file is cut back to
// the offset it had then.
func (s *fileSink) rewind(context.Context) error {
	s.buf = s.buf[:0]
	if err := s.f.Truncate(s.mark); err != nil {
		return fmt.Errorf("sinks: %s %s: %w", s.kind, s.path, err)
	}
	if _, err := s.f.Seek(s.mark, 0); err != nil {
		return fmt.Errorf("sinks: %s %s: %w", s.kind, s.path, err)
	}
	s.off = s.mark
	return s.enc.opened(s.f, s.mark)
}

// rewinder is a sink that can drop what it took since its last commit, so
// a Committer can write a round again without its rejected inputs.
type rewinder interface {
	rewind(ctx context.Context) error
}
