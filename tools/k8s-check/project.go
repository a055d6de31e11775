package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// plannedMetrics are metric names alerts may use before the API exports them (k8s/README.md).
var plannedMetrics = []string{"lakemirror_commits_failed"}

var (
	lockPattern     = regexp.MustCompile(`lockDuration:\s*([0-9_]+)`)
	queuePattern    = regexp.MustCompile(`CommitVerify:\s*'([^']+)'`)
	prefixPattern   = regexp.MustCompile(`'LAKEMIRROR_QUEUE_PREFIX'[^\n]*\?\?\s*'([^']+)'`)
	metricPatterns  = []*regexp.Regexp{regexp.MustCompile(`(?i)(?:gauge|counter|histogram|summary)\(\s*'(lakemirror_[a-z0-9_]+)'`), regexp.MustCompile(`\bname:\s*'(lakemirror_[a-z0-9_]+)'`)}
	excludedSources = regexp.MustCompile(`\.(spec|integration-spec|fixture|bench)\.ts$`)
)

// projectPolicy derives lakemirror's rules from the project's TypeScript sources under root, so
// that the manifests are checked against what the code really does: a BullMQ job's lock
// (lockDuration), the verifier's queue name (QueueName.CommitVerify), the queue prefix's default
// (LAKEMIRROR_QUEUE_PREFIX in libs/config) and the metric names the apps register.
func projectPolicy(root string) (*Policy, error) {
	policy := &Policy{}
	var lockMs []int
	metrics := map[string]bool{}
	for _, m := range plannedMetrics {
		metrics[m] = true
	}
	for _, dir := range []string{"libs", "apps"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "node_modules" || d.Name() == "dist" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".ts") || excludedSources.MatchString(path) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			text := string(data)
			for _, m := range lockPattern.FindAllStringSubmatch(text, -1) {
				if ms, err := strconv.Atoi(strings.ReplaceAll(m[1], "_", "")); err == nil {
					lockMs = append(lockMs, ms)
				}
			}
			if m := queuePattern.FindStringSubmatch(text); m != nil {
				policy.VerifyQueue = m[1]
			}
			if m := prefixPattern.FindStringSubmatch(text); m != nil {
				policy.DefaultQueuePrefix = m[1]
			}
			for _, re := range metricPatterns {
				for _, m := range re.FindAllStringSubmatch(text, -1) {
					metrics[m[1]] = true
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var missing []string
	if len(lockMs) == 0 {
		missing = append(missing, "a worker's lockDuration")
	}
	if policy.VerifyQueue == "" {
		missing = append(missing, "QueueName.CommitVerify")
	}
	if policy.DefaultQueuePrefix == "" {
		missing = append(missing, "the default of LAKEMIRROR_QUEUE_PREFIX")
	}
	if len(metrics) == len(plannedMetrics) {
		missing = append(missing, "the lakemirror_* metrics the apps register")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cannot find %s in the sources under %s (libs/, apps/)", strings.Join(missing, ", "), root)
	}
	sort.Ints(lockMs)
	longest := lockMs[len(lockMs)-1]
	policy.LockSeconds = (longest + 999) / 1000
	for m := range metrics {
		policy.Metrics = append(policy.Metrics, m)
	}
	sort.Strings(policy.Metrics)
	return policy, nil
}

func (p *Policy) String() string {
	return fmt.Sprintf("job lock %d s, verifier queue %q, default queue prefix %q, metrics %s", p.LockSeconds, p.VerifyQueue, p.DefaultQueuePrefix, strings.Join(p.Metrics, " "))
}
