package sinks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

type committerFixture struct {
	dir   string
	ckpt  *resume.Checkpoint
	c     *Committer[record.Record]
	pgDSN string
	pgSch string
}

func newFixture(t *testing.T, dir string, pg bool, schema string) *committerFixture {
	t.Helper()
	f := &committerFixture{dir: dir}
	ckpt, err := resume.Open(filepath.Join(dir, "ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ckpt.Close() })
	j, _ := NewJSONL[record.Record](filepath.Join(dir, "out.jsonl"), JSONLConfig{FileConfig{BufferSize: 1}})
	s, _ := NewSQLite[record.Record](filepath.Join(dir, "out.db"), SQLiteConfig{})
	d, _ := NewJSONL[FailureRecord](filepath.Join(dir, "dead.jsonl"), JSONLConfig{})
	data := []Target[record.Record]{j, s}
	if pg {
		p, err := NewPostgres[record.Record](PostgresConfig{DSN: os.Getenv(postgresEnv), Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, p)
	}
	c, err := NewCommitter(ckpt, data, d, CommitterConfig{Every: 1000})
	if err != nil {
		t.Fatal(err)
	}
	f.ckpt, f.c = ckpt, c
	return f
}

func items(key string, n int) Batch[record.Record] {
	b := Batch[record.Record]{Key: key}
	for j := range n {
		b.Items = append(b.Items, rec(key, "j", j))
	}
	return b
}

// crashAfterSQLCommit does what Commit does but stops before the
// checkpoint's commit line, as a kill -9 at that point would.
func (f *committerFixture) crashAfterSQLCommit(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	offsets := map[string]int64{}
	for _, s := range f.c.sinks {
		off, err := s.prepare(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s.isFile() {
			offsets[s.id()] = off
		}
	}
	if _, err := f.ckpt.Prepare(f.c.roundKeys(), offsets); err != nil {
		t.Fatal(err)
	}
	for _, s := range f.c.sinks {
		if err := s.commit(ctx); err != nil {
			t.Fatal(err)
		}
		s.close()
	}
	f.ckpt.Close()
}

func TestCommitterReplacesKeysOfAnInterruptedRound(t *testing.T) {
	for _, pg := range []bool{false, true} {
		t.Run(fmt.Sprintf("postgres=%v", pg), func(t *testing.T) {
			schema := ""
			if pg {
				schema = freshSchema(t, postgresDSN(t))
			}
			dir := t.TempDir()
			ctx := context.Background()
			f := newFixture(t, dir, pg, schema)
			must(t, f.c.Write(ctx, items("a", 2)))
			must(t, f.c.Commit(ctx))
			must(t, f.c.Write(ctx, items("b", 3)))
			must(t, f.c.Fail(ctx, pipeline.Failure{Stage: "s", Input: "x", Err: errors.New("boom"), Attempts: 2}))
			f.crashAfterSQLCommit(t)

			f = newFixture(t, dir, pg, schema)
			if !f.ckpt.Done("a") || !f.ckpt.Pending("b") || !f.ckpt.Pending("x") {
				t.Fatal("checkpoint did not load the interrupted round as pending")
			}
			must(t, f.c.Write(ctx, items("b", 1))) // the replay yields less
			must(t, f.c.Fail(ctx, pipeline.Failure{Stage: "s", Input: "x", Err: errors.New("boom")}))
			must(t, f.c.Write(ctx, items("c", 1)))
			must(t, f.c.Close(ctx))

			want := map[string]int{"a": 2, "b": 1, "c": 1}
			checkKeyCounts(t, "jsonl", want, jsonlKeys(t, filepath.Join(dir, "out.jsonl")))
			checkKeyCounts(t, "sqlite", want, sqliteKeys(t, filepath.Join(dir, "out.db")))
			if pg {
				checkKeyCounts(t, "postgres", want, pgKeys(t, schema))
			}
			checkKeyCounts(t, "dead", map[string]int{"x": 1}, jsonlKeys(t, filepath.Join(dir, "dead.jsonl")))
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func checkKeyCounts(t *testing.T, sink string, want, got map[string]int) {
	t.Helper()
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("%s: rows per key %v, want %v", sink, got, want)
	}
}

func jsonlKeys(t *testing.T, path string) map[string]int {
	got := map[string]int{}
	for _, m := range readLines(t, path) {
		got[m["key"].(string)]++
	}
	return got
}

func sqliteKeys(t *testing.T, path string) map[string]int {
	got := map[string]int{}
	for _, r := range queryStrings(t, openDB(t, path), `SELECT key FROM items`) {
		got[r[0]]++
	}
	return got
}

func pgKeys(t *testing.T, schema string) map[string]int {
	got := map[string]int{}
	for _, r := range pgQuery(t, os.Getenv(postgresEnv), `SELECT key FROM "`+schema+`".items`) {
		got[r[0].(string)]++
	}
	return got
}

func TestCommitterBatchIsAtomic(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	f := newFixture(t, dir, false, "")
	must(t, f.c.Write(ctx, items("a", 1)))
	bad := items("b", 2)
	bad.Items[1].Set("ch", make(chan int))
	err := f.c.Write(ctx, bad)
	var ve *ValueError
	if !pipeline.IsSkip(err) || !errors.As(err, &ve) {
		t.Fatalf("Write = %v, want a skipped *ValueError", err)
	}
	if err := f.c.Write(ctx, Batch[record.Record]{}); !pipeline.IsSkip(err) {
		t.Fatalf("Write of a batch without key = %v, want a Skip", err)
	}
	must(t, f.c.Close(ctx))
	if got := jsonlKeys(t, filepath.Join(dir, "out.jsonl")); fmt.Sprint(got) != "map[a:1]" {
		t.Errorf("jsonl holds %v: a failed batch left rows", got)
	}
	if f.ckpt.Done("b") || !f.ckpt.Done("a") {
		t.Error("a failed batch's key was marked done")
	}
}

func TestCommitterWithoutDeadLetter(t *testing.T) {
	j, _ := NewJSONL[record.Record](filepath.Join(t.TempDir(), "o.jsonl"), JSONLConfig{})
	c, err := NewCommitter(nil, []Target[record.Record]{j}, nil, CommitterConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Fail(ctx, pipeline.Failure{Input: "k"}); !errors.Is(err, errNoDeadLetter) {
		t.Fatalf("Fail = %v", err)
	}
	must(t, c.Close(ctx))
	if err := c.Write(ctx, items("a", 1)); !errors.Is(err, errClosed) {
		t.Fatalf("Write after Close = %v", err)
	}
}

func TestCommitterRejectsTheSameSinkTwice(t *testing.T) {
	j, _ := NewJSONL[record.Record]("o.jsonl", JSONLConfig{})
	k, _ := NewJSONL[record.Record]("o.jsonl", JSONLConfig{})
	if _, err := NewCommitter(nil, []Target[record.Record]{j, k}, nil, CommitterConfig{}); err == nil {
		t.Fatal("the same file twice accepted")
	}
}

// TestCommitterConcurrentWriteAndFail runs Write and Fail from several
// goroutines at once, as the sink stage and the failure handler do.
func TestCommitterConcurrentWriteAndFail(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	f := newFixture(t, dir, false, "")
	f.c.cfg.Every = 7
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				key := fmt.Sprintf("g%d-%d", g, i)
				var err error // reported with Errorf: this is not the test's goroutine
				if i%10 == 0 {
					err = f.c.Fail(ctx, pipeline.Failure{Stage: "s", Input: key, Err: errors.New("x")})
				} else {
					err = f.c.Write(ctx, items(key, 1))
				}
				if err != nil {
					t.Errorf("%s: %v", key, err)
					return
				}
			}
		})
	}
	wg.Wait()
	must(t, f.c.Close(ctx))
	if n := len(jsonlKeys(t, filepath.Join(dir, "out.jsonl"))); n != 180 {
		t.Errorf("jsonl has %d keys, want 180", n)
	}
	if n := len(jsonlKeys(t, filepath.Join(dir, "dead.jsonl"))); n != 20 {
		t.Errorf("dead letters for %d keys, want 20", n)
	}
	if n := f.ckpt.Len(); n != 200 {
		t.Errorf("checkpoint has %d done keys, want 200", n)
	}
}

func TestCommitterNeedsKeyColumnForSQL(t *testing.T) {
	type nokey struct{ A string }
	ckpt, err := resume.Open(filepath.Join(t.TempDir(), "ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	defer ckpt.Close()
	s, _ := NewSQLite[nokey]("x.db", SQLiteConfig{})
	if _, err := NewCommitter(ckpt, []Target[nokey]{s}, nil, CommitterConfig{}); err == nil {
		t.Fatal("keyless struct accepted for a SQL sink under a checkpoint")
	}
	j, _ := NewJSONL[nokey]("x.jsonl", JSONLConfig{})
	if _, err := NewCommitter(ckpt, []Target[nokey]{j}, nil, CommitterConfig{}); err != nil {
		t.Fatalf("keyless struct refused for a file sink: %v", err)
	}
}

func TestCommitterRefusesAFileShorterThanItsCheckpoint(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	f := newFixture(t, dir, false, "")
	must(t, f.c.Write(ctx, items("a", 2)))
	must(t, f.c.Close(ctx))
	f.ckpt.Close()
	must(t, os.Truncate(filepath.Join(dir, "out.jsonl"), 3)) // someone cut the output

	f = newFixture(t, dir, false, "")
	err := f.c.Write(ctx, items("b", 1))
	if err == nil || !strings.Contains(err.Error(), "less than its committed offset") {
		t.Fatalf("Write = %v, want the offset error", err)
	}
	if cerr := f.c.Close(ctx); cerr != err { // the error is sticky
		t.Fatalf("Close = %v, want %v", cerr, err)
	}
}

// TestCommitterReplayMovesKeysBetweenDataAndDeadLetter: a key that failed
// in an interrupted round and succeeds on replay loses its failure row,
// and the other way round, in SQL sinks (files are truncated anyway).
func TestCommitterReplayMovesKeysBetweenDataAndDeadLetter(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	build := func() *committerFixture {
		ckpt, err := resume.Open(filepath.Join(dir, "ckpt"))
		must(t, err)
		t.Cleanup(func() { ckpt.Close() })
		s, _ := NewSQLite[record.Record](filepath.Join(dir, "out.db"), SQLiteConfig{})
		d, _ := NewSQLite[FailureRecord](filepath.Join(dir, "dead.db"), SQLiteConfig{})
		c, err := NewCommitter(ckpt, []Target[record.Record]{s}, d, CommitterConfig{})
		must(t, err)
		return &committerFixture{dir: dir, ckpt: ckpt, c: c}
	}
	boom := func(key string) pipeline.Failure {
		return pipeline.Failure{Stage: "s", Input: key, Err: errors.New("boom")}
	}
	f := build()
	must(t, f.c.Write(ctx, items("ok-then-fail", 2)))
	must(t, f.c.Fail(ctx, boom("fail-then-ok")))
	f.crashAfterSQLCommit(t)

	f = build()
	must(t, f.c.Fail(ctx, boom("ok-then-fail")))
	must(t, f.c.Write(ctx, items("fail-then-ok", 1)))
	must(t, f.c.Close(ctx))
	checkKeyCounts(t, "data", map[string]int{"fail-then-ok": 1}, sqliteKeys(t, filepath.Join(dir, "out.db")))
	dead := map[string]int{}
	for _, r := range queryStrings(t, openDB(t, filepath.Join(dir, "dead.db")), `SELECT key FROM items`) {
		dead[r[0]]++
	}
	checkKeyCounts(t, "dead", map[string]int{"ok-then-fail": 1}, dead)
}

func TestCommitterCommitsByCountAndAge(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	now := time.Unix(0, 0)
	f := newFixture(t, dir, false, "")
	f.c.cfg.Every, f.c.cfg.Interval, f.c.cfg.Now = 3, time.Minute, func() time.Time { return now }
	must(t, f.c.Write(ctx, items("a", 1)))
	must(t, f.c.Write(ctx, items("b", 1)))
	if f.ckpt.Len() != 0 {
		t.Fatalf("%d keys done before the round filled", f.ckpt.Len())
	}
	must(t, f.c.Fail(ctx, pipeline.Failure{Input: "c", Err: errors.New("x")}))
	if f.ckpt.Len() != 3 {
		t.Fatalf("%d keys done after 3, want 3", f.ckpt.Len())
	}
	must(t, f.c.Write(ctx, items("d", 1)))
	now = now.Add(time.Minute)
	must(t, f.c.Write(ctx, items("e", 1)))
	if f.ckpt.Len() != 5 {
		t.Fatalf("%d keys done after the interval, want 5", f.ckpt.Len())
	}
	must(t, f.c.Close(ctx))
}

// Close commits what was put since the last commit and nothing more: a
// Close right after a Commit adds no round to the checkpoint (a round
// would record the same offsets again, at three fsyncs).
func TestCloseAfterCommitWritesNoRound(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, dir, false, "")
	ctx := context.Background()
	if err := f.c.Write(ctx, items("a", 2)); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	lines := func() int {
		data, err := os.ReadFile(filepath.Join(dir, "ckpt"))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(data, []byte("\n"))
	}
	before := lines()
	if err := f.c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if after := lines(); after != before {
		t.Errorf("Close after Commit wrote %d checkpoint lines, want none", after-before)
	}
	// What was put after a commit is committed by Close.
	g := newFixture(t, t.TempDir(), false, "")
	if err := g.c.Write(ctx, items("b", 1)); err != nil {
		t.Fatal(err)
	}
	if err := g.c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !g.ckpt.Done("b") {
		t.Error("Close did not commit the key put before it")
	}
}
