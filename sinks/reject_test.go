package sinks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/resume"
)

// rejectFixture is a Committer over a JSONL sink and the SQL sink under
// test, with a JSONL dead-letter sink and a checkpoint, recording its
// commit events.
type rejectFixture struct {
	dir    string
	ckpt   *resume.Checkpoint
	c      *Committer[record.Record]
	events []CommitEvent
}

func newRejectFixture(t *testing.T, sqlSink Target[record.Record], every int) *rejectFixture {
	t.Helper()
	f := &rejectFixture{dir: t.TempDir()}
	ckpt, err := resume.Open(filepath.Join(f.dir, "ckpt"))
	must(t, err)
	t.Cleanup(func() { ckpt.Close() })
	j, _ := NewJSONL[record.Record](filepath.Join(f.dir, "out.jsonl"), JSONLConfig{FileConfig{BufferSize: 1}})
	d, _ := NewJSONL[FailureRecord](filepath.Join(f.dir, "dead.jsonl"), JSONLConfig{})
	c, err := NewCommitter(ckpt, []Target[record.Record]{j, sqlSink}, d,
		CommitterConfig{Every: every, OnCommit: func(ev CommitEvent) { f.events = append(f.events, ev) }})
	must(t, err)
	f.ckpt, f.c = ckpt, c
	return f
}

// check verifies that the data sinks hold rows (per key; sqlKeys is read
// from the SQL sink), that the rejected keys are dead-lettered with a
// reason containing why, that every key is done, and that the commit
// events say the same: written, failed (rejected, then other failures)
// and the item count, with each rejection's reason and the refused items.
func (f *rejectFixture) check(t *testing.T, rows, sqlKeys map[string]int, written, rejected, failed []string, why string, refused int) {
	t.Helper()
	checkKeyCounts(t, "jsonl", rows, jsonlKeys(t, filepath.Join(f.dir, "out.jsonl")))
	checkKeyCounts(t, "sql", rows, sqlKeys)
	dead := map[string]int{}
	for _, m := range readLines(t, filepath.Join(f.dir, "dead.jsonl")) {
		k := m["key"].(string)
		dead[k]++
		msg := m["error"].(string)
		if slices.Contains(rejected, k) && (!strings.Contains(msg, why) || !strings.Contains(msg, "rejected the row")) {
			t.Errorf("dead letter %v: error does not say %q", m, why)
		}
	}
	allFailed := slices.Concat(rejected, failed)
	wantDead := map[string]int{}
	for _, k := range allFailed {
		wantDead[k] = 1
	}
	checkKeyCounts(t, "dead", wantDead, dead)
	var ev CommitEvent
	for _, e := range f.events {
		ev.Written, ev.Failed, ev.Rejected = append(ev.Written, e.Written...), append(ev.Failed, e.Failed...), append(ev.Rejected, e.Rejected...)
		ev.Items, ev.Refused = ev.Items+e.Items, ev.Refused+e.Refused
		if len(e.Rejections) != len(e.Rejected) {
			t.Errorf("event rejects %v with %d reasons", e.Rejected, len(e.Rejections))
			continue
		}
		for i, r := range e.Rejections {
			if r == nil || !strings.Contains(r.Error(), why) {
				t.Errorf("rejection of %s: %v, want a reason saying %q", e.Rejected[i], r, why)
			}
		}
	}
	if ev.Refused != refused {
		t.Errorf("events count %d items refused, want %d", ev.Refused, refused)
	}
	for _, l := range [][]string{ev.Written, ev.Failed, ev.Rejected, written, rejected, allFailed} {
		slices.Sort(l)
	}
	if fmt.Sprint(ev.Written) != fmt.Sprint(written) || fmt.Sprint(ev.Failed) != fmt.Sprint(allFailed) || fmt.Sprint(ev.Rejected) != fmt.Sprint(rejected) {
		t.Errorf("events: written %v failed %v rejected %v; want %v, %v, %v", ev.Written, ev.Failed, ev.Rejected, written, allFailed, rejected)
	}
	n := 0
	for _, c := range rows {
		n += c
	}
	if ev.Items != n {
		t.Errorf("events count %d items written, want %d", ev.Items, n)
	}
	for _, k := range slices.Concat(written, allFailed) {
		if !f.ckpt.Done(k) {
			t.Errorf("%s not done", k)
		}
	}
}

