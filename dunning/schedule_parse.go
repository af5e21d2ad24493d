package dunning

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/riskkit/riskkit/internal/decode"
	"github.com/riskkit/riskkit/risk"
)

// ParseSchedule reads a schedule from YAML or JSON in the field names of
// [Schedule]'s JSON tags and checks it, as [Schedule.Validate] does. Unknown and
// repeated keys are errors. Every problem is reported at once in a
// *[risk.DocumentError] with its field path and its line and column in
// src, such as
//
//	14:17: stages[2].after_days: want an integer, not "ten"
//
// A document looks like this:
//
//	id: standard
//	version: "2026.11"
//	name: Standard collections
//	age_from: due_date           # or issue_date
//	grace_days: 3                # overdue from 3 days after the day after the due date
//	credit_blocked_time: true
//	retries:
//	  offsets_days: [1, 3, 5]    # or tries: 4 and within_days: 14
//	stages:                      # most severe first
//	  - id: suspend
//	    name: Suspended
//	    after_days: 30
//	    min_balance: ["20.00 USD", "20.00 EUR"]
//	    min_invoices: 1
//	    measure: overdue         # count only overdue money; the default is unpaid
//	    when: "!account.hard_declined"
//	    actions: [restrict_purchases, suspend_subscriptions, {reminder: suspended}]
//	  - id: remind
//	    after_days: 1
//	    actions: [{reminder: overdue}, retry_payment]
//	campaigns:
//	  - id: recovery
//	    thresholds: ["100.00 USD"] # of overdue money, unless measure: unpaid
//	    max_attempts: 3
//	    min_interval: 7d
//	    from_stage: suspend
//
// A cancel action is written {cancel: immediately} or {cancel: end_of_term}.
func ParseSchedule(src []byte) (*Schedule, error) {
	var s Schedule
	doc, list := decode.Parse(src)
	if doc != nil {
		list = doc.Into(&s)
	}
	if len(list) > 0 {
		return nil, risk.NewDocumentError("dunning", ErrInvalidDocument, scheduleSubject(s.ID), list)
	}
	if _, err := s.check(doc); err != nil {
		return nil, err
	}
	return &s, nil
}

// scheduleSubject names a schedule in errors.
func scheduleSubject(id string) string {
	if id == "" {
		return "schedule"
	}
	return "schedule " + strconv.Quote(id)
}

// UnmarshalJSON reads an action as a document writes it: a kind's name
// such as "retry_payment", {"reminder": template} or {"cancel": when}, or
// the fields of StageAction as they are marshalled.
func (a *StageAction) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		switch k := ActionKind(name); k {
		case Remind:
			return errors.New("write a reminder with its template, as in {reminder: overdue-notice}")
		case Cancel:
			return errors.New("write cancel with when it takes effect: {cancel: immediately} or {cancel: end_of_term}")
		default:
			*a = StageAction{Kind: k}
			return nil
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return errors.New("want an action name, {reminder: template} or {cancel: when}")
	}
	if _, ok := m["kind"]; ok {
		type plain StageAction
		var p plain
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return errors.New("want an action with kind and, for a reminder, template or, for cancel, cancel")
		}
		*a = StageAction(p)
		return nil
	}
	if len(m) != 1 {
		return errors.New("want one key, reminder or cancel, with its value")
	}
	for k, v := range m {
		var text string
		if json.Unmarshal(v, &text) != nil {
			return fmt.Errorf("%s takes a name, not %s", k, v)
		}
		switch ActionKind(k) {
		case Remind:
			*a = StageAction{Kind: Remind, Template: text}
		case Cancel:
			*a = StageAction{Kind: Cancel, Cancel: CancelWhen(text)}
		default:
			return fmt.Errorf("only reminder and cancel take a value; write %s on its own", k)
		}
	}
	return nil
}
