package job

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// sink.key_column names the output column holding each input's key, in
// files and SQL tables alike, and upserts go by it.
func TestSinkKeyColumnName(t *testing.T) {
	srv := faultySite(t, 12)
	j := siteJob(t, srv, 12, "")
	j.Sink.KeyColumn = "sku"
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), j, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, rec := range readLines(t, j.Sink.Path) {
		if _, ok := rec["sku"]; !ok || rec["key"] != nil {
			t.Fatalf("record %v: want the key in column sku", rec)
		}
	}

	db := filepath.Join(t.TempDir(), "out.db")
	j = siteJob(t, srv, 12, "")
	j.Sink = SinkSpec{Path: db, KeyColumn: "sku", Mode: "upsert"}
	j.Checkpoint, j.DeadLetter.Path = db+".checkpoint", db+".failed.jsonl"
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []RunOptions{{}, {Restart: true}} { // the second run replaces rows by sku
		if _, err := Run(context.Background(), j, opts); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var rows, keys int
	if err := conn.QueryRow(`select count(*), count(distinct sku) from items`).Scan(&rows, &keys); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows != keys {
		t.Fatalf("%d rows for %d distinct skus after an upserting restart", rows, keys)
	}
}
