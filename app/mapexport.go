package app

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/meridianplan/meridian/app/mapimage"
	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// MapPictureWidth is the default width in pixels of an exported map picture.
const MapPictureWidth = 2400

// mapPicture is what an exported picture shows.
type mapPicture struct {
	plan      *planner.Plan // a snapshot (see session.snapshotPlan)
	proj      geo.Composite // the map projection (session.proj), for the scale note
	scenario  *planner.Scenario
	layers    func() *mapview.Layers // called off the UI thread
	view      mapview.View           // the view to show; Scale 0 fits everything
	viewWidth int                    // the device width the view was set for (0 with Scale 0)
	legend    []legendEntry
	title     string // what the colours show, e.g. "Territories"
	width     int    // picture width in pixels
	date      time.Time
}

// render draws the picture: the map at the exact size the layout leaves
// for it, the same part of the plane as the view (scaled to the new width),
// with line widths, dots and labels scaled to match.
func (mp *mapPicture) render(ctx context.Context) (*image.RGBA, error) {
	opts := mapimage.Options{
		Width:       mp.width,
		Title:       mp.plan.Name,
		Subtitle:    fmt.Sprintf("Scenario %q · %d territories · colours: %s", mp.scenario.Name, len(mp.scenario.Territories), strings.ToLower(mp.title)),
		Date:        mp.date,
		Attribution: attributionLine(mp.plan.Attribution),
		LegendTitle: mp.title,
	}
	for _, e := range mp.legend {
		opts.Legend = append(opts.Legend, mapimage.LegendEntry{Color: e.color, Label: e.label, Detail: e.detail})
	}
	w, h, err := mapimage.MapSize(opts)
	if err != nil {
		return nil, planner.Errorf(planner.EINVALID, "A map picture is %d to %d pixels wide; %d is not possible", mapimage.MinWidth, mapimage.MaxWidth, mp.width)
	}
	mv := mapview.New()
	styleMap(mv)
	mv.SetLayers(mp.layers())
	v := mp.view
	if v.Scale <= 0 || mp.viewWidth <= 0 {
		v, _ = mv.FitView(w, h)
	} else {
		v.Scale *= float64(w) / float64(mp.viewWidth)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Sizes in dp are for a map pane about 800 px wide; keep their share,
	// so that labels and dots read the same at 1,200 and 4,000 px.
	ps := float32(max(1, float64(w)/800))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	mv.RenderTo(img, v, ps)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts.ScaleNote = scaleNote(v.Scale, mp.proj)
	return mapimage.Compose(img, opts)
}

// scaleNote says how far 100 pixels of the picture reach on the ground
// where the map projection proj has its true scale (the lower 48 for
// geo.AlbersUSA: 1,000 plane units per Earth radius of 6,371 km, near true
// between the standard parallels), for a view of scale pixels per plane
// unit.
func scaleNote(scale float64, proj geo.Composite) string {
	if scale <= 0 || proj.KmPerUnit() <= 0 {
		return ""
	}
	km := 100 * proj.KmPerUnit() / scale
	digits := 0
	if km < 10 {
		digits = 1
	}
	where := "lower 48, Albers equal-area"
	if len(proj) == 1 {
		where = proj[0].Name
	}
	return fmt.Sprintf("100 px ≈ %.*f km (%s)", digits, km, where)
}

// attributionLine joins the plan's attribution lines into one footer line.
func attributionLine(a string) string {
	var parts []string
	for _, l := range strings.Split(a, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " · ")
}

// writePNGAtomic encodes img as PNG into path through a temporary file in
// the same folder, so that path is never half-written.
func writePNGAtomic(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".meridian-map-*.png.tmp")
	if err != nil {
		return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := mapimage.EncodePNG(tmp, img); err != nil {
		tmp.Close()
		return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err)
	}
	// CreateTemp makes the file private; a picture is for sharing.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err)
	}
	return nil
}

// WriteMapPNG writes the map of the plan file planPath (its active
// scenario, territory colours, fitted to the whole plan) as a PNG picture
// width pixels wide (mapimage.MinWidth to mapimage.MaxWidth; the height is
// 9/16 of it) to outPath, with title, legend with each territory's
// metrics, scale note, date (now) and attribution. The plan is opened
// read-only and not changed; outPath is written atomically.
//
// It returns a *planner.Error with code planner.EINVALID for a width out of
// range, the errors of sqlite.OpenReadOnly and Load, and planner.EIO when
// the picture cannot be written.
func WriteMapPNG(ctx context.Context, planPath, outPath string, width int, now time.Time) error {
	if width < mapimage.MinWidth || width > mapimage.MaxWidth {
		return planner.Errorf(planner.EINVALID, "A map picture is %d to %d pixels wide; %d is not possible", mapimage.MinWidth, mapimage.MaxWidth, width)
	}
	db, err := sqlite.OpenReadOnly(planPath)
	if err != nil {
		return err
	}
	p, err := db.Load(ctx)
	db.Close()
	if err != nil {
		return err
	}
	s, err := newSession(ctx, db, p)
	if err != nil {
		return err
	}
	_, legend := s.fills(viewOptions{}, s.scenario, s.metrics)
	pic := &mapPicture{plan: p, proj: s.proj, scenario: s.scenario, layers: func() *mapview.Layers { return s.layers }, legend: legend,
		title: legendTitle(viewOptions{}, p.PotentialName), width: width, date: now}
	img, err := pic.render(ctx)
	if err != nil {
		return err
	}
	return writePNGAtomic(outPath, img)
}
