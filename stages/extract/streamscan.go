package extract

import "bytes"

// documentTags start constructs the stream never models. A page that
// has one of these tags is parsed at once rather than streamed up to the
// tag and then parsed anyway.
var documentTags = [][]byte{[]byte("table"), []byte("svg"), []byte("math"), []byte("template"), []byte("frameset")}

// documentFirst holds the first letters of documentTags, in both cases.
var documentFirst = func() (first [256]bool) {
	for _, t := range documentTags {
		first[t[0]] = true
		first[t[0]-'a'+'A'] = true
	}
	return first
}()

// needsDocument reports whether body has a tag that starts a construct
// outside the streaming model. It only saves time: a miss (a tag it does
// not list) is caught by the stream, and a false hit (the text "<svg>"
// inside a script) costs only the streaming speed-up.
func needsDocument(body []byte) bool {
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		rest := body[i:]
		if len(rest) == 0 {
			return false
		}
		if !documentFirst[rest[0]] {
			continue // most tags: no documentTag starts with this letter
		}
		for _, t := range documentTags {
			if len(rest) > len(t) && bytes.EqualFold(rest[:len(t)], t) && isTagEnd(rest[len(t)]) {
				return true
			}
		}
	}
	return false
}

func isTagEnd(c byte) bool { return isTagSpace(c) || c == '/' || c == '>' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }
