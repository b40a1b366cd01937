package geocode

import (
	"encoding/csv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/planner"
)

func newGC(t testing.TB) *Geocoder {
	t.Helper()
	gc, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	return gc
}

func near(p orb.Point, lon, lat float64) bool {
	return math.Abs(p[0]-lon) < 1e-4 && math.Abs(p[1]-lat) < 1e-4
}

func TestZIP(t *testing.T) {
	gc := newGC(t)
	for _, tc := range []struct {
		a        planner.Address
		zip      string
		lon, lat float64
		warn     string
	}{
		{planner.Address{ZIP: "10001"}, "10001", -73.9967, 40.7484, ""},
		{planner.Address{ZIP: "99553", State: "AK"}, "99553", -165.7854, 54.143, ""},
		{planner.Address{ZIP: "501", City: "Holtsville", State: "NY"}, "00501", -73.0451, 40.8154, "ZIP 501 lost its leading zeros; read as 00501"},
		{planner.Address{ZIP: "2134"}, "02134", -71.1329, 42.3535, "ZIP 2134 lost its leading zero; read as 02134"},
		{planner.Address{ZIP: "02134-1234", Country: "USA"}, "02134", -71.1329, 42.3535, ""},
		{planner.Address{ZIP: " 021341234 ", Country: "United States"}, "02134", -71.1329, 42.3535, ""},
		{planner.Address{ZIP: "2134.0", State: "Massachusetts"}, "02134", -71.1329, 42.3535, "ZIP 2134.0 lost its leading zero; read as 02134"},
		{planner.Address{ZIP: "96860"}, "96860", -157.8677, 21.316, ""}, // listed twice: the Hawaii row wins
		{planner.Address{ZIP: "09001", State: "AE"}, "09001", 15.6613, 38.1105, ""},
	} {
		r := gc.Geocode(tc.a)
		if r.Level != planner.MatchPostal || r.ZIP != tc.zip || !near(r.Location, tc.lon, tc.lat) || r.Warning != tc.warn {
			t.Errorf("Geocode(%+v) = %+v, want postal %s (%v, %v) %q", tc.a, r, tc.zip, tc.lon, tc.lat, tc.warn)
		}
	}
}

func TestParseZIP(t *testing.T) {
	for _, tc := range []struct {
		in, zip string
		warn    bool
		ok      bool
	}{
		{"02134", "02134", false, true}, {"02134-1234", "02134", false, true},
		{"02134 1234", "02134", false, true}, {"021341234", "02134", false, true},
		{"501", "00501", true, true}, {"2134", "02134", true, true}, {"2134-1234", "02134", true, true},
		{"12", "", false, false}, {"123456", "", false, false}, {"02134-12", "", false, false},
		{"K1A 0B1", "", false, false}, {"SW1A 1AA", "", false, false}, {"", "", false, false},
		{"-", "", false, false}, {"1.5", "", false, false}, {"NOT AVAILABLE", "", false, false},
	} {
		zip, w, ok := ParseZIP(tc.in)
		if zip != tc.zip || (w != "") != tc.warn || ok != tc.ok {
			t.Errorf("ParseZIP(%q) = %q, %q, %v; want %q, warning %v, %v", tc.in, zip, w, ok, tc.zip, tc.warn, tc.ok)
		}
	}
}

