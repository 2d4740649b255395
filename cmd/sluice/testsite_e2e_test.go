package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicehq/sluice/testsite"
)

func TestTestsiteServesUntilInterrupted(t *testing.T) {
	addr := freeAddr(t)
	base := "http://" + addr
	dir := t.TempDir()
	site := startProcess(t, dir, "testsite", "--addr", addr, "--pages", "50", "--write-urls", "urls.csv")
	site.out.waitFor(t, site.exited, "sluice testsite: "+base+" (50 pages")

	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	if body := get(t, client, base+testsite.PagePath(7)); !strings.Contains(body, `<h1 class="title">Catalogue page 7</h1>`) {
		t.Errorf("page 7:\n%.300s", body)
	}
	if body := get(t, client, base+"/api/products?page=3"); !strings.Contains(body, `"page":3,"pages":3`) {
		t.Errorf("api page 3:\n%.300s", body)
	}
	// The reset fault reaches the client as a reset.
	if resp, err := client.Get(base + "/products/1?fault=reset"); err == nil || !errors.Is(err, syscall.ECONNRESET) {
		if resp != nil {
			resp.Body.Close()
		}
		t.Errorf("?fault=reset: err %v, want a connection reset", err)
	}
	urls, err := os.ReadFile(filepath.Join(dir, "urls.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(urls)), "\n"); len(lines) != 51 || lines[50] != "49,"+base+"/products/49" {
		t.Errorf("urls.csv: %d lines, last %q", len(lines), lines[len(lines)-1])
	}

	interrupt(t, site, "")
}

// interrupt sends SIGINT to a running test site and checks that it
// stops cleanly: exit 0, saying so. what names the attempt in errors.
func interrupt(t *testing.T, site *process, what string) {
	t.Helper()
	if err := site.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := site.wait(t, "the test site"); code != exitOK {
		t.Fatalf("%sexit %d after SIGINT, want 0\n%s", what, code, site.out.String())
	}
	if !strings.Contains(site.out.String(), "sluice testsite: stopped") {
		t.Errorf("%sno stop message:\n%s", what, site.out.String())
	}
}

// TestTestsiteInterruptedAtOnce interrupts the site the moment it names
// its address: whoever reads the address may press Ctrl-C at once, and
// the site must stop cleanly, not die of the signal.
func TestTestsiteInterruptedAtOnce(t *testing.T) {
	for i := range 5 {
		addr := freeAddr(t)
		site := startProcess(t, t.TempDir(), "testsite", "--addr", addr, "--pages", "5")
		site.out.waitFor(t, site.exited, "sluice testsite: http://"+addr)
		interrupt(t, site, fmt.Sprintf("try %d: ", i))
	}
}

func TestTestsiteBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--faults", "1.5"}, {"--pages", "0"}, {"--latency", "-1s"}} {
		r := sluice(t, t.TempDir(), append([]string{"testsite"}, args...)...)
		if r.code != exitUsage {
			t.Errorf("testsite %v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
	// The address is taken: a plain failure, exit 1.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := sluice(t, t.TempDir(), "testsite", "--addr", ln.Addr().String())
	if r.code != exitFailure || !strings.Contains(r.stderr, "address already in use") {
		t.Errorf("busy address: exit %d, want 1\n%s", r.code, r.stderr)
	}
}

// freeAddr is a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return string(body)
}

// watchedBuffer is a child's output that a test can wait on.
type watchedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case w.changed <- struct{}{}:
	default:
	}
	return w.buf.Write(p)
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor waits until the output holds s; it fails if the child exits
// first.
func (w *watchedBuffer) waitFor(t *testing.T, exited <-chan error, s string) {
	t.Helper()
	for !strings.Contains(w.String(), s) {
		select {
		case err := <-exited:
			t.Fatalf("sluice exited (%v) before printing %q:\n%s", err, s, w.String())
		case <-w.changed:
		}
	}
}
