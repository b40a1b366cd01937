package planner

// hashed is a 64-bit hash of a key and the index of its owner (an
// account), for finding equal keys among a million by sorting instead of
// by a map: on two cores a map of a million keys costs about a microsecond
// an access, mostly cache misses, while a radix sort of the pairs streams
// through memory.
type hashed struct {
	h uint64
	i int32
}

const (
	fnvOffset = 14695981039346656037 // FNV-1a 64-bit offset basis (Fowler, Noll, Vo; RFC draft-eastlake-fnv)
	fnvPrime  = 1099511628211        // FNV-1a 64-bit prime
)

// hashString returns the FNV-1a 64-bit hash of s.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for k := 0; k < len(s); k++ {
		h = (h ^ uint64(s[k])) * fnvPrime
	}
	return h
}

// sortHashed sorts a by hash, stably (equal hashes keep the order of their
// indices when a was in index order): a least-significant-digit radix sort,
// four passes of 16 bits (Knuth, TAOCP vol. 3, 5.2.5). It uses a scratch
// slice as long as a.
func sortHashed(a []hashed) {
	if len(a) < 256 {
		// Insertion sort: stable, and cheaper than the counting arrays.
		for i := 1; i < len(a); i++ {
			for j := i; j > 0 && a[j].h < a[j-1].h; j-- {
				a[j], a[j-1] = a[j-1], a[j]
			}
		}
		return
	}
	tmp := make([]hashed, len(a))
	src, dst := a, tmp
	count := make([]int, 1<<16)
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count)
		for _, x := range src {
			count[(x.h>>shift)&0xFFFF]++
		}
		sum := 0
		for k, c := range count {
			count[k] = sum
			sum += c
		}
		for _, x := range src {
			k := (x.h >> shift) & 0xFFFF
			dst[count[k]] = x
			count[k]++
		}
		src, dst = dst, src
	}
	// Four passes: the result is back in a.
}

// equalRuns calls same(i, j) for the indices of each run of equal hashes in
// the sorted a, i the first of the run in index order and j a later one, for
// every j; same confirms that the keys are equal (hashes may collide).
// When same says no, j is tried against the run's next members before it,
// so a collision never hides a duplicate.
func equalRuns(a []hashed, same func(i, j int32) bool) {
	for start := 0; start < len(a); {
		end := start + 1
		for end < len(a) && a[end].h == a[start].h {
			end++
		}
		for k := start + 1; k < end; k++ {
			for f := start; f < k; f++ {
				if same(a[f].i, a[k].i) {
					break
				}
			}
		}
		start = end
	}
}
