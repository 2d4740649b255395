package sinks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

// The kill -9 test re-executes the test binary with these variables set;
// TestMain then runs runChild instead of the tests.
const (
	childEnv       = "SLUICE_RESUME_CHILD"    // the job's directory
	childPGEnv     = "SLUICE_RESUME_PG_TABLE" // Postgres table, when testing it
	childKeys      = 3000
	childFailEvery = 37
)

// childOutputs is what key i of the job produces: failing keys none,
// others 0, 1 or 2 records.
func childOutputs(i int) (n int, fails bool) {
	if i%childFailEvery == 0 {
		return 0, true
	}
	switch i % 5 {
	case 0:
		return 0, false
	case 1:
		return 2, false
	}
	return 1, false
}

func childKey(i int) string { return fmt.Sprintf("https://example.test/item/%04d", i) }

// runChild runs the resumable job in the directory named by childEnv.
func runChild() int {
	if err := childJob(context.Background(), os.Getenv(childEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

func childJob(ctx context.Context, dir string) error {
	ckpt, err := resume.Open(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return err
	}
	defer ckpt.Close()
	data, dead, err := childSinks(dir)
	if err != nil {
		return err
	}
	failureKey := func(input any) string { return childKey(input.(int)) }
	c, err := NewCommitter(ckpt, data, dead, CommitterConfig{Every: 20, Interval: 20 * time.Millisecond,
		DeadLetter: DeadLetterConfig{Key: failureKey}})
	if err != nil {
		return err
	}
	p := pipeline.New(pipeline.OnFailure(c.Fail))
	keys := pipeline.Source(p, "keys", func(ctx context.Context, e *pipeline.Emitter[int]) error {
		for i := range childKeys {
			if !ckpt.Done(childKey(i)) {
				if err := e.Emit(i); err != nil {
					return err
				}
			}
		}
		return nil
	})
	batches := pipeline.Map(p, "work", keys, childWork, pipeline.Workers(4))
	pipeline.Sink(p, "commit", batches, c)
	return p.Run(ctx)
}

func childSinks(dir string) ([]Target[record.Record], Target[FailureRecord], error) {
	j, err1 := NewJSONL[record.Record](filepath.Join(dir, "out.jsonl"), JSONLConfig{})
	c, err2 := NewCSV[record.Record](filepath.Join(dir, "out.csv"), CSVConfig{})
	s, err3 := NewSQLite[record.Record](filepath.Join(dir, "out.db"), SQLiteConfig{SQLConfig{BatchSize: 16}})
	d, err4 := NewJSONL[FailureRecord](filepath.Join(dir, "dead.jsonl"), JSONLConfig{})
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, nil, err
	}
	data := []Target[record.Record]{j, c, s}
	if dsn, tbl := os.Getenv(postgresEnv), os.Getenv(childPGEnv); dsn != "" && tbl != "" {
		pg, err := NewPostgres[record.Record](PostgresConfig{DSN: dsn, SQLConfig: SQLConfig{Table: tbl, BatchSize: 16}})
		if err != nil {
			return nil, nil, err
		}
		data = append(data, pg)
	}
	return data, d, nil
}

func childWork(ctx context.Context, i int) (Batch[record.Record], error) {
	time.Sleep(time.Millisecond) // make the run long enough to kill
	key := childKey(i)
	n, fails := childOutputs(i)
	if fails {
		return Batch[record.Record]{}, pipeline.Skip(fmt.Errorf("item %d: deliberate failure", i))
	}
	b := Batch[record.Record]{Key: key}
	for j := range n {
		r := record.Record{Key: key, URL: key}
		r.Set("i", i)
		r.Set("j", j)
		r.Set("title", fmt.Sprintf("item %d, part %d \"quoted\"", i, j))
		b.Items = append(b.Items, r)
	}
	return b, nil
}
