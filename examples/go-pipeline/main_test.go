package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

// TestRun runs the example end to end and checks the table it leaves.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := run(context.Background(), dir, 10); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "items.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, over int
	var pages int
	if err := db.QueryRow(`select count(*), coalesce(sum(price >= 20), 0), count(distinct url) from items`).Scan(&n, &over, &pages); err != nil {
		t.Fatal(err)
	}
	if n == 0 || over != 0 || pages != 10 {
		t.Fatalf("rows=%d rows over 20 €=%d pages=%d", n, over, pages)
	}
	var link string
	if err := db.QueryRow(`select link from items limit 1`).Scan(&link); err != nil {
		t.Fatal(err)
	}
	if filepath.IsAbs(link) || len(link) < 8 || link[:7] != "http://" {
		t.Fatalf("link not resolved to an absolute URL: %q", link)
	}
}
