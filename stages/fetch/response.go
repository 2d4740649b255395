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
		budget:            f.cfg.Budget,
		held:              res.held,
		buf:               res.buf,
		pool:              &f.bodies,
	}
}

// Release gives the response's body back to its fetcher: its bytes to
// the fetcher's [Budget] and its buffer for reuse by later fetches. Body
// and Raw are set to nil and must not be used after, nor any slice of
// them (values copied out, such as strings, are safe). With a Budget,
// every Response must be released once its body is done with, or later
// fetches wait for bytes that never come back; without one, releasing is
// optional (the buffer is then left to the garbage collector). Release
// may be called more than once, but not concurrently.
func (r *Response) Release() {
	r.budget.release(r.held)
	if r.buf != nil {
		r.pool.put(r.buf)
	}
	r.budget, r.held, r.buf, r.pool = nil, 0, nil, nil
	r.Body, r.Raw, r.Extracted = nil, nil, nil
}
