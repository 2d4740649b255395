package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/testsite"
)

// result is one run of the sluice binary.
type result struct {
	code           int
	stdout, stderr string
}

// sluice runs the binary with args in dir and waits for it.
func sluice(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := command(t, dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return result{code: exitStatus(t, err), stdout: out.String(), stderr: errb.String()}
}

func command(t *testing.T, dir string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("run sluice: %v", err)
	return -1
}

// siteDir is a new directory holding urls.csv: srv's first n pages.
func siteDir(t *testing.T, srv *testsite.Server, n int) string {
	t.Helper()
	dir := t.TempDir()
	writeSiteCSV(t, filepath.Join(dir, "urls.csv"), srv, n)
	return dir
}

// writeSiteCSV writes id,url rows for pages [0, n) of srv.
func writeSiteCSV(t *testing.T, path string, srv *testsite.Server, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"id", "url"})
	for id := range n {
		w.Write([]string{strconv.Itoa(id), srv.PageURL(id)})
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

// fastFetch is the fetch section of siteJob's jobs by default.
const fastFetch = "fetch: {workers: 32, per_host_concurrency: 32, retries: 1, backoff: 1ms, timeout: 5s}\n"

// siteJob is a job over urls.csv in dir writing out.db, failed.jsonl,
// with the given fetch section and extra top-level sections.
func siteJob(t *testing.T, dir, fetch, extra string) string {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	yaml := `source: {kind: csv, path: urls.csv, key_column: id}
` + fetch + `parse:
  workers: 2
  html:
    fields:
      - {name: title, selector: h1.title, required: true}
      - {name: price, selector: div.price, attr: data-amount, type: float}
sink: {path: out.db, table: pages}
dead_letter: {path: failed.jsonl}
` + extra
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sqliteKeys returns the key column of every row of table.
func sqliteKeys(t *testing.T, path, table string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", sinks.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("select key from " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// deadKeys returns the key of every line of a dead-letter file.
func deadKeys(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct{ Key string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("dead letter line %q: %v", sc.Text(), err)
		}
		keys = append(keys, rec.Key)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// checkEveryKeyOnce fails unless keys hold 0..n-1 each exactly once.
func checkEveryKeyOnce(t *testing.T, n int, keys ...[]string) {
	t.Helper()
	seen := make(map[string]int, n)
	total := 0
	for _, ks := range keys {
		for _, k := range ks {
			seen[k]++
			total++
		}
	}
	if total != n {
		t.Errorf("outputs + dead letters = %d, want %d", total, n)
	}
	for id := range n {
		if c := seen[strconv.Itoa(id)]; c != 1 {
			t.Errorf("key %d appears %d times, want 1", id, c)
		}
	}
}
