package job

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/testsite"
)

// writeJob writes a job over a CSV input into a new directory.
func writeJob(t *testing.T, csv, extra string) (dir string, j *Job) {
	t.Helper()
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "urls.csv"), csv)
	writeFile(t, filepath.Join(dir, "job.yaml"), `source: {kind: csv, path: urls.csv, url_column: lnk}
parse:
  html: {fields: [{name: title, selector: h1}, {name: price, selector: .p, type: float}]}
`+extra)
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return dir, j
}

// A CSV without the named column fails before anything is created, with
// the header's columns and a suggestion.
func TestPreflightCSVColumns(t *testing.T) {
	dir, j := writeJob(t, "id,link,name\n1,http://127.0.0.1:9/a,x\n", "sink: {path: out/out.jsonl}\n")
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), j, RunOptions{})
	var je *Error
	if !errors.As(err, &je) || je.Path != "source.url_column" || !IsUsage(err) ||
		!strings.Contains(err.Error(), `no column "lnk" in the header of urls.csv (columns: id, link, name); did you mean "link"?`) {
		t.Fatalf("missing column: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) != 0 {
		t.Fatalf("a failed check created %v", entries)
	}
}

// A directory named as the input is refused before the run, at its line
// in the job file, rather than failing the run's first read.
func TestPreflightInputIsADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "inputs"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "inputs"))
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), j, RunOptions{})
	var je *Error
	if !errors.As(err, &je) || je.Path != "source.path" || !IsUsage(err) ||
		!strings.Contains(err.Error(), "job.yaml:1:") || !strings.Contains(err.Error(), "inputs is a directory: name the file that holds the inputs") {
		t.Fatalf("a directory as the input: %v", err)
	}
}

func TestPreflightOutputDir(t *testing.T) {
	dir, j := writeJob(t, "id,lnk\n1,http://127.0.0.1:9/a\n", "sink: {path: missing/out.db}\n")
	_, err := Run(context.Background(), j, RunOptions{})
	var je *Error
	if !errors.As(err, &je) || je.Path != "sink.path" || !strings.Contains(err.Error(), "missing does not exist") {
		t.Fatalf("missing output directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("a failed check created files: %v", entries)
	}
}

// A Postgres table whose column cannot take a field's type is refused
// before the run; an unreachable server too.
func TestPreflightPostgres(t *testing.T) {
	dsn := os.Getenv("SLUICE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set SLUICE_TEST_POSTGRES (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run against Postgres")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS preflight_items; CREATE TABLE preflight_items (key text, price boolean)`); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, `DROP TABLE preflight_items`)
	_, j := writeJob(t, "id,lnk\n1,http://127.0.0.1:9/a\n", "sink: {kind: postgres, dsn: '"+dsn+"', table: preflight_items}\ncheckpoint: pf.checkpoint\n")
	err = j.Preflight(ctx, true)
	if err == nil || !strings.Contains(err.Error(), `column "price" of type boolean, which cannot hold the job's float field`) {
		t.Fatalf("incompatible table: %v", err)
	}
	_, j = writeJob(t, "id,lnk\n1,http://127.0.0.1:9/a\n", "sink: {kind: postgres, dsn: 'postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2'}\ncheckpoint: pf.checkpoint\n")
	if err := j.Preflight(ctx, true); err == nil || !strings.Contains(err.Error(), "cannot connect") {
		t.Fatalf("unreachable server: %v", err)
	}
}

// An output that reaches the input through a symbolic link is the input:
// the job is refused before anything is opened, and the input is intact.
func TestValidateSeesALinkToTheInput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "urls.txt"), "http://127.0.0.1:9/a\n")
	if err := os.Symlink("urls.txt", filepath.Join(dir, "out.jsonl")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "urls.txt"))
	_, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	var je *Error
	if !errors.As(err, &je) || je.Path != "sink.path" || !strings.Contains(err.Error(), "out.jsonl is also the input (source.path): the run would write over it") {
		t.Fatalf("output linked to the input: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "urls.txt")); err != nil || string(b) != "http://127.0.0.1:9/a\n" {
		t.Fatalf("input now %q, %v", b, err)
	}
}

// A fresh run over an output file that holds data no checkpoint accounts
// for (the user's own, or a run's whose checkpoint was deleted) is
// refused, as a run that would destroy it; --restart replaces it, and an
// empty file is no one's data.
func TestFreshRunKeepsAnOutputNoCheckpointAccountsFor(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 2})
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "urls.txt"), srv.PageURL(0)+"\n"+srv.PageURL(1)+"\n")
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "urls.txt"))
	out := filepath.Join(dir, "out.jsonl")
	writeFile(t, out, "{\"mine\": true}\n")
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), j, RunOptions{})
	if !IsUsage(err) || !strings.Contains(err.Error(), "out.jsonl already holds 15 bytes that no checkpoint accounts for, and a fresh run starts it anew: pass --restart to replace it, or name another output") {
		t.Fatalf("fresh run over an output of someone's: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "{\"mine\": true}\n" {
		t.Fatalf("the refused run changed the output to %q", b)
	}
	if rep, err := Run(context.Background(), j, RunOptions{Restart: true}); err != nil || rep.Written != 2 || len(readLines(t, out)) != 2 {
		t.Fatalf("--restart: %v, written %d", err, rep.Written)
	}
	if err := os.Remove(j.Checkpoint); err != nil {
		t.Fatal(err)
	}
	writeFile(t, out, "")
	if rep, err := Run(context.Background(), j, RunOptions{}); err != nil || rep.Written != 2 {
		t.Fatalf("fresh run over an empty output: %v, written %d", err, rep.Written)
	}
}
