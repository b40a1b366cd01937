package xlsx

import (
	"reflect"
	"strings"
	"testing"
)

// grid splits s into rows at '\n' and cells at '|'.
func grid(s string) [][]string {
	if s == "" {
		return nil
	}
	var rows [][]string
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, strings.Split(line, "|"))
	}
	return rows
}

func TestDetectHeader(t *testing.T) {
	pop := "Population Estimate (as of July 1)"
	census := [][]string{
		// the title merged over A1:M1 fills every column with one text
		{"table with row headers in column A", "table with row headers in column A", "table with row headers in column A"},
		{"Annual Estimates", "Annual Estimates", "Annual Estimates"},
		{"Geographic Area", "2010-04-01", "2010-04-01", pop, pop, pop},
		{"Geographic Area", "Census", "Estimates Base", "2010", "2011", "2012"},
		{"United States", "308745538", "308758105", "309321666", "311556874", "313830990"},
		{".Autauga County, Alabama", "54571", "54597", "54773", "55227", "54954"},
		{".Baldwin County, Alabama", "182265", "182265", "183112", "186558", "190145"},
		{"Note: The estimates are based on the 2010 Census"},
	}
	for _, tc := range []struct {
		name      string
		rows      [][]string
		index, n  int
		wantNames []string
	}{
		{"empty", nil, -1, 0, nil},
		{"blank rows", [][]string{nil, {"", "  "}, {"\t"}}, -1, 0, nil},
		{"first row", grid("Name|City|ZIP\nAcme|Boston|02134\nBeta|Austin|78701"), 0, 1,
			[]string{"Name", "City", "ZIP"}},
		{"title and blank row", grid("Accounts export 2024\n\nName|Signed|Revenue|Active\nAcme|2024-01-05|1200.5|TRUE\nBeta|2023-12-31|-3|FALSE\nGamma||7|TRUE"), 2, 1,
			[]string{"Name", "Signed", "Revenue", "Active"}},
		{"notes above header", grid("Source: CRM|exported by Ann\n\nId|Name|State|ZIP\n1|Acme|MA|02134\n2|Beta|TX|78701\n3|Gamma|CA|90210"), 2, 1,
			[]string{"Id", "Name", "State", "ZIP"}},
		{"header with blank column", grid("|Name|City\n1|Acme|Boston\n2|Beta|Austin"), 0, 1,
			[]string{"Column 1", "Name", "City"}},
		{"numbers only", grid("1|2|3\n4|5|6"), 0, 1, []string{"1", "2", "3"}},
		{"one column", grid("Title\n\nName\nAcme\nBeta"), 0, 1, []string{"Title"}},
		{"census two header rows", census, 2, 2, []string{
			"Geographic Area", "2010-04-01 Census", "2010-04-01 Estimates Base",
			pop + " 2010", pop + " 2011", pop + " 2012"}},
		{"repeated names, data below", grid("Name|Phone|Phone\nAcme|555-1234|555-9876\nBeta|555-1111|555-2222"), 0, 1,
			[]string{"Name", "Phone", "Phone (2)"}},
		{"repeated names, numeric data below", grid("Name|Q1|Q1\nAcme|1|2\nBeta|3|4"), 0, 1,
			[]string{"Name", "Q1", "Q1 (2)"}},
		{"quarters over plan and actual", grid("Region|Q1|Q1|Q2|Q2\nRegion|Plan|Actual|Plan|Actual\nWest|1|2|3|4\nEast|5|6|7|8"), 0, 2,
			[]string{"Region", "Q1 Plan", "Q1 Actual", "Q2 Plan", "Q2 Actual"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, n := DetectHeader(tc.rows)
			if i != tc.index || n != tc.n {
				t.Fatalf("DetectHeader = %d, %d; want %d, %d", i, n, tc.index, tc.n)
			}
			if tc.wantNames != nil {
				if got := HeaderNames(tc.rows, i, n); !reflect.DeepEqual(got, tc.wantNames) {
					t.Errorf("HeaderNames = %q; want %q", got, tc.wantNames)
				}
			}
		})
	}
}

func TestHeaderNames(t *testing.T) {
	rows := [][]string{{"Account\nName", "account name", "Zip \t Code", "", "ACCOUNT NAME"}}
	got := HeaderNames(rows, 0, 1)
	want := []string{"Account Name", "account name (2)", "Zip Code", "Column 4", "ACCOUNT NAME (3)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("HeaderNames = %q; want %q", got, want)
	}
	for _, bad := range [][2]int{{-1, 1}, {0, 0}, {1, 1}, {0, -5}} {
		if got := HeaderNames(rows, bad[0], bad[1]); got != nil {
			t.Errorf("HeaderNames(%d, %d) = %q; want nil", bad[0], bad[1], got)
		}
	}
	if got := HeaderNames(rows, 0, 1<<62); !reflect.DeepEqual(got, want) {
		t.Errorf("HeaderNames with huge n = %q", got)
	}
}

func TestIsDateFormat(t *testing.T) {
	for _, tc := range []struct {
		id     int
		code   string
		custom bool
		want   bool
	}{
		{0, "", false, false},  // General
		{3, "", false, false},  // #,##0
		{14, "", false, true},  // m/d/yyyy
		{22, "", false, true},  // m/d/yy h:mm
		{46, "", false, true},  // [h]:mm:ss
		{49, "", false, false}, // @
		{164, `mmmm\ d\,\ yyyy`, true, true},
		{165, `[$-409]d-mmm-yy;@`, true, true},
		{166, `#,##0.00 "days"`, true, false},
		{167, `[Red]0.00;[Blue]-0.00`, true, false},
		{168, `0.00E+00`, true, false},
		{169, `[h]:mm`, true, true},
		{170, `General`, true, false},
		{171, `0;"d"`, true, false},
		{172, `_("$"* #,##0_)`, true, false},
		{173, `yyyy-mm-dd hh:mm:ss`, true, true},
	} {
		if got := IsDateFormat(tc.id, tc.code, tc.custom); got != tc.want {
			t.Errorf("IsDateFormat(%d, %q) = %v; want %v", tc.id, tc.code, got, tc.want)
		}
	}
}

// FuzzDetectHeader checks that DetectHeader and HeaderNames never panic and
// keep their contracts on any grid ('\n' separates rows, '|' cells).
func FuzzDetectHeader(f *testing.F) {
	for _, s := range []string{
		"", "\n\n", "a|b|c\n1|2|3", "Title\n\nName|ZIP\nAcme|02134",
		"A|A|B|B\nA|x|y|z\n1|2|3|4", "|||\n|x||\n", "2010-04-01|2010-04-01\nCensus|Base\n1|2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rows := grid(s)
		i, n := DetectHeader(rows)
		allBlank := true
		for _, r := range rows {
			if hdrDistinct(r) > 0 {
				allBlank = false
			}
		}
		if allBlank {
			if i != -1 || n != 0 {
				t.Fatalf("blank grid: DetectHeader = %d, %d", i, n)
			}
			return
		}
		if i < 0 || i >= len(rows) || n < 1 || n > MaxHeaderRows || i+n > len(rows) {
			t.Fatalf("DetectHeader = %d, %d for %d rows", i, n, len(rows))
		}
		if hdrDistinct(rows[i]) == 0 {
			t.Fatalf("header row %d is blank", i)
		}
		names := HeaderNames(rows, i, n)
		seen := map[string]bool{}
		for _, name := range names {
			k := strings.ToLower(name)
			if strings.TrimSpace(name) == "" || seen[k] {
				t.Fatalf("HeaderNames = %q: blank or repeated name", names)
			}
			seen[k] = true
		}
	})
}
