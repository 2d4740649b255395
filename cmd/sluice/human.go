package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// say prints a line for the person at the terminal (not a log record):
// where the metrics or the dashboard are served, that a stop was asked
// for. --quiet silences it.
func (a *app) say(format string, args ...any) {
	if a.quiet {
		return
	}
	fmt.Fprintf(a.logOut, format+"\n", args...)
}

// warnings holds the warnings of a run so that they are listed after the
// ledger instead of tearing the progress display; outside a run they are
// printed at once.
type warnings struct {
	mu      sync.Mutex
	holding bool
	lines   []string
	more    int
}

// maxListed is how many warnings the end-of-run list shows.
const maxListed = 10

func (w *warnings) hold() {
	w.mu.Lock()
	w.holding = true
	w.mu.Unlock()
}

// add keeps line, or prints it when not holding; false says print.
func (w *warnings) add(line string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.holding {
		return false
	}
	if len(w.lines) < maxListed {
		w.lines = append(w.lines, line)
	} else {
		w.more++
	}
	return true
}

// release prints the held warnings as a short list and stops holding.
func (w *warnings) release(out io.Writer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.holding = false
	if len(w.lines) == 0 {
		return
	}
	fmt.Fprintln(out, "\nwarnings:")
	for _, l := range w.lines {
		fmt.Fprintf(out, "  - %s\n", l)
	}
	if w.more > 0 {
		fmt.Fprintf(out, "  ... and %d more\n", w.more)
	}
	w.lines, w.more = nil, 0
}

// humanHandler is the default log handler (text format, no --log-level
// given): it shows warnings and errors only, as short lines, and while a
// run is showing progress it holds them for the list after the ledger.
// --log-level or --log-format json give the structured logger instead.
type humanHandler struct {
	out   io.Writer
	warns *warnings
	attrs []slog.Attr
}

func (h *humanHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *humanHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	var parts []string
	add := func(at slog.Attr) bool {
		parts = append(parts, at.Key+": "+at.Value.String())
		return true
	}
	for _, at := range h.attrs {
		add(at)
	}
	r.Attrs(add)
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	if h.warns.add(b.String()) {
		return nil
	}
	prefix := "warning: "
	if r.Level >= slog.LevelError {
		prefix = "error: "
	}
	_, err := fmt.Fprintln(h.out, prefix+b.String())
	return err
}

func (h *humanHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &humanHandler{out: h.out, warns: h.warns, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *humanHandler) WithGroup(string) slog.Handler { return h }
