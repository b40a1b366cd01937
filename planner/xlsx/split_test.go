package xlsx

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// formulaEval evaluates the formulas of a workbook in Go, exactly as
// written: numbers, cell references (with an optional sheet and $), + - * /,
// unary minus, comparisons (1 for true, 0 for false) and the functions IF,
// ABS and ROUND (half away from zero: math.Round(x×10^d)/10^d, planner's
// RoundUnits arithmetic). A blank cell is 0. It is enough for the split
// formulas and the Settings cells they refer to, and fails the test on
// anything else.
type formulaEval struct {
	t     *testing.T
	f     *excelize.File
	memo  map[string]float64
	depth int
}

func (e *formulaEval) cell(sheet, ref string) float64 {
	key := sheet + "!" + ref
	if v, ok := e.memo[key]; ok {
		return v
	}
	if e.depth++; e.depth > 50 {
		e.t.Fatalf("reference loop at %s", key)
	}
	defer func() { e.depth-- }()
	var v float64
	if fo, err := e.f.GetCellFormula(sheet, ref); err != nil {
		e.t.Fatalf("%s: %v", key, err)
	} else if fo != "" {
		v = e.eval(sheet, fo)
	} else {
		raw, err := e.f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			e.t.Fatalf("%s: %v", key, err)
		}
		if raw != "" {
			if v, err = strconv.ParseFloat(raw, 64); err != nil {
				e.t.Fatalf("%s holds %q, not a number", key, raw)
			}
		}
	}
	e.memo[key] = v
	return v
}

// eval evaluates formula fo (without "=") of a cell of sheet.
func (e *formulaEval) eval(sheet, fo string) float64 {
	p := &exprParser{e: e, sheet: sheet, s: strings.ReplaceAll(fo, " ", "")}
	v := p.compare()
	if p.i != len(p.s) {
		e.t.Fatalf("formula %q: cannot read from %q", fo, p.s[p.i:])
	}
	return v
}

type exprParser struct {
	e     *formulaEval
	sheet string
	s     string
	i     int
}

func (p *exprParser) peek(tok string) bool { return strings.HasPrefix(p.s[p.i:], tok) }

