// Package geocode finds accounts offline: it implements planner.Geocoder on
// the GeoNames gazetteers embedded in package assets (US postal codes and
// 135,233 world cities, CC BY 4.0, attribution "GeoNames").
//
// An address is located, in this order:
//
//  1. By US ZIP code (planner.MatchPostal), when the country is the US (or
//     empty and the default country is the US) and the ZIP is one ParseZIP
//     accepts and the gazetteer lists. A 3- or 4-digit ZIP is padded with
//     leading zeros, with a warning. The point is GeoNames' centre of the
//     ZIP. If the row's state is a known state and disagrees with the ZIP's
//     state, the row contradicts itself: the ZIP is not used, the city and
//     state are tried instead, and the warning says so (a ZIP typo moves an
//     account across the country, a city in the right state does not).
//  2. By city (planner.MatchCity): the city name, compared after folding
//     case, accents (Unicode NFKD, marks dropped; "ß" as "ss"), "&" as
//     "and", punctuation, hyphens and spaces, and reading "St.", "Ste.",
//     "Mt." and "Ft." as "Saint", "Sainte", "Mount" and "Fort"; then a few
//     exonyms ("München" for GeoNames' "Munich", "Cologne" for "Köln"), and a
//     name ending in "City" without it ("New York City"); within the country; when the state or province
//     is given and known (US: USPS code or name; Canada: Canada Post code or
//     name; elsewhere: the GeoNames admin1 code), only cities of that state;
//     among several, the most populous. A US state given but with no city of
//     that name is no match (rather than a same-named city elsewhere).
//  3. Otherwise planner.MatchNone, with a warning that says why.
//
// The file's own latitude and longitude (planner.MatchPoint) are the
// importer's business, not this package's.
package geocode

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/planner"
)

// Geocoder locates addresses offline from the embedded gazetteers. It is
// safe for concurrent use. The zero value is not usable; call New.
type Geocoder struct {
	g   *gazetteer
	def string // default ISO alpha-2 country for an empty Address.Country
}

var _ planner.Geocoder = (*Geocoder)(nil)

// New returns a Geocoder whose default country, used when an address has
// no country, is defaultCountry: an ISO 3166-1 alpha-2 or alpha-3 code or
// an English name ("US", "USA", "Germany"); "" means "US". The gazetteers
// are decompressed and indexed on the first call in the process (about
// 170 ms of CPU and 28 MB of heap, see BenchmarkLoad) and shared by every
// Geocoder after.
// Errors: a *planner.Error with code EINVALID when defaultCountry is not a
// recognised country, EINTERNAL when an embedded gazetteer is damaged.
func New(defaultCountry string) (*Geocoder, error) {
	g, err := load()
	if err != nil {
		return nil, err
	}
	def := "US"
	if strings.TrimSpace(defaultCountry) != "" {
		cc, ok := g.countries[key(defaultCountry)]
		if !ok {
			return nil, planner.Errorf(planner.EINVALID, "The default country %q is not a country Meridian knows; use a two-letter ISO code such as US or DE.", defaultCountry)
		}
		def = cc
	}
	return &Geocoder{g: g, def: def}, nil
}

// Country returns the ISO 3166-1 alpha-2 code of a country written as an
// alpha-2 or alpha-3 code, an English name or a common alias ("UK",
// "Deutschland", "Holland"), compared after folding case, accents and
// punctuation; ok is false when it is not recognised or blank.
func (gc *Geocoder) Country(s string) (code string, ok bool) {
	code, ok = gc.g.countries[key(s)]
	return code, ok
}

// CountryName returns the English short name of an ISO alpha-2 country code
// ("DE" → "Germany"), or "" when the gazetteer has no such country.
func (gc *Geocoder) CountryName(code string) string { return gc.g.names[strings.ToUpper(code)] }

