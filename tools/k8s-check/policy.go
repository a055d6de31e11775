package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// Policy holds lakemirror's own rules for its manifests (the requirements), on top of
// what the Kubernetes API would accept. The values come from the project's sources
// (scripts/k8s-check.sh reads them), so a manifest cannot drift from the code.
type Policy struct {
	// LockSeconds is a BullMQ job's lock (libs/pipeline/src/pipeline-worker.ts): every
	// Deployment's terminationGracePeriodSeconds must be longer.
	LockSeconds int
	// VerifyQueue is the verifier's queue (libs/queues/src/queue-names.ts).
	VerifyQueue string
	// DefaultQueuePrefix is LAKEMIRROR_QUEUE_PREFIX's default (libs/config/src/load-config.ts).
	DefaultQueuePrefix string
	// Metrics are the metric names alerts and autoscalers may use (exported by the API, or
	// planned); empty disables the check.
	Metrics []string
}

const (
	componentLabel = "app.kubernetes.io/component"
	apiPrefix      = "/service/replication"
)

func (p *Policy) check(s *stream) {
	var deployments, routes, ingresses []*Object
	var routeRules, ingressRules []routeBackend
	for _, o := range s.objects {
		switch t := o.Typed.(type) {
		case *corev1.Secret:
			s.addf(o, "policy: a Secret must not be inlined in the manifests; create it with kubectl create secret (k8s/README.md)")
		case *appsv1.Deployment:
			deployments = append(deployments, o)
			p.checkPodSecurity(s, o, &t.Spec.Template.Spec)
			p.checkDeployment(s, o, t)
		case *batchv1.Job:
			p.checkPodSecurity(s, o, &t.Spec.Template.Spec)
		case *kedav1alpha1.ScaledObject:
			p.checkScaledObject(s, o, t)
		case *autoscalingv2.HorizontalPodAutoscaler:
			p.checkHPA(s, o, t)
		case *monitoringv1.PrometheusRule:
			for i, g := range t.Spec.Groups {
				for j, r := range g.Rules {
					p.checkMetricNames(s, o, fmt.Sprintf("spec.groups[%d].rules[%d] (%s)", i, j, r.Alert+r.Record), r.Expr.String())
				}
			}
		case *gatewayv1.HTTPRoute:
			routes = append(routes, o)
			routeRules = append(routeRules, routeBackends(t)...)
		case *networkingv1.Ingress:
			ingresses = append(ingresses, o)
			ingressRules = append(ingressRules, ingressBackends(t)...)
		}
	}
	// The path split may be spread over several objects of a kind (two Ingresses with different limits).
	if len(routes) > 0 {
		p.checkRouteSplit(s, routes[0], routeRules)
	}
	if len(ingresses) > 0 {
		p.checkRouteSplit(s, ingresses[0], ingressRules)
	}
	p.checkMigrationWait(s, deployments)
	p.checkAutoscalers(s)
}

// checkPodSecurity: non-root, read-only root filesystem, no privilege escalation, no added
// capabilities, and requests and limits for CPU and memory, for every container.
func (p *Policy) checkPodSecurity(s *stream, o *Object, spec *corev1.PodSpec) {
	podNonRoot := spec.SecurityContext != nil && spec.SecurityContext.RunAsNonRoot != nil && *spec.SecurityContext.RunAsNonRoot
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		where := "container " + c.Name
		sc := c.SecurityContext
		nonRoot := podNonRoot
		if sc != nil && sc.RunAsNonRoot != nil {
			nonRoot = *sc.RunAsNonRoot
		}
		if !nonRoot {
			s.addf(o, "policy: %s: runAsNonRoot must be true (pod or container securityContext)", where)
		}
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			s.addf(o, "policy: %s: securityContext.readOnlyRootFilesystem must be true", where)
		}
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			s.addf(o, "policy: %s: securityContext.allowPrivilegeEscalation must be false", where)
		}
		if sc != nil && sc.Privileged != nil && *sc.Privileged {
			s.addf(o, "policy: %s: must not be privileged", where)
		}
		if sc == nil || sc.Capabilities == nil || !containsCapability(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
			s.addf(o, "policy: %s: securityContext.capabilities must drop ALL and add none", where)
		}
		for _, kind := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if _, ok := c.Resources.Requests[kind]; !ok {
				s.addf(o, "policy: %s: resources.requests.%s is required", where, kind)
			}
			if _, ok := c.Resources.Limits[kind]; !ok {
				s.addf(o, "policy: %s: resources.limits.%s is required", where, kind)
			}
		}
		if tag := imageTag(c.Image); c.Image != "" && (tag == "" || tag == "latest") {
			s.addf(o, "policy: %s: image %q needs a pinned version (set it with images: in the overlay)", where, c.Image)
		}
	}
}

