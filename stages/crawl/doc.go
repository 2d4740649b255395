// Package crawl is sluice's crawl frontier: it follows links from seed
// pages, within a scope, each URL once, and hands on the pages to
// extract.
//
//	c, err := crawl.New(crawl.Config{MaxDepth: 3, Extract: []crawl.Rule{{Has: "div.product"}}})
//	seeds := crawl.Seeds(p, "seeds", "https://shop.example/")
//	pages := c.Stage(p, "crawl", seeds, f.Fetch, pipeline.Workers(16))
//	// pages is a Stream[*fetch.Response]: extract, then sink
//
// Stage composes a pipeline.Frontier (the engine's one feedback edge) and
// a fetch stage whose workers also do the link stage's work on the page
// they fetched (no hand-off between the two). The link stage reads each
// HTML page once:
// it honours <meta name="robots"> and X-Robots-Tag (noindex: not handed
// on; nofollow: links not followed) and rel=nofollow, follows the
// Config.Follow selectors (a[href], area[href], link[rel=next]), resolves
// against <base href>, drops fragments, checks depth and scope, and
// offers each distinct link of the page (href and nofollow mark) to the
// frontier, which dedupes it on its normalized URL (stages/filter, query
// sorted) and checks MaxPages. A page whose canonical URL, or redirect
// target, was already seen is a duplicate. Pages no extract rule matches
// are followed only.
//
// # Reading pages without a document
//
// When every follow selector and every extract rule's Has selector
// matches on the element alone — a group of compounds of a type
// selector or *, .class, #id, [attr] and [attr OP value] (OP = ~= |= ^=
// $= *=), each compound with a class, id or attribute test or a type
// other than html, head, body, p and br — the link stage reads pages
// with one pass of the HTML tokenizer and never builds the document
// (decided once, at New). The defaults are in this subset. A page the
// pass cannot read as the parser would — one with a <table>, <select>,
// <template>, <frameset>, <svg> or <math> tag, or a start tag the parser
// ignores or merges that a selector matches — is parsed instead, with
// the same result (TestScanGenerated and FuzzScan compare the two).
// Selectors outside the subset (combinators, pseudo-classes) parse
// every page.
//
// # Stores and resume
//
// The seen-set and the queue live in a [Store]: [MemoryStore] (the
// default) or [DiskStore] ([OpenStore]), a bbolt file whose memory use
// does not grow with the crawl: a fixed-size cache of keys known seen
// and a Bloom filter of the seen-set (~1.5 MiB together) answer most
// link lookups, the duplicates and the new keys, without a B-tree
// search, and never wrongly. Entries come out breadth-first per host
// and round-robin across hosts, and at most PerHostInFlight per host are
// being fetched at once, so one slow host cannot take every worker.
// A DiskStore is resumable: after a crash (SIGKILL included) the reopened
// store hands out again what was in flight — taken, not marked done —
// and nothing else. Pages that are not handed on are marked done by the
// crawl (with the store's next write: DiskStore.MarkDoneLater); pages
// handed on are marked done by whoever makes them durable:
// call Store.MarkDone from the sink's commit event with the page keys
// (fetch.Request.Key), or set Config.DoneWhenEmitted.
//
// # Why bbolt
//
// BenchmarkFrontierStore (2-core AMD EPYC, shared machine; one run each):
// push n URLs over 100 hosts, each offered twice (half the pushes hit the
// seen-set), pop all round-robin, MarkDone in batches of 100:
//
//	store    URLs   ns per URL   live heap after pushes
//	bbolt    100k     87,755      1.8 MB
//	SQLite   100k    279,787      1.3 MB   (modernc.org/sqlite, WAL, synchronous=OFF, 4096-change transactions)
//	bbolt    1M      141,639      2.9 MB
//	SQLite   1M      not run: over 5 minutes
//
//	go test -run '^$' -bench 'FrontierStore/.*/100000' -benchtime 1x ./stages/crawl
//
// bbolt is 3.2x faster at 100k, with the heap flat in both; peak RSS was
// not measured (bbolt's mmap'd file pages are page cache, not heap). The
// cost per URL is dominated by MarkDone every 100 URLs, each a
// transaction rewriting the B-tree pages it touched: larger commit rounds
// are cheaper.
package crawl
