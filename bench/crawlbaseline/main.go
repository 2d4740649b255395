// Command crawlbaseline is the hand-written crawler the sluice crawl
// benchmark compares against: a pool of goroutines sharing one tuned
// http.Client, a mutex-guarded map of seen URLs and an in-memory queue.
// Each worker fetches a page, parses it once with goquery, honours
// <meta name=robots> nofollow/noindex, <link rel=canonical> and
// rel=nofollow, queues the same-host links it has not seen (fragment
// dropped, query sorted), and writes the product pages (div.product) as
// JSON lines. It has no robots.txt, retries, politeness, resume or
// accounting, and its memory grows with the site: it is the floor.
//
//	crawlbaseline -seed http://127.0.0.1:8088/shop/ -out out.jsonl -workers 32
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// product is one output line.
type product struct {
	URL  string `json:"url"`
	Name string `json:"name"`
	ID   string `json:"id"`
}

// crawler is the shared state: the seen-set, the queue and the output.
type crawler struct {
	client *http.Client
	host   string

	mu      sync.Mutex
	cond    *sync.Cond
	seen    map[string]bool
	queue   []string
	pending int // queued or being worked on
	out     *json.Encoder
	failed  int
}

func main() {
	seed := flag.String("seed", "", "the page to start from")
	out := flag.String("out", "", "JSON Lines output")
	workers := flag.Int("workers", 32, "concurrent requests")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(pf)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "crawlbaseline:", err)
			os.Exit(1)
		}
		defer pf.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(*seed, *out, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "crawlbaseline:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(seed, outPath string, workers int) error {
	su, err := url.Parse(seed)
	if err != nil {
		return err
	}
	f, err := os.Create(outPath)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	c := &crawler{host: su.Host, seen: map[string]bool{}, out: json.NewEncoder(w),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 90 * time.Second}}}
	c.cond = sync.NewCond(&c.mu)
	c.add(normalize(su))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(c.work)
	}
	wg.Wait()
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if c.failed > 0 {
		return fmt.Errorf("%d pages failed", c.failed)
	}
	return nil
}

// add queues u unless it was seen; the caller holds no lock.
func (c *crawler) add(u string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[u] {
		return
	}
	c.seen[u] = true
	c.queue = append(c.queue, u)
	c.pending++
	c.cond.Signal()
}

// work takes URLs until the queue is empty and no page is being worked on.
func (c *crawler) work() {
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && c.pending > 0 {
			c.cond.Wait()
		}
		if c.pending == 0 {
			c.mu.Unlock()
			c.cond.Broadcast()
			return
		}
		u := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()

		err := c.visit(u)
		c.mu.Lock()
		if err != nil {
			c.failed++
		}
		c.pending--
		if c.pending == 0 {
			c.cond.Broadcast()
		}
		c.mu.Unlock()
	}
}

// visit fetches u, queues its links and writes it if it is a product.
func (c *crawler) visit(raw string) error {
	resp, err := c.client.Get(raw)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %v %d", raw, err, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	base := resp.Request.URL
	robots := strings.ToLower(doc.Find(`meta[name="robots"]`).AttrOr("content", ""))
	if canon, ok := doc.Find(`link[rel="canonical"]`).Attr("href"); ok {
		if cu, err := base.Parse(canon); err == nil {
			if key := normalize(cu); key != normalize(base) && !c.claim(key) {
				return nil // a duplicate of a page seen under its canonical URL
			}
		}
	}
	if !strings.Contains(robots, "nofollow") {
		doc.Find("a[href], link[rel~=next][href]").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.AttrOr("rel", ""), "nofollow") {
				return
			}
			if lu, err := base.Parse(s.AttrOr("href", "")); err == nil && lu.Host == c.host {
				c.add(normalize(lu))
			}
		})
	}
	p := doc.Find("div.product")
	if p.Length() == 0 || strings.Contains(robots, "noindex") {
		return nil
	}
	rec := product{URL: raw, Name: p.Find("span.name").Text(), ID: p.AttrOr("data-id", "")}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Encode(rec)
}

// claim marks key seen and reports whether it was new.
func (c *crawler) claim(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] {
		return false
	}
	c.seen[key] = true
	return true
}

// normalize drops the fragment and sorts the query.
func normalize(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	if v.RawQuery != "" {
		v.RawQuery = v.Query().Encode()
	}
	return v.String()
}
