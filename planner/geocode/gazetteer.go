package geocode

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/planner"
)

// zipEntry is one US postal code of the gazetteer.
type zipEntry struct {
	place, state string  // GeoNames place name and USPS state code ("" for APO/FPO)
	lon, lat     float64 // WGS84 degrees
}

// city is one place of the world cities gazetteer.
type city struct {
	name, cc, admin1 string // GeoNames name, ISO alpha-2 country, GeoNames admin1 code
	pop              int64
	lon, lat         string // WGS84 degrees as in the file, checked by build; parsed by point
}

// gazetteer holds both gazetteers and their indexes. It is built once per
// process and shared, read-only, by every Geocoder.
type gazetteer struct {
	zipIdx []int32 // 100,000 entries: index+1 into zips of ZIP n, 0 when unknown
	zips   []zipEntry

	cities []city
	// byName maps country code to key(name) to the index of the most
	// populous city of that name; next chains the others, in falling
	// population, ending in -1.
	byName map[string]map[string]int32
	next   []int32

	countries map[string]string          // key of ISO2, ISO3, name or alias → ISO2
	names     map[string]string          // ISO2 → English name
	usStates  map[string]string          // key of code or name → USPS code (states, DC, usOther)
	caProv    map[string]string          // key of code or name → GeoNames admin1 code
	aliases   map[string]string          // country + "\x00" + key(alias) → key(gazetteer name)
	admin1s   map[string]map[string]bool // country → admin1 codes of its cities
	stateName map[string]string          // USPS code → name, for messages
	provName  map[string][2]string       // GeoNames admin1 of Canada → {code, name}
}

var (
	loadOnce sync.Once
	loaded   *gazetteer
	loadErr  error
)

// load returns the shared gazetteer, reading the embedded files the first
// time it is called.
func load() (*gazetteer, error) {
	loadOnce.Do(func() { loaded, loadErr = build() })
	return loaded, loadErr
}

func readAsset(name string, open func() (io.ReadCloser, error)) (string, error) {
	rc, err := open()
	if err != nil {
		return "", &planner.Error{Code: planner.EINTERNAL, Message: "The built-in " + name + " gazetteer is damaged.", Err: err}
	}
	defer rc.Close()
	var buf bytes.Buffer
	buf.Grow(8 << 20)
	if _, err := buf.ReadFrom(rc); err != nil {
		return "", &planner.Error{Code: planner.EINTERNAL, Message: "The built-in " + name + " gazetteer is damaged.", Err: err}
	}
	return buf.String(), nil
}

