// k8s-check validates Kubernetes manifests (a kustomize build's multi-document YAML stream)
// against the official Go API types of Kubernetes, KEDA, Gateway API and the Prometheus
// operator, decoding strictly as the API server does, then checks the required fields the
// types cannot express, the references between objects, and lakemirror's own rules.
//
//	kustomize build k8s/overlays/production | k8s-check -source overlays/production
//
// Prints one line per problem ("source/Kind/name: problem") and exits 1, or one summary line
// and exits 0. -print-redis-keys prints, as JSON, each KEDA redis trigger's key with the queue
// prefix the verifier is configured with (for the live Redis test).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	source := flag.String("source", "", "name of the stream in messages (default: the file name, or stdin)")
	lock := flag.Int("lock-seconds", 15, "a BullMQ job's lock in seconds: Deployments' grace periods must be longer")
	queue := flag.String("verify-queue", "commit-verify", "the verifier's BullMQ queue name")
	prefix := flag.String("queue-prefix-default", "lakemirror", "LAKEMIRROR_QUEUE_PREFIX's default")
	metrics := flag.String("metrics", "", "comma-separated metric names alerts and autoscalers may use (empty: not checked)")
	noPolicy := flag.Bool("no-policy", false, "check only against the API types, not lakemirror's rules")
	printKeys := flag.Bool("print-redis-keys", false, "print the KEDA redis triggers' keys as JSON instead of the summary")
	project := flag.String("project", "", "lakemirror's checkout: derive -lock-seconds, -verify-queue, -queue-prefix-default and -metrics from its sources")
	showPolicy := flag.Bool("show-policy", false, "print the rules' values (after -project) and exit")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: k8s-check [flags] [file.yaml ...]   (no file or -: standard input)\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	policy := &Policy{LockSeconds: *lock, VerifyQueue: *queue, DefaultQueuePrefix: *prefix}
	for _, m := range strings.Split(*metrics, ",") {
		if m = strings.TrimSpace(m); m != "" {
			policy.Metrics = append(policy.Metrics, m)
		}
	}
	if *project != "" {
		derived, err := projectPolicy(*project)
		if err != nil {
			fmt.Fprintf(os.Stderr, "k8s-check: %v\n", err)
			os.Exit(2)
		}
		policy = derived
	}
	if *showPolicy {
		fmt.Println(policy)
		return
	}
	if *noPolicy {
		policy = nil
	}
	inputs := flag.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	failed := false
	var keys []RedisKey
	for _, in := range inputs {
		data, name, err := read(in)
		if err != nil {
			fmt.Fprintf(os.Stderr, "k8s-check: %v\n", err)
			os.Exit(2)
		}
		if *source != "" {
			name = *source
		}
		checker := &Checker{Source: name, Policy: policy}
		result := checker.Check(data)
		for _, p := range result.Problems {
			fmt.Println(p)
		}
		if len(result.Problems) > 0 {
			failed = true
			fmt.Printf("%s: FAILED: %d problem(s) in %d objects\n", name, len(result.Problems), len(result.Objects))
			continue
		}
		if *printKeys {
			p := policy
			if p == nil {
				p = &Policy{VerifyQueue: *queue, DefaultQueuePrefix: *prefix}
			}
			keys = append(keys, p.redisKeys(&stream{objects: result.Objects, source: name})...)
			continue
		}
		fmt.Printf("%s: %d objects valid (%s)\n", name, len(result.Objects), kindCounts(result.Objects))
	}
	if *printKeys && !failed {
		if keys == nil {
			keys = []RedisKey{}
		}
		out, _ := json.MarshalIndent(keys, "", "  ")
		fmt.Println(string(out))
	}
	if failed {
		os.Exit(1)
	}
}

func read(in string) ([]byte, string, error) {
	if in == "-" {
		data, err := io.ReadAll(os.Stdin)
		return data, "stdin", err
	}
	data, err := os.ReadFile(in)
	return data, in, err
}

func kindCounts(objects []*Object) string {
	counts := map[string]int{}
	for _, o := range objects {
		counts[o.GVK.Kind]++
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
