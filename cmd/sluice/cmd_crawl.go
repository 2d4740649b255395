package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sluicehq/sluice/job"
	"github.com/sluicehq/sluice/stages/crawl"
)

// crawlFlags are the flags crawl adds to scrape's.
type crawlFlags struct {
	seeds, scope, store                        string
	maxDepth, commitEvery                      int
	maxPages                                   int64
	follow, extractURL, extractHas, sitemaps   []string
	robotsSitemaps, ignoreNofollow, ignoreMeta bool
}

func (a *app) crawlCmd() *cobra.Command {
	var sf scrapeFlags
	var cf crawlFlags
	var flags runFlags
	cmd := &cobra.Command{
		Use:   "crawl URL... -o OUTPUT --field NAME=SELECTOR...",
		Short: "Crawl a site from seed pages, following links, and extract fields",
		Long: `Start from the seed URLs (and --seeds FILE, --sitemap), follow links within
--scope, extract the --field values from the pages the --extract-url and
--extract-has rules pick (default: every page) and write them to -o, one
record per page (or per --items match), each with the page's url.

Each URL is fetched once: links are deduplicated on the normalized URL
(fragment dropped, query sorted, <link rel=canonical> and redirects
honoured). rel=nofollow, <meta name=robots> and robots.txt are obeyed by
default. The frontier is kept on disk in OUTPUT.frontier, so memory stays
flat however large the site; after a crash or kill, --resume goes on where
the crawl stopped, refetching only the pages that were in flight.

Flags shared with scrape mean the same here, --field included (see
sluice scrape --help for its syntax).`,
		Example: `  sluice crawl https://shop.example/ --field name=h1 --field 'price=.price|float' \
      --extract-has div.product -o products.jsonl
  sluice crawl https://shop.example/ --scope prefix --max-depth 3 --follow 'nav a' \
      --follow 'a.next' --extract-url '/p/[0-9]+$' --field name=h1 -o products.db
  sluice crawl --sitemap https://shop.example/sitemap.xml --max-depth 0 --field title=title -o titles.csv
  sluice crawl https://shop.example/ --field name=h1 -o products.db --resume`,
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := cf.job(&sf, args)
			if err != nil {
				return usageError(err)
			}
			return a.execute(cmd.Context(), j, flags, "sluice crawl "+strings.Join(quoteArgs(cmd), " ")+" --resume")
		},
	}
	sf.register(cmd.Flags())
	_ = cmd.MarkFlagRequired("output")
	cf.register(cmd.Flags())
	flags.register(cmd.Flags())
	return cmd
}

func (cf *crawlFlags) register(f *pflag.FlagSet) {
	f.StringVar(&cf.seeds, "seeds", "", "a file of seed URLs: .csv (URL column --column), .jsonl, or one URL per line; - for stdin")
	f.StringArrayVar(&cf.sitemaps, "sitemap", nil, "a sitemap whose URLs are seeds (indexes followed, gzip read; repeatable)")
	f.BoolVar(&cf.robotsSitemaps, "robots-sitemaps", false, "also seed from the sitemaps each seed site's robots.txt names")
	f.StringVar(&cf.scope, "scope", "host", "links followed: host, domain, prefix (under a seed's directory) or regex:EXPR")
	f.IntVar(&cf.maxDepth, "max-depth", 0, "deepest link depth followed, seeds being 0 (0: no limit)")
	f.Int64Var(&cf.maxPages, "max-pages", 0, "most URLs admitted to the frontier, over resumed runs too (0: no limit)")
	f.StringArrayVar(&cf.follow, "follow", nil, "CSS selector of the links to follow (repeatable; default a[href], area[href], link[rel=next])")
	f.StringArrayVar(&cf.extractURL, "extract-url", nil, "extract pages whose URL this regex matches (repeatable; any rule picks a page)")
	f.StringArrayVar(&cf.extractHas, "extract-has", nil, "extract pages with a match for this CSS selector (repeatable)")
	f.BoolVar(&cf.ignoreNofollow, "ignore-nofollow", false, "follow rel=nofollow links too")
	f.BoolVar(&cf.ignoreMeta, "ignore-robots-meta", false, "disregard <meta name=robots> and X-Robots-Tag (noindex, nofollow)")
	f.StringVar(&cf.store, "store", "", "frontier file (default OUTPUT.frontier)")
	f.IntVar(&cf.commitEvery, "commit-every", 0, "commit the output after this many pages (default 1000, or every 5s); a kill refetches at most this many pages more")
}

