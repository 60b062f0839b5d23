// Command fangkong is the Fangkong server and its tools; see `fangkong help`.
package main

import (
	"os"

	"fangkong/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
