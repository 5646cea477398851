// Package memo remembers values worked out from a key, for whoever asks
// again: the models and rules of a run ask from several goroutines.
package memo

import "sync"

// Map remembers computed values by key; safe for concurrent use. Two
// callers may compute one key at once: the values must be equal, and the
// last one stays. The zero Map is empty and ready.
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

// Get returns the value kept for k, or computes it, keeps it and returns
// it. compute runs without the lock held, so it may ask the Map again.
func (m *Map[K, V]) Get(k K, compute func() V) V {
	m.mu.Lock()
	v, ok := m.m[k]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	m.mu.Lock()
	if m.m == nil {
		m.m = map[K]V{}
	}
	m.m[k] = v
	m.mu.Unlock()
	return v
}
