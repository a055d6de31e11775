package main

// The checker's self-test: the real overlays pass, and broken copies of them are rejected with
// the right message. The overlays are built with the kustomize binary named by
// K8S_CHECK_KUSTOMIZE (scripts/k8s-check.sh sets it); without it those tests are skipped and
// only the inline cases run.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var repoRoot = func() string {
	if root := os.Getenv("K8S_CHECK_PROJECT"); root != "" {
		return root
	}
	abs, _ := filepath.Abs(filepath.Join("..", ".."))
	return abs
}()

func projectRules(t *testing.T) *Policy {
	t.Helper()
	p, err := projectPolicy(repoRoot)
	if err != nil {
		t.Fatalf("deriving the rules from the sources: %v", err)
	}
	return p
}

func kustomizeBuild(t *testing.T, dir string) []byte {
	t.Helper()
	bin := os.Getenv("K8S_CHECK_KUSTOMIZE")
	if bin == "" {
		t.Skip("K8S_CHECK_KUSTOMIZE is not set (scripts/k8s-check.sh sets it)")
	}
	out, err := exec.Command(bin, "build", dir).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("kustomize build %s: %v\n%s", dir, err, stderr)
	}
	return out
}

func overlays(t *testing.T, k8sDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(k8sDir, "overlays"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) < 2 {
		t.Fatalf("expected at least a dev and a production overlay, found %v", names)
	}
	return names
}

func TestRealOverlaysPass(t *testing.T) {
	policy := projectRules(t)
	k8sDir := filepath.Join(repoRoot, "k8s")
	for _, name := range overlays(t, k8sDir) {
		t.Run(name, func(t *testing.T) {
			result := (&Checker{Source: "overlays/" + name, Policy: policy}).Check(kustomizeBuild(t, filepath.Join(k8sDir, "overlays", name)))
			if len(result.Problems) > 0 {
				t.Fatalf("the real overlay has problems:\n%s", strings.Join(result.Problems, "\n"))
			}
			if len(result.Objects) < 10 {
				t.Fatalf("only %d objects", len(result.Objects))
			}
		})
	}
}

// --- broken copies of the production overlay -----------------------------------------------

type document = map[string]any

// mutate applies edit to the document of the given kind and name of a stream and returns the new stream.
func mutate(t *testing.T, stream []byte, kind, name string, edit func(document)) []byte {
	t.Helper()
	docs, err := splitDocuments(stream)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	var out []string
	for _, raw := range docs {
		var doc document
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		meta, _ := doc["metadata"].(document)
		if doc["kind"] == kind && meta["name"] == name {
			edit(doc)
			found = true
		}
		text, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(text))
	}
	if !found {
		t.Fatalf("no %s %q in the stream", kind, name)
	}
	return []byte(strings.Join(out, "---\n"))
}

// at walks a path of map keys and list indexes ("spec", "template", 0, ...) to a map.
func at(doc document, path ...any) document {
	var cur any = doc
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(document)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(document)
}

func container(doc document, i int) document {
	return at(doc, "spec", "template", "spec", "containers", i)
}

