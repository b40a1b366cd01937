package assets

import (
	"strings"
	"testing"
)

// TestAllAttribution checks that Help > About credits every shipped source
// once: the sample's files, GeoNames and each boundary layer.
func TestAllAttribution(t *testing.T) {
	got := AllAttribution()
	for _, want := range []string{"HIFLD", `attribution "GeoNames"`, "Natural Earth 4.1.0 (1:50m)", "Canada's provinces", "Romania's counties"} {
		if n := strings.Count(got, want); n != 1 {
			t.Errorf("AllAttribution mentions %q %d times, want once:\n%s", want, n, got)
		}
	}
	if n := strings.Count(got, "US county and state boundaries"); n != 1 {
		t.Errorf("the US boundaries are credited %d times, want once", n)
	}
}