func TestCity(t *testing.T) {
	gc := newGC(t)
	for _, tc := range []struct {
		a        planner.Address
		lon, lat float64
		warn     string // substring; "" means none
	}{
		{planner.Address{City: "Springfield", State: "IL"}, -89.64371, 39.80172, ""},
		{planner.Address{City: "springfield", State: "Massachusetts"}, -72.58981, 42.10148, ""},
		{planner.Address{City: "Springfield"}, -93.29824, 37.21533, "places named \"Springfield\" in United States; took the largest, Springfield (MO)"},
		{planner.Address{City: "SAINT LOUIS", State: "MO"}, -90.19789, 38.62727, ""},
		{planner.Address{City: "St Louis", State: "mo", Country: "US"}, -90.19789, 38.62727, ""},
		{planner.Address{City: "Winston Salem", State: "NC"}, 0, 0, ""}, // checked below against "Winston-Salem"
		{planner.Address{City: "Munich", Country: "Germany"}, 11.57549, 48.13743, ""},
		{planner.Address{City: "München", Country: "DE"}, 11.57549, 48.13743, ""},
		{planner.Address{City: "Koln", Country: "deu"}, 6.95, 50.93333, ""},
		{planner.Address{City: "Cologne", Country: "Deutschland"}, 6.95, 50.93333, ""},
		{planner.Address{City: "Toronto", State: "ON"}, -79.4163, 43.70011, ""},
		{planner.Address{City: "Montreal", State: "Québec", Country: "Canada"}, -73.58781, 45.50884, ""},
		{planner.Address{City: "Hagåtña", State: "Guam"}, 144.74886, 13.47567, ""},
		{planner.Address{City: "Adjuntas", State: "PR", ZIP: "00601"}, -66.72212, 18.16274, "ZIP 00601 is not in the GeoNames postal code list"},
	} {
		r := gc.Geocode(tc.a)
		if tc.a.City == "Winston Salem" {
			h := gc.Geocode(planner.Address{City: "Winston-Salem", State: "North Carolina"})
			if r.Level != planner.MatchCity || r.Location != h.Location {
				t.Errorf("Winston Salem %+v, Winston-Salem %+v", r, h)
			}
			continue
		}
		if r.Level != planner.MatchCity || !near(r.Location, tc.lon, tc.lat) ||
			(tc.warn == "") != (r.Warning == "") || !strings.Contains(r.Warning, tc.warn) {
			t.Errorf("Geocode(%+v) = %+v, want city (%v, %v) warning %q", tc.a, r, tc.lon, tc.lat, tc.warn)
		}
	}
	// London, GB and London, Ontario are different places.
	uk := gc.Geocode(planner.Address{City: "London", Country: "UK"})
	on := gc.Geocode(planner.Address{City: "London", State: "Ontario", Country: "CA"})
	if uk.Level != planner.MatchCity || on.Level != planner.MatchCity || math.Abs(uk.Location[0]-(-0.12574)) > 0.01 || math.Abs(on.Location[0]-(-81.23304)) > 0.01 {
		t.Errorf("London UK %+v, London ON %+v", uk, on)
	}
}

func TestZIPStateConflict(t *testing.T) {
	gc := newGC(t)
	// 10001 is New York; the row says Springfield, IL: the city wins.
	r := gc.Geocode(planner.Address{ZIP: "10001", City: "Springfield", State: "IL"})
	if r.Level != planner.MatchCity || !near(r.Location, -89.64371, 39.80172) || r.Warning != "ZIP 10001 is in NY, not in IL; the ZIP was not used" {
		t.Errorf("conflict with a city: %+v", r)
	}
	// No city to fall back on: not located.
	r = gc.Geocode(planner.Address{ZIP: "10001", State: "CA"})
	if r.Level != planner.MatchNone || r.Warning != "ZIP 10001 is in NY, not in CA; the ZIP was not used; no city" {
		t.Errorf("conflict without a city: %+v", r)
	}
	// An unrecognised state is not a conflict.
	r = gc.Geocode(planner.Address{ZIP: "10001", State: "N/A"})
	if r.Level != planner.MatchPostal {
		t.Errorf("unknown state: %+v", r)
	}
	// A ZIP outside the US is not read as a ZIP.
	r = gc.Geocode(planner.Address{ZIP: "80331", City: "München", Country: "Germany"})
	if r.Level != planner.MatchCity || r.ZIP != "" || r.Warning != "" {
		t.Errorf("German postcode: %+v", r)
	}
}

