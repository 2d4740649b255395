// Package testsite is a fault-injecting HTTP site for tests, benchmarks
// and `sluice demo`. It runs in-process on 127.0.0.1 on a free port:
//
//	srv, err := testsite.Start(testsite.Config{Pages: 500, Latency: 5 * time.Millisecond})
//	if err != nil { ... }
//	defer srv.Close()
//	resp, err := http.Get(srv.PageURL(7))
//
// # Routes
//
//	/                      index linking to /products/0
//	/products/{id}         page id in [0, Config.Pages): ~30 KB of HTML (see below)
//	/api/products?page=N   JSON {"page","pages","items":[{"id","name","price","url"}],"next"}, N from 1
//	/robots.txt            Config.Robots / Config.RobotsStatus, or SetRobots
//	/headers               the request headers echoed as a JSON object
//	/redirect?to=U&n=N     N hops through /redirect, then to U (code=30x to pick the status)
//
// Every page is deterministic in its id ([Server.Page] gives its content):
// <title>, <base href="/products/">, h1.title, p.sample with non-ASCII
// text ("Crème brûlée — 12,50 € · 抹茶プリン"), div.price[data-amount],
// ul.items with [ItemsPerPage] li.item[data-id] entries, each a relative
// link a[href="{id}"] plus span.item-price[data-amount] and p.desc, and
// a.next[rel=next] to the following page. Pages are UTF-8, declared in the
// Content-Type header and a <meta charset>.
//
// # Faults
//
// A [Fault] is chosen for a request, in order, by the query parameter
// ?fault=<name> (on any path), by [Server.SetFault] for its path
// (optionally for the next N requests only), or, for product pages, by
// [Config.Faults], which gives each fault to a deterministic fraction of
// the page ids ([Server.PageFault] says which). Faults cover 404/500/503,
// 429 with Retry-After (seconds or an HTTP date via ?retry_after=), a
// connection reset, a hang until the client leaves, a slow body, an
// oversized body, a gzip bomb, a redirect loop, and bodies in
// windows-1252, ISO-8859-1, Shift_JIS and UTF-8 with a BOM, declared in
// the header, in a <meta>, wrongly, or not at all ([SampleText] gives
// the text to expect after decoding). ?latency=50ms delays one request.
//
// # Counters
//
// The site counts requests by path ([Server.Requests]), by exact request
// URI ([Server.RequestsURI]) and by Host header ([Server.HostRequests]),
// and keeps each host's concurrency high-water mark
// ([Server.PeakConcurrency]). [Server.URL] and [Server.AltURL] name the
// same site as two hosts (127.0.0.1:port and localhost:port). The counters
// keep one entry per distinct path and request URI, which suits tests and
// demos, not endless crawls.
//
// Close wakes every hanging or slow handler and returns once all have
// returned, so tests using goleak stay clean.
package testsite
