package fetch

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// prescanLimit is how much of an HTML body is searched for <meta charset>
// (the WHATWG prescan looks at the first 1024 bytes).
const prescanLimit = 1024

// toUTF8 converts a text body to UTF-8. The charset is taken, in order,
// from a byte order mark, the Content-Type charset parameter, a <meta>
// in the first 1024 bytes (HTML only), and else UTF-8 if the bytes are
// valid UTF-8, windows-1252 if not. The result is always valid UTF-8;
// when raw already was, it is returned as is.
func toUTF8(raw []byte, contentType, mediaType string) (body []byte, name string) {
	if label, bom := sniffBOM(raw); label != "" {
		return decodeWith(raw[bom:], label)
	}
	if label := charsetParam(contentType); label != "" {
		if b, n, ok := tryLabel(raw, label); ok {
			return b, n
		}
	}
	if isHTML(mediaType) {
		if label := metaCharset(raw); label != "" {
			if b, n, ok := tryLabel(raw, label); ok {
				return b, n
			}
		}
	}
	if utf8.Valid(raw) {
		return raw, "utf-8"
	}
	return decode8bit(raw, charmap.Windows1252), "windows-1252"
}

// tryLabel decodes raw with a declared label; ok is false for a label
// no encoding answers to. UTF-16 declared in-band means UTF-8 (WHATWG).
func tryLabel(raw []byte, label string) ([]byte, string, bool) {
	label = strings.TrimSpace(label)
	if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
		b, n := decodeWith(raw, "utf-8")
		return b, n, true
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, "", false
	}
	if strings.HasPrefix(name, "utf-16") {
		name = "utf-8"
	}
	b, n := decodeWith(raw, name)
	return b, n, true
}

// decodeWith decodes raw from the named (canonical) encoding.
func decodeWith(raw []byte, name string) ([]byte, string) {
	if name == "utf-8" {
		if utf8.Valid(raw) {
			return raw, name
		}
		return decode8bit(raw, unicode.UTF8), name // invalid bytes become U+FFFD
	}
	enc, canon := charset.Lookup(name)
	if enc == nil {
		return decode8bit(raw, charmap.Windows1252), "windows-1252"
	}
	return decode8bit(raw, enc), canon
}

func decode8bit(raw []byte, enc encoding.Encoding) []byte {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(out) {
		// x/text decoders replace bad input rather than fail; this is a
		// last resort that keeps the promise of valid UTF-8.
		return bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out
}

// sniffBOM returns the encoding a byte order mark names, and its length.
func sniffBOM(b []byte) (label string, n int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return "utf-16le", 2
	}
	return "", 0
}

// charsetParam returns the charset parameter of a Content-Type value,
// without allocating.
func charsetParam(ct string) string {
	for {
		i := strings.IndexByte(ct, ';')
		if i < 0 {
			return ""
		}
		ct = ct[i+1:]
		p := strings.TrimLeft(ct, " \t")
		if len(p) >= 8 && strings.EqualFold(p[:7], "charset") {
			p = strings.TrimLeft(p[7:], " \t")
			if v, ok := strings.CutPrefix(p, "="); ok {
				v, _, _ = strings.Cut(v, ";")
				return strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
	}
}

// metaCharset is the charset a <meta charset> or <meta http-equiv=
// "Content-Type" content="...; charset=..."> in the first 1024 bytes
// declares, or "".
func metaCharset(raw []byte) string {
	z := html.NewTokenizer(bytes.NewReader(raw[:min(len(raw), prescanLimit)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, hasAttr := z.TagName(); string(name) == "meta" && hasAttr {
				if label := metaTagCharset(z); label != "" {
					return label
				}
			}
		}
	}
}

func metaTagCharset(z *html.Tokenizer) string {
	var content string
	var httpEquiv bool
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "charset":
			return strings.TrimSpace(string(val))
		case "http-equiv":
			httpEquiv = strings.EqualFold(strings.TrimSpace(string(val)), "content-type")
		case "content":
			content = string(val)
		}
		if !more {
			break
		}
	}
	if httpEquiv {
		return charsetParam(content)
	}
	return ""
}

// isHTML reports whether a media type is HTML, for the <meta> prescan.
func isHTML(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isText reports whether a media type is text that should be converted
// to UTF-8; other bodies (images, archives) are left as they are.
func isText(mt string) bool {
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript",
		"application/ecmascript", "application/x-ndjson", "application/ld+json":
		return true
	}
	return false
}

// mediaType is the Content-Type without parameters, lower-cased; if the
// header is missing it is sniffed from the body.
func mediaType(ct string, body []byte) string {
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}
