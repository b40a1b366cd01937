package mapview

import (
	"encoding/binary"
	"image"
	"sync"
)

// Pixels are handled as little-endian uint32 (R in the low byte, as in
// image.RGBA.Pix), premultiplied, several channels at a time (SWAR).

// scale4 multiplies each channel of p by m/255 (m in 0..255), rounded as
// (x + 128 + (x + 128)>>8) >> 8 with x = channel*m (the exact rounding of
// x/255; J. Blinn, "Three wrongs make a right", IEEE CG&A 1995). The four
// channels are spread to 16-bit lanes of a uint64 (R, B, G, A from the low
// end: a lane holds at most 255*255 + 128 + 254 < 1<<16, so lanes do not
// carry into each other), so that one multiplication serves them all.
func scale4(p, m uint32) uint32 {
	const lanes = 0x00ff00ff00ff00ff
	x := uint64(p)
	x = (x | x<<24) & lanes
	x = x*uint64(m) + 0x0080008000800080
	x = (x + (x>>8)&lanes) >> 8 & lanes
	return uint32(x) | uint32(x>>24)
}

// blendLUT holds, for one premultiplied colour, the colour scaled by every
// coverage 0..255 and the matching destination factor, so that blending a
// pixel is one scale4 and an add.
type blendLUT struct {
	src [256]uint32
	inv [256]uint32
}

// blendLUTs caches the tables of the colours in use (at most 256).
var blendLUTs struct {
	sync.Mutex
	m map[prgba]*blendLUT
}

// blendLUTFor returns the (shared, read-only) table of c.
func blendLUTFor(c prgba) *blendLUT {
	blendLUTs.Lock()
	defer blendLUTs.Unlock()
	if l, ok := blendLUTs.m[c]; ok {
		return l
	}
	if blendLUTs.m == nil || len(blendLUTs.m) >= 256 {
		blendLUTs.m = make(map[prgba]*blendLUT)
	}
	l := newBlendLUT(c)
	blendLUTs.m[c] = l
	return l
}

func newBlendLUT(c prgba) *blendLUT {
	l := new(blendLUT)
	p := c.packed()
	for a := range uint32(256) {
		l.src[a] = scale4(p, a)
		l.inv[a] = 255 - l.src[a]>>24
	}
	return l
}

func (l *blendLUT) blend(d []uint8, a uint32) {
	binary.LittleEndian.PutUint32(d, l.src[a]+scale4(binary.LittleEndian.Uint32(d), l.inv[a]))
}

// over composites premultiplied s over d.
func over(d, s uint32) uint32 {
	return s + scale4(d, 255-s>>24)
}

// blend4 blends premultiplied c with coverage m (0..255) over the pixel d.
func blend4(d []uint8, c prgba, m uint32) {
	binary.LittleEndian.PutUint32(d, over(binary.LittleEndian.Uint32(d), scale4(c.packed(), m)))
}

func blendPixel(dst *image.RGBA, x, y int, c prgba) {
	off := dst.PixOffset(x, y)
	blend4(dst.Pix[off:off+4:off+4], c, 255)
}

// fillRect sets every pixel of r (inside dst) to c.
func fillRect(dst *image.RGBA, r image.Rectangle, c prgba) {
	r = r.Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	w := r.Dx()
	first := dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y):]
	p := c.packed()
	for x := 0; x < w; x++ {
		binary.LittleEndian.PutUint32(first[4*x:], p)
	}
	row := first[:4*w]
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		off := dst.PixOffset(r.Min.X, y)
		copy(dst.Pix[off:off+4*w], row)
	}
}

// le64 reads 8 bytes as a little-endian uint64.
func le64(b []uint8) uint64 { return binary.LittleEndian.Uint64(b) }