func TestBrokenCopiesAreRejected(t *testing.T) {
	policy := projectRules(t)
	good := kustomizeBuild(t, filepath.Join(repoRoot, "k8s", "overlays", "production"))
	const src = "overlays/production"
	cases := []struct {
		name   string
		break_ func(t *testing.T, s []byte) []byte
		want   []string // every problem, exactly
	}{
		{
			name: "unknown field in a Deployment",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-verifier", func(d document) { container(d, 0)["imagePullPolcy"] = "Always" })
			},
			want: []string{src + `/Deployment/lakemirror-verifier: unknown field "spec.template.spec.containers[0].imagePullPolcy"`},
		},
		{
			name: "wrong type: replicas as a word",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-api", func(d document) { at(d, "spec")["replicas"] = "two" })
			},
			want: []string{src + `/Deployment/lakemirror-api: wrong type at "spec.replicas": got string, want int32`},
		},
		{
			name: "missing required field: a container without image",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-api", func(d document) { delete(container(d, 0), "image") })
			},
			want: []string{src + `/Deployment/lakemirror-api: spec.template.spec.containers[0] (api): image is required`},
		},
		{
			name: "unknown field in a ScaledObject (the HPA's name for it)",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "ScaledObject", "lakemirror-verifier", func(d document) { at(d, "spec")["maxReplicas"] = 5 })
			},
			want: []string{src + `/ScaledObject/lakemirror-verifier: unknown field "spec.maxReplicas"`},
		},
		{
			name: "wrong type in an HTTPRoute: a port by name",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "HTTPRoute", "lakemirror", func(d document) {
					at(d, "spec", "rules", 0, "backendRefs", 0)["port"] = "http"
				})
			},
			want: []string{src + `/HTTPRoute/lakemirror: wrong type at "spec.rules.backendRefs.port": got string, want int32`},
		},
		{
			name: "field names are case-sensitive, as in the API server",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-scanner", func(d document) {
					spec := at(d, "spec")
					spec["Replicas"] = spec["replicas"]
					delete(spec, "replicas")
				})
			},
			want: []string{src + `/Deployment/lakemirror-scanner: unknown field "spec.Replicas"`},
		},
		{
			name: "unknown apiVersion",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "ScaledObject", "lakemirror-verifier", func(d document) { d["apiVersion"] = "keda.sh/v1" })
			},
			want: []string{src + `/ScaledObject/lakemirror-verifier: unknown apiVersion/kind keda.sh/v1 ScaledObject (known: keda.sh/v1alpha1)`},
		},
		{
			name: "a ScaledObject without its target's name",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "ScaledObject", "lakemirror-verifier", func(d document) { delete(at(d, "spec", "scaleTargetRef"), "name") })
			},
			want: []string{src + `/ScaledObject/lakemirror-verifier: spec.scaleTargetRef.name is required`},
		},
		{
			name: "a KEDA key BullMQ does not use (the default prefix instead of the project's)",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "ScaledObject", "lakemirror-verifier", func(d document) {
					at(d, "spec", "triggers", 0, "metadata")["listName"] = "bull:commit-verify:wait"
				})
			},
			want: []string{
				src + `/ScaledObject/lakemirror-verifier: policy: spec.triggers[0].metadata.listName "bull:commit-verify:wait" is not a key of the verifier's queue: BullMQ keeps its waiting jobs in "lakemirror:commit-verify:wait" (prefix "lakemirror" from ConfigMap ` + configMapName(t, good) + `, queue "commit-verify")`,
				src + `/ScaledObject/lakemirror-verifier: policy: no redis trigger counts the verifier's waiting jobs ("lakemirror:commit-verify:wait")`,
			},
		},
		{
			name: "an HTTPRoute without a parent Gateway",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "HTTPRoute", "lakemirror", func(d document) { delete(at(d, "spec"), "parentRefs") })
			},
			want: []string{src + `/HTTPRoute/lakemirror: spec.parentRefs: at least one parent (a Gateway) is required`},
		},
		{
			name: "an alert without expr",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "PrometheusRule", "lakemirror", func(d document) { delete(at(d, "spec", "groups", 0, "rules", 0), "expr") })
			},
			want: []string{src + `/PrometheusRule/lakemirror: spec.groups[0].rules[0] (LakemirrorMirrorLagHigh): expr is required`},
		},
		{
			name: "an alert on a metric nobody exports",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "PrometheusRule", "lakemirror", func(d document) {
					at(d, "spec", "groups", 0, "rules", 1)["expr"] = "max(lakemirror_mirror_stall) > 0"
				})
			},
			want: []string{src + `/PrometheusRule/lakemirror: policy: spec.groups[0].rules[1] (LakemirrorMirrorStalled): unknown metric lakemirror_mirror_stall (the API exports ` + strings.Join(policy.Metrics, ", ") + `)`},
		},
		{
			name: "a selector that does not match the pod template",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-promoter", func(d document) {
					at(d, "spec", "selector", "matchLabels")["app.kubernetes.io/component"] = "promotor"
				})
			},
			want: []string{src + `/Deployment/lakemirror-promoter: spec.selector (app.kubernetes.io/component=promotor,app.kubernetes.io/name=lakemirror) does not match the pod template's labels map[app.kubernetes.io/component:promoter app.kubernetes.io/name:lakemirror]`},
		},
		{
			name: "a ServiceMonitor on a port the Service does not have",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "ServiceMonitor", "lakemirror-api", func(d document) { at(d, "spec", "endpoints", 0)["port"] = "metrics" })
			},
			want: []string{src + `/ServiceMonitor/lakemirror-api: spec.endpoints[0].port "metrics": Service "lakemirror-api" has no port of that name`},
		},
		{
			name: "a grace period shorter than a job's lock",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-verifier", func(d document) { at(d, "spec", "template", "spec")["terminationGracePeriodSeconds"] = 10 })
			},
			want: []string{src + `/Deployment/lakemirror-verifier: policy: spec.template.spec.terminationGracePeriodSeconds (10) must be longer than a job's lock (15 s)`},
		},
		{
			name: "a writable root filesystem",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-api", func(d document) { at(container(d, 0), "securityContext")["readOnlyRootFilesystem"] = false })
			},
			want: []string{src + `/Deployment/lakemirror-api: policy: container api: securityContext.readOnlyRootFilesystem must be true`},
		},
		{
			name: "a quantity that does not parse",
			break_: func(t *testing.T, s []byte) []byte {
				return mutate(t, s, "Deployment", "lakemirror-verifier", func(d document) { at(container(d, 0), "resources", "limits")["memory"] = "1Gb" })
			},
			want: []string{src + `/Deployment/lakemirror-verifier: not a quantity (e.g. 512Mi, 1Gi, 250m, 2): "1Gb" at "spec.template.spec.containers[0].resources.limits.memory"`},
		},
		{
			name: "a Secret inlined in the manifests",
			break_: func(t *testing.T, s []byte) []byte {
				return append(append([]byte{}, s...), []byte("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: lakemirror-secrets\n  namespace: lakemirror\nstringData:\n  LAKEMIRROR_DATABASE_URL: postgres://u:p@db/lakemirror\n")...)
			},
			want: []string{src + `/Secret/lakemirror-secrets: policy: a Secret must not be inlined in the manifests; create it with kubectl create secret (k8s/README.md)`},
		},
		{
			name: "a duplicated field",
			break_: func(t *testing.T, s []byte) []byte {
				return append(append([]byte{}, s...), []byte("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: lakemirror\ndata:\n  a: \"1\"\ndata:\n  b: \"2\"\n")...)
			},
			want: []string{src + `/?/#19: not valid YAML (lines count from the document's start): line 9: key "data" already set in map`},
		},
		{
			name: "two autoscalers on the verifier",
			break_: func(t *testing.T, s []byte) []byte {
				return append(append([]byte{}, s...), []byte("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: extra\n  namespace: lakemirror\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: lakemirror-verifier}\n  maxReplicas: 3\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}\n")...)
			},
			want: []string{src + `: policy: lakemirror/lakemirror-verifier has several autoscalers (ScaledObject/lakemirror-verifier, HorizontalPodAutoscaler/extra): keep one`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := c.break_(t, good)
			got := (&Checker{Source: src, Policy: policy}).Check(broken).Problems
			sort.Strings(got)
			want := append([]string{}, c.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("problems:\n  got:  %s\n  want: %s", strings.Join(got, "\n        "), strings.Join(want, "\n        "))
			}
			t.Logf("rejected: %s", strings.Join(got, " | "))
		})
	}
}

