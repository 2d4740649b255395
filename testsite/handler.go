package testsite

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// serve is the site's single handler: count, wait, pick a fault, route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !s.gate.enter() {
		closeConn(w)
		return
	}
	defer s.gate.leave()
	s.stats.begin(r.Host, r.URL.Path, r.RequestURI)
	defer s.stats.end(r.Host)

	ctx := r.Context()
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	if !s.sleep(ctx, s.latency(q)) {
		return
	}
	if f := s.pickFault(r, q); f != FaultNone {
		s.serveFault(ctx, w, r, f)
		return
	}
	s.route(ctx, w, r)
}

func (s *Server) route(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/robots.txt":
		s.serveRobots(w)
	case path == "/":
		s.serveIndex(w)
	case strings.HasPrefix(path, "/products/"):
		id, err := strconv.Atoi(strings.TrimPrefix(path, "/products/"))
		if err != nil || id < 0 || id >= s.cfg.Pages {
			http.NotFound(w, r)
			return
		}
		s.servePage(w, id, utf8Variant())
	case path == "/api/products":
		s.serveAPI(w, r)
	case path == "/headers":
		serveHeaders(w, r)
	case path == "/redirect":
		serveRedirect(w, r)
	case strings.HasPrefix(path, "/shop/"):
		s.serveShop(w, r)
	default:
		http.NotFound(w, r)
	}
}

// pickFault: ?fault= first, then SetFault for the path, then Config.Faults
// for product pages.
func (s *Server) pickFault(r *http.Request, q url.Values) Fault {
	if f := q.Get("fault"); f != "" {
		return Fault(f)
	}
	if f := s.takePathFault(r.URL.Path); f != FaultNone {
		return f
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/products/"); ok && len(s.cfg.Faults) > 0 {
		if n, err := strconv.Atoi(id); err == nil {
			return s.PageFault(n)
		}
	}
	return FaultNone
}

func (s *Server) latency(q url.Values) time.Duration {
	if v := q.Get("latency"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return s.cfg.Latency
}

// sleep waits d; it reports false if the client went away or the site
// closed first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.gate.done:
		return false
	}
}

func (s *Server) serveIndex(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Sluice Test Shop</title></head><body>\n" +
		"<h1>Sluice Test Shop</h1>\n<a class=\"next\" href=\"/products/0\">Catalogue</a>\n</body></html>\n"))
}

func (s *Server) serveRobots(w http.ResponseWriter) {
	rf := s.robotsFile()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(rf.status)
	_, _ = w.Write([]byte(rf.body))
}

// closeConn drops the connection without an answer.
func closeConn(w http.ResponseWriter) {
	if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = c.Close()
	}
}
