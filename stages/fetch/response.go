package fetch

// response assembles the Response of a finished fetch.
func (f *Fetcher) response(req *Request, h *hop, res result, t *tracker) *Response {
	ct := res.header.Get("Content-Type")
	mt := mediaType(ct, res.raw)
	dec := decoded{body: res.raw}
	if isText(mt) && len(res.raw) > 0 {
		dec = toUTF8(res.raw, ct, mt)
	}
	return &Response{
		Request:           *req,
		URL:               h.url,
		StatusCode:        res.status,
		Proto:             res.proto,
		Header:            res.header,
		Body:              dec.body,
		Raw:               res.raw,
		ContentType:       mt,
		Charset:           dec.charset,
		CharsetSource:     dec.source,
		CharsetConfidence: dec.confidence,
		Attempts:          t.attempts,
		Timings:           Timings{Start: t.start, Wait: t.wait, Total: f.clock.now().Sub(t.start)},
	}
}
