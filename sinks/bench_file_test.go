package sinks

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkFiles writes 100,000 struct rows per op with the JSONL and CSV
// sinks and, as baselines, with bufio + encoding/json and encoding/csv
// (then fsync, as the sinks do at Close), on tmpfs when there is one.
func BenchmarkFiles(b *testing.B) {
	dir := benchPlaces(b)[len(benchPlaces(b))-1].dir
	b.Run("jsonl/raw", func(b *testing.B) { benchOne(b, dir, rawJSONL) })
	b.Run("jsonl/sink", func(b *testing.B) {
		benchOne(b, dir, func(d string) {
			w, _ := NewJSONL[benchRow](filepath.Join(d, "o.jsonl"), JSONLConfig{})
			writeBench(b, w, benchRowAt)
		})
	})
	b.Run("csv/raw", func(b *testing.B) { benchOne(b, dir, rawCSV) })
	b.Run("csv/sink", func(b *testing.B) {
		benchOne(b, dir, func(d string) {
			w, _ := NewCSV[benchRow](filepath.Join(d, "o.csv"), CSVConfig{})
			writeBench(b, w, benchRowAt)
		})
	})
}

func rawJSONL(dir string) {
	f, _ := os.Create(filepath.Join(dir, "raw.jsonl"))
	defer f.Close()
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	type jsonRow struct {
		Key   string  `json:"key"`
		URL   string  `json:"url"`
		N     int64   `json:"n"`
		F     float64 `json:"f"`
		Title string  `json:"title"`
	}
	for i := range benchRows {
		r := benchRowAt(i)
		enc.Encode(jsonRow(r))
	}
	w.Flush()
	f.Sync()
}

func rawCSV(dir string) {
	f, _ := os.Create(filepath.Join(dir, "raw.csv"))
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"key", "url", "n", "f", "title"})
	for i := range benchRows {
		r := benchRowAt(i)
		w.Write([]string{r.Key, r.URL, strconv.FormatInt(r.N, 10), strconv.FormatFloat(r.F, 'g', -1, 64), r.Title})
	}
	w.Flush()
	f.Sync()
}
