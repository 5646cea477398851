//go:build race

package main

// raceEnabled: the race detector multiplies time and memory, so heap
// measurements are skipped under it.
const raceEnabled = true