// job builds and validates the crawl job the flags describe.
func (cf *crawlFlags) job(sf *scrapeFlags, urls []string) (*job.Job, error) {
	if len(urls) == 0 && cf.seeds == "" && len(cf.sitemaps) == 0 {
		return nil, fmt.Errorf("no seeds: give URLs, --seeds FILE or --sitemap URL")
	}
	spec, err := sf.job(cf.seeds)
	if err != nil {
		return nil, err
	}
	spec.Name = "crawl"
	if cf.seeds == "" {
		spec.Source = job.SourceSpec{}
	}
	c := &job.CrawlSpec{URLs: urls, Sitemaps: cf.sitemaps, RobotsSitemaps: cf.robotsSitemaps, Scope: cf.scope,
		MaxDepth: cf.maxDepth, MaxPages: cf.maxPages, Follow: cf.follow, IgnoreNofollow: cf.ignoreNofollow,
		IgnoreRobotsMeta: cf.ignoreMeta, Store: cf.store}
	for _, re := range cf.extractURL {
		c.Extract = append(c.Extract, job.CrawlRule{URL: re})
	}
	for _, sel := range cf.extractHas {
		c.Extract = append(c.Extract, job.CrawlRule{Has: sel})
	}
	spec.Crawl = c
	spec.Commit.Every = cf.commitEvery
	j, err := job.FromSpec("crawl", spec, job.Options{})
	if err != nil {
		return nil, flagError(err)
	}
	return j, nil
}

// flagError rewords a job error about the crawl section in flag terms.
func flagError(err error) error {
	msg := err.Error()
	for path, flag := range map[string]string{"crawl.urls": "seed URL", "crawl.sitemaps": "--sitemap", "crawl.scope": "--scope",
		"crawl.follow": "--follow", "crawl.extract": "--extract-url/--extract-has", "crawl.max_depth": "--max-depth",
		"crawl.max_pages": "--max-pages", "crawl.robots_sitemaps": "--robots-sitemaps"} {
		if i := strings.Index(msg, path); i >= 0 {
			rest := msg[i+len(path):]
			if j := strings.Index(rest, ": "); j >= 0 {
				rest = rest[j+2:]
			}
			if flag == "seed URL" {
				return errors.New(rest)
			}
			return fmt.Errorf("%s: %s", flag, rest)
		}
	}
	return err
}

// writeCrawlStats prints what the crawl did with the URLs it met, after
// the ledger table.
func writeCrawlStats(w io.Writer, st *crawl.Stats) {
	fmt.Fprintf(w, "\ncrawl: %d pages extracted, %d followed only, %d noindex, %d failed to fetch\n",
		st.Pages, st.FollowOnly, st.Noindex, st.Failed)
	fmt.Fprintf(w, "links: %d discovered, %d duplicate, %d out of scope, %d over depth, %d nofollow, %d over max pages",
		st.Discovered, st.Duplicate, st.OutOfScope, st.OverDepth, st.Nofollow, st.OverMax)
	if st.NofollowPages > 0 {
		fmt.Fprintf(w, " (+ links of %d nofollow pages not read)", st.NofollowPages)
	}
	fmt.Fprintf(w, "\nfrontier: %d queued, %d in flight\n", st.Frontier, st.InFlight)
}
