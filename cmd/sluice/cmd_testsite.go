package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluicehq/sluice/testsite"
)

// testsiteFlags configure `sluice testsite`.
type testsiteFlags struct {
	addr      string
	pages     int
	latency   time.Duration
	faults    float64
	writeURLs string
}

func (a *app) testsiteCmd() *cobra.Command {
	var tf testsiteFlags
	cmd := &cobra.Command{
		Use:   "testsite",
		Short: "Serve the built-in test shop on a fixed address, for the examples",
		Long: `Serve the test shop that sluice demo and the tests use, on --addr, until
Ctrl-C (or SIGTERM), then exit 0. The example jobs in examples/ point at
http://127.0.0.1:8088, the default address. Needs no network.

Routes: /products/{0..pages-1} (HTML listing pages, 20 items each),
/api/products?page=N (JSON, 20 products per page, N from 1), /robots.txt.

--faults is the fraction of the product pages that misbehave, always the
same pages for the same --pages: of those, 3/10 answer 404, 2/10 answer 500,
1/10 reset the connection (these fail, and land in a job's dead-letter
file), and 4/10 are served in windows-1252 or Shift_JIS (these parse fine).`,
		Example: `  go run ./cmd/sluice testsite &
  go run ./cmd/sluice run examples/csv-to-sqlite/job.yaml
  sluice testsite --addr 127.0.0.1:9000 --pages 5000 --latency 20ms
  sluice testsite --faults 0 --write-urls urls.csv   # a healthy site, and an id,url CSV of its pages`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.testsite(cmd.Context(), tf) },
	}
	f := cmd.Flags()
	f.StringVar(&tf.addr, "addr", "127.0.0.1:8088", "address to listen on")
	f.IntVar(&tf.pages, "pages", 200, "product pages on the site")
	f.DurationVar(&tf.latency, "latency", 0, "latency added to each response, e.g. 20ms")
	f.Float64Var(&tf.faults, "faults", 0.1, "fraction of the product pages that misbehave, 0 to 1")
	f.StringVar(&tf.writeURLs, "write-urls", "", "write an id,url CSV of the product pages to this file")
	return cmd
}

// check validates the flags.
func (tf testsiteFlags) check() error {
	switch {
	case tf.pages < 1:
		return errors.New("--pages must be at least 1")
	case tf.latency < 0:
		return errors.New("--latency must not be negative")
	case !(tf.faults >= 0 && tf.faults <= 1):
		return fmt.Errorf("--faults must be a fraction from 0 to 1, got %v", tf.faults)
	}
	return nil
}

// siteFaults spreads a fraction of faulty pages over the faults the demo
// and the test site serve: 404, 500 and connection resets, which fail,
// and pages in other charsets, which must be decoded.
func siteFaults(fraction float64) []testsite.FaultRate {
	return []testsite.FaultRate{
		{Fault: testsite.FaultNotFound, Fraction: 0.3 * fraction},
		{Fault: testsite.FaultServerError, Fraction: 0.2 * fraction},
		{Fault: testsite.FaultReset, Fraction: 0.1 * fraction},
		{Fault: testsite.FaultCP1252Header, Fraction: 0.2 * fraction},
		{Fault: testsite.FaultShiftJISMeta, Fraction: 0.2 * fraction},
	}
}

func (a *app) testsite(ctx context.Context, tf testsiteFlags) error {
	if err := tf.check(); err != nil {
		return usageError(err)
	}
	srv, err := testsite.Start(testsite.Config{Addr: tf.addr, Pages: tf.pages, Latency: tf.latency, Faults: siteFaults(tf.faults)})
	if err != nil {
		return fmt.Errorf("testsite: start test site: %w", err)
	}
	defer srv.Close()
	base := baseURL(srv.Addr())
	if tf.writeURLs != "" {
		if err := writeSiteURLs(tf.writeURLs, base, tf.pages); err != nil {
			return err
		}
	}
	// Listen for the signal before telling where the site is: whoever
	// reads the address may interrupt at once, and an interrupt that
	// comes before the handler kills the process instead of stopping it.
	wait := a.signalled(ctx)
	a.printTestsite(base, tf)
	wait()
	fmt.Fprintln(a.Out, "sluice testsite: stopped")
	return nil
}

// signalled starts listening for SIGINT and SIGTERM at once and returns
// a function that waits for one of them, or for ctx to end.
func (a *app) signalled(ctx context.Context) (wait func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	_, stopSignals := watchSignals(func(s os.Signal) {
		a.log.Info("testsite: stopping", "signal", s.String())
		cancel(nil)
	}, cancel)
	return func() {
		defer cancel(nil)
		defer stopSignals()
		<-ctx.Done()
	}
}

// printTestsite tells where the site is.
func (a *app) printTestsite(base string, tf testsiteFlags) {
	apiPages := (tf.pages + testsite.ItemsPerPage - 1) / testsite.ItemsPerPage
	fmt.Fprintf(a.Out, "sluice testsite: %s (%d pages, %s latency, %.0f%% of the pages faulty)\n",
		base, tf.pages, tf.latency, 100*tf.faults)
	fmt.Fprintf(a.Out, "  HTML: %s/products/0 ... %s/products/%d\n", base, base, tf.pages-1)
	fmt.Fprintf(a.Out, "  JSON: %s/api/products?page=1 ... ?page=%d\n", base, apiPages)
	if tf.writeURLs != "" {
		fmt.Fprintf(a.Out, "  wrote the page URLs to %s\n", tf.writeURLs)
	}
	fmt.Fprintln(a.Out, "Ctrl-C to stop.")
}

// baseURL is the URL of a listening address; an unspecified host
// (":8088") is named as 127.0.0.1.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// writeSiteURLs writes an id,url CSV of the site's product pages.
func writeSiteURLs(path, base string, pages int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("testsite: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"id", "url"})
	for id := range pages {
		_ = w.Write([]string{strconv.Itoa(id), base + testsite.PagePath(id)})
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		return fmt.Errorf("testsite: %w", err)
	}
	return nil
}
