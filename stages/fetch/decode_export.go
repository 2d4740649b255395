package fetch

// DecodeBody converts a body to UTF-8 exactly as a fetch does, for bodies
// that did not come from a Fetcher (a saved page, a test fixture).
// contentType is the Content-Type header, or "" to sniff the media type
// from the body. It returns the UTF-8 body, the media type (without
// parameters), and the charset decision: the canonical charset name, where
// it came from and how sure it is (see [Response]). A body that is not
// text is returned as it is, with charset "" and [CharsetNone].
func DecodeBody(raw []byte, contentType string) (body []byte, mediaTyp, charset string, source CharsetSource, confidence int) {
	mt := mediaType(contentType, raw)
	if !isText(mt) || len(raw) == 0 {
		return raw, mt, "", CharsetNone, 0
	}
	d := toUTF8(raw, contentType, mt)
	return d.body, mt, d.charset, d.source, d.confidence
}
