package planner

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// DuplicateReason says why accounts were flagged as likely duplicates.
type DuplicateReason uint8

// The reasons for duplicates.
const (
	// DuplicateExternalID: the rows have the same external ID.
	DuplicateExternalID DuplicateReason = iota
	// DuplicateNameAndPostal: the rows have the same normalised name and
	// postal code (letters and digits only, case ignored: "St. Mary's
	// Hospital" and "ST MARYS HOSPITAL" are the same name) and at least one
	// of them has no external ID or they differ.
	DuplicateNameAndPostal
)

// String returns "same external ID" or "same name and postal code".
func (d DuplicateReason) String() string {
	if d == DuplicateExternalID {
		return "same external ID"
	}
	return "same name and postal code"
}

// Resolution says what becomes of a group of duplicates.
type Resolution uint8

// The resolutions of a DuplicateGroup.
const (
	// KeepAll keeps every account. Since external IDs are unique in a plan,
	// the later accounts of a group with the same external ID lose it.
	KeepAll Resolution = iota
	// MergeDuplicates keeps one account: the first row wins, and its empty
	// fields (text, location with its unit, unknown potential, custom
	// values) are filled from the later rows, in row order.
	MergeDuplicates
	// SkipLater keeps the first row's account only.
	SkipLater
)

// String returns "keep all", "merge" or "skip later rows".
func (r Resolution) String() string {
	switch r {
	case MergeDuplicates:
		return "merge"
	case SkipLater:
		return "skip later rows"
	}
	return "keep all"
}

// DuplicateGroup is a set of imported accounts that are likely the same.
type DuplicateGroup struct {
	Reason DuplicateReason
	// Accounts are indices into ImportResult.Accounts, in row order; the
	// first is the account the others duplicate. Groups are disjoint: rows
	// linked by either reason, directly or through other rows, are one
	// group, whose Reason is DuplicateExternalID when any two of its rows
	// share an external ID.
	Accounts []int
	// Resolution is what Resolved does with the group. ImportAccounts sets
	// MergeDuplicates for DuplicateExternalID (the same CRM record twice)
	// and KeepAll for DuplicateNameAndPostal (two sites of one chain may
	// share a name and ZIP); the user may change it.
	Resolution Resolution
}

// dupFinder finds duplicates. While rows stream in it keeps, per account, a
// 64-bit FNV-1a hash of the external ID and one of the normalised name and
// postal code (12 bytes each, no string allocated); once every row is read,
// it sorts the hashes (sortHashed) and links the accounts whose keys are
// equal, confirming each hash match by comparing the values, so that a
// collision never groups different accounts. Linked accounts form disjoint
// groups (union-find, Cormen et al., Introduction to Algorithms, ch. 21).
type dupFinder struct {
	byID, byName []hashed
}

// add notes account i of res.
func (d *dupFinder) add(res *ImportResult, i int) {
	a := &res.Accounts[i]
	if a.ExternalID != "" {
		d.byID = append(d.byID, hashed{hashString(a.ExternalID), int32(i)})
	}
	if a.Name != "" && a.ZIP != "" {
		d.byName = append(d.byName, hashed{hashNorm(hashNorm(fnvOffset, a.Name)*fnvPrime, a.ZIP), int32(i)})
	}
}

// done groups the duplicates into res.Duplicates, in the order of their
// first accounts, and releases the hashes.
func (d *dupFinder) done(res *ImportResult) {
	var parent map[int32]int32 // union-find over the linked accounts only
	var viaID map[int32]bool   // roots of sets linked by an external ID
	find := func(x int32) int32 {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			if gp, ok := parent[p]; ok {
				parent[x] = gp // path halving
			}
			x = p
		}
	}
	union := func(x, y int32, id bool) {
		if parent == nil {
			parent, viaID = map[int32]int32{}, map[int32]bool{}
		}
		rx, ry := find(x), find(y)
		if rx == ry {
			if id {
				viaID[rx] = true
			}
			return
		}
		if rx > ry {
			rx, ry = ry, rx
		}
		parent[rx], parent[ry] = rx, rx // the earliest account is the root
		if id || viaID[ry] {
			viaID[rx] = true
		}
		delete(viaID, ry)
	}
	acc := res.Accounts
	sortHashed(d.byID)
	equalRuns(d.byID, func(i, j int32) bool {
		if acc[i].ExternalID != acc[j].ExternalID {
			return false
		}
		union(i, j, true)
		return true
	})
	sortHashed(d.byName)
	equalRuns(d.byName, func(i, j int32) bool {
		if !sameNorm(acc[i].Name, acc[j].Name) || !sameNorm(acc[i].ZIP, acc[j].ZIP) {
			return false
		}
		union(i, j, false)
		return true
	})
	*d = dupFinder{}
	if parent == nil {
		return
	}
	members := make([]int32, 0, len(parent))
	for x := range parent {
		members = append(members, x)
	}
	slices.Sort(members)
	group := map[int32]int{} // root -> index in res.Duplicates
	for _, x := range members {
		r := find(x)
		g, ok := group[r]
		if !ok {
			g = len(res.Duplicates)
			group[r] = g
			dg := DuplicateGroup{Reason: DuplicateNameAndPostal, Resolution: KeepAll}
			if viaID[r] {
				dg.Reason, dg.Resolution = DuplicateExternalID, MergeDuplicates
			}
			res.Duplicates = append(res.Duplicates, dg)
		}
		res.Duplicates[g].Accounts = append(res.Duplicates[g].Accounts, int(x))
	}
}