func containsCapability(list []corev1.Capability, want corev1.Capability) bool {
	for _, c := range list {
		if c == want {
			return true
		}
	}
	return false
}

// imageTag returns the tag or digest of an image reference ("" when it has none).
func imageTag(image string) string {
	if _, digest, ok := strings.Cut(image, "@"); ok {
		return digest
	}
	last := image[strings.LastIndex(image, "/")+1:]
	if _, tag, ok := strings.Cut(last, ":"); ok {
		return tag
	}
	return ""
}

// checkDeployment: liveness on /health, a readiness probe, a grace period longer than a job's
// lock, the apps listening on every interface, and a PodDisruptionBudget for the verifier.
func (p *Policy) checkDeployment(s *stream, o *Object, d *appsv1.Deployment) {
	spec := &d.Spec.Template.Spec
	grace := int64(30) // Kubernetes' default
	if spec.TerminationGracePeriodSeconds != nil {
		grace = *spec.TerminationGracePeriodSeconds
	}
	if p.LockSeconds > 0 && grace <= int64(p.LockSeconds) {
		s.addf(o, "policy: spec.template.spec.terminationGracePeriodSeconds (%d) must be longer than a job's lock (%d s)", grace, p.LockSeconds)
	}
	for _, c := range spec.Containers {
		where := "container " + c.Name
		if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/health" {
			s.addf(o, "policy: %s: livenessProbe must be an httpGet of /health", where)
		}
		if c.ReadinessProbe == nil {
			s.addf(o, "policy: %s: readinessProbe is required", where)
		}
		if bind, source := s.resolveEnv(o.Namespace, &c, "LAKEMIRROR_BIND"); bind != "0.0.0.0" {
			s.addf(o, "policy: %s: LAKEMIRROR_BIND must be 0.0.0.0 in a container (found %q%s)", where, bind, source)
		}
	}
	if d.Spec.Template.Labels[componentLabel] == "verifier" {
		covered := false
		for _, other := range s.objects {
			pdb, ok := other.Typed.(*policyv1.PodDisruptionBudget)
			if !ok || other.Namespace != o.Namespace || pdb.Spec.Selector == nil {
				continue
			}
			if sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector); err == nil && sel.Matches(labels.Set(d.Spec.Template.Labels)) {
				covered = true
			}
		}
		if !covered {
			s.addf(o, "policy: the verifier needs a PodDisruptionBudget")
		}
	}
}

// checkMigrationWait: when the stream has the migration Job, every Deployment waits for it in an init container.
func (p *Policy) checkMigrationWait(s *stream, deployments []*Object) {
	var job *Object
	for _, o := range s.objects {
		if j, ok := o.Typed.(*batchv1.Job); ok && j.Labels[componentLabel] == "migrate" {
			job = o
		}
	}
	if job == nil {
		if len(deployments) > 0 {
			s.problems = append(s.problems, fmt.Sprintf("%s: policy: no migration Job (label %s=migrate) in the stream", s.source, componentLabel))
		}
		return
	}
	for _, o := range deployments {
		waits := false
		for _, c := range o.Typed.(*appsv1.Deployment).Spec.Template.Spec.InitContainers {
			if strings.Contains(strings.Join(append(append([]string{}, c.Command...), c.Args...), " "), "job/"+job.Name) {
				waits = true
			}
		}
		if !waits {
			s.addf(o, "policy: no init container waits for the migration Job %q", job.Name)
		}
	}
}

// queuePrefixOf resolves LAKEMIRROR_QUEUE_PREFIX of a Deployment's app container (the default when unset).
func (p *Policy) queuePrefixOf(s *stream, d *Object) (string, string) {
	spec := &d.Typed.(*appsv1.Deployment).Spec.Template.Spec
	if len(spec.Containers) == 0 {
		return p.DefaultQueuePrefix, "default"
	}
	if v, source := s.resolveEnv(d.Namespace, &spec.Containers[0], "LAKEMIRROR_QUEUE_PREFIX"); v != "" {
		return v, strings.TrimPrefix(source, " from ")
	}
	return p.DefaultQueuePrefix, "default"
}

// RedisKey is one KEDA redis trigger and the key the verifier's BullMQ queue uses for it.
type RedisKey struct {
	Namespace     string `json:"namespace"`
	ScaledObject  string `json:"scaledObject"`
	Trigger       string `json:"trigger"`
	Target        string `json:"target"`
	ListName      string `json:"listName"`
	DatabaseIndex string `json:"databaseIndex"`
	QueuePrefix   string `json:"queuePrefix"`
	PrefixSource  string `json:"queuePrefixSource"`
	Queue         string `json:"queue"`
}

