package planner

// MergeOptions says how Plan.WithImport merges imported accounts into a
// plan's accounts.
type MergeOptions struct {
	// DeleteRemoved deletes the plan's accounts whose external ID the
	// import does not have. By default they are kept and only reported.
	DeleteRemoved bool
	// ManualPlacement, when not nil, reports whether the user set an
	// existing account's unit by hand: such an account keeps its UnitCode
	// and Placement when the import updates it. The model has no manual
	// override yet (issue 7 adds named accounts); nil means none.
	ManualPlacement func(old *Account) bool
	// Consume lets the new plan take the memory of the imported accounts
	// instead of copying them, when the plan has no account yet and every
	// duplicate group is kept as it is (KeepAll, not by external ID), so
	// that Resolved would return the accounts unchanged: a first import of a million accounts then
	// needs 230 MB less. The import's Accounts are set to nil (the rest of
	// the ImportResult stays as it was).
	Consume bool
}

// MergeReport counts what Plan.WithImport did.
type MergeReport struct {
	Added     int // imported accounts new to the plan (no external ID, or one the plan does not have)
	Updated   int // the plan's accounts whose external ID was imported, with some value changed
	Unchanged int // the plan's accounts whose external ID was imported with the same values
	// Removed are the plan's accounts with an external ID that the import
	// does not have, in plan order: deleted when MergeOptions.DeleteRemoved,
	// else still in the plan.
	Removed []Account
	// KeptPlacement counts the updated accounts that kept a manual unit.
	KeptPlacement int
}

// WithImport returns a copy of p whose accounts and custom fields merge
// those of res, after res's duplicate resolutions (see
// ImportResult.Resolved); p itself is not changed, so that a cancelled
// import leaves it as it was. The copy shares p's units, reps and scenarios.
//
// An imported account whose external ID the plan has updates that account:
// it keeps its ID (and its unit when opt.ManualPlacement says so) and takes
// the values of the fields that res.Mapping maps and of res's custom
// fields; its location and unit when the import located it. Fields that
// the newer file lacks keep their values. Other imported accounts are added after the plan's,
// in file order, with new IDs above the plan's largest. The plan's accounts
// without an external ID are kept as they are (an import cannot match
// them). Custom fields are the plan's followed by the new ones (matched by
// name); a field is Numeric when it is in both; accounts get "" for the
// fields they lack. When p has no PotentialName or no account yet, it takes
// res.PotentialName (the header of the potential column), if any.
//
// It returns a *Error (EINVALID) when the merged plan fails Plan.Validate,
// for example when res located accounts in units that p does not have.
func (p *Plan) WithImport(res *ImportResult, opt MergeOptions) (*Plan, MergeReport, error) {
	var rep MergeReport

	// The merged custom fields, and where each source's fields go.
	fields := append([]CustomField(nil), p.CustomFields...)
	index := make(map[string]int, len(fields))
	for i, f := range fields {
		index[f.Name] = i
	}
	newPos := make([]int, len(res.CustomFields))
	for k, f := range res.CustomFields {
		i, ok := index[f.Name]
		if ok {
			fields[i].Numeric = fields[i].Numeric && f.Numeric
		} else {
			i = len(fields)
			index[f.Name] = i
			fields = append(fields, f)
		}
		newPos[k] = i
	}
	grown := len(fields) > len(p.CustomFields)
	identity := len(res.CustomFields) == len(fields)
	for k, i := range newPos {
		identity = identity && k == i
	}
	var slab []string
	alloc := func() []string {
		if len(slab)+len(fields) > cap(slab) {
			slab = make([]string, 0, len(fields)*4096)
		}
		n := len(slab)
		slab = slab[:n+len(fields)]
		return slab[n : n+len(fields) : n+len(fields)]
	}
	// remapNew returns an imported account's values in the merged order.
	remapNew := func(vs []string) []string {
		if vs == nil || identity {
			return vs
		}
		out := alloc()
		for k, v := range vs {
			out[newPos[k]] = v
		}
		return out
	}
	// remapOld returns a plan account's values in the merged order.
	remapOld := func(vs []string) []string {
		if vs == nil || !grown {
			return vs
		}
		out := alloc()
		copy(out, vs)
		return out
	}

	asIs := true // Resolved returns res.Accounts as they are
	for _, g := range res.Duplicates {
		asIs = asIs && g.Resolution == KeepAll && g.Reason == DuplicateNameAndPostal
	}
	if opt.Consume && len(p.Accounts) == 0 && asIs && identity {
		accounts := res.Accounts
		for i := range accounts {
			accounts[i].ID = int64(i + 1)
		}
		rep.Added = len(accounts)
		q := *p
		q.Accounts, q.CustomFields = accounts, fields
		if len(fields) == 0 {
			q.CustomFields = nil
		}
		if res.PotentialName != "" && (q.PotentialName == "" || len(p.Accounts) == 0) {
			q.PotentialName = res.PotentialName
		}
		if err := q.Validate(); err != nil {
			for i := range accounts {
				accounts[i].ID = 0
			}
			return nil, MergeReport{}, err
		}
		res.Accounts = nil
		return &q, rep, nil
	}

	// The plan's accounts first, remapped; then each import updates the
	// one with its external ID or is added.
	accounts := make([]Account, len(p.Accounts), len(p.Accounts)+len(res.Accounts))
	var maxID int64
	byExt := map[string]int{}
	for i := range p.Accounts {
		old := &p.Accounts[i]
		maxID = max(maxID, old.ID)
		a := *old
		a.Fields = remapOld(a.Fields)
		accounts[i] = a
		if old.ExternalID != "" {
			byExt[old.ExternalID] = i
		}
	}
	matched := make([]bool, len(p.Accounts))
	res.resolved(func(b *Account) {
		k, ok := byExt[b.ExternalID]
		if b.ExternalID == "" || !ok {
			maxID++
			a := *b
			a.ID = maxID
			a.Fields = remapNew(a.Fields)
			accounts = append(accounts, a)
			rep.Added++
			return
		}
		matched[k] = true
		old := &p.Accounts[k]
		a := update(old, b, res.Mapping)
		oldFields := accounts[k].Fields
		if len(fields) > 0 && (old.Fields != nil || b.Fields != nil) {
			a.Fields = alloc()
			copy(a.Fields, oldFields)
			for j, v := range b.Fields {
				a.Fields[newPos[j]] = v
			}
		}
		if opt.ManualPlacement != nil && opt.ManualPlacement(old) {
			a.UnitCode, a.Placement = old.UnitCode, old.Placement
			rep.KeptPlacement++
		}
		if sameAccount(&a, old, oldFields) {
			rep.Unchanged++
		} else {
			rep.Updated++
		}
		accounts[k] = a
	})
	n := 0
	for i := range accounts {
		if i < len(p.Accounts) && !matched[i] && p.Accounts[i].ExternalID != "" {
			rep.Removed = append(rep.Removed, p.Accounts[i])
			if opt.DeleteRemoved {
				continue
			}
		}
		accounts[n] = accounts[i]
		n++
	}
	clear(accounts[n:])
	accounts = accounts[:n]

	q := *p
	q.Accounts = accounts
	q.CustomFields = fields
	if opt.DeleteRemoved && len(rep.Removed) > 0 {
		q.Scenarios = withoutNamed(p.Scenarios, rep.Removed)
	}
	if len(fields) == 0 {
		q.CustomFields = nil
	}
	if res.PotentialName != "" && (q.PotentialName == "" || len(p.Accounts) == 0) {
		q.PotentialName = res.PotentialName
	}
	if err := q.Validate(); err != nil {
		return nil, rep, err
	}
	return &q, rep, nil
}

