package dist

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

// TestWorkersSurviveKills runs 20,000 inputs (SLUICE_DIST_INPUTS to
// change) from four test sites with injected faults through three
// `sluice worker` processes, SIGKILLing a random worker and starting a new
// one six times (at a tenth, two tenths, … six tenths of the inputs done,
// a second apart at least), and checks that every key is in Postgres
// exactly once or in the dead letters with a reason, and that the ledger
// balances. The workers are the sluice
// command built without -race (under -race the test process itself is
// instrumented; race-instrumented workers would take ~50 inputs/s).
func TestWorkersSurviveKills(t *testing.T) {
	conn, dsn, table := postgres(t)
	total := 20000
	if n, err := strconv.Atoi(os.Getenv("SLUICE_DIST_INPUTS")); err == nil {
		total = n
	}
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ss := sites(t, 4, testsite.Config{Pages: 2000, Faults: []testsite.FaultRate{
		{Fault: testsite.FaultNotFound, Fraction: 0.01}, {Fault: testsite.FaultServerError, Fraction: 0.005},
		{Fault: testsite.FaultUnavailable, Fraction: 0.005}, {Fault: testsite.FaultReset, Fraction: 0.005},
		{Fault: testsite.FaultCP1252Header, Fraction: 0.01}}})
	dir := t.TempDir()
	writeInputs(t, dir, ss, total)
	spec := jobYAML("killtest", "{workers: 16, per_host_concurrency: 4, retries: 1, backoff: 10ms, timeout: 5s}",
		"{kind: postgres, dsn: '"+dsn+"', table: "+table+"}")
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := enqueue(t, js, dir, Settings{Partitions: 16, AckWait: 4 * time.Second})
	if rep.Enqueued != int64(total) {
		t.Fatalf("enqueued %d, want %d", rep.Enqueued, total)
	}
	// A restarted coordinator enqueues nothing twice.
	if again := enqueue(t, js, dir, Settings{Partitions: 16, AckWait: 4 * time.Second}); again.Enqueued != 0 || again.Duplicates != int64(total) {
		t.Fatalf("second enqueue: %+v, want all %d duplicates", again, total)
	}

	workers := []*child{}
	for range 3 {
		workers = append(workers, startWorkerCommand(t, srv.ClientURL(), dir))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(envInt("SLUICE_DIST_TIMEOUT_S", 240))*time.Second)
	defer cancel()
	// Kill by progress, not by the clock, so that a fast machine cannot
	// drain the queue before the fifth kill: at a tenth of the inputs done,
	// two tenths, and so on, a second apart at least (a restarted worker
	// joins first).
	kills := 0
	begin, last := time.Now(), time.Time{}
	killer := time.NewTicker(100 * time.Millisecond)
	defer killer.Stop()
	var st Status
	for {
		var err error
		if st, err = ReadStatus(ctx, js, "killtest"); err != nil {
			t.Logf("status: %v (%s)", err, time.Since(begin))
			if ctx.Err() != nil {
				dumpStatus(t, js, "killtest")
				for _, w := range workers {
					_ = w.cmd.Process.Signal(syscall.SIGQUIT)
				}
				time.Sleep(2 * time.Second)
				t.Fatal(err)
			}
			continue
		}
		if st.Drained() {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("not drained: %+v", st)
		case <-killer.C:
		}
		if kills < 6 && st.Done >= int64((kills+1)*total/10) && time.Since(last) >= time.Second {
			last = time.Now()
			i := rand.IntN(len(workers))
			_ = workers[i].cmd.Process.Signal(syscall.SIGKILL)
			<-workers[i].done
			kills++
			workers[i] = startWorkerCommand(t, srv.ClientURL(), dir)
			t.Logf("%s: killed worker %d (kill %d); %d done, %d queued, %d dead", time.Since(begin).Round(time.Millisecond), i, kills, st.Done, st.Queued, st.Dead)
		}
	}
	if kills < 5 {
		t.Fatalf("only %d kills before the queue drained; make the run longer", kills)
	}
	waitExits(t, workers, "the queue drained")
	t.Logf("drained after %s", time.Since(begin))
	checkExactlyOnce(t, ctx, conn, table, js, st, total)
}
