package inspect

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/sluicehq/sluice/stages/fetch"
)

// Page is one page to inspect. Its body is parsed as HTML once, when an
// HTML method first needs it. A Page is safe for concurrent use.
type Page struct {
	resp *fetch.Response
	doc  func() *html.Node
}

// New returns a page for resp, which must have a URL (relative links
// resolve against it) and a body decoded to UTF-8, as a fetch returns it.
func New(resp *fetch.Response) *Page {
	return &Page{resp: resp, doc: sync.OnceValue(func() *html.Node {
		doc, err := html.Parse(bytes.NewReader(resp.Body))
		if err != nil { // only a reader error, and bytes.Reader gives none
			return &html.Node{Type: html.DocumentNode}
		}
		return doc
	})}
}

// Response returns the response the page was made from.
func (p *Page) Response() *fetch.Response { return p.resp }

// Count returns how many elements selector matches in the whole page.
func (p *Page) Count(selector string) (int, error) {
	m, err := cascadia.ParseGroup(selector)
	if err != nil {
		return 0, fmt.Errorf("inspect: invalid selector %q: %w", selector, err)
	}
	return len(cascadia.QueryAll(p.doc(), m)), nil
}

// scopes returns the elements fields are matched in: the items, or the
// document when items is empty. An invalid items selector gives none.
func (p *Page) scopes(items string) []*html.Node {
	if strings.TrimSpace(items) == "" {
		return []*html.Node{p.doc()}
	}
	m, err := cascadia.ParseGroup(items)
	if err != nil {
		return nil
	}
	return cascadia.QueryAll(p.doc(), m)
}

// ReadFile reads a saved page and decodes its body to UTF-8 as a fetch
// would (byte order mark, <meta> charset, a UTF-8 check, then a guess),
// with the media type taken from the file's extension (.html, .htm, .xhtml,
// .json) or sniffed. The response's URL is the file:// URL of the absolute
// path. Errors are those of os.ReadFile and filepath.Abs.
func ReadFile(path string) (*fetch.Response, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ct := ""
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		ct = "text/html"
	case ".xhtml":
		ct = "application/xhtml+xml"
	case ".json":
		ct = "application/json"
	}
	body, mt, cs, src, conf := fetch.DecodeBody(raw, ct)
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return &fetch.Response{
		Request: fetch.Request{URL: u.String()}, URL: u, Body: body, Raw: raw, ContentType: mt,
		Charset: cs, CharsetSource: src, CharsetConfidence: conf,
	}, nil
}
