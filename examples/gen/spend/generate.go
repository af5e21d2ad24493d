package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
	_ "time/tzdata" // the customers' zones, wherever the generator runs

	"github.com/riskkit/riskkit/budget"
	"github.com/riskkit/riskkit/risk"
)

// seed1 and seed2 seed the PCG source. Every amount follows from them, so
// changing either rewrites the whole file.
const (
	seed1 = 0x7370656e64 // "spend"
	seed2 = 2026
)

// The data runs from first to last, inclusive.
var (
	first = date(2026, time.January, 1)
	last  = date(2026, time.March, 31)
)

// line is one record of the output: a spend record and whose it is.
type line struct {
	CustomerID string `json:"customer_id"`
	budget.Record
	arrives time.Time // orders the feed; not written
}

// customer describes how one customer spends.
type customer struct {
	id, short, currency, zone string
	from                      risk.Date // first day with spend
	hourlyFrom                risk.Date // metered by the hour from this day; zero for never
	// day returns the customer's spend on a day, in minor units, before
	// noise.
	day func(d risk.Date) float64
	// noise is the relative standard deviation of a day's spend.
	noise float64
}

// date returns the given day, which the generator names only when it exists.
func date(y int, m time.Month, d int) risk.Date {
	v, err := risk.NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return v
}

func customers() []customer {
	weekend := func(d risk.Date) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	return []customer{{
		id: "cus_contoso", short: "contoso", currency: "USD", zone: "America/New_York", from: first, noise: 0.08,
		day: func(d risk.Date) float64 {
			v := 15000.0
			if weekend(d) {
				v = 6000
			}
			// A GPU workload from 9 March adds usage every day.
			if !d.Before(date(2026, time.March, 9)) {
				v += 12000
			}
			return v
		},
	}, {
		id: "cus_fabrikam", short: "fabrikam", currency: "EUR", zone: "Europe/Berlin", from: first, noise: 0.05,
		day: func(d risk.Date) float64 {
			if weekend(d) {
				return 1500
			}
			return 9000
		},
	}, {
		id: "cus_northwind", short: "northwind", currency: "USD", zone: "America/Los_Angeles", from: first, noise: 0.12,
		day: func(d risk.Date) float64 {
			// About 3% more each month.
			return 9000 * (1 + 0.001*float64(d.DaysSince(first)))
		},
	}, {
		id: "cus_tailspin", short: "tailspin", currency: "JPY", zone: "Asia/Tokyo", noise: 0.10,
		from:       date(2026, time.February, 15),
		hourlyFrom: date(2026, time.March, 25),
		day: func(d risk.Date) float64 {
			// The launch ramps up over its six weeks.
			return 6000 + 150*float64(d.DaysSince(date(2026, time.February, 15)))
		},
	}}
}

// generate returns the JSON lines of the spend and how many there are. It
// is deterministic: the same program always returns the same bytes.
func generate() ([]byte, int, error) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	var lines []line
	for _, c := range customers() {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			return nil, 0, err
		}
		cl, err := c.spend(r, loc)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", c.id, err)
		}
		lines = append(lines, cl...)
	}
	slices.SortStableFunc(lines, func(a, b line) int { return a.arrives.Compare(b.arrives) })
	var buf bytes.Buffer
	for _, l := range lines {
		b, err := json.Marshal(l)
		if err != nil {
			return nil, 0, fmt.Errorf("record %s: %w", l.ID, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), len(lines), nil
}

// Untidy records of the feed, by customer and day.
var (
	spikeDay    = date(2026, time.March, 12) // contoso's runaway usage
	quietDay    = date(2026, time.February, 18)
	lateDays    = []risk.Date{date(2026, time.February, 6), date(2026, time.March, 20)}
	resentDay   = date(2026, time.March, 3)
	correctDay  = date(2026, time.March, 16)
	untidyShort = "contoso"
)

// spend returns a customer's records.
func (c customer) spend(r *rand.Rand, loc *time.Location) ([]line, error) {
	var out []line
	add := func(rec budget.Record, arrives time.Time) {
		out = append(out, line{CustomerID: c.id, Record: rec, arrives: arrives})
	}
	money := func(minor float64) (risk.Money, error) { return risk.NewMoney(int64(minor+0.5), c.currency) }
	for d := c.from; !d.After(last); d = d.AddDays(1) {
		v := c.day(d) * (1 + c.noise*r.NormFloat64())
		switch {
		case c.short == untidyShort && d == spikeDay:
			v *= 4
		case c.short == "fabrikam" && d == quietDay:
			v *= 0.1
		}
		v = max(v, 0)
		// Billing reports a day early the next morning.
		arrives := d.AddDays(1).Start(loc).Add(6 * time.Hour)
		if c.hourlyFrom.IsZero() || d.Before(c.hourlyFrom) {
			amt, err := money(v)
			if err != nil {
				return nil, err
			}
			y, m, dd := d.Parts()
			rec := budget.Record{ID: fmt.Sprintf("%s-%04d%02d%02d", c.short, y, m, dd), Day: d, Amount: amt}
			if c.short == untidyShort && slices.Contains(lateDays, d) {
				rec.Received = arrives.Add(72 * time.Hour)
				arrives = rec.Received
			}
			add(rec, arrives)
			if c.short == untidyShort && d == resentDay {
				add(rec, arrives.Add(time.Hour))
			}
			if c.short == untidyShort && d == correctDay {
				fix := rec
				if fix.Amount, err = money(v * 0.9); err != nil {
					return nil, err
				}
				fix.Revision = 1
				fix.Received = arrives.Add(48 * time.Hour)
				add(fix, fix.Received)
			}
			continue
		}
		// Metered by the hour, busier in the local daytime; the wall
		// clock's hours are the day's, however many a DST change leaves.
		start, end := d.Start(loc), d.AddDays(1).Start(loc)
		var weights []float64
		var total float64
		for h := start; h.Before(end); h = h.Add(time.Hour) {
			w := 1.0
			if hr := h.Hour(); hr >= 9 && hr < 21 {
				w = 2
			}
			weights = append(weights, w)
			total += w
		}
		i := 0
		for h := start; h.Before(end); h = h.Add(time.Hour) {
			amt, err := money(v * weights[i] / total)
			if err != nil {
				return nil, err
			}
			lt := h.In(loc)
			add(budget.Record{
				ID:     fmt.Sprintf("%s-%04d%02d%02d%02d", c.short, lt.Year(), lt.Month(), lt.Day(), lt.Hour()),
				Hour:   h.UTC(),
				Amount: amt,
			}, h.Add(time.Hour+5*time.Minute))
			i++
		}
	}
	slices.SortStableFunc(out, func(a, b line) int { return cmp.Compare(a.arrives.UnixNano(), b.arrives.UnixNano()) })
	return out, nil
}
