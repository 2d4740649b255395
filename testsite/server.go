package testsite

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Config describes the generated site. The zero value serves 100 healthy
// pages with no latency and an allow-all robots.txt.
type Config struct {
	// Addr is the address to listen on; default "127.0.0.1:0", a free
	// loopback port. `sluice testsite` sets a fixed one.
	Addr string
	// Pages is the number of product-listing pages, with ids 0..Pages-1.
	// Default 100.
	Pages int
	// Latency is added before every response (robots.txt included). A
	// request can override it with ?latency=50ms.
	Latency time.Duration
	// Faults assigns faults to a deterministic fraction of the pages, by
	// page id: see [Server.PageFault].
	Faults []FaultRate
	// Robots is the body of /robots.txt. Empty means an empty file, which
	// allows everything.
	Robots string
	// RobotsStatus is the status of /robots.txt. Default 200.
	RobotsStatus int
	// RetryAfter is the Retry-After value sent with [FaultTooManyRequests]
	// when the request gives none (?retry_after=...). Default "1".
	RetryAfter string
	// OversizeBytes is the length of the [FaultOversize] body. Default 16 MiB.
	OversizeBytes int64
	// BombBytes is the decompressed length of the [FaultGzipBomb] body.
	// Default 64 MiB.
	BombBytes int64
	// SlowInterval is the pause between the 1 KiB chunks of a
	// [FaultSlowBody] body. Default 10ms.
	SlowInterval time.Duration
	// Shop shapes the crawlable shop under /shop/ (see crawlshop.go).
	Shop ShopConfig
}

// FaultRate gives a fault to a fraction (0..1) of the pages.
type FaultRate struct {
	Fault    Fault
	Fraction float64
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Pages <= 0 {
		c.Pages = 100
	}
	if c.RobotsStatus == 0 {
		c.RobotsStatus = http.StatusOK
	}
	if c.RetryAfter == "" {
		c.RetryAfter = "1"
	}
	if c.OversizeBytes <= 0 {
		c.OversizeBytes = 16 << 20
	}
	if c.BombBytes <= 0 {
		c.BombBytes = 64 << 20
	}
	if c.SlowInterval <= 0 {
		c.SlowInterval = 10 * time.Millisecond
	}
	c.Shop = c.Shop.withDefaults()
	return c
}

// Server is a running test site. Its methods are safe for concurrent use.
type Server struct {
	cfg   Config
	addr  string
	srv   *http.Server
	stats stats
	gate  gate

	mu         sync.Mutex
	pathFaults map[string]pathFault
	robots     robotsFile

	bufs sync.Pool // *[]byte page buffers

	bombOnce sync.Once
	bomb     []byte
}

type pathFault struct {
	fault Fault
	times int64
}

type robotsFile struct {
	status int
	body   string
}

// Start starts a site on cfg.Addr (by default a free port on 127.0.0.1).
// Call Close when done.
func Start(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("testsite: listen: %w", err)
	}
	s := &Server{
		cfg:        cfg,
		addr:       ln.Addr().String(),
		pathFaults: make(map[string]pathFault),
		robots:     robotsFile{status: cfg.RobotsStatus, body: cfg.Robots},
	}
	s.bufs.New = func() any { b := make([]byte, 0, 40<<10); return &b }
	s.stats.init()
	s.gate.init()
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // returns ErrServerClosed on Close
	return s, nil
}

// Close stops the site: it closes every connection, wakes every hanging
// or slow handler, and returns after all handlers have returned.
func (s *Server) Close() {
	s.gate.close()
	_ = s.srv.Close()
	s.gate.wait()
}

// URL is the site's base URL, "http://127.0.0.1:port".
func (s *Server) URL() string { return "http://" + s.addr }

// AltURL is the same site under another host name, "http://localhost:port".
// Clients that key hosts by host:port treat it as a different host, which
// tests use for cross-host redirects and per-host isolation.
func (s *Server) AltURL() string {
	_, port, _ := net.SplitHostPort(s.addr)
	return "http://localhost:" + port
}

// Addr is the listening address, "127.0.0.1:port"; it is also the value of
// the Host header of requests made to URL.
func (s *Server) Addr() string { return s.addr }

// Pages is the number of pages the site serves.
func (s *Server) Pages() int { return s.cfg.Pages }

// PagePath is the path of page id: "/products/{id}".
func PagePath(id int) string { return "/products/" + strconv.Itoa(id) }

// PageURL is the absolute URL of page id.
func (s *Server) PageURL(id int) string { return s.URL() + PagePath(id) }

// SetFault makes every request to path answer with fault f, for the next
// times requests to that path (0 means until changed). FaultNone clears it.
func (s *Server) SetFault(path string, f Fault, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == FaultNone {
		delete(s.pathFaults, path)
		return
	}
	s.pathFaults[path] = pathFault{fault: f, times: int64(times)}
}

// SetRobots replaces /robots.txt with the given status and body.
func (s *Server) SetRobots(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots = robotsFile{status: status, body: body}
}

func (s *Server) robotsFile() robotsFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.robots
}

// takePathFault returns the fault set for path, consuming one use of it.
func (s *Server) takePathFault(path string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	pf, ok := s.pathFaults[path]
	if !ok {
		return FaultNone
	}
	if pf.times > 0 {
		pf.times--
		if pf.times == 0 {
			delete(s.pathFaults, path)
		} else {
			s.pathFaults[path] = pf
		}
	}
	return pf.fault
}
