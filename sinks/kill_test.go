package sinks

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/resume"
)

// TestKill9ResumeExactlyOnce runs a resumable job in a subprocess, kills
// it with SIGKILL at random points after it has committed something,
// resumes it each time, lets the last run finish, and checks that every
// key's records are in every sink exactly once and every failed key in the
// dead-letter file exactly once.
func TestKill9ResumeExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	dir := t.TempDir()
	env := append(os.Environ(), childEnv+"="+dir)
	pgTable := ""
	if dsn := os.Getenv(postgresEnv); dsn != "" {
		pgTable = fmt.Sprintf("sluice_kill_%d", rand.Uint32())
		env = append(env, childPGEnv+"="+pgTable)
		t.Cleanup(func() { dropTable(t, dsn, pgTable) })
	} else {
		t.Log("Postgres left out: " + postgresHint)
	}
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	ckptPath := filepath.Join(dir, "checkpoint")
	kills := 0
	for kills < 5 {
		if !killChild(t, env, ckptPath, time.Duration(rng.IntN(150))*time.Millisecond) {
			// The job finished before the kill: no more to kill. How far
			// each run gets is up to the machine's speed, not the verdict.
			t.Logf("run %d finished before its kill", kills+1)
			break
		}
		kills++
		ckpt, err := resume.Open(ckptPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("kill %d: %d keys done, %d pending", kills, ckpt.Len(), ckpt.PendingLen())
		ckpt.Close()
	}
	if kills == 0 {
		t.Fatal("the first run finished before it could be killed; make the job longer")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	want := expectedRecords()
	checkCounts(t, "jsonl", want, jsonlPairs(t, filepath.Join(dir, "out.jsonl")))
	checkCounts(t, "csv", want, csvPairs(t, filepath.Join(dir, "out.csv")))
	checkCounts(t, "sqlite", want, sqlitePairs(t, filepath.Join(dir, "out.db")))
	if pgTable != "" {
		checkCounts(t, "postgres", want, postgresPairs(t, os.Getenv(postgresEnv), pgTable))
	}
	checkDeadLetters(t, filepath.Join(dir, "dead.jsonl"))
}

// killChild starts the job and SIGKILLs it delay after the checkpoint has
// grown by at least one round of keys. It reports false, without killing,
// if the job finished successfully first.
func killChild(t *testing.T, env []string, ckptPath string, delay time.Duration) bool {
	t.Helper()
	start := fileSize(ckptPath)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(time.Minute)
	for fileSize(ckptPath) < start+600 { // header, start round and a round of 20 keys
		select {
		case err := <-exited:
			return exitedCleanly(t, err, &stderr)
		case <-deadline:
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			t.Fatalf("child committed nothing in a minute\n%s", stderr.Bytes())
		case <-time.After(time.Millisecond):
		}
	}
	select {
	case err := <-exited:
		return exitedCleanly(t, err, &stderr)
	case <-time.After(delay):
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return true
}

// exitedCleanly fails the test unless a child that exited on its own
// succeeded; it returns false (not killed).
func exitedCleanly(t *testing.T, err error, stderr *bytes.Buffer) bool {
	t.Helper()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, stderr.Bytes())
	}
	return false
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// pair is one record of the job: key index and part.
type pair struct{ i, j int }

func expectedRecords() map[pair]int {
	want := map[pair]int{}
	for i := range childKeys {
		n, _ := childOutputs(i)
		for j := range n {
			want[pair{i, j}] = 1
		}
	}
	return want
}

func checkCounts(t *testing.T, sink string, want, got map[pair]int) {
	t.Helper()
	bad := 0
	for p, n := range got {
		if want[p] != n && bad < 5 {
			t.Errorf("%s: record %v appears %d times, want %d", sink, p, n, want[p])
			bad++
		}
	}
	for p := range want {
		if got[p] == 0 && bad < 5 {
			t.Errorf("%s: record %v missing", sink, p)
			bad++
		}
	}
	if bad == 0 {
		t.Logf("%s: %d records, each exactly once", sink, len(got))
	}
}

func jsonlPairs(t *testing.T, path string) map[pair]int {
	got := map[pair]int{}
	for _, m := range readLines(t, path) {
		got[pair{int(m["i"].(float64)), int(m["j"].(float64))}]++
	}
	return got
}

func csvPairs(t *testing.T, path string) map[pair]int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][2] != "i" || rows[0][3] != "j" {
		t.Fatalf("csv header %q", rows[0])
	}
	got := map[pair]int{}
	for _, r := range rows[1:] {
		i, _ := strconv.Atoi(r[2])
		j, _ := strconv.Atoi(r[3])
		got[pair{i, j}]++
	}
	return got
}

func sqlitePairs(t *testing.T, path string) map[pair]int {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT "i", "j" FROM "items"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[pair]int{}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.i, &p.j); err != nil {
			t.Fatal(err)
		}
		got[p]++
	}
	return got
}

func postgresPairs(t *testing.T, dsn, table string) map[pair]int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT "i", "j" FROM %s`, pgx.Identifier{table}.Sanitize()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[pair]int{}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.i, &p.j); err != nil {
			t.Fatal(err)
		}
		got[p]++
	}
	return got
}

func checkDeadLetters(t *testing.T, path string) {
	t.Helper()
	got := map[string]int{}
	for _, m := range readLines(t, path) {
		got[m["key"].(string)]++
		if m["stage"] != "work" || m["attempts"] != 1.0 {
			t.Errorf("dead letter %v", m)
		}
	}
	n := 0
	for i := range childKeys {
		if _, fails := childOutputs(i); fails {
			n++
			if got[childKey(i)] != 1 {
				t.Errorf("dead letter for %s appears %d times", childKey(i), got[childKey(i)])
			}
		}
	}
	if len(got) != n {
		t.Errorf("dead letters for %d keys, want %d", len(got), n)
	}
}
