package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// geoArgs are the flags of "import geography".
type geoArgs struct {
	plan, file, layer, object, idProp, nameProp, title, unitLevel string
	force                                                         bool
}

// cmdImportGeography starts a new plan file on a geography layer: a GeoJSON
// or TopoJSON file (--file, with --id and --name naming the properties) or
// one of the layers Meridian ships (--layer KEY). It prints the import
// report and writes the plan through a temporary file renamed into place.
func cmdImportGeography(ctx context.Context, a geoArgs, stdout io.Writer) error {
	if (a.file == "") == (a.layer == "") {
		return fmt.Errorf("import geography needs --file FILE.geojson|.topojson (with --id and --name) or --layer KEY (%s)", layerKeys())
	}
	if err := checkOut(a.plan, a.force); err != nil {
		return err
	}
	var (
		rc          io.ReadCloser
		source      string
		attribution string
		err         error
	)
	if a.layer != "" {
		l, ok := shippedLayer(a.layer)
		if !ok {
			return fmt.Errorf("there is no layer %q; the layers are: %s", a.layer, layerKeys())
		}
		if rc, err = l.Open(); err != nil {
			return err
		}
		source, attribution = l.File, l.Attribution
		a.object = l.Object
		a.idProp = orDefault(a.idProp, l.IDProp)
		a.nameProp = orDefault(a.nameProp, l.NameProp)
		a.unitLevel = orDefault(a.unitLevel, l.UnitLevel)
		a.title = orDefault(a.title, l.Name)
	} else {
		f, err := os.Open(a.file)
		if err != nil {
			return &planner.Error{Code: planner.EIO, Message: "Could not open " + a.file, Err: err}
		}
		rc, source = f, a.file
		attribution = "Geography: " + filepath.Base(a.file)
	}
	defer rc.Close()
	g, err := planner.ReadGeographyFile(source, rc, a.object)
	if err != nil {
		return err
	}
	if a.idProp == "" {
		return fmt.Errorf("import geography needs --id PROP naming the property with each unit's code; %s has: %s", g.Source, propertyList(g.Properties))
	}
	units, rep, err := planner.UnitsFromFeatures(g.Features, a.idProp, a.nameProp, planner.UnitOptions{Source: g.Source})
	if err != nil {
		return err
	}
	p, err := planner.NewPlan(planner.PlanTemplate{
		Name:        orDefault(a.title, strings.TrimSuffix(filepath.Base(a.plan), filepath.Ext(a.plan))),
		UnitLevel:   a.unitLevel,
		Attribution: attribution,
		Units:       units,
	})
	if err != nil {
		return err
	}
	if err := writeNewPlan(ctx, a.plan, p); err != nil {
		return err
	}
	fmt.Fprintln(stdout, rep.String())
	const most = 20
	for i, is := range rep.Issues {
		if i == most {
			fmt.Fprintf(stdout, "  … and %d more\n", len(rep.Issues)-most)
			break
		}
		fmt.Fprintf(stdout, "  %s\n", is.Message)
	}
	fmt.Fprintf(stdout, "wrote %s: plan %q, %d units (%s), 1 scenario, no territories yet\n", a.plan, p.Name, len(p.Units), p.UnitLevel)
	return nil
}

// writeNewPlan writes p as a new plan file out (sqlite.CreatePlanFile: a
// temporary file renamed into place, so that out is never half-written).
func writeNewPlan(ctx context.Context, out string, p *planner.Plan) error {
	return sqlite.CreatePlanFile(ctx, out, p)
}

// shippedLayer returns the shipped boundary layer with the given key.
func shippedLayer(key string) (assets.BoundaryLayer, bool) {
	for _, l := range assets.BoundaryLayers() {
		if strings.EqualFold(l.Key, key) {
			return l, true
		}
	}
	return assets.BoundaryLayer{}, false
}

// layerKeys lists the keys of the shipped layers, comma separated.
func layerKeys() string {
	var keys []string
	for _, l := range assets.BoundaryLayers() {
		keys = append(keys, l.Key)
	}
	return strings.Join(keys, ", ")
}

// propertyList describes properties for an error message: name and an
// example each.
func propertyList(props []geo.PropertyInfo) string {
	var parts []string
	for _, p := range props {
		s := p.Name
		if len(p.Examples) > 0 {
			s += " (e.g. " + p.Examples[0] + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
