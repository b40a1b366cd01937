package mapview

import "math/bits"

// measureRows fills rows with the extents (see maskRow) of the rows of the
// w×h mask pix, reading it 8 bytes at a time.
func measureRows(pix []uint8, w, h int, rows []maskRow) {
	const lo7, hi1 = 0x0101010101010101, 0x8080808080808080
	for y := range h {
		row := pix[y*w : y*w+w : y*w+w]
		// a: first nonzero byte.
		a := 0
		for a+8 <= w {
			if v := le64(row[a:]); v != 0 {
				a += bits.TrailingZeros64(v) >> 3
				goto foundA
			}
			a += 8
		}
		for a < w && row[a] == 0 {
			a++
		}
		if a == w {
			rows[y] = maskRow{}
			continue
		}
	foundA:
		// b: one past the last nonzero byte.
		b := w
		for b-8 >= a {
			if v := le64(row[b-8:]); v != 0 {
				b -= bits.LeadingZeros64(v) >> 3
				goto foundB
			}
			b -= 8
		}
		for row[b-1] == 0 {
			b--
		}
	foundB:
		// s: first full byte in [a, b).
		s := a
		for s+8 <= b {
			t := ^le64(row[s:]) // zero bytes of t are 0xff bytes of the row
			if z := (t - lo7) &^ t & hi1; z != 0 {
				s += bits.TrailingZeros64(z) >> 3
				goto foundS
			}
			s += 8
		}
		for s < b && row[s] != 255 {
			s++
		}
		if s == b {
			rows[y] = maskRow{uint16(a), uint16(a), uint16(a), uint16(b)}
			continue
		}
	foundS:
		// e: end of the run of full bytes from s.
		e := s
		for e+8 <= b {
			v := le64(row[e:])
			if v != ^uint64(0) {
				e += bits.TrailingZeros64(^v) >> 3
				goto foundE
			}
			e += 8
		}
		for e < b && row[e] == 255 {
			e++
		}
	foundE:
		rows[y] = maskRow{uint16(a), uint16(s), uint16(e), uint16(b)}
	}
}
