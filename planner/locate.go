package planner

import (
	"context"

	"github.com/meridianplan/meridian/geo"
	"github.com/paulmach/orb"
)

// KmPerDegree is the length of one degree of latitude on the WGS84 mean
// sphere (6,371 km radius × π / 180), in km.
const KmPerDegree = 111.195

// DefaultSnapKm is the snapping tolerance for accounts that fall just outside
// every unit: 1:10m boundaries move coastlines by up to a few km, so a
// hospital on the shore can land in the sea.
const DefaultSnapKm = 5

// Locator finds the geography unit that contains a point. It builds a spatial
// index over the units' polygons once (geo.PolygonIndex: bound check, then
// orb/planar's exact test with holes respected).
type Locator struct {
	codes  []string
	index  *geo.PolygonIndex
	snapKm float64
}

// NewLocator indexes units. snapKm is the tolerance, in km, within which a
// point outside every unit is given to the nearest one; 0 disables snapping.
// The tolerance is converted to degrees with KmPerDegree, which is exact
// north-south and conservative east-west (a degree of longitude is shorter).
func NewLocator(units []GeographyUnit, snapKm float64) *Locator {
	codes := make([]string, len(units))
	geoms := make([]orb.MultiPolygon, len(units))
	for i := range units {
		codes[i] = units[i].Code
		geoms[i] = units[i].Geometry
	}
	return &Locator{codes: codes, index: geo.NewPolygonIndex(geoms), snapKm: snapKm}
}

// Locate returns the code of the unit containing p (WGS84 degrees, lon/lat)
// and how it was found; ("", PlacedNone) when p is in no unit and farther
// than the snapping tolerance from all of them. Where units overlap (shared
// borders), the unit first in the plan's order wins.
func (l *Locator) Locate(p orb.Point) (string, Placement) {
	if !ValidLonLat(p) {
		return "", PlacedNone
	}
	if i := l.index.Locate(p); i >= 0 {
		return l.codes[i], PlacedInside
	}
	if l.snapKm > 0 {
		if i, _ := l.index.Nearest(p, l.snapKm/KmPerDegree); i >= 0 {
			return l.codes[i], PlacedNearest
		}
	}
	return "", PlacedNone
}

// LocateReport counts the outcome of LocateAccounts.
type LocateReport struct {
	Inside     int // accounts whose point is inside a unit
	Nearest    int // accounts snapped to the nearest unit
	Outside    int // accounts with a location in no unit
	NoLocation int // accounts without a location
}

// LocateAccounts sets UnitCode and Placement of every account in place, by
// point-in-polygon against units. It checks ctx every 1,024 accounts and
// returns ctx.Err() (leaving later accounts as they were) when cancelled;
// progress, when not nil, is called with the fraction done in [0, 1].
func LocateAccounts(ctx context.Context, units []GeographyUnit, accounts []Account, snapKm float64, progress func(float64)) (LocateReport, error) {
	var r LocateReport
	l := NewLocator(units, snapKm)
	for i := range accounts {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return r, err
			}
			if progress != nil {
				progress(float64(i) / float64(len(accounts)))
			}
		}
		a := &accounts[i]
		if !a.HasLocation {
			a.UnitCode, a.Placement = "", PlacedNone
			r.NoLocation++
			continue
		}
		a.UnitCode, a.Placement = l.Locate(a.Location)
		switch a.Placement {
		case PlacedInside:
			r.Inside++
		case PlacedNearest:
			r.Nearest++
		default:
			r.Outside++
		}
	}
	if progress != nil {
		progress(1)
	}
	return r, nil
}
