package csvfile_test

import (
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
)

func TestSniff(t *testing.T) {
	long := "Name,City\n" + strings.Repeat("Émile,Zürich\n", 6000)
	tests := []struct {
		name   string
		sample string
		want   csvfile.Dialect
	}{
		{"empty", "", csvfile.DefaultDialect},
		{"one column", "Name\nAcme\nBeta\n", csvfile.DefaultDialect},
		{"comma", "a,b,c\n1,2,3\n", csvfile.DefaultDialect},
		{"quoted delimiters do not count", "a;b\n\"x;y;z\";1\n\"p;q\";2\n",
			csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"commas in text, semicolon delimiter", "Name;Street\nA;1 Main St, Dover\nB;2 Elm St\n",
			csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"tab beats commas in text", "id\tname\tnote\n1\tA, Inc\tx,y,z\n2\tB\tq\n",
			csvfile.Dialect{Delimiter: '\t', Numbers: pointComma}},
		{"pipe", "a|b\n1|2\n", csvfile.Dialect{Delimiter: '|', Numbers: pointComma}},
		{"CRLF", "a,b\r\n1,2\r\n", csvfile.Dialect{Delimiter: ',', LineEnding: csvfile.CRLF, Numbers: pointComma}},
		{"CR", "a,b\r1,2\r3,4", csvfile.Dialect{Delimiter: ',', LineEnding: csvfile.CR, Numbers: pointComma}},
		{"quoted CRLF in an LF file", "a,b\n\"x\r\ny\",1\n\"p\r\nq\",2\n3,4\n",
			csvfile.Dialect{Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma}},
		{"decimal comma", "Name;Revenue\nA;1,7\nB;12\n", csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"decimal comma with groups", "Name;Revenue\nA;200.000,50\n", csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"decimal comma, space groups", "Name;Revenue\nA;1 234,5\nB;7,25\n",
			csvfile.Dialect{Delimiter: ';', Numbers: planner.NumberFormat{Decimal: ',', Group: ' '}}},
		{"decimal point, apostrophe groups", "Name;Revenue\nA;1'234.5\nB;7.25\n",
			csvfile.Dialect{Delimiter: ';', Numbers: planner.NumberFormat{Decimal: '.', Group: '\''}}},
		{"ambiguous 1,234 stays point", "Name,Revenue\nA,\"1,234\"\nB,\"5,678\"\n", csvfile.Dialect{Delimiter: ',', Numbers: pointComma}},
		{"ambiguous in a semicolon file: decimal comma", "Name;Revenue\nA;1.234\nB;2.500\n", csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"points outvote commas", "Name,Revenue,Share\nA,1.7,\"2,5\"\nB,2.25,3\n", csvfile.Dialect{Delimiter: ',', Numbers: pointComma}},
		{"header does not vote", "1.5,2.5\nA,B\n", csvfile.Dialect{Delimiter: ',', Numbers: pointComma}},
		{"currency and percent vote", "Name;Price;Share\nA;€ 1.234,50;12,5%\n", csvfile.Dialect{Delimiter: ';', Numbers: commaPoint}},
		{"dates do not vote", "Name,Date\nA,30.11.2026\nB,1.12.2026\n", csvfile.Dialect{Delimiter: ',', Numbers: pointComma}},
		{"UTF-8 BOM", "\xef\xbb\xbfa;b\n1;2\n", csvfile.Dialect{Encoding: csvfile.UTF8BOM, Delimiter: ';', Numbers: commaPoint}},
		{"UTF-16 LE BOM", string(utf16("a;b\n1;2\n", false)), csvfile.Dialect{Encoding: csvfile.UTF16LE, Delimiter: ';', Numbers: commaPoint}},
		{"UTF-16 BE BOM", string(utf16("a\tb\r\n1\t2\r\n", true)), csvfile.Dialect{Encoding: csvfile.UTF16BE, Delimiter: '\t', LineEnding: csvfile.CRLF, Numbers: pointComma}},
		{"UTF-16 BE without BOM", string(utf16("a|b\n1|2\n", true)[2:]), csvfile.Dialect{Encoding: csvfile.UTF16BE, Delimiter: '|', Numbers: pointComma}},
		{"Latin-1", "a,b\nK\xf6ln,1\n", csvfile.Dialect{Encoding: csvfile.Windows1252, Delimiter: ',', Numbers: pointComma}},
		{"sample cut inside a character", long[:10+15*4000+1], csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', Numbers: pointComma}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvfile.Sniff([]byte(tt.sample)); got != tt.want {
				t.Errorf("Sniff = %v\nwant    %v", got, tt.want)
			}
		})
	}
	if c := long[10+15*4000]; c != 0xC3 {
		t.Errorf("the cut sample should end with the first byte of É, not %#x", c)
	}
}
