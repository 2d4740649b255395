package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
	"time"
)

//go:embed web
var web embed.FS

// heartbeat is how long an event stream may stay silent before a comment
// line keeps proxies and the browser from closing it.
const heartbeat = 15 * time.Second

// Handler serves the dashboard: the page at /, its event stream at
// /events (Server-Sent Events, one JSON Frame per message) and the
// current Frame as JSON at /state.
func (d *Dashboard) Handler() http.Handler {
	static, err := fs.Sub(web, "web")
	if err != nil {
		panic("dashboard: embedded page: " + err.Error()) // the directory is embedded above
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /events", d.serveEvents)
	mux.HandleFunc("GET /state", d.serveState)
	return mux
}

func (d *Dashboard) serveState(w http.ResponseWriter, _ *http.Request) {
	b, _ := d.encoded()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// serveEvents streams frames to one browser: the current state at once,
// then the newest state at most every Interval while it changes. A
// browser slower than that misses frames; nothing waits for it but this
// handler. The stream ends when the browser leaves or Close is called.
func (d *Dashboard) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	tick := time.NewTicker(d.cfg.Interval)
	defer tick.Stop()
	var sent uint64
	last := time.Now()
	for first := true; ; first = false {
		b, v := d.encoded()
		var err error
		switch {
		case first || v != sent:
			err = writeEvent(w, b)
			sent, last = v, time.Now()
		case time.Since(last) >= heartbeat:
			_, err = w.Write([]byte(": keep-alive\n\n"))
			last = time.Now()
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-d.closed:
			return
		case <-tick.C:
		}
	}
}

func writeEvent(w http.ResponseWriter, frame []byte) error {
	if _, err := w.Write([]byte("data: ")); err != nil {
		return err
	}
	if _, err := w.Write(frame); err != nil {
		return err
	}
	_, err := w.Write([]byte("\n\n"))
	return err
}
