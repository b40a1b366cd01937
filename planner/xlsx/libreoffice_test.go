package xlsx_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/xlsx"
	"github.com/xuri/excelize/v2"
)

// soffice returns LibreOffice's command, or skips the test. CI installs it
// with the Debian package libreoffice-calc-nogui (or libreoffice-calc).
func soffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("LibreOffice (soffice) is not installed: skipping the check of the workbook's formulas; install the package libreoffice-calc-nogui to run it")
	return ""
}

// loProfile makes a private LibreOffice user profile that recalculates
// every formula of an .xlsx file on load (OOXMLRecalcMode 0, "always";
// LibreOffice's default trusts the cached values), and returns its
// -env:UserInstallation argument.
func loProfile(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lo-profile")
	if err := os.MkdirAll(filepath.Join(dir, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	const xcu = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`
	if err := os.WriteFile(filepath.Join(dir, "user", "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
	return "-env:UserInstallation=file://" + dir
}

// convert runs LibreOffice headless to convert files to format in outDir.
func convert(t *testing.T, bin, profile, format, outDir string, files ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	args := append([]string{profile, "--headless", "--norestore", "--convert-to", format, "--outdir", outDir}, files...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, out.String())
	}
	t.Logf("soffice --convert-to %s: %s", strings.SplitN(format, ":", 2)[0], strings.TrimSpace(out.String()))
}

// csvSheet is one sheet as LibreOffice exported it: rows of cells, and the
// column of each header of row 1.
type csvSheet struct {
	rows [][]string
	col  map[string]int
}

func readCSV(t *testing.T, path string) csvSheet {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s := csvSheet{rows: rows, col: map[string]int{}}
	if len(rows) > 0 {
		for j, h := range rows[0] {
			if _, dup := s.col[h]; !dup {
				s.col[h] = j
			}
		}
	}
	return s
}

// num returns the number in row r (0 = the header) under header h, parsed
// from LibreOffice's unformatted CSV ("12.5%" reads as 0.125).
func (s csvSheet) num(t *testing.T, r int, h string) float64 {
	t.Helper()
	j, ok := s.col[h]
	if !ok {
		t.Fatalf("no column %q", h)
	}
	if r >= len(s.rows) || j >= len(s.rows[r]) {
		t.Fatalf("no cell at row %d column %q", r+1, h)
	}
	return csvNum(t, s.rows[r][j], fmt.Sprintf("row %d column %q", r+1, h))
}

// csvNum parses v, a number in LibreOffice's unformatted CSV.
func csvNum(t *testing.T, v, where string) float64 {
	t.Helper()
	scale := 1.0
	if s, ok := strings.CutSuffix(v, "%"); ok {
		v, scale = s, 0.01
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s holds %q, not a number", where, v)
	}
	return x * scale
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// TestLibreOfficeEvaluatesQuotaFormulas exports the sample plan with
// quotas, changes two annual quotas with excelize (so that the cached values
// of the formulas that depend on them are stale), and has LibreOffice
// recalculate the workbook and export every sheet to CSV, and the workbook
// to PDF. The evaluated quarters, months and totals must equal the app's
// figures (BuildQuotaPlan for the territories left alone,
// planner.QuarterlyQuota and MonthlyQuota for the two changed) to the cent.
// A second workbook with 1,000 territories of random quotas (whole multiples
// of the unit, whole amounts that are not, and cents), rounding to 500 and
// an uneven season checks the cumulative rounding formulas more widely.
func TestLibreOfficeEvaluatesQuotaFormulas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs LibreOffice")
	}
	bin := soffice(t)
	dir := t.TempDir()

	// The sample plan, two quotas changed after the export.
	p := quotaSample(t)
	s := p.Active()
	path := filepath.Join(dir, "sample.xlsx")
	if err := xlsx.WriteFile(path, p, s.ID); err != nil {
		t.Fatal(err)
	}
	changed := map[int]float64{1: 7_777_000, 6: 3_141_592.65} // territory index -> new annual quota
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	quotaCol := headerColumn(t, f, "Annual quota")
	for i, v := range changed {
		if err := f.SetCellValue("Territories", fmt.Sprintf("%s%d", quotaCol, i+2), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	qp, err := planner.BuildQuotaPlan(p, s)
	if err != nil {
		t.Fatal(err)
	}

	// A larger, synthetic plan.
	stress, stressSet := stressPlan()
	stressPath := filepath.Join(dir, "stress.xlsx")
	if err := xlsx.WriteFile(stressPath, stress, 1); err != nil {
		t.Fatal(err)
	}

	profile := loProfile(t)
	out := filepath.Join(dir, "out")
	convert(t, bin, profile, `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`, out, path, stressPath)
	convert(t, bin, profile, "pdf", out, path)

	set := p.Quota
	monthNames := make([]string, 12)
	for m := range monthNames {
		monthNames[m] = time.Month((int(set.StartMonth)-1+m)%12 + 1).String()[:3] + " " + strconv.Itoa(set.FiscalYear+(int(set.StartMonth)-1+m)/12)
	}
	if monthNames[0] != "Feb 2027" || monthNames[11] != "Jan 2028" {
		t.Fatalf("month headers %q", monthNames)
	}
	checkSplits := func(name string, terr csvSheet, n int, want func(i int) (annual float64, q [4]float64, m [12]float64)) {
		t.Helper()
		var sumQ [4]float64
		var sumM [12]float64
		var sumA float64
		for i := 0; i < n; i++ {
			annual, q, m := want(i)
			r := i + 1
			if got := terr.num(t, r, "Annual quota"); cents(got) != cents(annual) {
				t.Errorf("%s row %d: annual %v, want %v", name, r+1, got, annual)
			}
			for j := range 4 {
				h := "Q" + strconv.Itoa(j+1)
				if got := terr.num(t, r, h); cents(got) != cents(q[j]) {
					t.Errorf("%s row %d (annual %v): %s = %v in LibreOffice, app %v", name, r+1, annual, h, got, q[j])
				}
				sumQ[j] += q[j]
			}
			for k, h := range monthNames {
				if got := terr.num(t, r, h); cents(got) != cents(m[k]) {
					t.Errorf("%s row %d (annual %v): %s = %v in LibreOffice, app %v", name, r+1, annual, h, got, m[k])
				}
				sumM[k] += m[k]
			}
			sumA += annual
		}
		total := len(terr.rows) - 1
		if terr.rows[total][0] != "Total" {
			t.Fatalf("%s: last row %q, want the Total row", name, terr.rows[total])
		}
		if got := terr.num(t, total, "Annual quota"); cents(got) != cents(sumA) {
			t.Errorf("%s total annual quota %v, want %v", name, got, sumA)
		}
		for j := range 4 {
			if got := terr.num(t, total, "Q"+strconv.Itoa(j+1)); cents(got) != cents(sumQ[j]) {
				t.Errorf("%s total Q%d = %v, want %v", name, j+1, got, sumQ[j])
			}
		}
		for k, h := range monthNames {
			if got := terr.num(t, total, h); cents(got) != cents(sumM[k]) {
				t.Errorf("%s total %s = %v, want %v", name, h, got, sumM[k])
			}
		}
	}

	terr := readCSV(t, filepath.Join(out, "sample-Territories.csv"))
	changedSeen := 0
	checkSplits("sample", terr, len(qp.Territories), func(i int) (float64, [4]float64, [12]float64) {
		if v, ok := changed[i]; ok {
			changedSeen++
			return v, planner.QuarterlyQuota(v, set.Season, set.StartMonth, set.Rounding), planner.MonthlyQuota(v, set.Season, set.StartMonth, set.Rounding)
		}
		tq := qp.Territories[i]
		return tq.Quota.Value, tq.Quarters, tq.Months
	})
	if changedSeen != 2 {
		t.Errorf("checked %d changed territories, want 2", changedSeen)
	}
	// New England's first quarter, by hand: 20% of $2,422,000 is $484,400,
	// rounded to $1,000: $484,000.
	if got := terr.num(t, 1, "Q1"); got != 484_000 || qp.Territories[0].Quota.Value != 2_422_000 {
		t.Errorf("New England Q1 = %v (annual %v), want 484,000 of 2,422,000", got, qp.Territories[0].Quota.Value)
	}

	// The Summary's quotas assigned follow the changed quotas; the gap is
	// the expected total less them.
	sum := readCSV(t, filepath.Join(out, "sample-Summary.csv"))
	assigned := 0.0
	for i, tq := range qp.Territories {
		if v, ok := changed[i]; ok {
			assigned += v
		} else {
			assigned += tq.Quota.Value
		}
	}
	var gotAssigned, gotGap float64
	for _, row := range sum.rows {
		switch row[0] {
		case "Quotas assigned":
			gotAssigned = csvNum(t, row[1], "Summary: quotas assigned")
		case "Gap":
			gotGap = csvNum(t, row[1], "Summary: gap")
		}
	}
	if cents(gotAssigned) != cents(assigned) || cents(gotGap) != cents(qp.Report.Total-assigned) {
		t.Errorf("Summary: quotas assigned %v, gap %v; want %v and %v", gotAssigned, gotGap, assigned, qp.Report.Total-assigned)
	}

	// Settings: the season shares sum to 100%; the cumulative shares are
	// 20% by the end of the first quarter, 100% by the end of the year.
	st := readCSV(t, filepath.Join(out, "sample-Settings.csv"))
	if st.rows[27][0] != "Total" || math.Abs(st.num(t, 27, "Value")-1) > 1e-12 {
		t.Errorf("Settings row 28 = %q, want the season total 100%%", st.rows[27])
	}
	if st.rows[32][0] != "Share of the year due by the end of Apr 2027" || math.Abs(st.num(t, 32, "Value")-0.2) > 1e-12 {
		t.Errorf("Settings row 33 = %q, want 20%% due by the end of Apr 2027", st.rows[32])
	}
	if st.rows[41][0] != "Share of the year due by the end of Jan 2028" || st.num(t, 41, "Value") != 1 {
		t.Errorf("Settings row 42 = %q, want 100%% due by the end of Jan 2028", st.rows[41])
	}

	// Reps: the quotas after ramps, as the app computes them, and the total.
	reps := readCSV(t, filepath.Join(out, "sample-Reps.csv"))
	repTotal := 0.0
	for i, rq := range qp.Reps {
		if reps.rows[i+1][0] != rq.Name || cents(reps.num(t, i+1, "Quota")) != cents(rq.Quota) {
			t.Errorf("Reps row %d = %q, want %s with quota %v", i+2, reps.rows[i+1], rq.Name, rq.Quota)
		}
		repTotal += rq.Quota
	}
	if last := len(reps.rows) - 1; reps.rows[last][0] != "Total" || cents(reps.num(t, last, "Quota")) != cents(repTotal) {
		t.Errorf("Reps total %q, want quota %v", reps.rows[last], repTotal)
	}
	if reps.rows[4][0] != "TBH (West North Central)" {
		t.Errorf("Reps row 5 = %q, want the vacancy", reps.rows[4])
	}

	// Segments: each segment's share of potential (a formula of the
	// Territories total) as LibreOffice computes it; the matrix's Total row
	// (SUM formulas) equals the sum of its rows; the by-Type shares sum to
	// 100%.
	seg := readCSV(t, filepath.Join(out, "sample-Segments.csv"))
	mt := planner.ComputeMetrics(p, s)
	for i := range p.Segments {
		g := &p.Segments[i]
		mem, err := p.SegmentMembers(g)
		if err != nil {
			t.Fatal(err)
		}
		sm := planner.ComputeSegmentMetrics(p, s, g.Name, mem.In)
		if got, want := seg.num(t, i+1, "Share of potential"), sm.Total.Potential/mt.Total.Potential; seg.rows[i+1][0] != g.Name || math.Abs(got-want) > 1e-12 {
			t.Errorf("Segments row %d = %q, want %s with a share of %v", i+2, seg.rows[i+1], g.Name, want)
		}
	}
	block := func(title string) int {
		for r, row := range seg.rows {
			if len(row) > 0 && row[0] == title {
				return r
			}
		}
		t.Fatalf("Segments has no block %q", title)
		return 0
	}
	mx := block("Segments by territory")
	mxTotal := mx + 2 + len(s.Territories) + 1
	if seg.rows[mxTotal][0] != "Total" || seg.rows[mxTotal-1][0] != "White space" {
		t.Fatalf("Segments row %d = %q, want the matrix's Total", mxTotal+1, seg.rows[mxTotal])
	}
	cols := 0
	for j, h := range seg.rows[mx+1] {
		if !strings.HasSuffix(h, " accounts") && !strings.HasSuffix(h, " potential (Beds)") {
			continue
		}
		cols++
		sum := 0.0
		for r := mx + 2; r < mxTotal; r++ {
			if v := seg.rows[r][j]; v != "" {
				sum += csvNum(t, v, fmt.Sprintf("Segments row %d column %q", r+1, h))
			}
		}
		if got := csvNum(t, seg.rows[mxTotal][j], "the matrix's Total of "+h); got != sum {
			t.Errorf("Segments: the Total of %q is %v, want the sum %v", h, got, sum)
		}
	}
	if cols != 8 { // Large acute hospitals, Bed tiers A, B, C
		t.Errorf("the matrix has %d figure columns, want 8: %q", cols, seg.rows[mx+1])
	}
	share := 0.0
	by := block("Accounts by Type")
	for r := by + 2; r < len(seg.rows) && seg.rows[r][0] != "Total"; r++ {
		share += csvNum(t, seg.rows[r][3], fmt.Sprintf("Segments row %d share", r+1))
	}
	if math.Abs(share-1) > 1e-9 {
		t.Errorf("segment shares sum to %v, want 1", share)
	}

	// The stress workbook: LibreOffice's results, and the cached values,
	// equal the app's figures.
	sp, err := planner.BuildQuotaPlan(stress, &stress.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	stressTerr := readCSV(t, filepath.Join(out, "stress-Territories.csv"))
	set = &stressSet
	for m := range monthNames {
		monthNames[m] = time.Month((int(set.StartMonth)-1+m)%12 + 1).String()[:3] + " " + strconv.Itoa(set.FiscalYear+(int(set.StartMonth)-1+m)/12)
	}
	checkSplits("stress", stressTerr, len(sp.Territories), func(i int) (float64, [4]float64, [12]float64) {
		tq := sp.Territories[i]
		return tq.Quota.Value, tq.Quarters, tq.Months
	})
	cached := cachedSplits(t, stressPath, len(sp.Territories), monthNames)
	units := 0
	for i, tq := range sp.Territories {
		if tq.Quarters != cached[i].q || tq.Months != cached[i].m {
			t.Errorf("stress %s: cached quarters %v months %v, app %v %v", tq.Name, cached[i].q, cached[i].m, tq.Quarters, tq.Months)
		}
		if got := stressTerr.num(t, i+1, "Split unit"); got != 500 {
			units++
			if got != 0.01 {
				t.Errorf("stress %s: split unit %v, want 500 or 0.01", tq.Name, got)
			}
		}
	}
	t.Logf("stress: %d territories, %d split in cents (not a whole number of 500)", len(sp.Territories), units)

	pdf, err := os.ReadFile(filepath.Join(out, "sample.pdf"))
	if err != nil || len(pdf) < 1000 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("PDF: %d bytes, %v", len(pdf), err)
	}
	t.Logf("PDF %d bytes", len(pdf))
}

// stressPlan returns a plan of 1,000 territories with random quotas (whole
// thousands, whole dollars and cents), EUR, rounding 500, an uneven season
// from October, and no units or accounts.
func stressPlan() (*planner.Plan, planner.QuotaSettings) {
	rng := rand.New(rand.NewPCG(240, 7))
	set := planner.QuotaSettings{
		FiscalYear: 2026, StartMonth: time.October, Currency: "EUR", Target: 100_000_000, Rounding: 500,
		WeightPotential: 1, Season: [12]float64{5, 6, 7, 8, 9, 10, 11, 12, 10, 9, 8, 5},
	}
	s := planner.Scenario{ID: 1, Name: "Stress", Alignment: map[string]int64{}}
	for i := range 1000 {
		var q float64
		switch i % 3 {
		case 0:
			q = float64(rng.IntN(20_000)) * 500
		case 1:
			q = float64(rng.IntN(10_000_000))
		default:
			q = float64(rng.IntN(1_000_000_000)) / 100
		}
		s.Territories = append(s.Territories, planner.Territory{ID: int64(i + 1), Name: fmt.Sprintf("T%03d", i+1), Quota: planner.Known(q), QuotaOverride: i%2 == 0})
	}
	p := &planner.Plan{Name: "Stress", PotentialName: "Beds", Quota: &set, Scenarios: []planner.Scenario{s}, ActiveScenario: 1}
	return p, set
}

// headerColumn returns the letter of the Territories column headed h.
func headerColumn(t *testing.T, f *excelize.File, h string) string {
	t.Helper()
	rows, err := f.GetRows("Territories")
	if err != nil || len(rows) == 0 {
		t.Fatal(err)
	}
	for j, v := range rows[0] {
		if v == h {
			c, _ := excelize.ColumnNumberToName(j + 1)
			return c
		}
	}
	t.Fatalf("Territories has no column %q", h)
	return ""
}

type split struct {
	q [4]float64
	m [12]float64
}

// cachedSplits returns the cached quarters and months of the first n
// territories of the workbook at path.
func cachedSplits(t *testing.T, path string, n int, months []string) []split {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qc [4]string
	mc := make([]string, len(months))
	for j := range qc {
		qc[j] = headerColumn(t, f, "Q"+strconv.Itoa(j+1))
	}
	for k, h := range months {
		mc[k] = headerColumn(t, f, h)
	}
	out := make([]split, n)
	for i := range out {
		for j := range 4 {
			out[i].q[j] = rawNumber(t, f, "Territories", fmt.Sprintf("%s%d", qc[j], i+2))
		}
		for k := range months {
			out[i].m[k] = rawNumber(t, f, "Territories", fmt.Sprintf("%s%d", mc[k], i+2))
		}
	}
	return out
}
