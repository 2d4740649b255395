package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/testsite"
)

// The examples run against the test site as they are committed, with only
// the site's address changed.

func TestExampleCSVToSQLite(t *testing.T) {
	checkURLsCSV(t)
	srv := exampleSite(t)
	dir := filepath.Join(copyExamples(t, srv.URL()), "csv-to-sqlite")
	runExample(t, dir)
	got := sqliteItems(t, filepath.Join(dir, "items.db"))
	dead := deadKeys(t, filepath.Join(dir, "items.failed.jsonl"))
	failing := failingPages(srv)
	sameKeys(t, "dead letters", dead, failing)
	for id := range examplePages {
		key := strconv.Itoa(id)
		var want []string
		if !slices.Contains(failing, key) {
			want = cheapItems(t, srv, id)
		}
		slices.Sort(got[key])
		if !slices.Equal(got[key], want) {
			t.Errorf("page %d: rows %v, want %v", id, got[key], want)
		}
	}
}

// sqliteItems reads the items table as "product_id:price" per key, and
// checks the names are set.
func sqliteItems(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", sinks.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("select key, product_id, price, name, link from items")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := make(map[string][]string)
	for rows.Next() {
		var key, name, link string
		var id int
		var price float64
		if err := rows.Scan(&key, &id, &price, &name, &link); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, fmt.Sprintf("n°%d", id)) || !strings.HasSuffix(link, testsite.PagePath(id)) {
			t.Errorf("key %s: item %d named %q, linking to %q", key, id, name, link)
		}
		got[key] = append(got[key], fmt.Sprintf("%d:%g", id, price))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// cheapItems is what the example keeps of page id: its items under 50,
// as sorted "product_id:price".
func cheapItems(t *testing.T, srv *testsite.Server, id int) []string {
	t.Helper()
	var want []string
	for _, it := range srv.Page(id).Items {
		if p := price(t, srv, it.ID); p < 50 {
			want = append(want, fmt.Sprintf("%d:%g", it.ID, p))
		}
	}
	slices.Sort(want)
	return want
}

func TestExampleJSONAPIToJSONL(t *testing.T) {
	srv := exampleSite(t)
	dir := filepath.Join(copyExamples(t, srv.URL()), "json-api-to-jsonl")
	runExample(t, dir)
	type product struct {
		Key   string
		ID    int
		Name  string
		Price float64
		Path  string
	}
	products := readJSONL[product](t, filepath.Join(dir, "products.jsonl"))
	keys := make(map[string]bool)
	seen := make(map[int]int)
	for _, p := range products {
		keys[p.Key] = true
		seen[p.ID]++
		if p.Name == "" || p.Path != testsite.PagePath(p.ID) || p.Price != price(t, srv, p.ID) {
			t.Errorf("product %+v: want path %s, price %s", p, testsite.PagePath(p.ID), srv.Page(p.ID).Amount)
		}
	}
	for id := range examplePages {
		if seen[id] != 1 {
			t.Errorf("product %d appears %d times, want 1", id, seen[id])
		}
	}
	dead := deadKeys(t, filepath.Join(dir, "products.failed.jsonl"))
	for _, k := range dead {
		if keys[k] {
			t.Errorf("input %s is both written and dead-lettered", k)
		}
	}
	inputs := apiURLs(t, filepath.Join(dir, "api-urls.txt"))
	if len(keys)+len(dead) != len(inputs) || len(dead) != 1 {
		t.Errorf("%d inputs written + %d dead letters, want %d inputs, 1 of them dead (page 11)", len(keys), len(dead), len(inputs))
	}
}

// apiURLs are the URL lines of a lines file (no blanks, no comments).
func apiURLs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			urls = append(urls, line)
		}
	}
	return urls
}

func TestExampleCSVToPostgres(t *testing.T) {
	dsn := os.Getenv("SLUICE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set SLUICE_TEST_POSTGRES (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run examples/csv-to-postgres against Postgres")
	}
	srv := exampleSite(t)
	root := copyExamples(t, srv.URL())
	dir := filepath.Join(root, "csv-to-postgres")
	table := fmt.Sprintf("sluice_example_%d", time.Now().UnixNano())
	jobPath := filepath.Join(dir, "job.yaml")
	data, err := os.ReadFile(jobPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "table: sluice_example_pages") {
		t.Fatal("examples/csv-to-postgres/job.yaml no longer names table sluice_example_pages")
	}
	data = []byte(strings.ReplaceAll(string(data), "table: sluice_example_pages", "table: "+table))
	if err := os.WriteFile(jobPath, data, 0o644); err != nil {
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
	runExample(t, dir, "SLUICE_PG_DSN="+dsn)
	keys := pgPages(t, db, srv, table)
	failing := failingPages(srv)
	sameKeys(t, "dead letters", deadKeys(t, filepath.Join(dir, "pages-pg.failed.jsonl")), failing)
	checkEveryKeyOnce(t, examplePages, keys, failing)
}

// pgPages reads the example's table, checks each row against the site
// and returns the keys.
func pgPages(t *testing.T, db *pgx.Conn, srv *testsite.Server, table string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), "select key, title, price, items from "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var key, title string
		var price float64
		var items int64
		if err := rows.Scan(&key, &title, &price, &items); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.Atoi(key)
		if err != nil || title != srv.Page(id).Title || strconv.FormatFloat(price, 'f', 2, 64) != srv.Page(id).Amount || items != testsite.ItemsPerPage {
			t.Errorf("row %s: %q %v %d items, want the site's page", key, title, price, items)
		}
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}
