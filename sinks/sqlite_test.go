package sinks

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sluicehq/sluice/record"
)

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryStrings(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := make([]string, len(cols))
		for i, v := range vals {
			r[i] = v.String
			if !v.Valid {
				r[i] = "NULL"
			}
		}
		out = append(out, r)
	}
	return out
}

func TestSQLiteCreatesTableAndAddsColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	w, err := NewSQLite[record.Record](path, SQLiteConfig{SQLConfig{Table: `odd "name"`}})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w,
		rec("a", "n", 1, "f", 1.5, "ok", true, "tags", []string{"x", "y"}),
		rec("b", "n", 2, "extra", "new column", "Select", "keyword"))
	db := openDB(t, path)
	got := queryStrings(t, db, `SELECT name, type FROM pragma_table_info('odd "name"')`)
	want := [][]string{{"key", "TEXT"}, {"url", "TEXT"}, {"n", "INTEGER"}, {"f", "REAL"}, {"ok", "BOOLEAN"},
		{"tags", "TEXT"}, {"extra", "TEXT"}, {"Select", "TEXT"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("columns %q\nwant    %q", got, want)
	}
	rows := queryStrings(t, db, `SELECT key, n, f, ok, tags, extra, "Select" FROM "odd ""name""" ORDER BY key`)
	wantRows := [][]string{{"a", "1", "1.5", "1", `["x","y"]`, "NULL", "NULL"}, {"b", "2", "NULL", "NULL", "NULL", "new column", "keyword"}}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Fatalf("rows %q\nwant %q", rows, wantRows)
	}
	var mode string
	db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestSQLiteUpsertByKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	w, _ := NewSQLite[product](path, SQLiteConfig{SQLConfig{Mode: Upsert, BatchSize: 2}})
	seen := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	writeAll(t, w, product{ID: "1", Name: "old", Seen: seen}, product{ID: "2", Name: "two"},
		product{ID: "1", Name: "new", Price: 3, Seen: seen}, product{ID: "1", Name: "newest", Seen: seen})
	// A second run upserts into the existing table.
	w2, _ := NewSQLite[product](path, SQLiteConfig{SQLConfig{Mode: Upsert}})
	writeAll(t, w2, product{ID: "2", Name: "two again"})
	db := openDB(t, path)
	got := queryStrings(t, db, `SELECT id, name FROM items ORDER BY id`)
	if want := [][]string{{"1", "newest"}, {"2", "two again"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	var ts time.Time
	if err := db.QueryRow(`SELECT seen FROM items WHERE id = '1'`).Scan(&ts); err != nil || !ts.Equal(seen) {
		t.Fatalf("seen = %v, %v; want %v", ts, err, seen)
	}
}

func TestSQLiteBadPath(t *testing.T) {
	for _, p := range []string{"", "a.db?mode=ro"} {
		if _, err := NewSQLite[record.Record](p, SQLiteConfig{}); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

func TestSQLiteUpsertNeedsKey(t *testing.T) {
	type nokey struct{ A string }
	if _, err := NewSQLite[nokey]("x.db", SQLiteConfig{SQLConfig{Mode: Upsert}}); err == nil {
		t.Fatal("Upsert without a key column accepted")
	}
}

// TestSQLiteCommitsBySizeAndInterval checks plain-use batching: rows are
// committed (visible to another connection) once BatchSize rows are
// buffered or the batch is Interval old at a Write.
func TestSQLiteCommitsBySizeAndInterval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	w, _ := NewSQLite[record.Record](path, SQLiteConfig{SQLConfig{BatchSize: 3, Interval: time.Minute, Now: clock}})
	ctx := context.Background()
	defer w.Close(ctx)
	count := func() int {
		db := openDB(t, path)
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil {
			return -1 // no table yet
		}
		return n
	}
	w.Write(ctx, rec("a"))
	w.Write(ctx, rec("b"))
	if n := count(); n > 0 {
		t.Fatalf("%d rows visible before the batch filled", n)
	}
	w.Write(ctx, rec("c"))
	if n := count(); n != 3 {
		t.Fatalf("after 3 rows: %d visible, want 3", n)
	}
	w.Write(ctx, rec("d"))
	now = now.Add(time.Minute)
	w.Write(ctx, rec("e"))
	if n := count(); n != 5 {
		t.Fatalf("after the interval: %d visible, want 5", n)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCommitterCloseAfterRunCancelled: the run's context ends (a second
// Ctrl-C) while a round's rows sit in the SQLite sink's open transaction;
// Close, with a live context, must still commit them and the checkpoint
// rather than find the transaction rolled back under it.
func TestCommitterCloseAfterRunCancelled(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, dir, false, "")
	ctx, cancel := context.WithCancel(context.Background())
	must(t, f.c.Write(ctx, items("a", 2)))
	must(t, f.c.Commit(ctx))
	// More rows than a SQL batch (1000): the sink sends them into a
	// transaction it opens now, under ctx, ahead of the round's commit.
	must(t, f.c.Write(ctx, items("b", 1200)))
	cancel()
	time.Sleep(20 * time.Millisecond) // database/sql rolls a cancelled tx back from its own goroutine
	if err := f.c.Close(context.Background()); err != nil {
		t.Fatalf("Close after the run was cancelled: %v", err)
	}
	got := queryStrings(t, openDB(t, filepath.Join(dir, "out.db")), "SELECT key, count(*) FROM items GROUP BY key ORDER BY key")
	if !reflect.DeepEqual(got, [][]string{{"a", "2"}, {"b", "1200"}}) {
		t.Fatalf("rows per key %v, want a: 2, b: 1200", got)
	}
}