// TestCommitterSQLiteRejectIsAFailure: rows a SQLite table refuses (a
// CHECK constraint) fail their input — dead-lettered with the reason, in
// no sink — while the rest of the round commits. With BatchSize 2 the
// refusals surface both while rows are sent and at the commit.
func TestCommitterSQLiteRejectIsAFailure(t *testing.T) {
	for _, batch := range []int{2, 1000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			ctx := context.Background()
			dbPath := filepath.Join(t.TempDir(), "out.db")
			db := openDB(t, dbPath)
			if _, err := db.Exec(`CREATE TABLE items (key TEXT, url TEXT, n INTEGER CHECK (n >= 0))`); err != nil {
				t.Fatal(err)
			}
			s, _ := NewSQLite[record.Record](dbPath, SQLiteConfig{SQLConfig{BatchSize: batch}})
			f := newRejectFixture(t, s, 4)
			b := func(key string, ns ...int) Batch[record.Record] {
				out := Batch[record.Record]{Key: key}
				for _, n := range ns {
					out.Items = append(out.Items, rec(key, "n", n))
				}
				return out
			}
			for _, bt := range []Batch[record.Record]{b("a", 1), b("b", -1), b("c", 2, -5), b("d", 3, 4), b("e"), b("f", 5), b("g", -2)} {
				must(t, f.c.Write(ctx, bt))
			}
			must(t, f.c.Fail(ctx, pipeline.Failure{Stage: "fetch", Input: "h", Err: errors.New("boom")}))
			must(t, f.c.Close(ctx))
			rows := map[string]int{"a": 1, "d": 2, "f": 1}
			f.check(t, rows, sqliteKeys(t, dbPath), []string{"a", "d", "e", "f"}, []string{"b", "c", "g"}, []string{"h"}, "CHECK constraint failed", 4)
		})
	}
}

// TestCommitterPostgresRejectIsAFailure: text Postgres cannot store (a
// NUL byte, invalid UTF-8) and, in Upsert mode, a key too long for the
// key's index fail their input, not the run; the other inputs commit.
func TestCommitterPostgresRejectIsAFailure(t *testing.T) {
	dsn := postgresDSN(t)
	long := make([]byte, 8000)
	rand.Read(long)
	for _, tc := range []struct {
		name string
		mode WriteMode
		bad  map[string]record.Record
		why  string
	}{
		{"text", Append, map[string]record.Record{
			"nul":  rec("nul", "title", "a\x00b"),
			"utf8": rec("utf8", "title", "caf\xe9"),
		}, "SQLSTATE 22021"},
		{"oversize-key", Upsert, map[string]record.Record{
			"huge": {Key: hex.EncodeToString(long), URL: "u", Fields: []record.Field{{Name: "title", Value: "t"}}},
		}, "SQLSTATE 54000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			schema := freshSchema(t, dsn)
			pg, err := NewPostgres[record.Record](PostgresConfig{DSN: dsn, Schema: schema, SQLConfig: SQLConfig{Mode: tc.mode}})
			must(t, err)
			f := newRejectFixture(t, pg, 1000)
			must(t, f.c.Write(ctx, Batch[record.Record]{Key: "a", Items: []record.Record{rec("a", "title", "fine")}}))
			var rejected []string
			for k, r := range tc.bad {
				must(t, f.c.Write(ctx, Batch[record.Record]{Key: k, Items: []record.Record{rec(k, "title", "ok"), r}}))
				rejected = append(rejected, k)
			}
			must(t, f.c.Write(ctx, Batch[record.Record]{Key: "z", Items: []record.Record{rec("z", "title", "also fine")}}))
			must(t, f.c.Close(ctx))
			got := map[string]int{}
			for _, r := range pgQuery(t, os.Getenv(postgresEnv), fmt.Sprintf(`SELECT key FROM %s`, pgx.Identifier{schema, "items"}.Sanitize())) {
				got[r[0].(string)]++
			}
			f.check(t, map[string]int{"a": 1, "z": 1}, got, []string{"a", "z"}, rejected, nil, tc.why, 2*len(rejected))
		})
	}
}