// normRunes calls yield with each letter and digit of s, lower-cased.
func normRunes(s string, yield func(r rune)) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				yield(rune(c))
			case c >= 'A' && c <= 'Z':
				yield(rune(c + 'a' - 'A'))
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			yield(unicode.ToLower(r))
		}
	}
}

// hashNorm folds the normalised runes of s into the FNV-1a hash h (each
// rune's bytes, low first), as normRunes yields them.
func hashNorm(h uint64, s string) uint64 {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII inline: the common case
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			default:
				continue
			}
			h = (h ^ uint64(c)) * fnvPrime
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			for r = unicode.ToLower(r); r > 0; r >>= 8 {
				h = (h ^ uint64(r&0xFF)) * fnvPrime
			}
		}
	}
	return h
}

// sameNorm reports whether a and b have the same normalised runes.
func sameNorm(a, b string) bool {
	var ra, rb []rune
	normRunes(a, func(r rune) { ra = append(ra, r) })
	normRunes(b, func(r rune) { rb = append(rb, r) })
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if ra[i] != rb[i] {
			return false
		}
	}
	return true
}

// Resolved returns the accounts to import once every duplicate group's
// Resolution is applied (see Resolution), in file order: a merged group
// stands where its first row was. An external ID that two of the accounts
// would still share (kept duplicates) is kept by the first only, so that
// the accounts fit in a plan. res is not changed (merged custom values are
// copied). Rows skipped by ImportOptions.SkipBad are not in it.
func (res *ImportResult) Resolved() []Account {
	out := make([]Account, 0, len(res.Accounts))
	res.resolved(func(a *Account) { out = append(out, *a) })
	return out
}

// resolved calls yield with each account that Resolved returns, in order,
// without copying the accounts of no group; yield must not change *a.
func (res *ImportResult) resolved(yield func(a *Account)) {
	if len(res.Duplicates) == 0 {
		for i := range res.Accounts {
			yield(&res.Accounts[i])
		}
		return
	}
	drop := map[int]bool{}
	grouped := map[int]bool{}
	merged := map[int]Account{}
	for _, g := range res.Duplicates {
		for _, i := range g.Accounts {
			grouped[i] = true
		}
		if len(g.Accounts) < 2 || g.Resolution == KeepAll {
			continue
		}
		for _, i := range g.Accounts[1:] {
			drop[i] = true
		}
		if g.Resolution == MergeDuplicates {
			first := g.Accounts[0]
			a := res.Accounts[first]
			a.Fields = append([]string(nil), a.Fields...)
			for _, i := range g.Accounts[1:] {
				fillEmpty(&a, &res.Accounts[i])
			}
			merged[first] = a
		}
	}
	seen := map[string]bool{} // external IDs of the grouped accounts kept so far
	for i := range res.Accounts {
		if !grouped[i] {
			yield(&res.Accounts[i])
			continue
		}
		if drop[i] {
			continue
		}
		a, ok := merged[i]
		if !ok {
			a = res.Accounts[i]
		}
		// Only grouped accounts can share an external ID: ImportAccounts
		// groups every repeated one.
		if a.ExternalID != "" {
			if seen[a.ExternalID] {
				a.ExternalID = ""
			}
			seen[a.ExternalID] = true
		}
		yield(&a)
	}
}

// fillEmpty fills a's empty fields from b's.
func fillEmpty(a, b *Account) {
	for _, p := range [...][2]*string{
		{&a.ExternalID, &b.ExternalID}, {&a.Name, &b.Name}, {&a.Address, &b.Address},
		{&a.City, &b.City}, {&a.State, &b.State}, {&a.ZIP, &b.ZIP},
		{&a.Segment, &b.Segment}, {&a.Owner, &b.Owner},
	} {
		if *p[0] == "" {
			*p[0] = *p[1]
		}
	}
	if !a.HasLocation && b.HasLocation {
		a.Location, a.HasLocation, a.UnitCode, a.Placement = b.Location, true, b.UnitCode, b.Placement
	}
	if !a.Potential.Known {
		a.Potential = b.Potential
	}
	for k := range a.Fields {
		if a.Fields[k] == "" && k < len(b.Fields) {
			a.Fields[k] = b.Fields[k]
		}
	}
}
