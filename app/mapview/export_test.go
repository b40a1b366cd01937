package mapview

import (
	"testing"
	"time"
)

// WaitIdle waits until no background render is running or queued (in the
// test driver fyne.Do runs synchronously, so the result is then shown).
func WaitIdle(tb testing.TB, m *Map) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m.mu.Lock()
		busy := m.rendering
		m.mu.Unlock()
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("background render did not finish")
		}
		time.Sleep(time.Millisecond)
	}
}