func TestNone(t *testing.T) {
	gc := newGC(t)
	for _, tc := range []struct {
		a    planner.Address
		warn string
	}{
		{planner.Address{}, "no ZIP code and no city"},
		{planner.Address{City: "Xqzzyville", State: "TX"}, `no city named "Xqzzyville" in TX, US in the GeoNames cities list`},
		{planner.Address{City: "Springfield", State: "Alaska"}, `no city named "Springfield" in Alaska, US in the GeoNames cities list`},
		{planner.Address{City: "Paris", Country: "Narnia"}, `country "Narnia" is not a country Meridian knows`},
		{planner.Address{ZIP: "ABCDE", City: "-999"}, `ZIP "ABCDE" is not a US ZIP code; no city named "-999" in United States in the GeoNames cities list`},
		{planner.Address{ZIP: "00000"}, "ZIP 00000 is not in the GeoNames postal code list; no city"},
		{planner.Address{City: "APO", State: "AE"}, "AE is an APO/FPO military address; locate it by ZIP"},
		{planner.Address{City: "Nowhere", State: "GU"}, `no city named "Nowhere" in Guam in the GeoNames cities list`},
		{planner.Address{City: "\xff\xfe\x00", State: "\x00", ZIP: "\u0663\u0664\u0665"}, `ZIP "٣٤٥" is not a US ZIP code; no city named "\xff\xfe\x00" in United States in the GeoNames cities list`},
	} {
		r := gc.Geocode(tc.a)
		if r.Level != planner.MatchNone || r.Warning != tc.warn || r.ZIP != "" {
			t.Errorf("Geocode(%+v) = %+v, want none %q", tc.a, r, tc.warn)
		}
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"St. Louis": "saintlouis", "SAINT LOUIS": "saintlouis", "Winston-Salem": "winstonsalem",
		"Coeur d'Alene": "coeurdalene", "Coeur d’Alene": "coeurdalene", "München": "munchen",
		"Ft. Lauderdale": "fortlauderdale", "Mt Vernon": "mountvernon", "Sainte-Foy": "saintefoy",
		"Trinidad & Tobago": "trinidadandtobago", "Łódź": "lodz", "Straße": "strasse",
		"Ærøskøbing": "aeroskobing", "Zürich": "zurich", "São Paulo": "saopaulo", "Ålesund": "alesund",
		"Москва": "москва", "  ": "", "Stanford": "stanford",
	} {
		if got := key(in); got != want {
			t.Errorf("key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountry(t *testing.T) {
	gc := newGC(t)
	for in, want := range map[string]string{
		"DE": "DE", "de": "DE", "DEU": "DE", "Germany": "DE", "United Kingdom": "GB", "UK": "GB",
		"GB": "GB", "U.S.A.": "US", "United States of America": "US", "Côte d'Ivoire": "CI",
		"Cote D'Ivoire": "CI", "Trinidad and Tobago": "TT", "Saint Lucia": "LC", "St. Lucia": "LC",
	} {
		if got, ok := gc.Country(in); !ok || got != want {
			t.Errorf("Country(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := gc.Country("Narnia"); ok {
		t.Error("Narnia is a country")
	}
	if gc.CountryName("de") != "Germany" {
		t.Errorf("CountryName(de) = %q", gc.CountryName("de"))
	}
	if _, err := New("Narnia"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("New(Narnia) error %v", err)
	}
	de, err := New("Germany")
	if err != nil {
		t.Fatal(err)
	}
	if r := de.Geocode(planner.Address{City: "Köln", ZIP: "50667"}); r.Level != planner.MatchCity || !near(r.Location, 6.95, 50.93333) {
		t.Errorf("default DE: %+v", r)
	}
}

func TestGazetteerSize(t *testing.T) {
	if n := assets.GazetteerBytes(); n > 4<<20 {
		t.Errorf("embedded gazetteers are %d bytes, over 4 MB", n)
	}
	g, err := load()
	if err != nil {
		t.Fatal(err)
	}
	if len(g.zips) != 41488 || len(g.cities) != 135233 {
		t.Errorf("%d ZIPs and %d cities, want 41488 and 135233", len(g.zips), len(g.cities))
	}
}

// TestHospitalsByZIP geocodes every open hospital of the HIFLD file (the
// copy embedded in package assets) by its ZIP alone and compares the point
// with the file's own LATITUDE/LONGITUDE (haversine distance, orb/geo).
func TestHospitalsByZIP(t *testing.T) {
	gc := newGC(t)
	rc, err := assets.Hospitals()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\uFEFF")] = i
	}
	type miss struct {
		name, zip, state string
		km               float64
	}
	var open, within, matched int
	var full, fullWithin, fullCity, fullNone int // ZIP, city and state
	var misses []miss
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if rec[col["STATUS"]] != "OPEN" {
			continue
		}
		open++
		lat, err1 := strconv.ParseFloat(rec[col["LATITUDE"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["LONGITUDE"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %v: bad coordinates", rec)
		}
		g := gc.Geocode(planner.Address{ZIP: rec[col["ZIP"]]})
		km := math.Inf(1)
		if g.Level == planner.MatchPostal {
			matched++
			km = geo.DistanceHaversine(g.Location, orb.Point{lon, lat}) / 1000
		}
		f := gc.Geocode(planner.Address{ZIP: rec[col["ZIP"]], City: rec[col["CITY"]], State: rec[col["STATE"]]})
		full++
		switch f.Level {
		case planner.MatchCity:
			fullCity++
		case planner.MatchNone:
			fullNone++
		}
		if f.Level != planner.MatchNone && geo.DistanceHaversine(f.Location, orb.Point{lon, lat}) <= 50000 {
			fullWithin++
		}
		if km <= 50 {
			within++
		} else {
			misses = append(misses, miss{rec[col["NAME"]], rec[col["ZIP"]], rec[col["STATE"]], km})
		}
	}
	if open != 7146 {
		t.Errorf("%d open hospitals, want 7146", open)
	}
	frac := float64(within) / float64(open)
	sort.Slice(misses, func(i, j int) bool { return misses[i].km > misses[j].km })
	byState := map[string]int{}
	for _, m := range misses {
		if math.IsInf(m.km, 1) {
			byState[m.state]++
		}
	}
	t.Logf("%d open hospitals: %d located by ZIP (%.2f%%), %d within 50 km (%.2f%%); unmatched by state: %v",
		open, matched, 100*float64(matched)/float64(open), within, 100*frac, byState)
	far, none := 0, []string{}
	for _, m := range misses {
		if math.IsInf(m.km, 1) {
			if m.state != "PR" {
				none = append(none, m.zip+" "+m.state)
			}
		} else if far++; far <= 10 {
			t.Logf("worst: %s, ZIP %s, %s: %.0f km", m.name, m.zip, m.state, m.km)
		}
	}
	t.Logf("%d located more than 50 km away; ZIPs not in the gazetteer outside PR: %v", far, none)
	t.Logf("with ZIP, city and state: %d by city, %d not located, %d within 50 km (%.2f%%)",
		fullCity, fullNone, fullWithin, 100*float64(fullWithin)/float64(full))
	if fullWithin < within {
		t.Errorf("ZIP, city and state place %d hospitals within 50 km, fewer than ZIP alone (%d)", fullWithin, within)
	}
	if frac < 0.98 {
		t.Errorf("only %.2f%% of open hospitals within 50 km of their own point, want >= 98%%", 100*frac)
	}
}

// FuzzGeocode checks that no address makes Geocode or ParseZIP panic, that
// a match has a finite point on the globe, and that a postal match has a
// 5-digit ZIP.
func FuzzGeocode(f *testing.F) {
	gc := newGC(f)
	for _, s := range [][5]string{
		{"10001", "", "", ""}, {"501", "Holtsville", "NY", ""}, {"02134-1234", "", "MA", "USA"},
		{"", "Springfield", "IL", ""}, {"", "München", "", "Germany"}, {"", "St. Louis", "mo", "US"},
		{"2134.0", "", "", ""}, {"\xff", "\x00", "\u0301", "Côte d'Ivoire"}, {"", "Toronto", "ON", ""},
		{"00601", "Adjuntas", "PR", ""}, {"-999", "N/A", "NOT AVAILABLE", "-"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, zip, cityName, state, country string) {
		if z, _, ok := ParseZIP(zip); ok != (len(z) == 5) {
			t.Fatalf("ParseZIP(%q) = %q, %v", zip, z, ok)
		}
		r := gc.Geocode(planner.Address{ZIP: zip, City: cityName, State: state, Country: country})
		switch r.Level {
		case planner.MatchNone:
			if r.Warning == "" {
				t.Fatalf("no match without a reason: %+v", r)
			}
		case planner.MatchPostal, planner.MatchCity:
			lon, lat := r.Location[0], r.Location[1]
			if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
				t.Fatalf("point off the globe: %+v", r)
			}
			if (r.Level == planner.MatchPostal) != (len(r.ZIP) == 5) {
				t.Fatalf("ZIP %q with level %v", r.ZIP, r.Level)
			}
		default:
			t.Fatalf("level %v", r.Level)
		}
	})
}
