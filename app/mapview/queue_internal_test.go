package mapview

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
)

// TestStripQueueOrder: each worker takes its own run of strips from the
// top down, then the bottom strip of the longest run left; every strip is
// handed out once.
func TestStripQueueOrder(t *testing.T) {
	var q stripQueue
	q.init(10, 2) // runs 0..4 and 5..9
	var got []int
	// Worker 0 takes 3, worker 1 takes 1: runs 3..4 and 6..9 are left.
	for _, k := range []int{0, 0, 0, 1} {
		got = append(got, q.take(k))
	}
	if want := []int{0, 1, 2, 5}; !slices.Equal(got, want) {
		t.Fatalf("first takes %v, want %v", got, want)
	}
	// Worker 0 finishes its run, then steals from the bottom of run 1,
	// the longest; worker 1 goes on from the top of its run.
	got = got[:0]
	for _, k := range []int{0, 0, 0, 1, 0, 1, 0, 1} {
		got = append(got, q.take(k))
	}
	if want := []int{3, 4, 9, 6, 8, 7, -1, -1}; !slices.Equal(got, want) {
		t.Fatalf("then %v, want %v", got, want)
	}
	// Runs of a few strips, more workers than strips in a run.
	for n := 1; n <= 20; n++ {
		for workers := 1; workers <= min(8, n); workers++ {
			q.init(n, workers)
			seen := make([]int, n)
			for k := 0; ; k = (k + 1) % workers {
				i := q.take(k)
				if i < 0 {
					break
				}
				seen[i]++
			}
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("n=%d workers=%d: strip %d taken %d times", n, workers, i, c)
				}
			}
		}
	}
}

// TestStripQueueConcurrent: workers taking strips at once get every strip
// once.
func TestStripQueueConcurrent(t *testing.T) {
	for range 200 {
		var q stripQueue
		const n, workers = 57, 4
		q.init(n, workers)
		var seen [n]atomic.Int32
		var wg sync.WaitGroup
		for k := range workers {
			wg.Go(func() {
				for i := q.take(k); i >= 0; i = q.take(k) {
					seen[i].Add(1)
				}
			})
		}
		wg.Wait()
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("strip %d taken %d times", i, c)
			}
		}
	}
}

// TestArenaCharge: an arena adds chargeChunk bytes at a time to the total
// and counts entries off them; past maxCacheBytes it refuses.
func TestArenaCharge(t *testing.T) {
	var total atomic.Int64
	var a arena
	if !a.charge(&total, 100) || total.Load() != chargeChunk || a.credit != chargeChunk-100 {
		t.Fatalf("after 100 bytes: total %d, credit %d", total.Load(), a.credit)
	}
	if !a.charge(&total, chargeChunk-100) || total.Load() != chargeChunk || a.credit != 0 {
		t.Fatalf("after the chunk: total %d, credit %d", total.Load(), a.credit)
	}
	// An entry larger than a chunk is counted whole.
	if !a.charge(&total, 3*chargeChunk) || total.Load() != 4*chargeChunk || a.credit != 0 {
		t.Fatalf("after a large entry: total %d, credit %d", total.Load(), a.credit)
	}
	total.Store(maxCacheBytes - chargeChunk/2)
	if a.charge(&total, 10) {
		t.Fatal("charge past maxCacheBytes succeeded")
	}
	a.sync(&total, 7)
	if a.credit != 0 {
		t.Fatalf("credit %d after a new generation, want 0", a.credit)
	}
}

// TestAreaPixelsBound: the pixel bound areaPixels takes from the item's
// plane bound is the bound of the transformed vertices, for random rings
// and transforms (scales from 1e-3 to 1e6 pixels per unit, sub-pixel
// phases).
func TestAreaPixelsBound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		var pts []orb.Point
		starts := []int32{0}
		for range 1 + r.IntN(3) {
			cx, cy := r.Float64()*2000-1000, r.Float64()*2000-1000
			for range 3 + r.IntN(40) {
				pts = append(pts, orb.Point{cx + r.NormFloat64()*50, cy + r.NormFloat64()*50})
			}
			starts = append(starts, int32(len(pts)))
		}
		sc := &scene{area: pathSet{pts: pts, start: starts, item: []int32{0, int32(len(starts) - 1)}, closed: true, simp: &simpCache{}}}
		scale := math.Pow(10, r.Float64()*9-3)
		job := &renderJob{sc: sc, xf: xform{s: scale}, fx: r.Float64(), fy: r.Float64()}
		job.areaLevel = sc.area.simp.level(scale, 1)
		var w worker
		w.xy = append(w.xy, 1, 2) // something before
		_, _, start, _, ox, oy, mw, mh := w.areaPixels(job, 0)
		xy := w.xy[start:]
		if len(xy) < 6 {
			continue
		}
		minX, minY, maxX, maxY := xy[0], xy[1], xy[0], xy[1]
		for k := 0; k+1 < len(xy); k += 2 {
			minX, maxX = min(minX, xy[k]), max(maxX, xy[k])
			minY, maxY = min(minY, xy[k+1]), max(maxY, xy[k+1])
		}
		wox, woy := int(math.Floor(float64(minX))), int(math.Floor(float64(minY)))
		wmw, wmh := int(math.Ceil(float64(maxX)))-wox, int(math.Ceil(float64(maxY)))-woy
		if ox != wox || oy != woy || mw != wmw || mh != wmh {
			t.Fatalf("trial %d: bound (%d,%d) %d×%d, want (%d,%d) %d×%d", trial, ox, oy, mw, mh, wox, woy, wmw, wmh)
		}
		// The vertices and ring ends are those of the item.
		it := job.areaLevel.get(&sc.area, 0, &w.simp)
		if len(xy) != 2*len(it.pts) || len(w.tmpRings) != len(it.ends) || int(w.tmpRings[len(w.tmpRings)-1]) != len(w.xy) {
			t.Fatalf("trial %d: %d coordinates, rings %v, for %d vertices, ends %v", trial, len(xy), w.tmpRings, len(it.pts), it.ends)
		}
	}
}
