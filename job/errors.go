package job

import (
	"fmt"
	"strings"
)

// Error is a problem in a job file, at a position when one is known.
type Error struct {
	// File is the job file's name as given.
	File string
	// Line and Column are 1-based; 0 when the problem has no position
	// (a missing section, say).
	Line, Column int
	// Path is where in the job the problem is, such as
	// "parse.html.fields[1].selector".
	Path string
	// Msg says what is wrong.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

// Error returns "file:line:col: path: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// position is a line and column in the job file.
type position struct{ line, col int }

// positions maps job paths ("fetch.workers") to where they are written.
type positions map[string]position

// errorAt builds an Error for path, positioned at path or its nearest
// written ancestor.
func (ps positions) errorAt(file, path string, err error, format string, args ...any) *Error {
	e := &Error{File: file, Path: path, Msg: fmt.Sprintf(format, args...), Err: err}
	for p := path; p != ""; p = parentPath(p) {
		if pos, ok := ps[p]; ok {
			e.Line, e.Column = pos.line, pos.col
			break
		}
	}
	return e
}

// parentPath drops the last element of a path: "a.b[2].c" → "a.b[2]" → "a.b".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// pathAt returns the path of the key written last before line:col on
// that line: the key whose value is there.
func (ps positions) pathAt(line, col int) string {
	best, bestCol := "", 0
	for p, pos := range ps {
		if pos.line == line && pos.col <= col && (pos.col > bestCol || pos.col == bestCol && len(p) > len(best)) {
			best, bestCol = p, pos.col
		}
	}
	return best
}
