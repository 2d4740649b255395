package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// stopError carries an error from the emitter (the run is ending, or the
// failure handler failed) out through the XML decoder untouched.
type stopError struct{ err error }

func (s *stopError) Error() string { return s.err.Error() }

func badSitemap(source string, err error) error {
	if source == "" {
		source = "input"
	}
	return fmt.Errorf("%w %s: %w", ErrBadSitemap, source, err)
}

// walkRoot reads the root document from r, then its children.
func (w *sitemapWalker) walkRoot(ctx context.Context, r io.Reader, source string) error {
	children, err := w.read(ctx, r, source)
	if err != nil {
		return w.rootError(source, err)
	}
	return w.walkChildren(ctx, children, 1)
}

// walkURL fetches and reads the sitemap at url, then its children. A root
// that fails is fatal; a child that fails is a per-item failure.
func (w *sitemapWalker) walkURL(ctx context.Context, url string, depth int, root bool) error {
	if w.seen[url] {
		return skipRow(ctx, w.e, url, badSitemap(url, errors.New("already read in this walk")))
	}
	w.seen[url] = true
	children, err := w.fetch(ctx, url)
	if err := ctx.Err(); err != nil {
		return context.Cause(ctx)
	}
	if err != nil {
		if root {
			return w.rootError(url, err)
		}
		var stop *stopError
		if errors.As(err, &stop) {
			return stop.err
		}
		return skipRow(ctx, w.e, url, badSitemap(url, err))
	}
	return w.walkChildren(ctx, children, depth+1)
}

func (w *sitemapWalker) rootError(source string, err error) error {
	var stop *stopError
	if errors.As(err, &stop) {
		return stop.err
	}
	return badSitemap(source, err)
}

func (w *sitemapWalker) walkChildren(ctx context.Context, children []string, depth int) error {
	for _, c := range children {
		var err error
		if depth > w.cfg.MaxDepth {
			err = skipRow(ctx, w.e, c, badSitemap(c, fmt.Errorf("sitemap index nesting exceeds MaxDepth %d", w.cfg.MaxDepth)))
		} else {
			err = w.walkURL(ctx, c, depth, false)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fetch GETs one sitemap and reads it.
func (w *sitemapWalker) fetch(ctx context.Context, url string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", w.cfg.UserAgent)
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	return w.read(ctx, resp.Body, url)
}

// read decodes one sitemap document, emitting its URLs and returning the
// child sitemaps of an index.
func (w *sitemapWalker) read(ctx context.Context, r io.Reader, source string) ([]string, error) {
	var children []string
	err := decodeSitemap(r, w.cfg.MaxBytes, sitemapVisitor{
		url: func(u sitemapURL, line int) error {
			loc, err := ValidateURL(u.Loc, false)
			if err != nil {
				return w.skip(ctx, u.Loc, &RowError{Source: source, Line: line, Raw: u.Loc, Err: err})
			}
			vals := []string{strings.TrimSpace(u.LastMod), strings.TrimSpace(u.ChangeFreq), strings.TrimSpace(u.Priority), source}
			return stop(w.e.Emit(Item{Key: loc, URL: loc, Line: line, Columns: w.columns, Values: vals}))
		},
		child: func(raw string, line int) error {
			loc, err := ValidateURL(raw, false)
			if err != nil {
				return w.skip(ctx, raw, &RowError{Source: source, Line: line, Raw: raw, Err: err})
			}
			children = append(children, loc)
			return nil
		},
	})
	return children, err
}

func (w *sitemapWalker) skip(ctx context.Context, input string, err error) error {
	return stop(skipRow(ctx, w.e, input, err))
}

func stop(err error) error {
	if err == nil {
		return nil
	}
	return &stopError{err: err}
}
