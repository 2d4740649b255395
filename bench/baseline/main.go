// Command baseline is the hand-written scraper the sluice benchmark
// compares against: a pool of goroutines sharing one tuned http.Client,
// each fetching a URL, parsing it with goquery, and writing three fields
// as a JSON line. It does no retries, politeness, checkpointing or
// accounting; it is the floor sluice's overhead is measured against.
//
//	baseline -urls urls.txt -out out.jsonl -workers 32
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// page is one output line.
type page struct {
	URL   string  `json:"url"`
	Title string  `json:"title"`
	Price float64 `json:"price"`
	Items int     `json:"items"`
}

func main() {
	urls := flag.String("urls", "", "file with one URL per line")
	out := flag.String("out", "", "JSON Lines output")
	workers := flag.Int("workers", 32, "concurrent requests")
	flag.Parse()
	if err := run(*urls, *out, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(urlsPath, outPath string, workers int) error {
	in, err := os.Open(urlsPath)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.Create(outPath)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 90 * time.Second,
	}}
	urls := make(chan string, workers)
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	var wg sync.WaitGroup
	var failed int
	for range workers {
		wg.Go(func() {
			for u := range urls {
				p, err := scrape(client, u)
				mu.Lock()
				if err != nil {
					failed++
				} else if err := enc.Encode(p); err != nil {
					failed++
				}
				mu.Unlock()
			}
		})
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if u := strings.TrimSpace(sc.Text()); u != "" {
			urls <- u
		}
	}
	close(urls)
	wg.Wait()
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d pages failed", failed)
	}
	return sc.Err()
}

func scrape(client *http.Client, u string) (page, error) {
	resp, err := client.Get(u)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return page{}, fmt.Errorf("%s: status %d", u, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return page{}, err
	}
	amount, _ := doc.Find("div.price").First().Attr("data-amount")
	price, _ := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	return page{
		URL:   u,
		Title: strings.TrimSpace(doc.Find("h1.title").First().Text()),
		Price: price,
		Items: doc.Find("li.item").Length(),
	}, nil
}
