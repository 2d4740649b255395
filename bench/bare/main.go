// Command bare is the floor of the latency benchmarks: a pool of
// goroutines that fetch each URL and discard the body — no parsing, no
// output, no robots.txt, nothing a job does but the requests. Its wall
// time over the ideal N·latency/C is what the machine, the test site and
// net/http take on their own: the floor of a program that fetches the
// pages with a real HTTP client. bench/floor, which speaks just enough
// HTTP for the test site, is the floor of any program.
//
//	bare -urls urls.txt -workers 200
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

func main() {
	urls := flag.String("urls", "", "file with one URL per line")
	workers := flag.Int("workers", 32, "concurrent requests")
	flag.Parse()
	if err := run(*urls, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}

func run(path string, workers int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 90 * time.Second}}
	urls := make(chan string, workers)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed int
	)
	for range workers {
		wg.Go(func() {
			buf := make([]byte, 32<<10)
			for u := range urls {
				if err := get(client, u, buf); err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		})
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		urls <- sc.Text()
	}
	close(urls)
	wg.Wait()
	if err := sc.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

func get(c *http.Client, u string, buf []byte) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.CopyBuffer(io.Discard, resp.Body, buf); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", u, resp.StatusCode)
	}
	return nil
}
