// Package gendata holds what every example data generator under
// examples/gen shares: the command that writes the files and the tests that
// keep the committed copies current.
//
// A generator describes itself once as a [Command] and uses it from both
// its main function and its tests:
//
//	var command = &gendata.Command{
//		Name: "transactions",
//		Generate: func() ([]gendata.File, error) {
//			b, err := generate()
//			if err != nil {
//				return nil, err
//			}
//			return []gendata.File{{Name: "transactions.jsonl", Data: b}}, nil
//		},
//	}
//
//	func main() { command.Main() }
//
//	func TestCommittedFileIsCurrent(t *testing.T) { command.CheckCommitted(t) }
//	func TestRun(t *testing.T)                    { command.CheckRun(t) }
//
// # Output location
//
// Without its output flag a command writes into examples/data under the
// module root, found by walking up from the working directory to go.mod, so
// that `go run ./examples/gen/NAME` rewrites the committed data wherever in
// the module it is run. A single-file command's flag names the file; a
// [Command.Dir] command's flag names the directory that receives every file.
//
// # Checking the committed data
//
// [Command.CheckCommitted] regenerates the data in memory and compares it
// byte for byte with what package examples embeds. On a mismatch it names
// the file, the first differing line and column, and shows both versions
// around that point, so a stale file is found without a diff tool.
// [Command.CheckRun] checks the command itself: its flag writes exactly what
// Generate returns, and unknown flags, stray arguments and unwritable
// destinations are errors.
//
// The package is for the example generators only; it is internal so that
// nothing outside examples depends on it.
package gendata
