package gendata_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/riskkit/riskkit/examples/internal/gendata"
)

func ExampleCommand_Run() {
	command := &gendata.Command{
		Name: "greetings",
		Generate: func() ([]gendata.File, error) {
			return []gendata.File{{Name: "greetings.txt", Data: []byte("hello\n"), Count: "1 greeting"}}, nil
		},
	}
	dir, err := os.MkdirTemp("", "gendata")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	var stderr bytes.Buffer
	if err := command.Run([]string{"-o", filepath.Join(dir, "out.txt")}, &stderr); err != nil {
		log.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
	fmt.Print(strings.ReplaceAll(stderr.String(), dir, "DIR"))
	fmt.Printf("%q\n", b)
	// Output:
	// greetings: wrote 1 greeting (6 bytes) to DIR/out.txt
	// "hello\n"
}
