package planner

import (
	"strings"
	"unicode"
)

// Field is a standard account field that a column of an imported file can
// fill (see Mapping).
type Field uint8

// The standard fields, in the order the import wizard lists them.
const (
	FieldExternalID Field = iota // the CRM's identifier → Account.ExternalID
	FieldName                    // account or company name → Account.Name
	FieldAddress                 // street address → Account.Address
	FieldCity                    // → Account.City
	FieldState                   // state or province → Account.State
	FieldZIP                     // postal code → Account.ZIP
	FieldCountry                 // country, for geocoding; kept as a custom field
	FieldLatitude                // WGS84 degrees, -90 to 90
	FieldLongitude               // WGS84 degrees, -180 to 180
	FieldPotential               // the number balanced as potential → Account.Potential
	FieldSegment                 // industry or type → Account.Segment
	FieldOwner                   // account owner → Account.Owner
	FieldEmployees               // number of employees; kept as a numeric custom field
	FieldRevenue                 // annual revenue; kept as a numeric custom field
	NumFields                    // the number of standard fields
)

var fieldInfo = [NumFields]struct{ label, key string }{
	FieldExternalID: {"External ID", "external_id"},
	FieldName:       {"Name", "name"},
	FieldAddress:    {"Street address", "address"},
	FieldCity:       {"City", "city"},
	FieldState:      {"State", "state"},
	FieldZIP:        {"Postal code", "zip"},
	FieldCountry:    {"Country", "country"},
	FieldLatitude:   {"Latitude", "latitude"},
	FieldLongitude:  {"Longitude", "longitude"},
	FieldPotential:  {"Potential", "potential"},
	FieldSegment:    {"Segment", "segment"},
	FieldOwner:      {"Owner", "owner"},
	FieldEmployees:  {"Employees", "employees"},
	FieldRevenue:    {"Annual revenue", "revenue"},
}

// String returns the field's label for the user, e.g. "Postal code".
func (f Field) String() string {
	if f >= NumFields {
		return "Unknown field"
	}
	return fieldInfo[f].label
}

// Key returns the field's name on the command line (meridianctl import
// accounts --map key=Column), e.g. "zip", "external_id".
func (f Field) Key() string {
	if f >= NumFields {
		return ""
	}
	return fieldInfo[f].key
}

// ParseField returns the field whose Key or label is s (case and spaces
// ignored), and false when there is none.
func ParseField(s string) (Field, bool) {
	n := normHeader(s)
	for f := Field(0); f < NumFields; f++ {
		if n == normHeader(fieldInfo[f].key) || n == normHeader(fieldInfo[f].label) {
			return f, true
		}
	}
	return 0, false
}

// Numeric reports whether the field holds numbers (latitude, longitude,
// potential, employees, revenue).
func (f Field) Numeric() bool {
	switch f {
	case FieldLatitude, FieldLongitude, FieldPotential, FieldEmployees, FieldRevenue:
		return true
	}
	return false
}

// accountField reports whether f fills a field of Account (or the
// location) rather than being kept as a custom field.
func (f Field) accountField() bool {
	switch f {
	case FieldCountry, FieldEmployees, FieldRevenue:
		return false
	}
	return f < NumFields
}

// Mapping says which column of a table fills each standard field: the
// 0-based column index, or -1 when no column does. It is a plain value: the
// import wizard shows GuessMapping's guess and lets the user change any
// entry. One column may fill several fields (annual revenue as potential
// too). Columns that fill no Account field are kept as custom fields (see
// ImportAccounts).
type Mapping [NumFields]int

// NoMapping returns a Mapping with no column for any field.
func NoMapping() Mapping {
	var m Mapping
	for i := range m {
		m[i] = -1
	}
	return m
}

// Column returns the column index mapped to f, or -1.
func (m Mapping) Column(f Field) int {
	if f >= NumFields {
		return -1
	}
	return m[f]
}

// FieldsOf returns the fields that column col fills, in Field order.
func (m Mapping) FieldsOf(col int) []Field {
	var fs []Field
	for f, c := range m {
		if c == col {
			fs = append(fs, Field(f))
		}
	}
	return fs
}

// Check returns a *Error (EINVALID) when the mapping names a column that a
// table of ncols columns does not have, or maps neither a name nor an
// external ID column (an account needs one of them).
func (m Mapping) Check(ncols int) error {
	for f, c := range m {
		if c < -1 || c >= ncols {
			return Errorf(EINVALID, "The %s field is mapped to column %d, but the file has %d columns", Field(f), c+1, ncols)
		}
	}
	if m[FieldName] < 0 && m[FieldExternalID] < 0 {
		return Errorf(EINVALID, "Choose the column that holds the account name (or at least the external ID)")
	}
	if (m[FieldLatitude] < 0) != (m[FieldLongitude] < 0) {
		return Errorf(EINVALID, "Choose both the latitude and the longitude columns, or neither")
	}
	return nil
}