// redisKeys lists the redis triggers of every ScaledObject with the verifier's resolved queue prefix.
func (p *Policy) redisKeys(s *stream) []RedisKey {
	var out []RedisKey
	for _, o := range s.objects {
		so, ok := o.Typed.(*kedav1alpha1.ScaledObject)
		if !ok || so.Spec.ScaleTargetRef == nil {
			continue
		}
		target := s.find("Deployment", o.Namespace, so.Spec.ScaleTargetRef.Name)
		prefix, source := p.DefaultQueuePrefix, "default"
		if target != nil {
			prefix, source = p.queuePrefixOf(s, target)
		}
		for i, t := range so.Spec.Triggers {
			if t.Type != "redis" {
				continue
			}
			name := t.Name
			if name == "" {
				name = fmt.Sprintf("#%d", i)
			}
			out = append(out, RedisKey{o.Namespace, o.Name, name, so.Spec.ScaleTargetRef.Name, t.Metadata["listName"], t.Metadata["databaseIndex"], prefix, source, p.VerifyQueue})
		}
	}
	return out
}

// checkScaledObject: the verifier scales on the keys BullMQ really uses for its queue, never below one replica.
func (p *Policy) checkScaledObject(s *stream, o *Object, so *kedav1alpha1.ScaledObject) {
	if so.Spec.ScaleTargetRef == nil {
		return
	}
	target := s.find("Deployment", o.Namespace, so.Spec.ScaleTargetRef.Name)
	if target == nil || target.Typed.(*appsv1.Deployment).Spec.Template.Labels[componentLabel] != "verifier" {
		return
	}
	if so.Spec.MinReplicaCount == nil || *so.Spec.MinReplicaCount < 1 {
		s.addf(o, "policy: spec.minReplicaCount must be at least 1: BullMQ's delayed retries need a running worker to return to the queue")
	}
	prefix, source := p.queuePrefixOf(s, target)
	wait := prefix + ":" + p.VerifyQueue + ":wait"
	allowed := map[string]bool{wait: true, prefix + ":" + p.VerifyQueue + ":prioritized": true}
	countsWait := false
	for i, t := range so.Spec.Triggers {
		if t.Type != "redis" {
			continue
		}
		list := t.Metadata["listName"]
		if list == wait {
			countsWait = true
		}
		if !allowed[list] {
			s.addf(o, "policy: spec.triggers[%d].metadata.listName %q is not a key of the verifier's queue: BullMQ keeps its waiting jobs in %q (prefix %q from %s, queue %q)", i, list, wait, prefix, source, p.VerifyQueue)
		}
	}
	if !countsWait {
		s.addf(o, "policy: no redis trigger counts the verifier's waiting jobs (%q)", wait)
	}
}

func (p *Policy) checkHPA(s *stream, o *Object, h *autoscalingv2.HorizontalPodAutoscaler) {
	if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas < 1 {
		s.addf(o, "policy: spec.minReplicas must be at least 1: BullMQ's delayed retries need a running worker")
	}
	for i, m := range h.Spec.Metrics {
		if m.External == nil {
			continue
		}
		p.checkMetricNames(s, o, fmt.Sprintf("spec.metrics[%d]", i), m.External.Metric.Name)
		if m.External.Metric.Name == "lakemirror_queue_jobs" {
			sel := m.External.Metric.Selector
			if sel == nil || sel.MatchLabels["queue"] != p.VerifyQueue || sel.MatchLabels["state"] != "waiting" {
				s.addf(o, "policy: spec.metrics[%d]: lakemirror_queue_jobs must select queue=%s and state=waiting", i, p.VerifyQueue)
			}
		}
	}
}

