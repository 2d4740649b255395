package bench

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCSVToSQLiteRSS runs CSV → SQLite (bench/csvsink, a child
// process) on generated files of 100,000 and 1,000,000 rows and reports
// each one's peak RSS and their ratio: streaming means the ratio stays
// near 1 (the budget is ≤ 1.2).
//
//	go test ./bench -run '^$' -bench CSVToSQLiteRSS -benchtime 1x -count 3
func BenchmarkCSVToSQLiteRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "csvsink")
	if err := build(bin, "./csvsink"); err != nil {
		b.Fatal(err)
	}
	rss := map[int]float64{}
	for _, rows := range []int{100_000, 1_000_000} {
		in := filepath.Join(dir, fmt.Sprintf("urls-%d.csv", rows))
		writeCSV(b, in, rows)
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			for b.Loop() {
				db := filepath.Join(dir, fmt.Sprintf("out-%d.db", rows))
				os.Remove(db)
				out, err := exec.Command(bin, "-in", in, "-db", db).CombinedOutput()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				var n, kib int64
				if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "rows %d peak-rss-kib %d", &n, &kib); err != nil || n != int64(rows) {
					b.Fatalf("csvsink said %q (want %d rows)", out, rows)
				}
				rss[rows] = float64(kib) / 1024
			}
			b.ReportMetric(rss[rows], "peak-rss-MiB")
			if rows == 1_000_000 && rss[100_000] > 0 {
				b.ReportMetric(rss[rows]/rss[100_000], "x-rss-of-100k")
			}
		})
	}
}

func writeCSV(tb testing.TB, path string, rows int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	fmt.Fprintln(w, "id,url,title")
	for i := range rows {
		fmt.Fprintf(w, "%d,https://shop%d.example/products/%d?ref=list,\"Product %d, boxed\"\n", i, i%97, i, i)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}
