// Package fetch is the HTTP stage of sluice: polite, fault-tolerant
// fetching at full speed.
//
// A [Fetcher], built once with [New] from a [Config] whose zero value
// works, is shared by all workers of a stage; its Fetch method is the
// stage function:
//
//	f, err := fetch.New(fetch.Config{UserAgent: "mybot/1.0"})
//	if err != nil { ... } // only a broken configuration fails
//	defer f.Close()
//	pages := pipeline.Map(p, "fetch", reqs, f.Fetch, pipeline.Workers(64))
//
// # Politeness
//
// Global concurrency is the stage's Workers. Per host — a host is an
// origin, scheme://host:port, so 127.0.0.1:8080 and localhost:8080 are
// two hosts, as are two ports — at most PerHostConcurrency requests run
// at once (default 8), and PerHostRate, if set, caps request starts per
// second with a token bucket. robots.txt is obeyed for the User-Agent's
// product token: it is fetched once per host however many requests
// arrive together, cached for RobotsTTL, and its Crawl-delay caps the
// host's rate. Per RFC 9309 a 4xx robots.txt allows everything, while a
// 5xx or a 429 is retried and then disallows everything (for ten
// minutes, then it is tried again), the failure naming the status. A
// robots.txt that cannot be fetched at all (connection refused or reset,
// unknown host, TLS error, timeout) fails the request with that network
// error, not as a robots refusal. A 429 or 503
// halves that host's concurrency cap and rate and pauses it for the
// Retry-After; they grow back gradually with successes (AIMD). Other
// hosts are not slowed. Per-host state is kept in an LRU of MaxHosts
// entries. All waits — for a slot, a token, a pause, a backoff — end
// when the request's context does.
//
// # Transport
//
// Cleartext requests (http://) go through github.com/valyala/fasthttp,
// which writes a request and reads its answer on the worker's own
// goroutine over a pool of keep-alive connections: about a quarter to a
// third less CPU per request than net/http, whose transport hands each
// exchange between three goroutines (BenchmarkThroughput, x-net-http).
// https goes through net/http, with HTTP/2 where the server offers it.
// The Fetcher's contract is the same either way: Timeout bounds an
// attempt, body included; a cancelled context ends the requests in
// flight; nothing is retried behind the Fetcher's back, but for a
// request whose kept-alive connection the server closed while it was
// idle, which goes again once on a new connection, as net/http sends it;
// a reset connection reads as one. A response header over 8 KiB, or
// one fasthttp does not parse (lines ending in a bare LF), is fetched
// again over net/http, for idempotent requests. Config.NetHTTP (YAML
// fetch.net_http), a Proxy or a Transport of one's own send everything
// through net/http.
//
// # Retries
//
// Network errors, timeouts and the statuses 408, 425, 429, 500, 502,
// 503 and 504 are retried (Retries times, default 3) after an
// exponential backoff with full jitter, or after the server's
// Retry-After (seconds or an HTTP date) when it sent one. A Retry-After
// beyond MaxRetryAfter fails the item at once with ErrRetryAfterTooLong.
// Other 4xx statuses fail at once. POST and PATCH are not retried unless
// RetryNonIdempotent is set.
//
// # Bodies
//
// Each attempt has a Timeout (default 30s), body included. Bodies are
// capped at MaxBodySize on the wire and MaxDecodedSize after gzip,
// deflate, br or zstd decoding (against decompression bombs). Text
// bodies are converted to UTF-8 before any parser sees them; the
// charset is chosen first, then the body is decoded once. The first of
// these that names an encoding wins, and Response.CharsetSource says
// which one it was:
//
//  1. "bom": a UTF-8 or UTF-16 byte order mark (which is dropped);
//  2. "header": the Content-Type charset parameter (it wins over a
//     conflicting <meta>; an unknown label is ignored);
//  3. "meta": in HTML, a <meta charset> or <meta http-equiv=
//     "Content-Type"> found by the WHATWG prescan of the first 1024
//     bytes (a declared UTF-16 means UTF-8, as in browsers);
//  4. "meta-late": in HTML, such a <meta> further on, as browsers still
//     honour one anywhere in <head>: the search skips the contents of
//     <script>, <style>, <title> and the like, ends at the first element
//     that cannot be in <head> past byte 1024, and never reads past
//     64 KiB;
//  5. "default": UTF-8, when the bytes are valid UTF-8 (a body cut
//     inside its last character counts, if UTF-8 beyond ASCII comes
//     before the cut);
//  6. "detected": the bytes are not UTF-8, so ICU's detector
//     (github.com/saintfish/chardet) judges the first 8 KiB of the
//     text (for HTML, without tags, scripts and styles), and its best
//     guess with a confidence of at least 15 is taken: Windows-1251 and
//     KOI8-R, Shift_JIS and EUC-JP, GBK (as its superset gb18030),
//     EUC-KR, Big5, windows-1252 and the other 8-bit charsets it knows;
//  7. "fallback": windows-1252, when detection trusts nothing.
//
// Response.CharsetConfidence is 100 for 1 to 5, ICU's 15 to 100 for 6,
// and 0 for 7. Detection is only a guess: it needs a few sentences of
// text, and a handful of words may be misread. Response.Raw keeps the
// bytes as received (after content decoding).
//
// Redirects are followed hop by hop — each hop obeys its host's
// robots.txt and limits — up to MaxRedirects, loops are detected, and
// once a redirect leaves the original host the credential headers (Authorization, Cookie,
// Proxy-Authorization and Config.CredentialHeaders) are dropped.
//
// # Failures
//
// Every failure of an item — an error status, a disallowed URL, a body
// too large, too many redirects, exhausted retries — is returned as an
// *[Error] (with the attempt count, which the engine's Failure record
// picks up) wrapped with pipeline.Skip, so the run goes on and the
// failure is counted and dead-lettered. Use errors.As for
// *[StatusError] and errors.Is for the sentinels (ErrDisallowed,
// ErrBodyTooLarge, ErrTooManyRedirects, ErrRedirectLoop,
// ErrRetryAfterTooLong, ErrRetriesExhausted, ErrTimeout, ErrInvalidURL,
// ErrContentEncoding).
package fetch
