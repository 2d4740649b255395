//go:build race

package dist

// raceEnabled: worker children are race-instrumented too, ~10x slower.
const raceEnabled = true
