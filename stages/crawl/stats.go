package crawl

import "sync/atomic"

// Stats counts what a crawl did with the URLs it met, for the ledger.
type Stats struct {
	Discovered    int64 // links found on pages (before any check)
	Duplicate     int64 // URLs and pages already seen (canonical and redirect targets included)
	OutOfScope    int64 // links outside the scope (or not http(s))
	OverDepth     int64 // links beyond MaxDepth
	Nofollow      int64 // links marked rel=nofollow
	OverMax       int64 // URLs refused once MaxPages were admitted
	NofollowPages int64 // pages whose robots directives forbid following
	Noindex       int64 // pages whose robots directives forbid extraction
	FollowOnly    int64 // pages no extract rule matched
	Failed        int64 // pages whose fetch failed
	Pages         int64 // pages handed on
	Frontier      int   // URLs queued now
	InFlight      int64 // URLs handed to fetch and not yet done
}

type counters struct {
	discovered, duplicate, outOfScope, overDepth, nofollow, overMax atomic.Int64
	nofollowPages, noindex, followOnly, failed, pages               atomic.Int64
}

// Stats returns the crawl's counters. It is safe to call at any time.
func (c *Crawler) Stats() Stats {
	s := Stats{
		Discovered: c.c.discovered.Load(), Duplicate: c.c.duplicate.Load(), OutOfScope: c.c.outOfScope.Load(),
		OverDepth: c.c.overDepth.Load(), Nofollow: c.c.nofollow.Load(), OverMax: c.c.overMax.Load(),
		NofollowPages: c.c.nofollowPages.Load(), Noindex: c.c.noindex.Load(), FollowOnly: c.c.followOnly.Load(),
		Failed: c.c.failed.Load(), Pages: c.c.pages.Load(), Frontier: c.store.Len(),
	}
	if c.fr != nil {
		s.InFlight = c.fr.InFlight()
	}
	return s
}
