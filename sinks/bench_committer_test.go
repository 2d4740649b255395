package sinks

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

// BenchmarkCommitter writes 100,000 one-record keys to JSONL and SQLite,
// through a Committer with a checkpoint (commit every 1000 keys) and, as
// the baseline, to the same two sinks in plain use (1000-row batches).
func BenchmarkCommitter(b *testing.B) {
	ctx := context.Background()
	b.Run("plain-sinks", func(b *testing.B) {
		for b.Loop() {
			dir := b.TempDir()
			j, _ := NewJSONL[record.Record](filepath.Join(dir, "o.jsonl"), JSONLConfig{})
			s, _ := NewSQLite[record.Record](filepath.Join(dir, "o.db"), SQLiteConfig{})
			for i := range benchRows {
				r := benchRecordAt(i)
				if err := j.Write(ctx, r); err != nil {
					b.Fatal(err)
				}
				if err := s.Write(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			must(b, j.Close(ctx))
			must(b, s.Close(ctx))
		}
		reportRows(b)
	})
	b.Run("committer", func(b *testing.B) {
		for b.Loop() {
			dir := b.TempDir()
			ckpt, err := resume.Open(filepath.Join(dir, "ckpt"))
			must(b, err)
			j, _ := NewJSONL[record.Record](filepath.Join(dir, "o.jsonl"), JSONLConfig{})
			s, _ := NewSQLite[record.Record](filepath.Join(dir, "o.db"), SQLiteConfig{})
			c, err := NewCommitter(ckpt, []Target[record.Record]{j, s}, nil, CommitterConfig{})
			must(b, err)
			for i := range benchRows {
				r := benchRecordAt(i)
				if err := c.Write(ctx, Batch[record.Record]{Key: r.Key, Items: []record.Record{r}}); err != nil {
					b.Fatal(err)
				}
			}
			must(b, c.Close(ctx))
			must(b, ckpt.Close())
		}
		reportRows(b)
	})
}
