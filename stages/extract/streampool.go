package extract

import "sync"

// treeStreams recycles the streams' stacks, nodes and attribute slices
// from page to page, so a page allocates none of them once the workers
// are warm.
var treeStreams = sync.Pool{New: func() any { return new(treeStream) }}

// getTreeStream returns an empty stream feeding sink.
func getTreeStream(sink treeSink) *treeStream {
	b := treeStreams.Get().(*treeStream)
	b.sink = sink
	return b
}

// putTreeStream recycles b once its page is done: nothing the sink got
// from it may be used after (it holds copies: nodes are valid only
// during open).
func putTreeStream(b *treeStream) {
	tok := b.tok
	tok.Reset(nil)
	*b = treeStream{stack: b.stack[:0], nodes: b.nodes, attrs: b.attrs[:0], scratch: b.scratch[:0], tok: tok}
	treeStreams.Put(b)
}
