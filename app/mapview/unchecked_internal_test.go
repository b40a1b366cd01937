package mapview

import (
	"encoding/binary"
	"image"
	"testing"
)

// TestFillSpansWidths: spans of every width from 1 to 70 pixels at every
// start column of a 4-pixel period store the colour in exactly their pixels
// (the overlapping 8-byte stores of fillSpans stay inside the span).
func TestFillSpansWidths(t *testing.T) {
	const w = 100
	dst := image.NewRGBA(image.Rect(0, 0, w, 1))
	const p = 0x80402010
	for n := 1; n <= 70; n++ {
		for x0 := 0; x0 < 4 && x0+n <= w; x0++ {
			clear(dst.Pix)
			fillSpans(dst, []int32{0, 2}, []int32{int32(x0), int32(x0 + n)}, 0, 0, 0, 0, 1, p)
			for x := range w {
				got := binary.LittleEndian.Uint32(dst.Pix[4*x:])
				want := uint32(0)
				if x >= x0 && x < x0+n {
					want = p
				}
				if got != want {
					t.Fatalf("span [%d,%d): pixel %d = %08x, want %08x", x0, x0+n, x, got, want)
				}
			}
		}
	}
	// Spans reaching past the image's columns are clamped.
	clear(dst.Pix)
	fillSpans(dst, []int32{0, 2}, []int32{-5, w + 7}, 0, 0, 0, 0, 1, p)
	for x := range w {
		if got := binary.LittleEndian.Uint32(dst.Pix[4*x:]); got != p {
			t.Fatalf("clamped span: pixel %d = %08x", x, got)
		}
	}
}

// TestSpriteOpsOutOfRange: storeRuns and blendPxs given steps that fall
// outside the pixels (which drawPoints never does) write only the steps
// inside, without a panic.
func TestSpriteOpsOutOfRange(t *testing.T) {
	pix := make([]uint8, 4*10)
	runs := []spriteOp{{off: -8, n: 3, v: 0xff0000ff}, {off: 12, n: 2, v: 0xff00ff00}, {off: 36, n: 3, v: 0xffff0000}}
	storeRuns(pix, 0, runs)
	for x := range 10 {
		got := binary.LittleEndian.Uint32(pix[4*x:])
		want := uint32(0)
		if x == 3 || x == 4 {
			want = 0xff00ff00
		}
		if got != want {
			t.Errorf("storeRuns: pixel %d = %08x, want %08x", x, got, want)
		}
	}
	clear(pix)
	blendPxs(pix, 4, []blendPx{{off: -8, v: 0x80808080, inv: 0x7f}, {off: 0, v: 0x80808080, inv: 0x7f}, {off: 36, v: 0x80808080, inv: 0x7f}})
	for x := range 10 {
		got := binary.LittleEndian.Uint32(pix[4*x:])
		want := uint32(0)
		if x == 1 {
			want = 0x80808080 // over transparent black
		}
		if got != want {
			t.Errorf("blendPxs: pixel %d = %08x, want %08x", x, got, want)
		}
	}
}

// TestBlendPairsRows: blendPairs blends the pixels of pairs in the rows
// asked for only: a shallow pair whose first pixel is in the row above
// blends its second pixel; a steep pair blends both pixels of its row;
// pairs below are left out.
func TestBlendPairsRows(t *testing.T) {
	const w, h = 8, 6
	stride := 4 * w
	lut := newBlendLUT(prgba{255, 255, 255, 255})
	b := []uint64{
		pairPlot(1, 2, 255, 255, false), // (2,1) above the rows, (2,2) in them
		pairPlot(3, 4, 255, 128, true),  // (4,3) and (5,3)
		pairPlot(4, 1, 255, 255, false), // (1,4) in, (1,5) below
		pairPlot(5, 6, 255, 255, true),  // below
	}
	pix := make([]uint8, stride*h)
	blendPairs(pix, 0, stride, b, 2, 5, lut)
	want := map[[2]int]uint32{{2, 2}: 0xffffffff, {4, 3}: 0xffffffff, {5, 3}: 0x80808080, {1, 4}: 0xffffffff}
	for y := range h {
		for x := range w {
			got := binary.LittleEndian.Uint32(pix[y*stride+4*x:])
			if got != want[[2]int{x, y}] {
				t.Errorf("pixel (%d,%d) = %08x, want %08x", x, y, got, want[[2]int{x, y}])
			}
		}
	}
}
