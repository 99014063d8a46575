// Go's text/template Parse of a runbook, the baseline for `npm run bench` where `go` is installed.
// Prints one line per repetition: milliseconds for one Parse of the file.
//
//	go run . <file> <repetitions>
package main

import (
	"fmt"
	"os"
	"strconv"
	"text/template"
	"time"
)

// hoop's template functions; Parse only needs their names to exist.
var hoopFuncNames = []string{"default", "required", "description", "type", "options", "order", "placeholder", "pattern",
	"asenv", "squote", "dquote", "quotechar", "encodeb64", "decodeb64", "minlength", "maxlength"}

func main() {
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	repetitions, err := strconv.Atoi(os.Args[2])
	if err != nil {
		panic(err)
	}
	funcs := template.FuncMap{}
	for _, name := range hoopFuncNames {
		funcs[name] = func(args ...any) string { return "" }
	}
	for i := 0; i < repetitions; i++ {
		started := time.Now()
		if _, err := template.New("runbook").Funcs(funcs).Parse(string(text)); err != nil {
			panic(err)
		}
		fmt.Println(float64(time.Since(started).Nanoseconds()) / 1e6)
	}
}
