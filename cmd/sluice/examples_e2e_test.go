package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

// exampleSiteURL is the address the committed examples name: the default
// of `sluice testsite --addr`.
const exampleSiteURL = "http://127.0.0.1:8088"

// examplePages is the number of pages `sluice testsite` serves by default,
// which examples/csv-to-sqlite/urls.csv lists.
const examplePages = 200

// exampleDirs are the example jobs run by these tests.
var exampleDirs = []string{"csv-to-sqlite", "json-api-to-jsonl", "csv-to-postgres"}

// exampleSite starts the site `sluice testsite` serves with its defaults,
// on a free port.
func exampleSite(t *testing.T) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: examplePages, Faults: siteFaults(0.1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// copyExamples copies the example jobs into a temporary directory,
// rewriting exampleSiteURL to base in every file, and leaving out the
// outputs of earlier local runs. It returns the copy of examples/.
func copyExamples(t *testing.T, base string) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range exampleDirs {
		src := filepath.Join("..", "..", "examples", name)
		err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || isExampleOutput(d.Name()) {
				return err
			}
			rel, _ := filepath.Rel(src, path)
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			data = []byte(strings.ReplaceAll(string(data), exampleSiteURL, base))
			dst := filepath.Join(root, name, rel)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// isExampleOutput matches the files examples/.gitignore ignores.
func isExampleOutput(name string) bool {
	for _, suffix := range []string{".db", ".db-wal", ".db-shm", ".jsonl", ".checkpoint"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// runExample runs `sluice run job.yaml` in dir and fails unless it exits 0.
func runExample(t *testing.T, dir string, env ...string) {
	t.Helper()
	cmd := command(t, dir, "run", "job.yaml")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if code := exitStatus(t, err); code != 0 {
		t.Fatalf("sluice run %s: exit %d\n%s", dir, code, out)
	}
}

// failingPages are the page ids whose fault fails them (404, 500, reset),
// as keys.
func failingPages(srv *testsite.Server) []string {
	var keys []string
	for id := range srv.Pages() {
		switch srv.PageFault(id) {
		case testsite.FaultNotFound, testsite.FaultServerError, testsite.FaultReset:
			keys = append(keys, strconv.Itoa(id))
		}
	}
	return keys
}

// price is the price the site shows for product id.
func price(t *testing.T, srv *testsite.Server, id int) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(srv.Page(id).Amount, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sameKeys fails unless got and want hold the same keys (in any order).
func sameKeys(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s: keys %v, want %v", what, got, want)
	}
}

// checkURLsCSV checks the example's urls.csv lists every page of the site
// once, at exampleSiteURL.
func checkURLsCSV(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile("../../examples/csv-to-sqlite/urls.csv")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	want.WriteString("id,url\n")
	for id := range examplePages {
		fmt.Fprintf(&want, "%d,%s%s\n", id, exampleSiteURL, testsite.PagePath(id))
	}
	if string(data) != want.String() {
		t.Errorf("examples/csv-to-sqlite/urls.csv is not the %d pages of %s: regenerate it with sluice testsite --write-urls", examplePages, exampleSiteURL)
	}
}

// readJSONL decodes every line of a JSON Lines file into a T.
func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: line %q: %v", path, sc.Text(), err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
