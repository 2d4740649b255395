package testsite

import (
	"sync"
	"sync/atomic"
)

// stats counts requests by path, by request URI and by host, and tracks
// the in-flight high-water mark of each host.
type stats struct {
	total atomic.Int64

	mu    sync.Mutex
	paths map[string]int64
	uris  map[string]int64
	hosts map[string]*hostCount
}

type hostCount struct {
	requests int64
	inFlight int64
	peak     int64
}

func (st *stats) init() {
	st.paths = make(map[string]int64)
	st.uris = make(map[string]int64)
	st.hosts = make(map[string]*hostCount)
}

// begin counts a request and returns how many times its URI was seen,
// this one included.
func (st *stats) begin(host, path, uri string) int64 {
	st.total.Add(1)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.paths[path]++
	st.uris[uri]++
	h := st.hosts[host]
	if h == nil {
		h = &hostCount{}
		st.hosts[host] = h
	}
	h.requests++
	h.inFlight++
	h.peak = max(h.peak, h.inFlight)
	return st.uris[uri]
}

func (st *stats) end(host string) {
	st.mu.Lock()
	st.hosts[host].inFlight--
	st.mu.Unlock()
}

// Requests is how many requests the site received for path (any host,
// any query string).
func (s *Server) Requests(path string) int64 {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.paths[path]
}

// RequestsURI is how many requests the site received for the exact
// request URI (path and query, e.g. "/products/3?fault=503").
func (s *Server) RequestsURI(uri string) int64 {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.uris[uri]
}

// HostRequests is how many requests arrived with the given Host header
// (such as [Server.Addr], or "localhost:port" for [Server.AltURL]).
func (s *Server) HostRequests(host string) int64 {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	if h := s.stats.hosts[host]; h != nil {
		return h.requests
	}
	return 0
}

// PeakConcurrency is the largest number of requests for host that were
// being handled at the same time.
func (s *Server) PeakConcurrency(host string) int64 {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	if h := s.stats.hosts[host]; h != nil {
		return h.peak
	}
	return 0
}

// TotalRequests is how many requests the site received.
func (s *Server) TotalRequests() int64 { return s.stats.total.Load() }

// ResetStats zeroes every counter and high-water mark. Requests in flight
// while it runs are still subtracted correctly when they end.
func (s *Server) ResetStats() {
	s.stats.total.Store(0)
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	clear(s.stats.paths)
	clear(s.stats.uris)
	for _, h := range s.stats.hosts {
		h.requests, h.peak = 0, h.inFlight
	}
}
