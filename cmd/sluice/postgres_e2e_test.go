package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestRunIntoPostgres runs a job whose DSN comes from ${SLUICE_PG_DSN}
// into a real Postgres.
func TestRunIntoPostgres(t *testing.T) {
	dsn := os.Getenv("SLUICE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set SLUICE_TEST_POSTGRES (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run against Postgres")
	}
	const n = 200
	srv := startSite(t, n, 0)
	dir := siteDir(t, srv, n)
	table := fmt.Sprintf("sluice_e2e_%d", time.Now().UnixNano())
	job := `source: {kind: csv, path: urls.csv, key_column: id}
` + fastFetch + `parse:
  html:
    fields:
      - {name: title, selector: h1.title, required: true}
sink: {kind: postgres, dsn: "${SLUICE_PG_DSN}", table: ` + table + `}
dead_letter: {path: failed.jsonl}
checkpoint: pg.checkpoint
`
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(ctx, "drop table if exists "+table)
		db.Close(ctx)
	})
	cmd := command(t, dir, "run", "job.yaml", "--quiet")
	cmd.Env = append(cmd.Env, "SLUICE_PG_DSN="+dsn)
	if out, err := cmd.CombinedOutput(); exitStatus(t, err) != 0 {
		t.Fatalf("%v\n%s", err, out)
	}
	rows, err := db.Query(ctx, "select key from "+table)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	checkEveryKeyOnce(t, n, keys, deadKeys(t, filepath.Join(dir, "failed.jsonl")))
}
