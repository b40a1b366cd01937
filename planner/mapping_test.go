package planner_test

import (
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// impMapping builds a Mapping from field -> column pairs; others are -1.
func impMapping(pairs map[planner.Field]int) planner.Mapping {
	m := planner.NoMapping()
	for f, c := range pairs {
		m[f] = c
	}
	return m
}

func impCheckMapping(t *testing.T, header []string, got, want planner.Mapping) {
	t.Helper()
	for f := planner.Field(0); f < planner.NumFields; f++ {
		if got[f] != want[f] {
			name := func(c int) string {
				if c < 0 {
					return "none"
				}
				return header[c]
			}
			t.Errorf("%s: column %d (%s), want %d (%s)", f, got[f], name(got[f]), want[f], name(want[f]))
		}
	}
}

func TestGuessMapping_Salesforce(t *testing.T) {
	header := []string{"Account ID", "Account Name", "Type", "Billing Street", "Billing City",
		"Billing State/Province", "Billing Zip/Postal Code", "Billing Country", "Shipping Street",
		"Phone", "Industry", "Annual Revenue", "Employees", "Account Owner"}
	impCheckMapping(t, header, planner.GuessMapping(header), impMapping(map[planner.Field]int{
		planner.FieldExternalID: 0, planner.FieldName: 1, planner.FieldAddress: 3, planner.FieldCity: 4,
		planner.FieldState: 5, planner.FieldZIP: 6, planner.FieldCountry: 7, planner.FieldSegment: 10,
		planner.FieldRevenue: 11, planner.FieldPotential: 11, planner.FieldEmployees: 12, planner.FieldOwner: 13,
	}))
	// Older Salesforce reports: "Billing State", "Billing Zip".
	header = []string{"Account Name", "Billing State", "Billing Zip", "Billing Postal Code"}
	impCheckMapping(t, header, planner.GuessMapping(header), impMapping(map[planner.Field]int{
		planner.FieldName: 0, planner.FieldState: 1, planner.FieldZIP: 3,
	}))
}

func TestGuessMapping_HubSpot(t *testing.T) {
	header := []string{"Record ID", "Company name", "Company owner", "Create Date", "Phone Number",
		"Street Address", "City", "State/Region", "Postal Code", "Country/Region", "Industry",
		"Annual Revenue", "Number of Employees", "Company Domain Name"}
	impCheckMapping(t, header, planner.GuessMapping(header), impMapping(map[planner.Field]int{
		planner.FieldExternalID: 0, planner.FieldName: 1, planner.FieldOwner: 2, planner.FieldAddress: 5,
		planner.FieldCity: 6, planner.FieldState: 7, planner.FieldZIP: 8, planner.FieldCountry: 9,
		planner.FieldSegment: 10, planner.FieldRevenue: 11, planner.FieldPotential: 11, planner.FieldEmployees: 12,
	}))
}

func TestGuessMapping_LatLon(t *testing.T) {
	for _, tt := range []struct {
		header   []string
		lat, lon int
	}{
		{[]string{"name", "lat", "lng"}, 1, 2},
		{[]string{"Name", "Latitude", "Longitude"}, 1, 2},
		{[]string{"name", "LON", "LAT"}, 2, 1},
		{[]string{"name", "long", "lat"}, 2, 1},
		{[]string{"name", "x", "y"}, 2, 1},
		{[]string{"name", "Y", "X", "latitude", "longitude"}, 3, 4}, // the explicit names win
		{[]string{"name", "x"}, -1, -1},                             // half a location is none
		{[]string{"name", "latitude"}, -1, -1},
	} {
		m := planner.GuessMapping(tt.header)
		if m[planner.FieldLatitude] != tt.lat || m[planner.FieldLongitude] != tt.lon {
			t.Errorf("%q: lat %d lon %d, want %d %d", tt.header, m[planner.FieldLatitude], m[planner.FieldLongitude], tt.lat, tt.lon)
		}
	}
}

// The hospital file's header: BEDS is the potential, TTL_STAFF the
// employees, ID (not FID) the external ID.
func TestGuessMapping_Hospitals(t *testing.T) {
	header := []string{"FID", "ID", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "ZIP4", "TELEPHONE", "TYPE",
		"STATUS", "POPULATION", "COUNTY", "COUNTYFIPS", "COUNTRY", "LATITUDE", "LONGITUDE", "NAICS_CODE",
		"NAICS_DESC", "SOURCE", "SOURCEDATE", "VAL_METHOD", "VAL_DATE", "WEBSITE", "STATE_ID", "ALT_NAME",
		"ST_FIPS", "OWNER", "TTL_STAFF", "BEDS", "TRAUMA", "HELIPAD"}
	impCheckMapping(t, header, planner.GuessMapping(header), impHospitalMapping())
}

func impHospitalMapping() planner.Mapping {
	return impMapping(map[planner.Field]int{
		planner.FieldExternalID: 1, planner.FieldName: 2, planner.FieldAddress: 3, planner.FieldCity: 4,
		planner.FieldState: 5, planner.FieldZIP: 6, planner.FieldSegment: 9, planner.FieldCountry: 14,
		planner.FieldLatitude: 15, planner.FieldLongitude: 16, planner.FieldOwner: 27,
		planner.FieldEmployees: 28, planner.FieldPotential: 29,
	})
}

// Without revenue, the employees column is the potential; an explicit
// potential column wins over revenue.
func TestGuessMapping_Potential(t *testing.T) {
	m := planner.GuessMapping([]string{"Company", "Employees"})
	if m[planner.FieldPotential] != 1 || m[planner.FieldEmployees] != 1 {
		t.Errorf("potential %d employees %d, want 1 1", m[planner.FieldPotential], m[planner.FieldEmployees])
	}
	m = planner.GuessMapping([]string{"Company", "Annual Revenue", "Potential"})
	if m[planner.FieldPotential] != 2 || m[planner.FieldRevenue] != 1 {
		t.Errorf("potential %d revenue %d, want 2 1", m[planner.FieldPotential], m[planner.FieldRevenue])
	}
	m = planner.GuessMapping([]string{"Foo", "Bar"})
	if m != planner.NoMapping() {
		t.Errorf("unknown names mapped: %v", m)
	}
}

func TestParseField(t *testing.T) {
	for s, want := range map[string]planner.Field{
		"zip": planner.FieldZIP, "Postal code": planner.FieldZIP, "external_id": planner.FieldExternalID,
		"External ID": planner.FieldExternalID, "POTENTIAL": planner.FieldPotential, "revenue": planner.FieldRevenue,
	} {
		if f, ok := planner.ParseField(s); !ok || f != want {
			t.Errorf("ParseField(%q) = %v, %v; want %v", s, f, ok, want)
		}
	}
	if _, ok := planner.ParseField("phone"); ok {
		t.Error("ParseField(phone) found a field")
	}
	for f := planner.Field(0); f < planner.NumFields; f++ {
		if g, ok := planner.ParseField(f.Key()); !ok || g != f {
			t.Errorf("ParseField(%q) = %v, %v", f.Key(), g, ok)
		}
	}
}

func TestMappingCheck(t *testing.T) {
	m := planner.NoMapping()
	m[planner.FieldName] = 0
	if err := m.Check(2); err != nil {
		t.Errorf("Check: %v", err)
	}
	m[planner.FieldCity] = 2
	if err := m.Check(2); planner.ErrorCode(err) != planner.EINVALID || planner.ErrorMessage(err) != "The City field is mapped to column 3, but the file has 2 columns" {
		t.Errorf("Check of a missing column: %v", err)
	}
	m = planner.NoMapping()
	if err := m.Check(2); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("Check without name: %v", err)
	}
	m[planner.FieldName], m[planner.FieldLatitude] = 0, 1
	if err := m.Check(2); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("Check with latitude only: %v", err)
	}
	if got := m.FieldsOf(0); len(got) != 1 || got[0] != planner.FieldName {
		t.Errorf("FieldsOf(0) = %v", got)
	}
}

// Meridian's own Accounts sheet reads back: "Potential (Beds)" is the
// potential.
func TestGuessMapping_MeridianWorkbook(t *testing.T) {
	header := []string{"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", "Potential (Beds)", "Unit code", "Unit name", "Parent", "Region", "Territory", "Named", "Placement", "Located by"}
	m := planner.GuessMapping(header)
	if m[planner.FieldPotential] != 10 || m[planner.FieldSegment] != 8 || m[planner.FieldLatitude] != 7 || m[planner.FieldExternalID] != 0 {
		t.Errorf("mapping %v", m)
	}
}
