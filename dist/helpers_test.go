package dist

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/dist/disttest"
	"github.com/sluicehq/sluice/internal/leakcheck"
	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/testsite"
)

// childEnv, when set, makes the test binary a worker: its value is
// "NATS_URL DIR [MAXDELIVER]".
const childEnv = "SLUICE_DIST_WORKER"

const postgresEnv = "SLUICE_TEST_POSTGRES"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		os.Exit(childWorker(strings.Fields(args)))
	}
	leakcheck.VerifyTestMain(m)
}

// childWorker runs a worker until the queue is drained or SIGTERM.
func childWorker(args []string) int {
	nc, err := Connect(args[0], "test-worker")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	stop := make(chan struct{})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() { <-sig; close(stop) }()
	w := &Worker{JS: js, Dir: args[1], ExitWhenDone: true}
	if _, err := w.Run(context.Background(), stop); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}

// startNATS starts an in-process JetStream server.
func startNATS(t testing.TB) *server.Server { return disttest.StartNATS(t) }

func connectJS(t testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := Connect(url, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

// sites starts n test sites and returns them.
func sites(t testing.TB, n int, cfg testsite.Config) []*testsite.Server {
	t.Helper()
	var out []*testsite.Server
	for range n {
		s, err := testsite.Start(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		out = append(out, s)
	}
	return out
}

// writeInputs writes a CSV of total inputs spread round-robin over every
// site under both its names (two hosts per site), keyed k0, k1, ...
func writeInputs(t testing.TB, dir string, ss []*testsite.Server, total int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,url\n")
	for i := range total {
		s := ss[i%len(ss)]
		base := s.URL()
		if (i/len(ss))%2 == 1 {
			base = s.AltURL()
		}
		fmt.Fprintf(&b, "k%d,%s%s\n", i, base, testsite.PagePath((i/len(ss))%s.Pages()))
	}
	path := filepath.Join(dir, "urls.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// jobYAML is a job over urls.csv with the given fetch and sink sections.
func jobYAML(name, fetchSection, sinkSection string) string {
	return fmt.Sprintf(`name: %s
source: {kind: csv, path: urls.csv, key_column: id}
fetch: %s
parse:
  html:
    fields:
      - {name: title, selector: h1.title, required: true}
      - {name: price, selector: div.price, attr: data-amount}
sink: %s
commit: {every: 200, interval: 300ms}
`, name, fetchSection, sinkSection)
}

// enqueue loads the job file in dir and enqueues it.
func enqueue(t testing.TB, js jetstream.JetStream, dir string, set Settings) EnqueueReport {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	spec, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := job.Load(path, job.Options{Lookup: os.LookupEnv})
	if err != nil {
		t.Fatal(err)
	}
	c := &Coordinator{JS: js, Settings: set}
	rep, err := c.Enqueue(context.Background(), j, spec)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// child is a worker process.
type child struct {
	cmd    *exec.Cmd
	done   chan error // its exit, once
	exited chan struct{}
}

func startChild(t testing.TB, url, dir string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+url+" "+dir)
	return runChild(t, cmd)
}

// sluiceBinary builds the sluice command once (without -race, whatever
// the test binary's build), for tests that run real `sluice worker`
// processes.
var sluiceBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sluice-dist-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "sluice")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/sluice")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ../cmd/sluice: %v\n%s", err, out)
	}
	return bin, nil
})

// startWorkerCommand starts `sluice worker --nats url --dir dir
// --exit-when-done`, a worker process as an operator runs one.
func startWorkerCommand(t testing.TB, url, dir string) *child {
	t.Helper()
	bin, err := sluiceBinary()
	if err != nil {
		t.Fatal(err)
	}
	return runChild(t, exec.Command(bin, "worker", "--nats", url, "--dir", dir, "--exit-when-done", "--quiet"))
}

// waitExits fails t for each worker that exits with an error, or not
// within 20 s, after the event named by after.
func waitExits(t testing.TB, workers []*child, after string) {
	t.Helper()
	for _, w := range workers {
		select {
		case err := <-w.done:
			if err != nil {
				t.Errorf("worker exit: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("worker did not exit after %s", after)
		}
	}
}

// runChild starts cmd, which dies with the test process and is killed
// when the test ends.
func runChild(t testing.TB, cmd *exec.Cmd) *child {
	t.Helper()
	cmd.Stderr = os.Stderr
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan error, 1), exited: make(chan struct{})}
	go func() {
		c.done <- cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.exited
	})
	return c
}

// postgres returns a connection and a fresh table name, or skips.
func postgres(t testing.TB) (*pgx.Conn, string, string) {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skipf("set %s to a Postgres DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run this test", postgresEnv)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("sluice_dist_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		_, _ = conn.Exec(ctx, "DROP TABLE IF EXISTS "+table)
		conn.Close(ctx)
	})
	return conn, dsn, table
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// dumpStatus logs a job's status, for a test that failed to drain.
func dumpStatus(t testing.TB, js jetstream.JetStream, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := ReadStatus(ctx, js, name)
	t.Logf("status: queued %d in flight %d dead %d leases %v err %v", st.Queued, st.InFlight, st.Dead, st.Leases, err)
	for _, w := range st.Workers {
		t.Logf("alive %s: parts %v taken %d inflight %d acked %d", w.Worker, w.Partitions, w.Taken, w.InFlight, w.Acked)
	}
	s, _ := js.Stream(ctx, NamesFor(name).Stream())
	for c := range s.ListConsumers(ctx).Info() {
		t.Logf("consumer %s: pending %d ackpending %d redelivered %d waiting %d", c.Name, c.NumPending, c.NumAckPending, c.NumRedelivered, c.NumWaiting)
	}
}