// withoutNamed returns a copy of scenarios in which no named-account
// override (Scenario.NamedAccounts) names one of the removed accounts; the
// others are kept, so overrides survive a re-import that keeps their
// accounts (matched by external ID, an account keeps its ID).
func withoutNamed(scenarios []Scenario, removed []Account) []Scenario {
	out := append([]Scenario(nil), scenarios...)
	for i := range out {
		s := &out[i]
		if len(s.NamedAccounts) == 0 {
			continue
		}
		named := make(map[int64]int64, len(s.NamedAccounts))
		for aid, tid := range s.NamedAccounts {
			named[aid] = tid
		}
		for _, a := range removed {
			delete(named, a.ID)
		}
		s.NamedAccounts = named
	}
	return out
}

// update returns old updated with the fields of b that the import's
// mapping m fills; the location, with its unit, only when b has one.
func update(old, b *Account, m Mapping) Account {
	a := *old
	for _, f := range [...]struct {
		f        Field
		dst, src *string
	}{
		{FieldExternalID, &a.ExternalID, &b.ExternalID}, {FieldName, &a.Name, &b.Name},
		{FieldAddress, &a.Address, &b.Address}, {FieldCity, &a.City, &b.City},
		{FieldState, &a.State, &b.State}, {FieldZIP, &a.ZIP, &b.ZIP},
		{FieldSegment, &a.Segment, &b.Segment}, {FieldOwner, &a.Owner, &b.Owner},
	} {
		if m[f.f] >= 0 {
			*f.dst = *f.src
		}
	}
	if b.Name != "" && a.Name == "" {
		a.Name = b.Name // the import's fallback name ("Row 12")
	}
	if m[FieldPotential] >= 0 {
		a.Potential = b.Potential
	}
	if b.HasLocation {
		a.Location, a.HasLocation, a.Match, a.UnitCode, a.Placement = b.Location, true, b.Match, b.UnitCode, b.Placement
	}
	return a
}

// sameAccount reports whether a and b hold the same values, b's custom
// values being oldFields (nil and all-empty count as the same).
func sameAccount(a, b *Account, oldFields []string) bool {
	if a.ID != b.ID || a.ExternalID != b.ExternalID || a.Name != b.Name || a.Address != b.Address ||
		a.City != b.City || a.State != b.State || a.ZIP != b.ZIP || a.Location != b.Location ||
		a.HasLocation != b.HasLocation || a.Match != b.Match || a.Segment != b.Segment || a.Owner != b.Owner ||
		a.Potential != b.Potential || a.UnitCode != b.UnitCode || a.Placement != b.Placement {
		return false
	}
	n := max(len(a.Fields), len(oldFields))
	for k := 0; k < n; k++ {
		var u, v string
		if k < len(a.Fields) {
			u = a.Fields[k]
		}
		if k < len(oldFields) {
			v = oldFields[k]
		}
		if u != v {
			return false
		}
	}
	return true
}