func (p *exprParser) eat(tok string) bool {
	if p.peek(tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *exprParser) fail(what string) {
	p.e.t.Fatalf("formula %q: %s at %q", p.s, what, p.s[p.i:])
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (p *exprParser) compare() float64 {
	a := p.additive()
	for _, op := range []string{"<=", ">=", "<>", "<", ">", "="} {
		if p.eat(op) {
			b := p.additive()
			switch op {
			case "<=":
				return b2f(a <= b)
			case ">=":
				return b2f(a >= b)
			case "<>":
				return b2f(a != b)
			case "<":
				return b2f(a < b)
			case ">":
				return b2f(a > b)
			default:
				return b2f(a == b)
			}
		}
	}
	return a
}

func (p *exprParser) additive() float64 {
	v := p.term()
	for {
		switch {
		case p.eat("+"):
			v += p.term()
		case p.eat("-"):
			v -= p.term()
		default:
			return v
		}
	}
}

func (p *exprParser) term() float64 {
	v := p.unary()
	for {
		switch {
		case p.eat("*"):
			v *= p.unary()
		case p.eat("/"):
			d := p.unary()
			if d == 0 {
				p.fail("division by zero")
			}
			v /= d
		default:
			return v
		}
	}
}

func (p *exprParser) unary() float64 {
	if p.eat("-") {
		return -p.unary()
	}
	return p.primary()
}

func (p *exprParser) args() []float64 {
	var out []float64
	for {
		out = append(out, p.compare())
		if p.eat(")") {
			return out
		}
		if !p.eat(",") {
			p.fail("expected , or )")
		}
	}
}

func (p *exprParser) primary() float64 {
	switch {
	case p.eat("("):
		v := p.compare()
		if !p.eat(")") {
			p.fail("expected )")
		}
		return v
	case p.eat("IF("):
		// IF evaluates only the branch it takes, as spreadsheets do (the
		// other may divide by zero): parse both, keep one.
		c := p.compare()
		if !p.eat(",") {
			p.fail("expected ,")
		}
		a := p.branch(c != 0)
		if !p.eat(",") {
			p.fail("expected ,")
		}
		b := p.branch(c == 0)
		if !p.eat(")") {
			p.fail("expected )")
		}
		if c != 0 {
			return a
		}
		return b
	case p.eat("ABS("):
		a := p.args()
		if len(a) != 1 {
			p.fail("ABS takes 1 argument")
		}
		return math.Abs(a[0])
	case p.eat("ROUND("):
		a := p.args()
		if len(a) != 2 || a[1] != math.Trunc(a[1]) || a[1] < 0 {
			p.fail("ROUND takes a number and whole decimals")
		}
		if a[1] == 0 {
			return math.Round(a[0])
		}
		k := math.Pow(10, a[1])
		return math.Round(a[0]*k) / k
	}
	// A number (1E-9, 0.01) or a reference (Settings!$B$8, $N2).
	j := p.i
	for j < len(p.s) && (p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '.' || p.s[j] == 'E' && j > p.i && p.s[p.i] >= '0' && p.s[p.i] <= '9' ||
		(p.s[j] == '-' || p.s[j] == '+') && j > p.i && p.s[j-1] == 'E') {
		j++
	}
	if j > p.i {
		v, err := strconv.ParseFloat(p.s[p.i:j], 64)
		if err != nil {
			p.fail("bad number")
		}
		p.i = j
		return v
	}
	for j < len(p.s) && (p.s[j] == '$' || p.s[j] == '!' || p.s[j] >= 'A' && p.s[j] <= 'Z' || p.s[j] >= 'a' && p.s[j] <= 'z' || p.s[j] >= '0' && p.s[j] <= '9') {
		j++
	}
	if j == p.i {
		p.fail("expected a number or a reference")
	}
	ref := p.s[p.i:j]
	p.i = j
	sheet := p.sheet
	if k := strings.IndexByte(ref, '!'); k >= 0 {
		sheet, ref = ref[:k], ref[k+1:]
	}
	ref = strings.ReplaceAll(ref, "$", "")
	if _, _, err := excelize.CellNameToCoordinates(ref); err != nil {
		p.fail("bad reference")
	}
	return p.e.cell(sheet, ref)
}

// branch parses one IF branch and evaluates it only when taken.
func (p *exprParser) branch(taken bool) float64 {
	if taken {
		return p.compare()
	}
	// Skip to the comma or parenthesis that ends the branch.
	depth := 0
	for ; p.i < len(p.s); p.i++ {
		switch p.s[p.i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return 0
			}
			depth--
		case ',':
			if depth == 0 {
				return 0
			}
		}
	}
	return 0
}

// TestSplitFormulasMatchPlanner writes workbooks of random annual quotas
// (whole rounding units, whole dollars that are not, cents, small amounts,
// zero and unknown) for seasons with and without zero months, fiscal years
// from January, February, July and October and rounding to cents, $1, $500
// and $1,000, and evaluates every split unit, quarter and month formula of
// the Territories sheet in Go exactly as written (formulaEval), through the
// Settings cells they refer to: each must equal planner.MonthlyQuota and
// QuarterlyQuota of the row's annual quota to the cent (within 1e-6), its
// cached value must be that figure, and the Settings cumulative shares
// must be planner.CumulativeSeason exactly.
func TestSplitFormulasMatchPlanner(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2027))
	seasons := [][12]float64{
		{}, // equal months
		planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.February),
		planner.QuarterSeason([4]float64{10, 40, 10, 40}, time.January),
		{5, 6, 7, 8, 9, 10, 11, 12, 10, 9, 8, 5},
		{0, 0, 30, 0, 0, 30, 0, 0, 20, 0, 0, 20},                     // zero months, the last fiscal month of some starts among them
		{100.0 / 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100.0 / 3, 100.0 / 3}, // thirds: repeating fractions
	}
	starts := []time.Month{time.January, time.February, time.July, time.October}
	roundings := []float64{0, 1, 500, 1000}
	const n = 60
	checked, nonMultiples := 0, 0
	for si, season := range seasons {
		for _, start := range starts {
			for _, rounding := range roundings {
				set := planner.QuotaSettings{FiscalYear: 2027, StartMonth: start, Currency: "USD", Target: 1e6,
					Rounding: rounding, WeightPotential: 1, Season: season}
				s := planner.Scenario{ID: 1, Name: "S", Alignment: map[string]int64{}}
				for i := range n {
					q := planner.Known(0)
					u := math.Max(rounding, 1)
					switch i % 7 {
					case 0:
						q.Value = float64(rng.IntN(20_000)) * u
					case 1:
						q.Value = float64(rng.IntN(10_000_000))
					case 2:
						q.Value = float64(rng.IntN(1_000_000_000)) / 100
					case 3:
						q.Value = float64(rng.IntN(1000)) / 100
					case 4:
						q.Value = float64(rng.IntN(50)) * u
					case 5:
						q = planner.Unknown
					default:
						// A half unit of the cumulative rounding: ties.
						q.Value = float64(rng.IntN(2000))*u + u/2
					}
					s.Territories = append(s.Territories, planner.Territory{ID: int64(i + 1), Name: fmt.Sprintf("T%02d", i+1), Quota: q, QuotaOverride: q.Known})
				}
				p := &planner.Plan{Name: "P", Quota: &set, Scenarios: []planner.Scenario{s}, ActiveScenario: 1}
				var buf bytes.Buffer
				if err := NewEncoder(&buf).Encode(p, 1); err != nil {
					t.Fatal(err)
				}
				f, err := excelize.OpenReader(&buf)
				if err != nil {
					t.Fatal(err)
				}
				e := &formulaEval{t: t, f: f, memo: map[string]float64{}}
				where := fmt.Sprintf("season %d start %v rounding %v", si, start, rounding)

				cum := planner.CumulativeSeason(season, start)
				for k := range 12 {
					ref := "B" + strconv.Itoa(setCumulative0+k)
					if got := e.cell(SheetSettings, ref); got != cum[k] {
						t.Fatalf("%s: Settings!%s = %v, want C(%d) = %v", where, ref, got, k+1, cum[k])
					}
					if got := rawFloat(t, f, SheetSettings, ref); got != cum[k] && math.Abs(got-cum[k]) > 1e-15 {
						t.Fatalf("%s: Settings!%s cached %v, want %v", where, ref, got, cum[k])
					}
				}
				rows, err := f.GetRows(SheetTerritories)
				if err != nil {
					t.Fatal(err)
				}
				col := map[string]string{}
				for j, h := range rows[0] {
					col[h], _ = excelize.ColumnNumberToName(j + 1)
				}
				for i := range n {
					r := strconv.Itoa(i + 2)
					annual := e.cell(SheetTerritories, col[hdrAnnualQuota]+r)
					wantM := planner.MonthlyQuota(annual, season, start, rounding)
					wantQ := planner.QuarterlyQuota(annual, season, start, rounding)
					unit := e.cell(SheetTerritories, col[hdrSplitUnit]+r)
					if rounding > 0 && unit != rounding {
						nonMultiples++
					}
					if unit != planner.SplitUnit(annual, rounding) || rawFloat(t, f, SheetTerritories, col[hdrSplitUnit]+r) != unit {
						t.Fatalf("%s row %s: split unit %v, want %v", where, r, unit, planner.SplitUnit(annual, rounding))
					}
					check := func(h string, want float64) {
						ref := col[h] + r
						got := e.cell(SheetTerritories, ref)
						if math.Abs(got-want) > 1e-6 {
							fo, _ := f.GetCellFormula(SheetTerritories, ref)
							t.Fatalf("%s row %s (annual %v): %s = %v by the formula %s, app %v", where, r, annual, h, got, fo, want)
						}
						if c := rawFloat(t, f, SheetTerritories, ref); c != want {
							t.Fatalf("%s row %s: %s cached %v, want %v", where, r, h, c, want)
						}
						checked++
					}
					for j := range 4 {
						check("Q"+strconv.Itoa(j+1), wantQ[j])
					}
					for k := range 12 {
						check(fiscalMonthName(2027, start, k), wantM[k])
					}
				}
				f.Close()
			}
		}
	}
	if nonMultiples == 0 {
		t.Error("no quota was split in cents for not being a whole number of the rounding unit")
	}
	t.Logf("%d quarter and month formulas evaluated, equal to the app; %d rows split in cents", checked, nonMultiples)
}

