package dashboard_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/observe/dashboard"
)

// chromium returns the path of a Chromium binary, skipping the test when
// there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium: `apt-get install chromium` enables the browser test")
	return ""
}

// browser starts a headless Chromium and returns its context.
func browser(t *testing.T) (context.Context, context.CancelFunc) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	return ctx, func() { cancelTime(); cancelTab(); cancelAlloc() }
}

// ledgerIDs are the page's elements holding the ledger in data-value.
var ledgerIDs = []string{"state", "ledger-inputs", "ledger-done", "ledger-failed", "ledger-written"}

// readPage returns the data-value of the page's ledger elements.
func readPage(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	js := `Object.fromEntries(` + jsList(ledgerIDs) + `.map(id => [id, document.getElementById(id).dataset.value]))`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jsList(ids []string) string {
	s := "["
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += strconv.Quote(id)
	}
	return s + "]"
}

// waitPage polls the page until cond holds for its ledger, failing after
// a minute.
func waitPage(t *testing.T, ctx context.Context, what string, cond func(map[string]string) bool) map[string]string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		v := readPage(t, ctx)
		if cond(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("page never showed %s: %v", what, v)
		}
		time.Sleep(50 * time.Millisecond) // polling the page, not timing the run
	}
}

func num(v map[string]string, id string) int64 {
	n, _ := strconv.ParseInt(v[id], 10, 64)
	return n
}

// TestBrowserDashboard runs a job of a few seconds with the dashboard and
// watches it in headless Chromium: the numbers move during the run and
// end equal to the run's report, also in a tab opened after the run.
// With SLUICE_SCREENSHOT=docs/dashboard.png (relative to the module
// root) it saves a screenshot taken mid-run.
func TestBrowserDashboard(t *testing.T) {
	ctx, cancel := browser(t)
	defer cancel()
	const pages = 600
	run := newSiteRun(t, pages, 40*time.Millisecond)
	d := dashboard.New(dashboard.Config{})
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	defer d.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "the waiting state", func(v map[string]string) bool { return v["state"] == "waiting" })

	wait := run.start(t, d)
	first := waitPage(t, ctx, "a running run", func(v map[string]string) bool {
		return v["state"] == "running" && num(v, "ledger-done") > 0
	})
	second := waitPage(t, ctx, "the done count moving", func(v map[string]string) bool {
		return num(v, "ledger-done") > num(first, "ledger-done")
	})
	if second["state"] != "running" {
		t.Errorf("the done count moved only after the run: %v then %v", first, second)
	}
	if path := os.Getenv("SLUICE_SCREENSHOT"); path != "" {
		waitPage(t, ctx, "half the run done", func(v map[string]string) bool { return num(v, "ledger-done") >= pages/2 })
		screenshot(t, ctx, path)
	}
	rep := wait()
	final := waitPage(t, ctx, "the final state", func(v map[string]string) bool { return v["state"] == "complete" })
	checkLedger(t, "page", final, rep)

	tab, closeTab := chromedp.NewContext(ctx) // a browser coming back after the run
	defer closeTab()
	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, "new tab", waitPage(t, tab, "the final state", func(v map[string]string) bool { return v["state"] == "complete" }), rep)
	hosts, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('#hosts tbody tr[data-host]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if hosts != 2 {
		t.Errorf("host table has %d hosts, want 2", hosts)
	}
}

func checkLedger(t *testing.T, where string, v map[string]string, rep job.Report) {
	t.Helper()
	got := [4]int64{num(v, "ledger-inputs"), num(v, "ledger-done"), num(v, "ledger-failed"), num(v, "ledger-written")}
	if want := [4]int64{rep.Inputs, rep.Done, rep.Failed, rep.Written}; got != want || rep.Failed == 0 {
		t.Errorf("%s shows inputs, done, failed, written %v; the report says %v (%s)", where, got, want, ledgerOf(rep))
	}
}

// screenshot saves the whole page as a PNG at path, relative to the
// module root.
func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if !filepath.IsAbs(path) {
		path = filepath.Join("..", "..", path)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
