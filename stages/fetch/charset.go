package fetch

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decoded is a body converted to UTF-8, and how its charset was chosen.
type decoded struct {
	body       []byte
	charset    string        // canonical WHATWG name, e.g. "utf-8"
	source     CharsetSource // where charset came from
	confidence int           // 0-100: 100 when declared or valid UTF-8
}

// toUTF8 converts a text body to UTF-8. It first chooses the charset
// (chooseCharset), then decodes once. The result is always valid UTF-8;
// when raw already was, and was read as UTF-8, it is returned as is.
func toUTF8(raw []byte, contentType, mediaType string) decoded {
	name, src, conf, skip := chooseCharset(raw, contentType, mediaType)
	return decoded{body: decodeWith(raw[skip:], name), charset: name, source: src, confidence: conf}
}

// chooseCharset returns the canonical name of the charset of raw, where
// it came from, how sure that is, and the length of a BOM to skip. The
// order is the one documented in doc.go: BOM, Content-Type charset,
// <meta> in the first 1024 bytes (the WHATWG prescan), <meta> later in
// the head, then UTF-8 if the bytes are valid UTF-8, else detection.
func chooseCharset(raw []byte, contentType, mediaType string) (name string, src CharsetSource, conf, skip int) {
	if label, n := sniffBOM(raw); label != "" {
		return label, CharsetBOM, 100, n
	}
	if label := charsetParam(contentType); label != "" {
		if name := headerName(label); name != "" {
			return name, CharsetHeader, 100, 0
		}
	}
	if isHTML(mediaType) {
		if name, late := metaCharset(raw); late {
			return name, CharsetMetaLate, 100, 0
		} else if name != "" {
			return name, CharsetMeta, 100, 0
		}
	}
	if validUTF8(raw) {
		return "utf-8", CharsetDefault, 100, 0
	}
	if name, conf := detectCharset(raw, mediaType); conf > 0 {
		return name, CharsetDetected, conf, 0
	}
	return "windows-1252", CharsetFallback, 0, 0
}

// headerName is the canonical name of a Content-Type charset label, ""
// for a label no encoding answers to. Unlike an in-band declaration, a
// header may name UTF-16.
func headerName(label string) string {
	label = strings.TrimSpace(label)
	if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
		return "utf-8" // the common case, without the lookup's allocation
	}
	if enc, name := charset.Lookup(label); enc != nil {
		return name
	}
	return ""
}

// validUTF8 reports whether raw is UTF-8, allowing it to end inside a
// character (a UTF-8 body cut at MaxBodySize is still UTF-8) when what
// comes before holds UTF-8 beyond ASCII; "caf\xe9" is windows-1252.
func validUTF8(raw []byte) bool {
	if utf8.Valid(raw) {
		return true
	}
	for i := len(raw) - 1; i >= max(0, len(raw)-utf8.UTFMax+1); i-- {
		if utf8.RuneStart(raw[i]) {
			return !utf8.FullRune(raw[i:]) && utf8.Valid(raw[:i]) && hasHighBit(raw[:i])
		}
	}
	return false
}

// decodeWith decodes raw from the named (canonical) encoding.
func decodeWith(raw []byte, name string) []byte {
	if name == "utf-8" {
		if utf8.Valid(raw) {
			return raw
		}
		return decode8bit(raw, unicode.UTF8) // invalid bytes become U+FFFD
	}
	enc, _ := charset.Lookup(name)
	if enc == nil {
		enc = charmap.Windows1252 // cannot happen: names come from Lookup
	}
	return decode8bit(raw, enc)
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