// checkAutoscalers: one autoscaler per workload (KEDA makes its own HPA; two would fight).
func (p *Policy) checkAutoscalers(s *stream) {
	scaled := map[string][]string{}
	for _, o := range s.objects {
		switch t := o.Typed.(type) {
		case *kedav1alpha1.ScaledObject:
			if t.Spec.ScaleTargetRef != nil {
				key := o.Namespace + "/" + t.Spec.ScaleTargetRef.Name
				scaled[key] = append(scaled[key], o.ref())
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			key := o.Namespace + "/" + t.Spec.ScaleTargetRef.Name
			scaled[key] = append(scaled[key], o.ref())
		}
	}
	keys := make([]string, 0, len(scaled))
	for k := range scaled {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(scaled[k]) > 1 {
			s.problems = append(s.problems, fmt.Sprintf("%s: policy: %s has several autoscalers (%s): keep one", s.source, k, strings.Join(scaled[k], ", ")))
		}
	}
}

var metricName = regexp.MustCompile(`\blakemirror_[a-zA-Z0-9_]+`)

// checkMetricNames: alerts and autoscalers use only metrics lakemirror exports (or plans).
func (p *Policy) checkMetricNames(s *stream, o *Object, where, expr string) {
	if len(p.Metrics) == 0 {
		return
	}
	known := map[string]bool{}
	for _, m := range p.Metrics {
		known[m] = true
	}
	for _, name := range metricName.FindAllString(expr, -1) {
		if !known[name] {
			s.addf(o, "policy: %s: unknown metric %s (the API exports %s)", where, name, strings.Join(p.Metrics, ", "))
		}
	}
}

type routeBackend struct {
	pathType, path, service string
}

func routeBackends(r *gatewayv1.HTTPRoute) []routeBackend {
	var out []routeBackend
	for _, rule := range r.Spec.Rules {
		for _, m := range rule.Matches {
			if m.Path == nil || m.Path.Value == nil {
				continue
			}
			pathType := string(gatewayv1.PathMatchPathPrefix)
			if m.Path.Type != nil {
				pathType = string(*m.Path.Type)
			}
			for _, b := range rule.BackendRefs {
				out = append(out, routeBackend{pathType, *m.Path.Value, string(b.Name)})
			}
		}
	}
	return out
}

func ingressBackends(ing *networkingv1.Ingress) []routeBackend {
	var out []routeBackend
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			if p.Backend.Service == nil || p.PathType == nil {
				continue
			}
			pathType := string(*p.PathType)
			if pathType == string(networkingv1.PathTypePrefix) {
				pathType = string(gatewayv1.PathMatchPathPrefix)
			}
			out = append(out, routeBackend{pathType, p.Path, p.Backend.Service.Name})
		}
	}
	return out
}

// checkRouteSplit: the gateway's path split, over all the objects of one kind (HTTPRoute or
// Ingress): /service/replication/ to the API Service of this stream, every other path to
// another backend (the source lakeFS).
func (p *Policy) checkRouteSplit(s *stream, o *Object, backends []routeBackend) {
	var api, rest *routeBackend
	for i := range backends {
		b := &backends[i]
		if b.pathType != string(gatewayv1.PathMatchPathPrefix) {
			continue
		}
		switch strings.TrimSuffix(b.path, "/") {
		case apiPrefix:
			api = b
		case "":
			rest = b
		}
	}
	if api == nil {
		s.addf(o, "policy: no prefix rule sends %s/ to the API", apiPrefix)
	} else if svc := s.find("Service", o.Namespace, api.service); svc == nil || svc.Typed.(*corev1.Service).Labels[componentLabel] != "api" {
		s.addf(o, "policy: %s/ goes to %q, which is not the API Service of this stream", apiPrefix, api.service)
	}
	if rest == nil {
		s.addf(o, "policy: no prefix rule sends every other path (/) to the source lakeFS")
	} else if api != nil && rest.service == api.service {
		s.addf(o, "policy: / must go to the source lakeFS, not to the API")
	}
}

// resolveEnv finds the value a container sees for a variable: env (value or a ConfigMap key of
// the stream) before envFrom ConfigMaps. Secrets are not in the stream: their values are unknown.
func (s *stream) resolveEnv(namespace string, c *corev1.Container, name string) (string, string) {
	for i := len(c.Env) - 1; i >= 0; i-- {
		e := c.Env[i]
		if e.Name != name {
			continue
		}
		if e.ValueFrom == nil {
			return e.Value, " from env"
		}
		if ref := e.ValueFrom.ConfigMapKeyRef; ref != nil {
			if cm := s.find("ConfigMap", namespace, ref.Name); cm != nil {
				return cm.Typed.(*corev1.ConfigMap).Data[ref.Key], " from ConfigMap " + ref.Name
			}
		}
		return "", " from a source outside the stream"
	}
	value, source := "", ""
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			continue
		}
		if cm := s.find("ConfigMap", namespace, from.ConfigMapRef.Name); cm != nil {
			key := strings.TrimPrefix(name, from.Prefix)
			if !strings.HasPrefix(name, from.Prefix) {
				continue
			}
			if v, ok := cm.Typed.(*corev1.ConfigMap).Data[key]; ok {
				value, source = v, " from ConfigMap "+from.ConfigMapRef.Name // later sources win
			}
		}
	}
	return value, source
}