// rawFloat returns the stored (cached) number of a cell; 0 when blank.
func rawFloat(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw == "" {
		return 0
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s holds %q", sheet, ref, raw)
	}
	return v
}

// TestSplitFormulaText pins the formulas of one row as finance sees them.
func TestSplitFormulaText(t *testing.T) {
	x := &splitRefs{annual: "$N2", rounding: "Settings!$B$8", unit: "$Q2"}
	for k := range x.cum {
		x.cum[k] = settingsRef(setCumulative0 + k)
	}
	for _, c := range []struct{ got, want string }{
		{x.unitFormula(), "IF(Settings!$B$8<=0,0.01,IF(ABS($N2/Settings!$B$8-ROUND($N2/Settings!$B$8,0))<=1E-9+1E-12*ABS($N2/Settings!$B$8),Settings!$B$8,0.01))"},
		{x.quarterFormula(0), "$Q2*ROUND(ROUND($N2*Settings!$B$33/$Q2,9),0)"},
		{x.quarterFormula(1), "$Q2*ROUND(ROUND($N2*Settings!$B$36/$Q2,9),0)-$Q2*ROUND(ROUND($N2*Settings!$B$33/$Q2,9),0)"},
		{x.quarterFormula(3), "$N2-$Q2*ROUND(ROUND($N2*Settings!$B$39/$Q2,9),0)"},
		{x.monthFormula(0), "$Q2*ROUND(ROUND($N2*Settings!$B$31/$Q2,9),0)"},
		{x.monthFormula(4), "$Q2*ROUND(ROUND($N2*Settings!$B$35/$Q2,9),0)-$Q2*ROUND(ROUND($N2*Settings!$B$34/$Q2,9),0)"},
		{x.monthFormula(11), "$N2-$Q2*ROUND(ROUND($N2*Settings!$B$41/$Q2,9),0)"},
		{cumulativeFormula(1), "B16"},
		{cumulativeFormula(2), "B31+B17"},
		{cumulativeFormula(11), "B40+B26"},
	} {
		if c.got != c.want {
			t.Errorf("formula\n %s\nwant\n %s", c.got, c.want)
		}
	}
}

func TestFiscalMonthName(t *testing.T) {
	for _, c := range []struct {
		fy    int
		start time.Month
		m     int
		want  string
	}{
		{2027, time.February, 0, "Feb 2027"},
		{2027, time.February, 11, "Jan 2028"},
		{2027, time.January, 11, "Dec 2027"},
		{2026, time.October, 3, "Jan 2027"},
	} {
		if got := fiscalMonthName(c.fy, c.start, c.m); got != c.want {
			t.Errorf("fiscalMonthName(%d, %v, %d) = %q, want %q", c.fy, c.start, c.m, got, c.want)
		}
	}
}

func TestMoneyFormat(t *testing.T) {
	for _, c := range []struct {
		cur  string
		dec  int
		want string
	}{
		{"USD", 0, `"$"#,##0;-"$"#,##0`},
		{"USD", 2, `"$"#,##0.00;-"$"#,##0.00`},
		{"EUR", 0, `#,##0 "EUR"`},
		{"", 0, `#,##0`},
	} {
		if got := moneyFormat(c.cur, c.dec); got != c.want {
			t.Errorf("moneyFormat(%q, %d) = %q, want %q", c.cur, c.dec, got, c.want)
		}
	}
}
