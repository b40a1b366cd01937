package mapview

import (
	"encoding/binary"
	"image"
	"math"
	"slices"
	"testing"
)

// TestScale4Exact: every channel of scale4(p, m) is channel*m/255 rounded
// to the nearest integer, whatever the other channels hold.
func TestScale4Exact(t *testing.T) {
	for m := uint32(0); m < 256; m++ {
		for c := uint32(0); c < 256; c++ {
			want := uint32(math.Round(float64(c*m) / 255))
			for sh := uint(0); sh < 32; sh += 8 {
				for _, other := range []uint32{0, 0xffffffff, 0x80ff0080} {
					p := other&^(0xff<<sh) | c<<sh
					if got := scale4(p, m) >> sh & 0xff; got != want {
						t.Fatalf("scale4(%08x, %d) channel %d = %d, want %d", p, m, sh/8, got, want)
					}
				}
			}
		}
	}
}

// TestSpriteOps: drawing a sprite's runs and blends gives, for every
// sub-pixel phase, the sprite's pixels stored where opaque and composited
// over the image elsewhere.
func TestSpriteOps(t *testing.T) {
	d := newDiscMasks(3.5, 1)
	sp := d.sprite(premul(DefaultFill).packed(), premul(DefaultPointOutline).packed())
	const w, h = 16, 12
	stride := 4 * w
	sp.opsFor(stride)
	bg := func(x, y int) uint32 { return uint32(0xff000000 | (x*37)<<16 | (y*53)<<8 | (x*y)&0xff) }
	for k := range sp.px {
		pix := make([]uint8, stride*h)
		want := make([]uint8, stride*h)
		for y := range h {
			for x := range w {
				binary.LittleEndian.PutUint32(pix[y*stride+4*x:], bg(x, y))
				binary.LittleEndian.PutUint32(want[y*stride+4*x:], bg(x, y))
			}
		}
		const mx, my = 3, 1
		for y := range sp.n {
			for x := range sp.n {
				v := sp.px[k][y*sp.n+x]
				o := (my+y)*stride + 4*(mx+x)
				switch {
				case v == 0:
				case v>>24 == 255:
					binary.LittleEndian.PutUint32(want[o:], v)
				default:
					binary.LittleEndian.PutUint32(want[o:], over(binary.LittleEndian.Uint32(want[o:]), v))
				}
			}
		}
		base := my*stride + 4*mx
		storeRuns(pix, base, sp.runs[k])
		blendPxs(pix, base, sp.bl[k])
		for o := 0; o < len(pix); o += 4 {
			if g, e := binary.LittleEndian.Uint32(pix[o:]), binary.LittleEndian.Uint32(want[o:]); g != e {
				t.Fatalf("phase %d, pixel (%d,%d): %08x, want %08x", k, o%stride/4, o/stride, g, e)
			}
		}
	}
}

// TestHairPlots: the plots of a horizontal and a vertical hairline 0.5 px
// wide: ink 0.5*255 per major step, split between the two pixels nearest
// the line along the minor axis.
func TestHairPlots(t *testing.T) {
	var w worker
	frame := image.Rect(0, 0, 10, 10)
	plot := func(row, col int, a uint64) uint64 { return uint64(row)<<40 | uint64(col)<<8 | a }
	for _, c := range []struct {
		name           string
		ax, ay, bx, by float64
		want           []uint64
	}{
		{"horizontal", 1, 5.5, 6, 5.5, []uint64{plot(5, 1, 128), plot(5, 2, 128), plot(5, 3, 128), plot(5, 4, 128), plot(5, 5, 128)}},
		{"vertical", 3.25, 4, 3.25, 0, []uint64{
			plot(0, 2, 32), plot(0, 3, 96), plot(1, 2, 32), plot(1, 3, 96),
			plot(2, 2, 32), plot(2, 3, 96), plot(3, 2, 32), plot(3, 3, 96)}},
		{"clipped to the frame", 3.25, 4, 3.25, -7, []uint64{
			plot(0, 2, 32), plot(0, 3, 96), plot(1, 2, 32), plot(1, 3, 96),
			plot(2, 2, 32), plot(2, 3, 96), plot(3, 2, 32), plot(3, 3, 96)}},
	} {
		w.hp = w.hp[:0]
		w.hairPlots(frame, c.ax, c.ay, c.bx, c.by, 0.5, false)
		if !slices.Equal(w.hp, c.want) {
			t.Errorf("%s: plots %x, want %x", c.name, w.hp, c.want)
		}
	}
}
