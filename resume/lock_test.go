package resume

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// lockChildEnv makes the test binary a child that locks the paths it
// lists (separated by os.PathListSeparator), prints "locked", and holds
// them until its stdin closes or it is killed.
const lockChildEnv = "SLUICE_RESUME_LOCK_CHILD"

func TestMain(m *testing.M) {
	if paths := os.Getenv(lockChildEnv); paths != "" {
		os.Exit(lockChild(filepath.SplitList(paths)))
	}
	os.Exit(m.Run())
}

func lockChild(paths []string) int {
	l, err := LockOutputs(paths...)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	if err := l.Release(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

// startLockChild starts a child holding paths and waits until it says it
// has them (or failed: then its message is returned).
func startLockChild(t *testing.T, paths ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+strings.Join(paths, string(os.PathListSeparator)))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		return cmd, s
	case <-time.After(30 * time.Second):
		t.Fatal("lock child said nothing in 30 s")
	}
	return nil, ""
}

func TestLockRefusesASecondRunAndIsTakenOverAfterKill(t *testing.T) {
	dir := t.TempDir()
	out, ckpt, dead := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "ckpt"), filepath.Join(dir, "dead.jsonl")
	child, said := startLockChild(t, out, ckpt, dead)
	if said != "locked" {
		t.Fatalf("child: %s", said)
	}

	// Another output but the same checkpoint: refused, naming the child.
	other := filepath.Join(dir, "other.jsonl")
	_, err := LockOutputs(other, dir+"/./ckpt") // another spelling of the checkpoint's path
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("LockOutputs = %v, want a *LockedError", err)
	}
	if le.PID != child.Process.Pid || le.Path != ckpt || !strings.Contains(le.Command, os.Args[0]) {
		t.Fatalf("LockedError %+v, want pid %d, path %s", le, child.Process.Pid, ckpt)
	}
	if host, _ := os.Hostname(); le.Host != host || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", child.Process.Pid)) {
		t.Errorf("message %q, host %q", err, le.Host)
	}
	// All or none: the refused call kept no lock on other.
	l, err := LockOutputs(other)
	if err != nil {
		t.Fatalf("other was left locked: %v", err)
	}
	must(t, l.Release())

	// kill -9 the holder: the kernel drops its locks; its lock files,
	// still naming it, are taken over.
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	if _, err := os.Stat(ckpt + ".lock"); err != nil {
		t.Fatalf("the killed holder's lock file: %v", err)
	}
	l, err = LockOutputs(out, ckpt, dead)
	if err != nil {
		t.Fatalf("lock after the holder was killed: %v", err)
	}
	// Now a child is refused and names this process.
	_, said = startLockChild(t, dead)
	if want := fmt.Sprintf("pid %d", os.Getpid()); !strings.Contains(said, want) || !strings.Contains(said, "in use") {
		t.Errorf("second child said %q, want it refused by %s", said, want)
	}
	must(t, l.Release())
	for _, p := range []string{out, ckpt, dead} {
		if _, err := os.Stat(p + ".lock"); !os.IsNotExist(err) {
			t.Errorf("%s.lock left after Release: %v", p, err)
		}
	}
}

// TestLockTakeoverHasOneWinner: many takers of a stale lock file (its
// holder is gone) at once: exactly one gets it, the others are refused
// naming it.
func TestLockTakeoverHasOneWinner(t *testing.T) {
	for range 20 {
		path := filepath.Join(t.TempDir(), "out.jsonl")
		host, _ := os.Hostname()
		must(t, os.WriteFile(path+".lock", []byte(`{"pid":999999999,"host":"`+host+`"}`+"\n"), 0o644))
		var wins atomic.Int32
		var wg sync.WaitGroup
		locks := make(chan *Lock, 8)
		for range 8 {
			wg.Go(func() {
				l, err := LockOutputs(path)
				var le *LockedError
				switch {
				case err == nil:
					wins.Add(1)
					locks <- l
				case !errors.As(err, &le):
					t.Errorf("LockOutputs = %v", err)
				case le.PID == 999999999:
					t.Errorf("refused in the name of the dead holder: %v", err)
				}
			})
		}
		wg.Wait()
		close(locks)
		if wins.Load() != 1 {
			t.Fatalf("%d takers won the stale lock, want 1", wins.Load())
		}
		for l := range locks {
			must(t, l.Release())
		}
	}
}

// TestLockNeverHeldTwice: takers that lock and release in a loop never
// hold the lock at the same time, although Release removes the file
// (a taker may lock the old file after it was removed).
func TestLockNeverHeldTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	var holders, taken atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for range 300 {
				l, err := LockOutputs(path)
				if err != nil {
					continue
				}
				if holders.Add(1) != 1 {
					t.Error("two holders at once")
				}
				taken.Add(1)
				time.Sleep(50 * time.Microsecond)
				holders.Add(-1)
				if err := l.Release(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if taken.Load() == 0 {
		t.Fatal("never taken")
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
