package testsite

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// serveFault answers r with fault f.
func (s *Server) serveFault(ctx context.Context, w http.ResponseWriter, r *http.Request, f Fault) {
	if v, ok := charsetVariant(f); ok {
		s.servePage(w, s.pageID(r), v)
		return
	}
	switch f {
	case FaultNotFound:
		http.NotFound(w, r)
	case FaultServerError:
		http.Error(w, "testsite: injected failure", http.StatusInternalServerError)
	case FaultUnavailable:
		if ra := r.URL.Query().Get("retry_after"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		http.Error(w, "testsite: unavailable", http.StatusServiceUnavailable)
	case FaultTooManyRequests:
		s.serveTooMany(w, r)
	case FaultReset:
		resetConn(w)
	case FaultHang:
		s.sleep(ctx, 1<<62) // until the client gives up or Close
	case FaultSlowBody:
		s.serveSlow(ctx, w, s.pageID(r))
	case FaultOversize:
		s.serveOversize(ctx, w)
	case FaultGzipBomb:
		s.serveBomb(w)
	case FaultRedirectLoop:
		serveLoop(w, r)
	default:
		http.Error(w, "testsite: unknown fault "+string(f), http.StatusBadRequest)
	}
}

func (s *Server) serveTooMany(w http.ResponseWriter, r *http.Request) {
	ra := r.URL.Query().Get("retry_after")
	if ra == "" {
		ra = s.cfg.RetryAfter
	}
	if ra != "none" {
		w.Header().Set("Retry-After", ra)
	}
	http.Error(w, "testsite: too many requests", http.StatusTooManyRequests)
}

// resetConn closes the connection with SO_LINGER 0, so the client sees a
// TCP reset rather than a clean end of stream.
func resetConn(w http.ResponseWriter) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// serveSlow sends the page 1 KiB at a time, flushing, with pauses.
func (s *Server) serveSlow(ctx context.Context, w http.ResponseWriter, id int) {
	body := s.appendPage(nil, id, renderOpts{metaTag: utf8Variant().metaTag, sample: sample})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rc := http.NewResponseController(w)
	for len(body) > 0 {
		n := min(len(body), 1024)
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		body = body[n:]
		if !s.sleep(ctx, s.cfg.SlowInterval) {
			return
		}
	}
}

// serveOversize streams Config.OversizeBytes of HTML with no Content-Length.
func (s *Server) serveOversize(ctx context.Context, w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	chunk := []byte("<p>" + strings.Repeat("x", 4089) + "</p>\n")
	for left := s.cfg.OversizeBytes; left > 0 && ctx.Err() == nil; left -= int64(len(chunk)) {
		if _, err := w.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
			return
		}
	}
}

// serveBomb sends a small gzip body that inflates to Config.BombBytes.
func (s *Server) serveBomb(w http.ResponseWriter) {
	s.bombOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zeros := make([]byte, 1<<20)
		for left := s.cfg.BombBytes; left > 0; left -= int64(len(zeros)) {
			_, _ = zw.Write(zeros[:min(int64(len(zeros)), left)])
		}
		_ = zw.Close()
		s.bomb = buf.Bytes()
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	_, _ = w.Write(s.bomb)
}

// serveLoop redirects path?fault=redirect-loop to path?fault=redirect-loop&hop=1
// and back, forever.
func serveLoop(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Path + "?fault=" + string(FaultRedirectLoop)
	if r.URL.Query().Get("hop") == "" {
		target += "&hop=1"
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusFound)
}