// headerNames lists, per field, the normalised header names (see
// normHeader) that GuessMapping recognises, best first. They cover
// Salesforce account exports (Account Name, Account ID, Billing Street,
// Billing City, Billing State/Province, Billing Zip/Postal Code, Billing
// Country, Annual Revenue, Employees, Industry, Account Owner), HubSpot
// company exports (Company name, Record ID, Street Address, City,
// State/Region, Postal Code, Country/Region, Annual Revenue, Number of
// Employees, Industry, Company owner), the usual latitude/longitude names
// and the HIFLD hospitals file (ID, NAME, ADDRESS, ..., TYPE, OWNER, BEDS).
var headerNames = [NumFields][]string{
	FieldExternalID: {"externalid", "accountid", "recordid", "companyid", "customerid", "crmid", "id", "accountnumber", "customernumber"},
	FieldName:       {"accountname", "companyname", "name", "company", "customername", "customer", "account", "organization", "organisation", "organizationname", "businessname", "facilityname", "hospitalname"},
	FieldAddress:    {"billingstreet", "billingaddress", "streetaddress", "street", "address", "address1", "addressline1", "billingaddressline1", "shippingstreet", "mailingstreet", "companyaddress"},
	FieldCity:       {"billingcity", "city", "town", "shippingcity", "mailingcity", "locality"},
	FieldState:      {"billingstateprovince", "billingstate", "billingstatecode", "stateregion", "state", "stateprovince", "province", "statecode", "shippingstateprovince", "shippingstate", "region"},
	FieldZIP:        {"billingzippostalcode", "billingpostalcode", "billingzip", "postalcode", "zippostalcode", "zip", "zipcode", "postcode", "postal", "shippingzippostalcode", "shippingpostalcode"},
	FieldCountry:    {"billingcountry", "countryregion", "country", "countrycode", "billingcountrycode", "shippingcountry"},
	FieldLatitude:   {"latitude", "lat", "billinglatitude", "y", "latdd", "ycoord"},
	FieldLongitude:  {"longitude", "lng", "lon", "long", "billinglongitude", "x", "londd", "xcoord"},
	FieldPotential:  {"potential", "accountpotential", "beds", "numberofbeds", "licensedbeds"},
	FieldSegment:    {"segment", "industry", "sector", "type", "accounttype", "companytype", "category", "vertical"},
	FieldOwner:      {"accountowner", "companyowner", "owner", "ownername", "salesrep", "rep", "accountmanager"},
	FieldEmployees:  {"employees", "numberofemployees", "employeecount", "noofemployees", "headcount", "ttlstaff", "staff"},
	FieldRevenue:    {"annualrevenue", "revenue", "annualsales", "sales", "revenueusd"},
}

// GuessMapping guesses from header names which column fills each field:
// names are compared ignoring case, spaces and punctuation ("Billing
// Zip/Postal Code" is "billingzippostalcode"), against the names that CRM
// exports use (see headerNames); a column fills at most one field, the
// field's best-ranked name wins, and among equal names the leftmost column.
// The potential is a column named like a potential (Potential, BEDS, ...);
// when there is none, the annual revenue column, else the employees column.
// Latitude and longitude are guessed together or not at all. Fields with no
// matching column are -1.
func GuessMapping(header []string) Mapping {
	m := NoMapping()
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	taken := make([]bool, len(header))
	// Specific names first: a header matches the field of the earliest
	// rank. Loop over ranks, then fields, so that "Billing Street" beats
	// "Shipping Street" and "Industry" beats "Type".
	maxRank := 0
	for _, names := range headerNames {
		maxRank = max(maxRank, len(names))
	}
	for rank := 0; rank < maxRank; rank++ {
		for f := Field(0); f < NumFields; f++ {
			if m[f] >= 0 || rank >= len(headerNames[f]) {
				continue
			}
			want := headerNames[f][rank]
			for i, n := range norm {
				if !taken[i] && n == want {
					m[f], taken[i] = i, true
					break
				}
			}
		}
	}
	if (m[FieldLatitude] < 0) != (m[FieldLongitude] < 0) {
		m[FieldLatitude], m[FieldLongitude] = -1, -1 // half a location is none
	}
	if m[FieldPotential] < 0 {
		// Meridian's own workbook heads it "Potential (Beds)".
		for i, n := range norm {
			if !taken[i] && strings.HasPrefix(n, "potential") {
				m[FieldPotential], taken[i] = i, true
				break
			}
		}
	}
	if m[FieldPotential] < 0 {
		if m[FieldRevenue] >= 0 {
			m[FieldPotential] = m[FieldRevenue]
		} else if m[FieldEmployees] >= 0 {
			m[FieldPotential] = m[FieldEmployees]
		}
	}
	return m
}

// normHeader lower-cases s and drops everything but letters and digits.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
