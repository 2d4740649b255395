// Command floor is the least a client can do in the latency benchmarks:
// C goroutines, each with one kept-alive TCP connection, write a fixed
// GET and read the answer by its Content-Length into a reused buffer. No
// HTTP library, no timeouts, no redirects, no parsing beyond the status
// line and Content-Length, nothing written. Its wall time over the ideal
// N·latency/C is what the machine and the test site take on their own.
// bench/bare, a net/http pool, is the floor of a real client; this is the
// floor of any client.
//
// It is not an HTTP client: every URL must be http:// on one host, and
// every answer a 200 with a Content-Length (the test site's pages are).
//
//	floor -urls urls.txt -workers 200
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

func main() {
	urls := flag.String("urls", "", "file with one URL per line, all http:// on one host")
	workers := flag.Int("workers", 32, "concurrent requests")
	flag.Parse()
	if err := run(*urls, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(path string, workers int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var host, addr string
	var reqs [][]byte // each URL's request, written whole
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil {
			return err
		}
		if u.Scheme != "http" || (host != "" && u.Host != host) {
			return fmt.Errorf("%s: every URL must be http:// on %s", line, host)
		}
		host = u.Host
		if addr = host; u.Port() == "" {
			addr = net.JoinHostPort(u.Hostname(), "80")
		}
		reqs = append(reqs, []byte("GET "+u.RequestURI()+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n"))
	}
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range workers {
		wg.Go(func() {
			if err := work(addr, reqs, &next); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// work sends the requests it takes from next, one at a time, on one
// connection (a new one when the server closes it).
func work(addr string, reqs [][]byte, next *atomic.Int64) error {
	var (
		conn net.Conn
		br   *bufio.Reader
		body []byte
	)
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		i := next.Add(1) - 1
		if i >= int64(len(reqs)) {
			return nil
		}
		if conn == nil {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return err
			}
			conn, br = c, bufio.NewReaderSize(c, 4<<10)
		}
		if _, err := conn.Write(reqs[i]); err != nil {
			return err
		}
		n, closing, err := readHeader(br)
		if err != nil {
			return fmt.Errorf("%q: %w", bytes.Fields(reqs[i])[1], err)
		}
		if cap(body) < n {
			body = make([]byte, n)
		}
		if _, err := io.ReadFull(br, body[:n]); err != nil {
			return err
		}
		if closing {
			conn.Close()
			conn = nil
		}
	}
}

// readHeader reads a response header: a 200 with a Content-Length,
// which it returns, and whether the server closes the connection after.
func readHeader(br *bufio.Reader) (n int, closing bool, err error) {
	status, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return 0, false, fmt.Errorf("answered %q", bytes.TrimSpace(status))
	}
	n = -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			break
		}
		k, v, _ := bytes.Cut(line, []byte(":"))
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if n, err = strconv.Atoi(string(v)); err != nil {
				return 0, false, fmt.Errorf("Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Connection")):
			closing = bytes.EqualFold(v, []byte("close"))
		}
	}
	if n < 0 {
		return 0, false, errors.New("no Content-Length")
	}
	return n, closing, nil
}
