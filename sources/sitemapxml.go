package sources

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"golang.org/x/net/html/charset"
)

// sitemapURL is one <url> entry of a urlset.
type sitemapURL struct {
	Loc        string `xml:"loc"`
	LastMod    string `xml:"lastmod"`
	ChangeFreq string `xml:"changefreq"`
	Priority   string `xml:"priority"`
}

// sitemapRef is one <sitemap> entry of a sitemap index.
type sitemapRef struct {
	Loc string `xml:"loc"`
}

// sitemapVisitor receives what a sitemap document holds, as it is decoded.
type sitemapVisitor struct {
	// url is called for each <url> entry with the line it starts on.
	url func(u sitemapURL, line int) error
	// child is called for each <sitemap> entry of an index.
	child func(loc string, line int) error
}

// decodeSitemap streams a sitemap (urlset) or sitemap index from r, which
// may be gzip-compressed, reading at most max bytes after decompression.
// Entries are decoded one at a time; the document is never held whole.
func decodeSitemap(r io.Reader, max int64, v sitemapVisitor) error {
	r, err := gunzipIfCompressed(r)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(&limitReader{r: r, left: max, max: max})
	d.CharsetReader = charset.NewReaderLabel
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root == "" {
				return errors.New("empty document")
			}
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			if root = se.Name.Local; root != "urlset" && root != "sitemapindex" {
				return fmt.Errorf("root element <%s> is not <urlset> or <sitemapindex>", root)
			}
			continue
		}
		if err := decodeEntry(d, se, root, v); err != nil {
			return err
		}
	}
}

// decodeEntry decodes the element se when it is an entry of root's kind,
// and skips it otherwise.
func decodeEntry(d *xml.Decoder, se xml.StartElement, root string, v sitemapVisitor) error {
	line, _ := d.InputPos()
	switch {
	case root == "urlset" && se.Name.Local == "url":
		var u sitemapURL
		if err := d.DecodeElement(&u, &se); err != nil {
			return err
		}
		return v.url(u, line)
	case root == "sitemapindex" && se.Name.Local == "sitemap":
		var s sitemapRef
		if err := d.DecodeElement(&s, &se); err != nil {
			return err
		}
		return v.child(s.Loc, line)
	default:
		return d.Skip()
	}
}

// gunzipIfCompressed returns r decompressed when it starts with the gzip
// magic number, and r (buffered) otherwise.
func gunzipIfCompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, nil
}

// limitReader is io.LimitReader that fails instead of ending early.
type limitReader struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, err := io.ReadFull(l.r, one[:]); n == 0 && errors.Is(err, io.EOF) {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("document larger than %d bytes", l.max)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
