package crawl_test
const childEnv = "SLUICE_CRAWL_CHILD"
func runChild() int { return 0 }