func configMapName(t *testing.T, stream []byte) string {
	for _, o := range (&Checker{Source: "x"}).Check(stream).Objects {
		if o.GVK.Kind == "ConfigMap" {
			return o.Name
		}
	}
	t.Fatal("no ConfigMap in the stream")
	return ""
}

// TestBrokenTreeIsRejected breaks a copy of the manifests' files (not the built stream): one
// mistake in base/ must fail every overlay, through kustomize.
func TestBrokenTreeIsRejected(t *testing.T) {
	policy := projectRules(t)
	if os.Getenv("K8S_CHECK_KUSTOMIZE") == "" {
		t.Skip("K8S_CHECK_KUSTOMIZE is not set")
	}
	copyDir := filepath.Join(t.TempDir(), "k8s")
	if err := os.CopyFS(copyDir, os.DirFS(filepath.Join(repoRoot, "k8s"))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(copyDir, "base", "verifier.yaml")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(text), "terminationGracePeriodSeconds: 60", "terminationGracePeriodSecond: 60", 1)
	if broken == string(text) {
		t.Fatal("base/verifier.yaml has no terminationGracePeriodSeconds: 60 to break")
	}
	if err := os.WriteFile(file, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range overlays(t, copyDir) {
		result := (&Checker{Source: "overlays/" + name, Policy: policy}).Check(kustomizeBuild(t, filepath.Join(copyDir, "overlays", name)))
		want := fmt.Sprintf(`overlays/%s/Deployment/lakemirror-verifier: unknown field "spec.template.spec.terminationGracePeriodSecond"`, name)
		if !reflect.DeepEqual(result.Problems, []string{want}) {
			t.Errorf("overlay %s:\n  got:  %q\n  want: %q", name, result.Problems, want)
		}
	}
}

// TestRedisKeys: the keys the live Redis test uses come from the ScaledObject and the verifier's configuration.
func TestRedisKeys(t *testing.T) {
	policy := projectRules(t)
	built := kustomizeBuild(t, filepath.Join(repoRoot, "k8s", "overlays", "production"))
	result := (&Checker{Source: "production", Policy: policy}).Check(built)
	keys := policy.redisKeys(&stream{objects: result.Objects})
	var lists []string
	for _, k := range keys {
		if k.QueuePrefix != "lakemirror" || k.Queue != "commit-verify" || k.Target != "lakemirror-verifier" {
			t.Errorf("unexpected key %+v", k)
		}
		lists = append(lists, k.ListName)
	}
	if want := []string{"lakemirror:commit-verify:wait", "lakemirror:commit-verify:prioritized"}; !reflect.DeepEqual(lists, want) {
		t.Fatalf("lists %v, want %v", lists, want)
	}
}

// --- inline cases: run without kustomize --------------------------------------------------

const inlineDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  namespace: demo
spec:
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: demo
          image: demo:1.0
          ports: [{name: http, containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /health, port: http}
`

func TestInlineStream(t *testing.T) {
	ok := (&Checker{Source: "inline"}).Check([]byte(inlineDeployment))
	if len(ok.Problems) > 0 || len(ok.Objects) != 1 {
		t.Fatalf("a valid Deployment: %v", ok.Problems)
	}
	cases := map[string]struct{ from, to, want string }{
		"unknown field":      {"          image: demo:1.0\n", "          image: demo:1.0\n          imagePulPolicy: Always\n", `inline/Deployment/demo: unknown field "spec.template.spec.containers[0].imagePulPolicy"`},
		"wrong type":         {"containerPort: 8080", `containerPort: "8080"`, `inline/Deployment/demo: wrong type at "spec.template.spec.containers.ports.containerPort": got string, want int32`},
		"missing image":      {"          image: demo:1.0\n", "", `inline/Deployment/demo: spec.template.spec.containers[0] (demo): image is required`},
		"probe port unknown": {"port: http}", "port: web}", `inline/Deployment/demo: spec.template.spec.containers[0] (demo): livenessProbe.httpGet.port "web" names no port of the container`},
		"no namespace":       {"  namespace: demo\n", "", `inline/Deployment/demo: metadata.namespace is required (build an overlay: it sets the namespace)`},
		"unknown kind":       {"kind: Deployment", "kind: Deploymnet", `inline/Deploymnet/demo: unknown apiVersion/kind apps/v1 Deploymnet`},
		"missing selector":   {"  selector:\n    matchLabels: {app: demo}\n", "", `inline/Deployment/demo: spec.selector is required`},
		"missing apiVersion": {"apiVersion: apps/v1\n", "", `inline/Deployment/demo: apiVersion is required`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			broken := strings.Replace(inlineDeployment, c.from, c.to, 1)
			if broken == inlineDeployment {
				t.Fatalf("%q not found", c.from)
			}
			got := (&Checker{Source: "inline"}).Check([]byte(broken)).Problems
			if !reflect.DeepEqual(got, []string{c.want}) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}
