package onboarding

import "github.com/riskkit/riskkit/dunning"

// CollectionsFrom returns the collections policy a dunning schedule
// describes (see [dunning.Schedule.Describe]), to be shown at sign-up and
// acknowledged. The schedule's id and version go with the text, so that an
// acknowledgement is of one version: when the schedule changes, the
// customer acknowledges again.
func CollectionsFrom(s *dunning.Schedule) Collections {
	return Collections{ScheduleID: s.ID, Version: s.Version, Text: s.Describe()}
}
