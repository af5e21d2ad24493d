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
// currency (another currency is a rule error, never a conversion);
// `x in lists.name` is a constant-time set lookup, and `ip in lists.name`
// tests an address against a CIDR list.
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
// under fail_closed, and the default (the last outcome), unless an active
// allow rule fired (see below). [Decision.Basis] says which of them decided;
// a rule wins ties.
//
// # Compilation and evaluation
//
// [Compile] type-checks every rule against the input schema with cel-go's
// checker and returns all problems at once in a [*DocumentError] wrapping [ErrInvalidPolicy], each with
// its rule id, line and column: syntax errors, unknown variables, fields,
// lists and parameters, non-bool conditions, duplicate ids, and rules over
// the size, nesting or estimated cost limits ([Limits]). [CompileExpression]
// compiles a lone expression of any type the same way.
//
// The environment is cel-go's standard library with the extensions a
// policy author expects: strings, math, sets, lists, regex, encoders,
// bindings (cel.bind), two-variable comprehensions, optionals and network
// (ip, cidr), plus the engine's CIDR lists and Money. Every rule the checker
// accepts runs and gives cel-go's answer, with the differences listed below.
//
// One planner turns the common shapes into typed Go closures, with every
// field read bound to its accessor: field reads, ==, !=, <, <=, >, >= of
// ints, strings, timestamps, durations and Money, &&, ||, !, ?:, + and - of
// ints and durations, timestamp - timestamp, has(), `x in lists.name` (a
// set lookup), `ip in lists.name` (a CIDR lookup), indexing a map
// parameter, and exists and all over list fields of objects. Constant
// sub-expressions are computed once, when compiling, unless they evaluate
// to an error. Everything else (map and list literals and indexing,
// optionals, string and math extensions, type(), conversions, macros over
// other lists, cel.bind, ...) runs on cel-go's own interpreter, as the
// smallest enclosing sub-expression that reads no loop variable of a
// planned comprehension, reading the same typed inputs through accessors
// prepared when compiling: no reflection and no map built per decision on
// either path.
//
// Within one decision, work shared between rules is done once: each
// object (customer, txn.billing, ...) is read once, an IP address tested
// against several CIDR lists is parsed once, variables are computed once,
// and a boolean sub-expression that occurs in more than one place of the
// policy's rules (`payment.type == "card"`, a pass over the line items,
// an expensive regular expression) is computed by the first rule that
// needs it and read by the others; one that lacks an input or fails is
// evaluated again by each rule, so that each reports its own missing
// inputs and errors.
//
// Where riskkit deliberately differs from cel-go:
//
//	construct                        riskkit                                cel-go
//	an input not supplied            a missing input (Decision.Missing);    an error or a zero value
//	                                 || and && decide around it as cel-go's
//	                                 unknowns do
//	a missing input and an error     planned operators report the missing   the left operand wins
//	as operands of one operator      input
//	matches() and regex.* on a       compile error: the cost of compiling   compiled at each call
//	pattern that is not a literal    an input's pattern cannot be bounded
//	duration() / timestamp() of a    compile error in a policy              an error at each evaluation
//	malformed literal, timestamp()
//	of a constant out of range
//	constructing an input type       compile error                          allowed
//	(riskkit.Customer{...})
//
// # Cost and budget
//
// Each rule's cost is estimated when compiling, as cel-go estimates it, with
// these bounds: input strings are assumed at most MaxStringSize long, list
// fields at most their declared length, `x in lists.name` costs one hash of
// x whatever the list's size, and a regular expression costs its compiled
// program size times the input's length (patterns must be literals of at
// most MaxRegexProgram instructions), and a value of an opaque type other
// than optional, such as an IP address, counts as one. A rule over MaxCost
// is a compile error that names the costliest comprehension. At run time
// each rule stops with a rule error when its actual cost, with strings
// charged by their real sizes, passes MaxCost, and a decision stops
// evaluating rules once their total passes the policy's decision_budget
// ([DefaultDecisionBudget]): the remaining rules are rule errors, handled
// by on_error. [Engine.EvaluateContext] also stops at the host's deadline.
// Compiling is bounded by MaxPolicySize, MaxRules, MaxExpressionSize and
// MaxNesting.
//
// # Money, variables and allow rules
//
// Money values compare (different currencies are a rule error), add and
// subtract (same currency), multiply by an int, with overflow errors; they
// are written `money("10.00 USD")` (checked when compiling), read with
// .currency(), .amount() (the decimal string "10.00"), .minor() and the
// fields minor and currency, and printed with string(m). A parameter may be
// a map, such as amounts by currency: `txn.amount >=
// params.large_purchase[txn.amount.currency()]`.
//
// A policy's variables are named expressions, read as variables.name,
// computed at most once per decision and only when a rule needs them.
//
// A rule with `action: allow` is an allow rule: when an active allow rule
// fires, the outcome is the policy's default (last) outcome whatever the
// other rules, the score and rule errors say, and [Decision.Basis] is
// [ByAllow]. Every rule is still evaluated and reported; the score is the
// sum of the active rules that fired, added exactly and clamped once to the
// int64 range, so that it does not depend on the order of the rules.
//
// # Other inputs
//
// The engine is generic over its input. Describe a struct with [NewObject]
// and its field builders, and compile policies against it; the onboarding
// and abuse packages do this with their own inputs.
//
// # Observing and explaining
//
// [WithObserver] gives an engine an [Observer] that receives every
// decision's outcome, score, the rules fired, missing and failed, and the
// duration; a [RuleObserver] also receives every rule's result and time.
// [Engine.Explain] traces one input: each rule's result and the value of
// every sub-expression of its condition, at its line and column.
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
