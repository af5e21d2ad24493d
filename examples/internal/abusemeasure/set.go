package abusemeasure

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/examples/internal/gendata"
)

// Set is a labelled set of telemetry as a generator writes it.
type Set struct {
	Windows   []abuse.Telemetry
	Labels    []Label
	Customers map[string]abuse.CustomerRecord
	// State is what the host holds before the first window.
	State abuse.State
}

// Names are the file names of a set.
type Names struct {
	Telemetry, Labels, Customers, State string
}

// Encode returns the files of a set: the windows in time order (then by
// subscription and resource) as JSON Lines, each checked with Validate, and
// the labels, customers and state as indented JSON.
func (s Set) Encode(n Names) ([]gendata.File, error) {
	w := slices.Clone(s.Windows)
	slices.SortStableFunc(w, func(a, b abuse.Telemetry) int {
		return cmp.Or(a.Window.Start.Compare(b.Window.Start), cmp.Compare(a.Subscription, b.Subscription), cmp.Compare(a.Resource, b.Resource))
	})
	for i := range w {
		if err := w[i].Validate(); err != nil {
			return nil, fmt.Errorf("generated an invalid window: %w", err)
		}
	}
	var tel bytes.Buffer
	if err := abuse.EncodeTelemetry(&tel, w); err != nil {
		return nil, err
	}
	st := s.State
	st.Baselines = slices.Clone(st.Baselines)
	slices.SortFunc(st.Baselines, func(a, b abuse.Baseline) int {
		return cmp.Or(cmp.Compare(a.Subscription, b.Subscription), cmp.Compare(a.Resource, b.Resource))
	})
	files := []gendata.File{{Name: n.Telemetry, Data: tel.Bytes()}}
	for _, x := range []struct {
		name string
		v    any
	}{{n.Labels, s.Labels}, {n.Customers, s.Customers}, {n.State, st}} {
		b, err := json.MarshalIndent(x.v, "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, gendata.File{Name: x.name, Data: append(b, '\n')})
	}
	return files, nil
}

// Generated runs a generator and decodes the set it writes.
func Generated(generate func() ([]gendata.File, error), n Names) (Set, error) {
	files, err := generate()
	if err != nil {
		return Set{}, err
	}
	return Decode(files, n)
}

// Decode reads the files of a set back.
func Decode(files []gendata.File, n Names) (Set, error) {
	var s Set
	for _, f := range files {
		var err error
		switch f.Name {
		case n.Telemetry:
			s.Windows, err = abuse.ParseTelemetry(f.Data)
		case n.Labels:
			err = json.Unmarshal(f.Data, &s.Labels)
		case n.Customers:
			err = json.Unmarshal(f.Data, &s.Customers)
		case n.State:
			err = json.Unmarshal(f.Data, &s.State)
		}
		if err != nil {
			return Set{}, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return s, nil
}
