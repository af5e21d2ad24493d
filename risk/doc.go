// Package risk scores checkout transactions with CEL policies over typed
// customer, payment and transaction models, and explains every decision.
//
// A policy is compiled once into an immutable [Engine] and then evaluated
// for each purchase, in-process and without I/O:
//
//	engine, err := risk.Compile(policyYAML, risk.CheckoutSchema())
//	if err != nil {
//		log.Fatal(err) // every problem, each with its rule id, line and column
//	}
//	d := engine.Evaluate(&risk.Checkout{Customer: c, Payment: p, Transaction: t})
//	fmt.Println(d.Outcome, d.Score, d.Reasons())
//
// # Models
//
// [Money] is an exact amount: int64 minor units and an ISO 4217 currency
// whose exponent comes from golang.org/x/text/currency. Arithmetic is
// checked; mixing currencies returns [ErrCurrencyMismatch] and overflow
// [ErrOverflow]. [Customer], [PaymentInstrument], [Transaction] and
// [Signals] describe a purchase, covering the theft-of-service factors:
// card not present, misrepresented identity, service used before the first
// payment, high-risk regions, and automated sign-up and purchasing. A
// [Signal] the host did not supply is distinguishable from zero.
//
// [Date] is a calendar day, the unit of dunning and budget rules: [DateOf]
// reads an instant in the customer's *time.Location, [Date.Start] gives the
// first instant of a day there even where a daylight-saving change skips or
// repeats midnight, and [Date.AddDays], [Date.AddMonths] and
// [Date.DaysSince] count in days and months rather than hours.
//
// # Policies
//
// A policy is a YAML or JSON document ([Policy]):
//
//	id: checkout
//	version: "3"
//	outcomes: [reject, review, challenge, approve]   # most severe first; the last is the default
//	bands:                                           # total score to outcome
//	  - {min_score: 80, outcome: reject}
//	  - {min_score: 50, outcome: review}
//	on_error: fail_closed                            # or fail_open (the default)
//	error_outcome: review
//	lists:  {high_risk_funding: [prepaid, stored_value]}
//	cidrs:  {tor_exits: [203.0.113.0/24]}
//	params: {large: "500.00 USD", max_accounts: 3}
//	rules:
//	  - id: prepaid_card
//	    description: Prepaid and stored-value cards cannot be collected from.
//	    when: payment.funding in lists.high_risk_funding
//	    action: reject
//	    reason: HIGH_RISK_INSTRUMENT
//	  - id: large_first_purchase
//	    when: txn.kind == "first_purchase" && txn.amount >= params.large
//	    score: 30
//	    reason: LARGE_FIRST_PURCHASE
//	    mode: shadow                                 # reported, never counted
//
// Rules read the input's variables (for checkout: customer, payment, txn and
// signals; see [CheckoutSchema]), the policy's lists as lists.name and its
// parameters as params.name. Parameters written as "500.00 USD" are [Money]:
// money compares with, adds to and subtracts from money of the same
// currency (another currency is a rule error, never a conversion); `x in lists.name` is a constant-time set
// lookup, and `ip in lists.name` tests an address against a CIDR list.
//
// # How a decision is reached
//
// Every enabled rule is evaluated, in policy order. For each:
//
//   - true: an active rule is a hit; its score is added to the total and its
//     action, if any, is a floor for the outcome. A shadow rule is listed in
//     [Decision.Shadow] and changes nothing.
//   - false: nothing.
//   - an input the rule needs was not supplied (a [Signal], a zero [Money]
//     or time): the rule does not fire and is listed in [Decision.Missing]
//     with the inputs it lacked. Logical operators decide when they can:
//     `a || b` with a true fires, `a && b` with a false does not, whatever
//     the other side.
//   - an error (mixed currencies, overflow, division by zero, a malformed IP
//     address): the rule is listed in [Decision.Errors]. Under fail_open it
//     counts as not fired; under fail_closed the outcome is at least the
//     policy's error_outcome.
//
// The score band whose min_score is the highest at or below the total
// applies (a score exactly at min_score is in the band). The outcome is the
// most severe of: the actions of active hits, the band, the error outcome
// under fail_closed, and the default (the last outcome). [Decision.Basis]
// says which of them decided; a rule wins ties.
//
// # Compilation and evaluation
//
// [Compile] type-checks every rule against the input schema and returns all
// problems at once in a [*CompileError], each with its rule id, line and
// column: syntax errors, unknown variables, fields, lists and parameters,
// non-bool conditions, duplicate ids, and rules over the size, nesting or
// estimated cost limits ([Limits]). Checked rules are planned into trees of
// typed Go closures: every field read is bound to its accessor and every
// operator to its implementation, so [Engine.Evaluate] neither parses nor
// reflects, allocates nothing for the rules that do not fire, and stops any
// rule whose runtime cost passes the limit. Conformance tests check the
// engine against cel-go's interpreter.
//
// The engine supports CEL's operators, macros (has, all, exists, exists_one,
// filter, map), size, string functions (contains, startsWith, endsWith,
// matches, lowerAscii, upperAscii, trim), math.abs, math.greatest and
// math.least (of two numbers), sets.contains and sets.intersects, type
// conversions, and timestamp and duration arithmetic and accessors. Maps and object construction are not
// supported; a rule that uses them is a compile error. Strings are compared
// as bytes and must be valid UTF-8.
//
// # Other inputs
//
// The engine is generic over its input. Describe a struct with [NewObject]
// and its field builders, and compile policies against it; the onboarding
// and abuse packages do this with their own inputs.
//
// # Backtests and tests
//
// [Engine.Backtest] evaluates a policy over labelled inputs and reports hit
// rates per rule, the outcome mix, and precision, recall and false positive
// rate against the fraud labels; [Compare] lists the inputs whose outcome
// differs between two policies. Package risktest runs a policy's YAML test
// cases from go test.
//
// A [Report] holds only counts: the outcome mix, per-rule hits, the
// confusion matrix, a histogram of total scores by label (from which
// [Report.Thresholds] gives precision and recall at every score threshold)
// and, against a baseline policy, the outcome changes. Reports of parts of
// the data therefore merge exactly with [Report.Merge], in any order and
// grouping, which is how a backtest spreads over machines.
// [Engine.BacktestWith] spreads one over cores: with [BacktestOptions]
// Workers above one it is the one place the package starts goroutines,
// each counting into its own report; all have finished when it returns,
// and the merged report equals that of one goroutine.
package risk
