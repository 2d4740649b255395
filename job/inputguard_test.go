package job

import (
	"context"
	"errors"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

// Inputs keyed by their line stay where a checkpoint saw them: lines
// added at the end are resumed, lines inserted above them refuse the
// resume (it would skip the wrong inputs and run others twice), and
// --restart starts over with every input once.
func TestResumeRefusesAnInputEditedAboveItsEnd(t *testing.T) {
	srv := startSite(t, testsite.Config{Pages: 10})
	dir := t.TempDir()
	urls := filepath.Join(dir, "urls.txt")
	lines := func(ids ...int) string {
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(srv.PageURL(id) + "\n")
		}
		return b.String()
	}
	writeFile(t, urls, lines(0, 1, 2))
	writeFile(t, filepath.Join(dir, "job.yaml"), titleJob("lines", "urls.txt"))
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := func(opts RunOptions) (Report, error) { return Run(context.Background(), j, opts) }
	if rep, err := run(RunOptions{}); err != nil || rep.Done != 3 {
		t.Fatalf("first run: %v, done %d", err, rep.Done)
	}
	writeFile(t, urls, lines(0, 1, 2, 3, 4)) // added at the end
	if rep, err := run(RunOptions{Resume: true}); err != nil || rep.Done != 2 || rep.Resumed != 3 {
		t.Fatalf("resume after lines were added: %v, done %d, resumed %d", err, rep.Done, rep.Resumed)
	}
	for name, edited := range map[string]string{
		"inserted": lines(9, 0, 1, 2, 3, 4),
		"removed":  lines(1, 2, 3, 4),
		"edited":   lines(0, 5, 2, 3, 4),
	} {
		writeFile(t, urls, edited)
		_, err := run(RunOptions{Resume: true})
		if !IsUsage(err) || !strings.Contains(err.Error(), "urls.txt changed since the checkpoint was written, not only by lines added at its end") {
			t.Fatalf("resume after a line was %s: %v", name, err)
		}
	}
	writeFile(t, urls, lines(9, 0, 1, 2, 3, 4))
	if rep, err := run(RunOptions{Restart: true}); err != nil || rep.Done != 6 {
		t.Fatalf("--restart: %v, done %d", err, rep.Done)
	}
	seen := map[string]int{}
	for _, r := range readLines(t, j.Sink.Path) {
		seen[r["url"].(string)]++
	}
	for _, id := range []int{9, 0, 1, 2, 3, 4} {
		if seen[srv.PageURL(id)] != 1 {
			t.Fatalf("after --restart the output holds %v", seen)
		}
	}
	// Keyed by a column, inputs may move: the guard stays out of the way.
	dir = t.TempDir()
	csv := filepath.Join(dir, "urls.csv")
	writeFile(t, csv, "id,url\na,"+srv.PageURL(0)+"\nb,"+srv.PageURL(1)+"\n")
	writeFile(t, filepath.Join(dir, "job.yaml"), strings.Replace(titleJob("csv", "urls.csv"), "path: urls.csv}", "path: urls.csv, key_column: id}", 1))
	if k, err := Load(filepath.Join(dir, "job.yaml"), Options{}); err != nil || k.lineKeyed() {
		t.Fatalf("column-keyed job: %v, line-keyed %v", err, k != nil && k.lineKeyed())
	}
	runJobIn(t, dir)
	writeFile(t, csv, "id,url\nc,"+srv.PageURL(2)+"\na,"+srv.PageURL(0)+"\nb,"+srv.PageURL(1)+"\n")
	k, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := Run(context.Background(), k, RunOptions{Resume: true}); err != nil || rep.Done != 1 || rep.Resumed != 2 {
		t.Fatalf("resume of a column-keyed job after an insert: %v, done %d, resumed %d", err, rep.Done, rep.Resumed)
	}
}

// checksum is the file's CRC-32C, of all of it or of its first n bytes,
// and stops when its context is done.
func TestChecksum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls.txt")
	body := strings.Repeat("http://a/1\n", 300000) // 3.3 MB: several reads
	writeFile(t, path, body)
	table := crc32.MakeTable(crc32.Castagnoli)
	for _, n := range []int64{-1, 0, 11, int64(len(body)) - 5, int64(len(body)) + 100} {
		want := body
		if n >= 0 && n < int64(len(body)) {
			want = body[:n]
		}
		size, sum, err := checksum(context.Background(), path, n)
		if err != nil || size != int64(len(want)) || sum != crc32.Checksum([]byte(want), table) {
			t.Errorf("checksum of %d bytes: %d bytes, %08x, %v; want %d, %08x", n, size, sum, err, len(want), crc32.Checksum([]byte(want), table))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := checksum(ctx, path, -1); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled checksum: %v", err)
	}
}