// fields splits line at tabs into out and reports whether it had len(out)
// fields.
func fields(line string, out []string) bool {
	n := 0
	for n < len(out)-1 {
		i := indexByte(line, '\t')
		if i < 0 {
			return false
		}
		out[n], line = line[:i], line[i+1:]
		n++
	}
	if indexByte(line, '\t') >= 0 {
		return false
	}
	out[n] = line
	return true
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func damaged(name string, line int, format string, args ...any) error {
	return planner.Errorf(planner.EINTERNAL, "The built-in %s gazetteer is damaged at line %d: %s.", name, line, fmt.Sprintf(format, args...))
}

func build() (*gazetteer, error) {
	g := &gazetteer{
		zipIdx:    make([]int32, 100000),
		countries: map[string]string{},
		names:     map[string]string{},
		usStates:  map[string]string{},
		caProv:    map[string]string{},
		aliases:   map[string]string{},
		admin1s:   map[string]map[string]bool{},
		stateName: map[string]string{},
		provName:  map[string][2]string{},
	}
	for _, c := range countries {
		g.names[c[0]] = c[2]
		for _, n := range c {
			if n != "" {
				g.countries[key(n)] = c[0]
			}
		}
	}
	for a, cc := range countryAliases {
		g.countries[key(a)] = cc
	}
	for _, m := range []map[string]string{usStates, usOther} {
		for code, name := range m {
			g.usStates[key(code)] = code
			g.usStates[key(name)] = code
			g.stateName[code] = name
		}
	}
	for code, p := range caProvinces {
		g.provName[p[0]] = [2]string{code, p[1]}
		for _, n := range []string{code, p[1], p[2]} {
			if n != "" {
				g.caProv[key(n)] = p[0]
			}
		}
	}
	for _, a := range cityAliases {
		g.aliases[a[0]+"\x00"+key(a[1])] = key(a[2])
	}

	// The postal codes load on another core while the cities load here.
	zipErr := make(chan error, 1)
	go func() { zipErr <- g.buildZIPs() }()
	err := g.buildCities()
	if err2 := <-zipErr; err2 != nil {
		return nil, err2
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// buildZIPs reads the US postal codes: ZIP, place, state, lat, lon.
func (g *gazetteer) buildZIPs() error {
	text, err := readAsset("US postal code", assets.USPostalCodes)
	if err != nil {
		return err
	}
	f := make([]string, 5)
	g.zips = make([]zipEntry, 0, 41500)
	for n := 1; text != ""; n++ {
		i := indexByte(text, '\n')
		if i < 0 {
			return damaged("US postal code", n, "no line end")
		}
		line := text[:i]
		text = text[i+1:]
		if !fields(line, f[:5]) {
			return damaged("US postal code", n, "%d columns expected", 5)
		}
		z, err := strconv.Atoi(f[0])
		if err != nil || len(f[0]) != 5 {
			return damaged("US postal code", n, "ZIP %q", f[0])
		}
		lat, err1 := strconv.ParseFloat(f[3], 64)
		lon, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil {
			return damaged("US postal code", n, "coordinates %q %q", f[3], f[4])
		}
		g.zips = append(g.zips, zipEntry{place: f[1], state: f[2], lon: lon, lat: lat})
		g.zipIdx[z] = int32(len(g.zips))
	}
	return nil
}

// buildCities reads the world cities: name, country, admin1, population,
// lat, lon; sorted by country then name then falling population.
func (g *gazetteer) buildCities() error {
	text, err := readAsset("world cities", assets.Cities)
	if err != nil {
		return err
	}
	f := make([]string, 6)
	g.cities = make([]city, 0, 136000)
	g.next = make([]int32, 0, 136000)
	g.byName = make(map[string]map[string]int32, 250)
	var byKey map[string]int32
	var admin1s map[string]bool
	cc := ""
	for n := 1; text != ""; n++ {
		i := indexByte(text, '\n')
		if i < 0 {
			return damaged("world cities", n, "no line end")
		}
		line := text[:i]
		text = text[i+1:]
		if !fields(line, f) {
			return damaged("world cities", n, "%d columns expected", 6)
		}
		pop, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return damaged("world cities", n, "population %q", f[3])
		}
		if !number(f[4]) || !number(f[5]) || len(f[1]) != 2 {
			return damaged("world cities", n, "country %q, coordinates %q %q", f[1], f[4], f[5])
		}
		if f[1] != cc {
			if f[1] < cc {
				return damaged("world cities", n, "not sorted by country")
			}
			cc = f[1]
			byKey = make(map[string]int32)
			g.byName[cc] = byKey
			admin1s = map[string]bool{}
			g.admin1s[cc] = admin1s
		}
		idx := int32(len(g.cities))
		g.cities = append(g.cities, city{name: f[0], cc: cc, admin1: f[2], pop: pop, lon: f[5], lat: f[4]})
		g.next = append(g.next, -1)
		if f[2] != "" && !admin1s[f[2]] {
			admin1s[f[2]] = true
		}
		k := key(f[0])
		if k == "" {
			continue
		}
		if _, ok := byKey[k]; !ok {
			byKey[k] = idx
			continue
		}
		// Insert into the chain in falling population. Rows come sorted by
		// name then population, but different names can share a key.
		prev, cur := int32(-1), byKey[k]
		for cur >= 0 && g.cities[cur].pop >= pop {
			prev, cur = cur, g.next[cur]
		}
		g.next[idx] = cur
		if prev < 0 {
			byKey[k] = idx
		} else {
			g.next[prev] = idx
		}
	}
	return nil
}

// number reports whether s is a decimal number as the gazetteer writes
// coordinates: an optional '-', digits, an optional '.' and digits. It is
// the check build does instead of parsing 270,000 numbers it mostly never
// needs.
func number(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	dot, dig := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			dig = true
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return dig
}

// point returns the location of c (lon, lat), parsed from the text build
// checked with number.
func (c *city) point() orb.Point {
	lon, _ := strconv.ParseFloat(c.lon, 64)
	lat, _ := strconv.ParseFloat(c.lat, 64)
	return orb.Point{lon, lat}
}
