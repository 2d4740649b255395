package job

import "strings"

// suggest returns a candidate word was probably meant to be: one that
// starts with word (less its last letter), else the candidate closest to
// word by edit distance if that is close enough to be a plausible typo (at
// most a third of the word's length, or 2 edits), else "".
func suggest(word string, candidates []string) string {
	if len(word) >= 4 {
		for _, c := range candidates {
			if strings.HasPrefix(c, word[:len(word)-1]) {
				return c // "retry" → "retries", "timeo" → "timeout"
			}
		}
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(word, c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(len(word)/3, 2)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, with a
// transposition of two adjacent letters counted as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