// Geocode locates a, as the package documentation describes. Location is in
// WGS84 degrees (lon, lat); Level is MatchPostal, MatchCity or MatchNone;
// ZIP is the 5-digit ZIP matched (Level MatchPostal only); Warning, when not
// "", is one or more sentences for the import report, joined by "; ". It
// never panics and never fails: an address it cannot use is MatchNone.
func (gc *Geocoder) Geocode(a planner.Address) planner.Geocoded {
	g := gc.g
	var warn []string
	result := func(r planner.Geocoded) planner.Geocoded {
		if r.Warning != "" {
			warn = append(warn, r.Warning)
		}
		r.Warning = strings.Join(warn, "; ")
		return r
	}

	cc := gc.def
	if t := strings.TrimSpace(a.Country); t != "" {
		c, ok := g.countries[key(t)]
		if !ok {
			return result(planner.Geocoded{Warning: fmt.Sprintf("country %q is not a country Meridian knows", t)})
		}
		cc = c
	}
	state := strings.TrimSpace(a.State)
	sk := key(state)

	// The US state (USPS code) or Canadian province (GeoNames admin1) the
	// address names; stateKnown says it was recognised.
	admin1, stateKnown := "", false
	if state != "" {
		switch cc {
		case "US":
			if code, ok := g.usStates[sk]; ok {
				admin1, stateKnown = code, true
			} else if p, ok := g.caProv[sk]; ok && strings.TrimSpace(a.Country) == "" {
				// No country, a Canadian province: the default was wrong.
				cc, admin1, stateKnown = "CA", p, true
			}
		case "CA":
			admin1, stateKnown = g.caProv[sk]
		default:
			if up := strings.ToUpper(state); g.admin1s[cc][up] {
				admin1, stateKnown = up, true
			}
		}
	}

	if cc == "US" && strings.TrimSpace(a.ZIP) != "" {
		zip, w, ok := ParseZIP(a.ZIP)
		switch {
		case !ok:
			warn = append(warn, fmt.Sprintf("ZIP %q is not a US ZIP code", strings.TrimSpace(a.ZIP)))
		case g.zipIdx[atoi5(zip)] == 0:
			warn = append(warn, fmt.Sprintf("ZIP %s is not in the GeoNames postal code list", zip))
		default:
			z := g.zips[g.zipIdx[atoi5(zip)]-1]
			if stateKnown && z.state != "" && z.state != admin1 {
				warn = append(warn, fmt.Sprintf("ZIP %s is in %s, not in %s; the ZIP was not used", zip, z.state, admin1))
				break
			}
			return result(planner.Geocoded{Location: orb.Point{z.lon, z.lat}, Level: planner.MatchPostal, ZIP: zip, Warning: w})
		}
	}

	name := strings.TrimSpace(a.City)
	if name == "" {
		if len(warn) == 0 {
			warn = append(warn, "no ZIP code and no city")
		} else {
			warn = append(warn, "no city")
		}
		return result(planner.Geocoded{})
	}
	// US territories are countries of their own in GeoNames.
	// The armed forces codes AA, AE, AP have no cities.
	if cc == "US" && stateKnown {
		if _, ok := usStates[admin1]; !ok {
			switch admin1 {
			case "AA", "AE", "AP":
				warn = append(warn, fmt.Sprintf("%s is an APO/FPO military address; locate it by ZIP", admin1))
				return result(planner.Geocoded{})
			}
			cc, admin1 = admin1, ""
		}
	}
	return result(gc.city(name, cc, state, admin1, stateKnown))
}

// city finds name in country cc (see Geocode).
func (gc *Geocoder) city(name, cc, state, admin1 string, stateKnown bool) planner.Geocoded {
	g := gc.g
	byKey := g.byName[cc]
	k := key(name)
	first, ok := byKey[k]
	if !ok {
		if alt, ok2 := g.aliases[cc+"\x00"+k]; ok2 {
			first, ok = byKey[alt]
		}
	}
	if !ok && strings.HasSuffix(k, "city") && len(k) > 4 {
		first, ok = byKey[strings.TrimSuffix(k, "city")] // "New York City"
	}
	where := gc.CountryName(cc)
	if stateKnown && admin1 != "" {
		where = state + ", " + cc
	}
	if !ok {
		return planner.Geocoded{Warning: fmt.Sprintf("no city named %q in %s in the GeoNames cities list", name, where)}
	}
	best := int32(-1)
	differ := 0 // how many other admin1s share the name
	for i := first; i >= 0; i = g.next[i] {
		c := &g.cities[i]
		if stateKnown && admin1 != "" {
			if c.admin1 == admin1 && best < 0 {
				best = i
			}
			continue
		}
		if best < 0 {
			best = i
		} else if c.admin1 != g.cities[best].admin1 {
			differ++
		}
	}
	if best < 0 {
		return planner.Geocoded{Warning: fmt.Sprintf("no city named %q in %s in the GeoNames cities list", name, where)}
	}
	c := g.cities[best]
	r := planner.Geocoded{Location: c.point(), Level: planner.MatchCity}
	if differ > 0 {
		in := c.admin1
		if cc == "CA" {
			in = g.provName[c.admin1][0]
		}
		r.Warning = fmt.Sprintf("%d places named %q in %s; took the largest, %s (%s)", differ+1, name, gc.CountryName(cc), c.name, in)
		if state != "" && !stateKnown {
			r.Warning += fmt.Sprintf(", as state %q is not recognised", state)
		}
	}
	return r
}

// atoi5 converts a 5-digit string to its value.
func atoi5(z string) int {
	n := 0
	for i := 0; i < 5; i++ {
		n = n*10 + int(z[i]-'0')
	}
	return n
}
