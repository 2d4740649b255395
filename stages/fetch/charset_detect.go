package fetch

import (
	"bytes"
	"slices"
	"strings"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
)

const (
	// detectSampleLimit is how many bytes content detection looks at:
	// ICU's detector reads no more than 8 KiB of its input anyway.
	detectSampleLimit = 8 << 10
	// minDetectConfidence is the least ICU confidence (0-100) that is
	// trusted. ICU gives 10 to a charset that can merely represent the
	// bytes, with nothing else in its favour.
	minDetectConfidence = 15
)

// detectCharset chooses the charset of an undeclared body that is not
// UTF-8 with ICU's detector (github.com/saintfish/chardet), and returns
// its canonical WHATWG name and ICU's confidence. It falls back to
// windows-1252 with confidence 0 when no trusted guess has a decoder.
//
// ICU reads only the first 8 KiB it is given and strips tags itself,
// but not scripts or styles, which fill the first 8 KiB of many real
// pages; so an HTML body is reduced first to the text a reader sees
// (textSample), and the detector judges the language, not the markup.
func detectCharset(raw []byte, mediaType string) (name string, confidence int) {
	sample := raw
	if isHTML(mediaType) {
		sample = textSample(raw, detectSampleLimit)
		if !hasHighBit(sample) { // all the non-ASCII bytes are in markup
			sample = raw
		}
	}
	sample = sample[:min(len(sample), detectSampleLimit)]
	results, err := chardet.NewTextDetector().DetectAll(sample)
	if err != nil {
		return "windows-1252", 0
	}
	// ICU sorts by confidence alone, over results that arrive in a
	// random order; break ties by name so that a body always decodes
	// the same way.
	slices.SortStableFunc(results, func(a, b chardet.Result) int {
		if a.Confidence != b.Confidence {
			return b.Confidence - a.Confidence
		}
		return strings.Compare(a.Charset, b.Charset)
	})
	for _, r := range results {
		if r.Confidence < minDetectConfidence {
			break
		}
		if name := detectedName(r.Charset); name != "" {
			return name, min(r.Confidence, 100)
		}
	}
	return "windows-1252", 0
}

// detectedName maps an ICU charset name to the canonical WHATWG name of
// an encoding we can decode, or "". UTF-16 and UTF-32 are only ever
// reported after a BOM, which is handled before detection.
func detectedName(icu string) string {
	switch icu {
	case "GB-18030":
		return "gb18030"
	case "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE":
		return ""
	}
	enc, name := charset.Lookup(icu) // ISO-8859-1 is windows-1252, etc.
	if enc == nil || name == "replacement" {
		return ""
	}
	return name
}

// textSample returns up to limit bytes of an HTML body's text: the body
// without tags, comments, and the contents of scripts and styles. It
// works on bytes, which is safe for the encodings detection finds: in
// all of them '<' and '>' are only ever themselves.
func textSample(raw []byte, limit int) []byte {
	out := make([]byte, 0, min(len(raw), limit))
	p := prescanner{b: raw}
	for p.i < len(p.b) && len(out) < limit {
		j := bytes.IndexByte(p.b[p.i:], '<')
		if j < 0 {
			j = len(p.b) - p.i
		}
		out = append(out, p.b[p.i:p.i+min(j, limit-len(out))]...)
		p.i += j
		switch {
		case p.i >= len(p.b):
		case p.hasPrefix("<!--"):
			p.skipComment()
		case p.i+1 < len(p.b) && (isLetter(p.b[p.i+1]) || strings.ContainsRune("/!?", rune(p.b[p.i+1]))):
			name := p.tagName()
			p.skipPast('>')
			if bytes.EqualFold(name, []byte("script")) || bytes.EqualFold(name, []byte("style")) {
				p.skipRawText(name)
			}
			if len(out) < limit {
				out = append(out, ' ')
			}
		default:
			out = append(out, '<')
			p.i++
		}
	}
	return out
}

// tagName returns the name of the tag at p.i (at '<'), "" for an end
// tag or a declaration.
func (p *prescanner) tagName() []byte {
	i := p.i + 1
	if !isLetter(p.b[i]) {
		return nil
	}
	j := i
	for j < len(p.b) && !isSpace(p.b[j]) && p.b[j] != '>' && p.b[j] != '/' {
		j++
	}
	return p.b[i:j]
}

// hasHighBit reports whether b has a byte outside ASCII.
func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
