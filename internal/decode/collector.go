package decode

import "fmt"

// Collector collects the problems a validator finds after decoding. Its
// zero value is ready and allocates nothing until the first problem; with
// Doc set, each problem is located where its path was written.
type Collector struct {
	Issues []Issue
	Doc    *Document
}

// Add records a problem at path.
func (c *Collector) Add(path, format string, args ...any) {
	c.add(Issue{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// AddErr records err as a problem at path, keeping err for errors.Is.
func (c *Collector) AddErr(path string, err error) {
	c.add(Issue{Path: path, Msg: Message(err), Err: err})
}

func (c *Collector) add(i Issue) {
	if c.Doc != nil {
		i.Line, i.Column = c.Doc.Pos(i.Path)
	}
	c.Issues = append(c.Issues, i)
}
