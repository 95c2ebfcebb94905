// Command compose-config prints a Compose project as Docker Compose itself loads it, as JSON: the
// files merged, variables substituted, paths resolved and the result validated against the Compose
// specification, by github.com/compose-spec/compose-go, the loader behind `docker compose config`.
// The deployment checks (tests/deploy) use it where no Docker engine or CLI plugin is installed.
//
//	go run ./scripts/deploy/compose-config -e PUBSUB=rabbitmq -f docker-compose.yml [-f override.yml]
//
// Only the variables given with -e are set: the caller's environment does not leak into the result.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	var files, env repeated
	flag.Var(&files, "f", "a compose file (repeat for overrides, in order)")
	flag.Var(&env, "e", "a variable for substitution, KEY=VALUE (repeatable)")
	name := flag.String("p", "sweetgiggles", "the project name")
	flag.Parse()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "compose-config: give at least one compose file with -f")
		os.Exit(2)
	}

	// The project directory is the first file's, as with `docker compose -f`.
	options, err := cli.NewProjectOptions(files,
		cli.WithName(*name),
		cli.WithWorkingDirectory(filepath.Dir(files[0])),
		cli.WithEnv(env),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
