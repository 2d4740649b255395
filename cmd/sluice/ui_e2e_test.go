package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe/dashboard"
)

// TestUIFlag serves the dashboard during a run whose input (standard
// input) the test holds open, reads its state mid-run, lets the run end,
// reads the final state the command keeps serving for --ui-linger, and
// ends the wait with SIGINT. A taken address is a usage error before the
// run writes anything.
func TestUIFlag(t *testing.T) {
	const n = 200
	srv := startSite(t, n, 5*time.Millisecond)
	dir := t.TempDir()
	stdinJob(t, siteJob(t, dir, fastFetch, ""))

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	res := sluice(t, dir, "run", "job.yaml", "--ui", taken.Addr().String())
	taken.Close()
	if res.code != 2 || !strings.Contains(res.stderr, "--ui:") {
		t.Errorf("taken address: exit %d, stderr %s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.db")); err == nil {
		t.Error("the run wrote its output although --ui could not listen")
	}

	cmd := command(t, dir, "run", "job.yaml", "--ui", "127.0.0.1:0", "--ui-linger", "2m")
	stdin, _ := cmd.StdinPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	writeRows(t, stdin, srv.PageURL, 0, n/2, true)
	log := &lockedLog{}
	base := uiURL(t, stderr, log)
	mid := pollState(t, base, func(f dashboard.Frame) bool { return f.State == "running" && f.Fetch.Requests > 0 })
	if len(mid.Stages) == 0 || mid.Ledger.Total != -1 {
		t.Errorf("mid-run frame: stages %d, total %d", len(mid.Stages), mid.Ledger.Total)
	}
	writeRows(t, stdin, srv.PageURL, n/2, n, false)
	stdin.Close()
	final := pollState(t, base, func(f dashboard.Frame) bool { return f.State == "complete" })
	if final.Ledger.Done != n || final.Ledger.Inputs != n {
		t.Errorf("final ledger %+v, want %d inputs done", final.Ledger, n)
	}
	if !final.HostLimits || len(final.Hosts) == 0 || final.Hosts[0].MaxLimit == 0 {
		t.Errorf("the run's per-host limits did not reach the page: limits %v, hosts %+v", final.HostLimits, final.Hosts)
	}
	for deadline := time.Now().Add(time.Minute); !strings.Contains(log.String(), "serving its final state"); {
		if time.Now().After(deadline) {
			t.Fatalf("no linger message:\n%s", log)
		}
		time.Sleep(10 * time.Millisecond) // polling the log; the command prints it after the ledger
	}
	cmd.Process.Signal(syscall.SIGINT)
	start := time.Now()
	if code := exitStatus(t, cmd.Wait()); code != 0 {
		t.Errorf("exit %d after SIGINT while lingering; stderr:\n%s", code, log)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("SIGINT ended the linger after %s", d)
	}
}

// uiURL reads the dashboard's URL from the command's log, then copies
// the rest of the log to log.
func uiURL(t *testing.T, stderr interface{ Read([]byte) (int, error) }, log *lockedLog) string {
	t.Helper()
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`dashboard: (http://\S+/)`)
	for sc.Scan() {
		log.add(sc.Text())
		if m := re.FindStringSubmatch(sc.Text()); m != nil && strings.Contains(sc.Text(), "dashboard") {
			go func() {
				for sc.Scan() {
					log.add(sc.Text())
				}
			}()
			return m[1]
		}
	}
	t.Fatalf("no dashboard URL logged:\n%s", log)
	return ""
}

// pollState gets /state until cond holds, for up to a minute.
func pollState(t *testing.T, base string, cond func(dashboard.Frame) bool) dashboard.Frame {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(base + "state")
		if err != nil {
			t.Fatal(err)
		}
		var f dashboard.Frame
		err = json.NewDecoder(resp.Body).Decode(&f)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if cond(f) {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("dashboard state never matched: %s %+v", f.State, f.Ledger)
		}
		time.Sleep(20 * time.Millisecond) // polling the dashboard
	}
}

type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(line + "\n")
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
