// Package editdist measures how far apart two words are, for the "did
// you mean" hints of the field syntax parser and of package inspect.
package editdist

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Closest returns the candidate nearest to w, or "" when none is within
// max(2, len(w)/3) edits.
func Closest(w string, cands []string) string {
	best, bestD := "", max(2, len(w)/3)+1
	for _, c := range cands {
		if d := Distance(w, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
