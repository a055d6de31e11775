package main

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// Result of checking one stream.
type Result struct {
	Objects  []*Object
	Problems []string
}

// Checker validates a kustomize output stream: strict decoding into the official Go API types,
// the required fields those types cannot enforce, references between the objects of the
// stream, and lakemirror's own rules (Policy).
type Checker struct {
	// Source names the stream in every problem ("overlays/production", a file name).
	Source string
	Policy *Policy
}

type stream struct {
	objects  []*Object
	problems []string
	source   string
	// broken holds the kinds of documents that could not be decoded: references to objects of
	// those kinds are not reported as missing (the decoding problem is the one to fix).
	broken map[string]bool
}

func (s *stream) addf(o *Object, format string, args ...any) {
	s.problems = append(s.problems, fmt.Sprintf("%s/%s: %s", s.source, o.ref(), fmt.Sprintf(format, args...)))
}

// Check decodes and validates every document of data.
func (c *Checker) Check(data []byte) Result {
	s := &stream{source: c.Source}
	docs, err := splitDocuments(data)
	if err != nil {
		s.problems = append(s.problems, fmt.Sprintf("%s: cannot split the YAML stream: %v", c.Source, err))
	}
	for i, doc := range docs {
		obj, problems := decode(i+1, doc)
		s.objects = append(s.objects, obj)
		if obj.Typed == nil && obj.GVK.Kind != "" {
			if s.broken == nil {
				s.broken = map[string]bool{}
			}
			s.broken[obj.GVK.Kind] = true
		}
		for _, p := range problems {
			s.addf(obj, "%s", p)
		}
	}
	if len(docs) == 0 {
		s.problems = append(s.problems, fmt.Sprintf("%s: no Kubernetes object in the stream", c.Source))
	}
	s.checkDuplicates()
	for _, o := range s.objects {
		if o.Typed != nil {
			s.checkObject(o)
		}
	}
	if c.Policy != nil {
		c.Policy.check(s)
	}
	return Result{Objects: s.objects, Problems: s.problems}
}

// clusterScoped lists the kinds without a namespace that a lakemirror stream may contain.
var clusterScoped = map[string]bool{
	"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true, "PriorityClass": true,
	"StorageClass": true, "PersistentVolume": true, "IngressClass": true, "GatewayClass": true,
	"CustomResourceDefinition": true, "ClusterTriggerAuthentication": true,
}

func (s *stream) checkDuplicates() {
	seen := map[string]bool{}
	for _, o := range s.objects {
		if o.Typed == nil {
			continue
		}
		key := o.GVK.GroupKind().String() + "/" + o.Namespace + "/" + o.Name
		if seen[key] {
			s.addf(o, "appears twice in the stream")
		}
		seen[key] = true
	}
}

func (s *stream) checkObject(o *Object) {
	meta := o.Typed.(metav1.Object)
	if meta.GetName() == "" {
		if meta.GetGenerateName() != "" {
			s.addf(o, "metadata.generateName cannot be applied declaratively (kubectl apply needs metadata.name)")
		} else {
			s.addf(o, "metadata.name is required")
		}
	} else {
		nameRule := validation.IsDNS1123Subdomain
		switch o.GVK.Kind {
		case "Service", "Namespace":
			nameRule = validation.IsDNS1123Label
		}
		for _, msg := range nameRule(meta.GetName()) {
			s.addf(o, "metadata.name %q: %s", meta.GetName(), msg)
		}
	}
	if !clusterScoped[o.GVK.Kind] && meta.GetNamespace() == "" {
		s.addf(o, "metadata.namespace is required (build an overlay: it sets the namespace)")
	}
	if clusterScoped[o.GVK.Kind] && meta.GetNamespace() != "" {
		s.addf(o, "metadata.namespace must be empty for a cluster-scoped %s", o.GVK.Kind)
	}
	for _, e := range metavalidation.ValidateLabels(meta.GetLabels(), field.NewPath("metadata", "labels")) {
		s.addf(o, "%s", e.Error())
	}

	switch t := o.Typed.(type) {
	case *appsv1.Deployment:
		s.checkSelector(o, "spec.selector", t.Spec.Selector, t.Spec.Template.Labels, true)
		if t.Spec.Replicas != nil && *t.Spec.Replicas < 0 {
			s.addf(o, "spec.replicas must not be negative")
		}
		switch t.Spec.Strategy.Type {
		case "", appsv1.RollingUpdateDeploymentStrategyType, appsv1.RecreateDeploymentStrategyType:
		default:
			s.addf(o, "spec.strategy.type %q: must be RollingUpdate or Recreate", t.Spec.Strategy.Type)
		}
		s.checkPodSpec(o, "spec.template.spec", &t.Spec.Template.Spec, false)
	case *appsv1.StatefulSet:
		s.checkSelector(o, "spec.selector", t.Spec.Selector, t.Spec.Template.Labels, true)
		s.checkPodSpec(o, "spec.template.spec", &t.Spec.Template.Spec, false)
	case *appsv1.DaemonSet:
		s.checkSelector(o, "spec.selector", t.Spec.Selector, t.Spec.Template.Labels, true)
		s.checkPodSpec(o, "spec.template.spec", &t.Spec.Template.Spec, false)
	case *batchv1.Job:
		if t.Spec.Selector != nil {
			s.checkSelector(o, "spec.selector", t.Spec.Selector, t.Spec.Template.Labels, true)
		}
		s.checkPodSpec(o, "spec.template.spec", &t.Spec.Template.Spec, true)
	case *batchv1.CronJob:
		if strings.TrimSpace(t.Spec.Schedule) == "" {
			s.addf(o, "spec.schedule is required")
		}
		s.checkPodSpec(o, "spec.jobTemplate.spec.template.spec", &t.Spec.JobTemplate.Spec.Template.Spec, true)
	case *corev1.Service:
		s.checkService(o, t)
	case *corev1.ConfigMap:
		for key := range t.Data {
			for _, msg := range validation.IsConfigMapKey(key) {
				s.addf(o, "data key %q: %s", key, msg)
			}
		}
	case *corev1.Secret:
		for key := range t.Data {
			for _, msg := range validation.IsConfigMapKey(key) {
				s.addf(o, "data key %q: %s", key, msg)
			}
		}
	case *policyv1.PodDisruptionBudget:
		if (t.Spec.MinAvailable == nil) == (t.Spec.MaxUnavailable == nil) {
			s.addf(o, "spec: set exactly one of minAvailable and maxUnavailable")
		}
		if t.Spec.Selector == nil {
			s.addf(o, "spec.selector is required")
		} else if s.selectsNothing(o.Namespace, t.Spec.Selector) {
			s.addf(o, "spec.selector selects no workload of this stream")
		}
	case *autoscalingv2.HorizontalPodAutoscaler:
		s.checkHPA(o, t)
	case *networkingv1.Ingress:
		s.checkIngress(o, t)
	case *rbacv1.RoleBinding:
		s.checkRoleRef(o, t.RoleRef, true)
		s.checkSubjects(o, t.Subjects, true)
	case *rbacv1.ClusterRoleBinding:
		s.checkRoleRef(o, t.RoleRef, false)
		s.checkSubjects(o, t.Subjects, false)
	case *rbacv1.Role:
		s.checkPolicyRules(o, t.Rules)
	case *rbacv1.ClusterRole:
		s.checkPolicyRules(o, t.Rules)
	case *kedav1alpha1.ScaledObject:
		s.checkScaledObject(o, t)
	case *kedav1alpha1.TriggerAuthentication:
		for i, ref := range t.Spec.SecretTargetRef {
			if ref.Parameter == "" || ref.Name == "" || ref.Key == "" {
				s.addf(o, "spec.secretTargetRef[%d]: parameter, name and key are required", i)
			}
		}
		for i, ref := range t.Spec.Env {
			if ref.Parameter == "" || ref.Name == "" {
				s.addf(o, "spec.env[%d]: parameter and name are required", i)
			}
		}
	case *gatewayv1.HTTPRoute:
		s.checkHTTPRoute(o, t)
	case *gatewayv1.Gateway:
		if t.Spec.GatewayClassName == "" {
			s.addf(o, "spec.gatewayClassName is required")
		}
		if len(t.Spec.Listeners) == 0 {
			s.addf(o, "spec.listeners: at least one listener is required")
		}
	case *monitoringv1.ServiceMonitor:
		s.checkServiceMonitor(o, t)
	case *monitoringv1.PrometheusRule:
		s.checkPrometheusRule(o, t)
	}
}

// checkSelector: a workload's selector is required, valid, and must match its pod template's labels.
func (s *stream) checkSelector(o *Object, path string, sel *metav1.LabelSelector, podLabels map[string]string, required bool) {
	if sel == nil {
		if required {
			s.addf(o, "%s is required", path)
		}
		return
	}
	if len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0 {
		s.addf(o, "%s is empty: it must name the pod template's labels", path)
		return
	}
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		s.addf(o, "%s: %v", path, err)
		return
	}
	if !selector.Matches(labels.Set(podLabels)) {
		s.addf(o, "%s (%s) does not match the pod template's labels %v", path, selector, podLabels)
	}
}

var envNameRule = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)

// checkPodSpec checks what the Go types cannot: required fields of containers, probes, env
// sources and volumes, and the references between them.
func (s *stream) checkPodSpec(o *Object, path string, spec *corev1.PodSpec, isJob bool) {
	if len(spec.Containers) == 0 {
		s.addf(o, "%s.containers: at least one container is required", path)
	}
	if isJob {
		switch spec.RestartPolicy {
		case corev1.RestartPolicyNever, corev1.RestartPolicyOnFailure:
		default:
			s.addf(o, "%s.restartPolicy %q: a Job's pods need Never or OnFailure", path, spec.RestartPolicy)
		}
	} else if spec.RestartPolicy != "" && spec.RestartPolicy != corev1.RestartPolicyAlways {
		s.addf(o, "%s.restartPolicy %q: only Always is allowed here", path, spec.RestartPolicy)
	}
	if spec.ServiceAccountName != "" && spec.ServiceAccountName != "default" && s.missing("ServiceAccount", o.Namespace, spec.ServiceAccountName) {
		s.addf(o, "%s.serviceAccountName %q: no such ServiceAccount in this stream", path, spec.ServiceAccountName)
	}
	volumes := map[string]bool{}
	for i, v := range spec.Volumes {
		vp := fmt.Sprintf("%s.volumes[%d]", path, i)
		if v.Name == "" {
			s.addf(o, "%s.name is required", vp)
		} else if volumes[v.Name] {
			s.addf(o, "%s.name %q is used twice", vp, v.Name)
		}
		volumes[v.Name] = true
		if n := setFields(v.VolumeSource); n != 1 {
			s.addf(o, "%s (%s): exactly one volume source is required, found %d", vp, v.Name, n)
		}
		if v.ConfigMap != nil {
			s.checkConfigMapRef(o, vp+".configMap", v.ConfigMap.Name, v.ConfigMap.Optional)
		}
		if v.Projected != nil {
			for j, src := range v.Projected.Sources {
				if n := setFields(src); n != 1 {
					s.addf(o, "%s.projected.sources[%d]: exactly one source is required, found %d", vp, j, n)
				}
			}
		}
	}
	names := map[string]bool{}
	all := []struct {
		kind string
		list []corev1.Container
	}{{"initContainers", spec.InitContainers}, {"containers", spec.Containers}}
	for _, group := range all {
		for i := range group.list {
			c := &group.list[i]
			cp := fmt.Sprintf("%s.%s[%d]", path, group.kind, i)
			if c.Name != "" {
				cp += " (" + c.Name + ")"
			}
			if c.Name == "" {
				s.addf(o, "%s: name is required", cp)
			} else {
				for _, msg := range validation.IsDNS1123Label(c.Name) {
					s.addf(o, "%s: name: %s", cp, msg)
				}
				if names[c.Name] {
					s.addf(o, "%s: name is used twice in the pod", cp)
				}
				names[c.Name] = true
			}
			if strings.TrimSpace(c.Image) == "" {
				s.addf(o, "%s: image is required", cp)
			}
			s.checkContainer(o, cp, c, volumes)
		}
	}
}

func (s *stream) checkContainer(o *Object, cp string, c *corev1.Container, volumes map[string]bool) {
	ports := map[string]bool{}
	for j, p := range c.Ports {
		if p.ContainerPort < 1 || p.ContainerPort > 65535 {
			s.addf(o, "%s: ports[%d].containerPort %d: must be between 1 and 65535", cp, j, p.ContainerPort)
		}
		if p.Name != "" {
			for _, msg := range validation.IsValidPortName(p.Name) {
				s.addf(o, "%s: ports[%d].name %q: %s", cp, j, p.Name, msg)
			}
			if ports[p.Name] {
				s.addf(o, "%s: ports[%d].name %q is used twice", cp, j, p.Name)
			}
			ports[p.Name] = true
		}
		switch p.Protocol {
		case "", corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			s.addf(o, "%s: ports[%d].protocol %q: must be TCP, UDP or SCTP", cp, j, p.Protocol)
		}
	}
	for j, e := range c.Env {
		if e.Name == "" || !envNameRule.MatchString(e.Name) {
			s.addf(o, "%s: env[%d].name %q is not a valid variable name", cp, j, e.Name)
		}
		if e.ValueFrom != nil {
			if e.Value != "" {
				s.addf(o, "%s: env %s: value and valueFrom are exclusive", cp, e.Name)
			}
			if n := setFields(*e.ValueFrom); n != 1 {
				s.addf(o, "%s: env %s: valueFrom needs exactly one source, found %d", cp, e.Name, n)
			}
			if ref := e.ValueFrom.SecretKeyRef; ref != nil && (ref.Name == "" || ref.Key == "") {
				s.addf(o, "%s: env %s: secretKeyRef needs name and key", cp, e.Name)
			}
			if ref := e.ValueFrom.ConfigMapKeyRef; ref != nil {
				if ref.Name == "" || ref.Key == "" {
					s.addf(o, "%s: env %s: configMapKeyRef needs name and key", cp, e.Name)
				} else {
					s.checkConfigMapKey(o, cp+": env "+e.Name, ref.Name, ref.Key, ref.Optional)
				}
			}
			if ref := e.ValueFrom.FieldRef; ref != nil && ref.FieldPath == "" {
				s.addf(o, "%s: env %s: fieldRef.fieldPath is required", cp, e.Name)
			}
		}
	}
	for j, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil && from.SecretRef != nil, from.ConfigMapRef == nil && from.SecretRef == nil:
			s.addf(o, "%s: envFrom[%d] needs exactly one of configMapRef and secretRef", cp, j)
		case from.ConfigMapRef != nil:
			if from.ConfigMapRef.Name == "" {
				s.addf(o, "%s: envFrom[%d].configMapRef.name is required", cp, j)
			} else {
				s.checkConfigMapRef(o, fmt.Sprintf("%s: envFrom[%d].configMapRef", cp, j), from.ConfigMapRef.Name, from.ConfigMapRef.Optional)
			}
		case from.SecretRef != nil && from.SecretRef.Name == "":
			s.addf(o, "%s: envFrom[%d].secretRef.name is required", cp, j)
		}
	}
	for _, probe := range []struct {
		name  string
		probe *corev1.Probe
	}{{"startupProbe", c.StartupProbe}, {"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}} {
		if probe.probe == nil {
			continue
		}
		if n := setFields(probe.probe.ProbeHandler); n != 1 {
			s.addf(o, "%s: %s needs exactly one handler (httpGet, tcpSocket, grpc or exec), found %d", cp, probe.name, n)
		}
		if h := probe.probe.HTTPGet; h != nil {
			if !strings.HasPrefix(h.Path, "/") {
				s.addf(o, "%s: %s.httpGet.path %q must start with /", cp, probe.name, h.Path)
			}
			s.checkContainerPortRef(o, cp, probe.name+".httpGet.port", h.Port, ports)
		}
		if t := probe.probe.TCPSocket; t != nil {
			s.checkContainerPortRef(o, cp, probe.name+".tcpSocket.port", t.Port, ports)
		}
		if probe.name != "readinessProbe" && probe.probe.SuccessThreshold > 1 {
			s.addf(o, "%s: %s.successThreshold must be 1", cp, probe.name)
		}
	}
	for j, m := range c.VolumeMounts {
		if !volumes[m.Name] {
			s.addf(o, "%s: volumeMounts[%d]: no volume named %q in the pod", cp, j, m.Name)
		}
		if !strings.HasPrefix(m.MountPath, "/") {
			s.addf(o, "%s: volumeMounts[%d].mountPath %q must be an absolute path", cp, j, m.MountPath)
		}
	}
	for name, limit := range c.Resources.Limits {
		if req, ok := c.Resources.Requests[name]; ok && req.Cmp(limit) > 0 {
			s.addf(o, "%s: resources.requests.%s (%s) is above its limit (%s)", cp, name, req.String(), limit.String())
		}
	}
	switch c.ImagePullPolicy {
	case "", corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever:
	default:
		s.addf(o, "%s: imagePullPolicy %q: must be Always, IfNotPresent or Never", cp, c.ImagePullPolicy)
	}
}

func (s *stream) checkContainerPortRef(o *Object, cp, what string, port intstr.IntOrString, ports map[string]bool) {
	if port.Type == intstr.String {
		if !ports[port.StrVal] {
			s.addf(o, "%s: %s %q names no port of the container", cp, what, port.StrVal)
		}
	} else if port.IntVal < 1 || port.IntVal > 65535 {
		s.addf(o, "%s: %s %d: must be between 1 and 65535", cp, what, port.IntVal)
	}
}

func (s *stream) checkConfigMapRef(o *Object, what, name string, optional *bool) {
	if optional != nil && *optional {
		return
	}
	if s.missing("ConfigMap", o.Namespace, name) {
		s.addf(o, "%s: no ConfigMap %q in this stream", what, name)
	}
}

func (s *stream) checkConfigMapKey(o *Object, what, name, key string, optional *bool) {
	if optional != nil && *optional {
		return
	}
	cm := s.find("ConfigMap", o.Namespace, name)
	if cm == nil {
		if !s.broken["ConfigMap"] {
			s.addf(o, "%s: no ConfigMap %q in this stream", what, name)
		}
		return
	}
	if _, ok := cm.Typed.(*corev1.ConfigMap).Data[key]; !ok {
		s.addf(o, "%s: ConfigMap %q has no key %q", what, name, key)
	}
}

func (s *stream) checkService(o *Object, svc *corev1.Service) {
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		if svc.Spec.ExternalName == "" {
			s.addf(o, "spec.externalName is required for an ExternalName Service")
		}
		return
	}
	if len(svc.Spec.Ports) == 0 {
		s.addf(o, "spec.ports: at least one port is required")
	}
	selected := s.workloadsSelectedBy(o.Namespace, &metav1.LabelSelector{MatchLabels: svc.Spec.Selector})
	if len(svc.Spec.Selector) > 0 && s.selectsNothing(o.Namespace, &metav1.LabelSelector{MatchLabels: svc.Spec.Selector}) {
		s.addf(o, "spec.selector %v selects no workload of this stream", svc.Spec.Selector)
	}
	for i, p := range svc.Spec.Ports {
		if p.Port < 1 || p.Port > 65535 {
			s.addf(o, "spec.ports[%d].port %d: must be between 1 and 65535", i, p.Port)
		}
		if len(svc.Spec.Ports) > 1 && p.Name == "" {
			s.addf(o, "spec.ports[%d].name is required when a Service has several ports", i)
		}
		if p.TargetPort.Type == intstr.String && p.TargetPort.StrVal != "" {
			for _, w := range selected {
				if !podHasPort(w.spec, p.TargetPort.StrVal) {
					s.addf(o, "spec.ports[%d].targetPort %q: the pods of %s have no container port of that name", i, p.TargetPort.StrVal, w.obj.ref())
				}
			}
		}
	}
}

func podHasPort(spec *corev1.PodSpec, name string) bool {
	for _, c := range spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func (s *stream) checkHPA(o *Object, h *autoscalingv2.HorizontalPodAutoscaler) {
	ref := h.Spec.ScaleTargetRef
	if ref.Kind == "" || ref.Name == "" {
		s.addf(o, "spec.scaleTargetRef: kind and name are required")
	} else if s.missing(ref.Kind, o.Namespace, ref.Name) {
		s.addf(o, "spec.scaleTargetRef: no %s %q in this stream", ref.Kind, ref.Name)
	}
	if h.Spec.MaxReplicas < 1 {
		s.addf(o, "spec.maxReplicas is required and must be at least 1")
	}
	if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
		s.addf(o, "spec.minReplicas (%d) is above spec.maxReplicas (%d)", *h.Spec.MinReplicas, h.Spec.MaxReplicas)
	}
	for i, m := range h.Spec.Metrics {
		mp := fmt.Sprintf("spec.metrics[%d]", i)
		source := map[autoscalingv2.MetricSourceType]bool{
			autoscalingv2.ObjectMetricSourceType:            m.Object != nil,
			autoscalingv2.PodsMetricSourceType:              m.Pods != nil,
			autoscalingv2.ResourceMetricSourceType:          m.Resource != nil,
			autoscalingv2.ContainerResourceMetricSourceType: m.ContainerResource != nil,
			autoscalingv2.ExternalMetricSourceType:          m.External != nil,
		}
		set, ok := source[m.Type]
		if !ok {
			s.addf(o, "%s.type %q: must be Object, Pods, Resource, ContainerResource or External", mp, m.Type)
			continue
		}
		if !set || setFields(m) != 2 { // type plus its own source
			s.addf(o, "%s: type %s needs its %s source and no other", mp, m.Type, lowerFirst(string(m.Type)))
			continue
		}
		var target autoscalingv2.MetricTarget
		switch {
		case m.External != nil:
			target = m.External.Target
			if m.External.Metric.Name == "" {
				s.addf(o, "%s.external.metric.name is required", mp)
			}
		case m.Pods != nil:
			target = m.Pods.Target
			if m.Pods.Metric.Name == "" {
				s.addf(o, "%s.pods.metric.name is required", mp)
			}
		case m.Object != nil:
			target = m.Object.Target
			if m.Object.Metric.Name == "" || m.Object.DescribedObject.Name == "" {
				s.addf(o, "%s.object: metric.name and describedObject.name are required", mp)
			}
		case m.Resource != nil:
			target = m.Resource.Target
		case m.ContainerResource != nil:
			target = m.ContainerResource.Target
		}
		s.checkMetricTarget(o, mp, target)
	}
}

func (s *stream) checkMetricTarget(o *Object, mp string, t autoscalingv2.MetricTarget) {
	switch t.Type {
	case autoscalingv2.ValueMetricType:
		if t.Value == nil {
			s.addf(o, "%s: target type Value needs target.value", mp)
		}
	case autoscalingv2.AverageValueMetricType:
		if t.AverageValue == nil {
			s.addf(o, "%s: target type AverageValue needs target.averageValue", mp)
		}
	case autoscalingv2.UtilizationMetricType:
		if t.AverageUtilization == nil {
			s.addf(o, "%s: target type Utilization needs target.averageUtilization", mp)
		}
	default:
		s.addf(o, "%s.target.type %q: must be Value, AverageValue or Utilization", mp, t.Type)
	}
}

func (s *stream) checkIngress(o *Object, ing *networkingv1.Ingress) {
	if len(ing.Spec.Rules) == 0 && ing.Spec.DefaultBackend == nil {
		s.addf(o, "spec: rules or defaultBackend is required")
	}
	for i, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			pp := fmt.Sprintf("spec.rules[%d].http.paths[%d]", i, j)
			if p.PathType == nil {
				s.addf(o, "%s.pathType is required", pp)
			} else {
				switch *p.PathType {
				case networkingv1.PathTypeExact, networkingv1.PathTypePrefix, networkingv1.PathTypeImplementationSpecific:
				default:
					s.addf(o, "%s.pathType %q: must be Exact, Prefix or ImplementationSpecific", pp, *p.PathType)
				}
			}
			if !strings.HasPrefix(p.Path, "/") {
				s.addf(o, "%s.path %q must start with /", pp, p.Path)
			}
			svc := p.Backend.Service
			if svc == nil {
				if p.Backend.Resource == nil {
					s.addf(o, "%s.backend: service or resource is required", pp)
				}
				continue
			}
			if svc.Name == "" {
				s.addf(o, "%s.backend.service.name is required", pp)
			}
			if (svc.Port.Name == "") == (svc.Port.Number == 0) {
				s.addf(o, "%s.backend.service.port: exactly one of name and number is required", pp)
				continue
			}
			s.checkServicePort(o, pp+".backend.service", svc.Name, svc.Port.Name, svc.Port.Number)
		}
	}
}

// checkServicePort: a backend that names a Service of this stream must name one of its ports.
func (s *stream) checkServicePort(o *Object, what, name, portName string, number int32) {
	target := s.find("Service", o.Namespace, name)
	if target == nil {
		return // a Service outside this stream (the source lakeFS): nothing to compare with
	}
	for _, p := range target.Typed.(*corev1.Service).Spec.Ports {
		if (portName != "" && p.Name == portName) || (number != 0 && p.Port == number) {
			return
		}
	}
	if portName != "" {
		s.addf(o, "%s: Service %q has no port named %q", what, name, portName)
	} else {
		s.addf(o, "%s: Service %q has no port %d", what, name, number)
	}
}

func (s *stream) checkRoleRef(o *Object, ref rbacv1.RoleRef, namespaced bool) {
	if ref.Kind == "" || ref.Name == "" {
		s.addf(o, "roleRef: kind and name are required")
		return
	}
	if ref.APIGroup != rbacv1.GroupName {
		s.addf(o, "roleRef.apiGroup %q: must be %s", ref.APIGroup, rbacv1.GroupName)
	}
	switch {
	case ref.Kind == "Role" && namespaced:
		if s.missing("Role", o.Namespace, ref.Name) {
			s.addf(o, "roleRef: no Role %q in this stream", ref.Name)
		}
	case ref.Kind == "ClusterRole":
	default:
		s.addf(o, "roleRef.kind %q is not allowed here", ref.Kind)
	}
}

func (s *stream) checkSubjects(o *Object, subjects []rbacv1.Subject, namespaced bool) {
	if len(subjects) == 0 {
		s.addf(o, "subjects: at least one subject is required")
	}
	for i, sub := range subjects {
		if sub.Kind == "" || sub.Name == "" {
			s.addf(o, "subjects[%d]: kind and name are required", i)
			continue
		}
		if sub.Kind == rbacv1.ServiceAccountKind {
			ns := sub.Namespace
			if ns == "" {
				if !namespaced {
					s.addf(o, "subjects[%d].namespace is required for a ServiceAccount", i)
					continue
				}
				ns = o.Namespace
			}
			if ns == o.Namespace && s.missing("ServiceAccount", ns, sub.Name) {
				s.addf(o, "subjects[%d]: no ServiceAccount %q in this stream", i, sub.Name)
			}
		}
	}
}

func (s *stream) checkPolicyRules(o *Object, rules []rbacv1.PolicyRule) {
	for i, r := range rules {
		if len(r.Verbs) == 0 {
			s.addf(o, "rules[%d].verbs is required", i)
		}
		if len(r.Resources) == 0 && len(r.NonResourceURLs) == 0 {
			s.addf(o, "rules[%d]: resources or nonResourceURLs is required", i)
		}
	}
}

func (s *stream) checkScaledObject(o *Object, so *kedav1alpha1.ScaledObject) {
	ref := so.Spec.ScaleTargetRef
	if ref == nil || ref.Name == "" {
		s.addf(o, "spec.scaleTargetRef.name is required")
	} else {
		kind := ref.Kind
		if kind == "" {
			kind = "Deployment"
		}
		if s.missing(kind, o.Namespace, ref.Name) {
			s.addf(o, "spec.scaleTargetRef: no %s %q in this stream", kind, ref.Name)
		}
	}
	if len(so.Spec.Triggers) == 0 {
		s.addf(o, "spec.triggers: at least one trigger is required")
	}
	// KEDA's own admission checks that need no cluster.
	if err := kedav1alpha1.ValidateTriggers(so.Spec.Triggers); err != nil {
		s.addf(o, "spec.triggers: %v", err)
	}
	if err := kedav1alpha1.CheckReplicaCountBoundsAreValid(so); err != nil {
		s.addf(o, "spec: %v", err)
	}
	if err := kedav1alpha1.CheckFallbackValid(so); err != nil {
		s.addf(o, "spec.fallback: %v", err)
	}
	for i, t := range so.Spec.Triggers {
		tp := fmt.Sprintf("spec.triggers[%d]", i)
		if t.Type == "" {
			s.addf(o, "%s.type is required", tp)
		}
		if t.Metadata == nil {
			s.addf(o, "%s.metadata is required", tp)
		}
		if a := t.AuthenticationRef; a != nil {
			kind := a.Kind
			if kind == "" {
				kind = "TriggerAuthentication"
			}
			if a.Name == "" {
				s.addf(o, "%s.authenticationRef.name is required", tp)
			} else if kind == "TriggerAuthentication" && s.missing(kind, o.Namespace, a.Name) {
				s.addf(o, "%s.authenticationRef: no TriggerAuthentication %q in this stream", tp, a.Name)
			}
		}
		if t.Type == "redis" {
			s.checkRedisTrigger(o, tp, t.Metadata)
		}
	}
}

// checkRedisTrigger checks the metadata KEDA's redis (list) scaler needs.
func (s *stream) checkRedisTrigger(o *Object, tp string, md map[string]string) {
	if md["listName"] == "" {
		s.addf(o, "%s.metadata.listName is required by the redis scaler", tp)
	}
	hasAddress := false
	for _, key := range []string{"address", "addresses", "host", "hosts", "addressFromEnv", "hostFromEnv"} {
		if md[key] != "" {
			hasAddress = true
		}
	}
	if !hasAddress {
		s.addf(o, "%s.metadata: the redis scaler needs address (host:port), host or addressFromEnv", tp)
	}
	if a := md["address"]; a != "" && strings.Contains(a, "://") {
		s.addf(o, "%s.metadata.address %q: KEDA wants host:port, not a URL", tp, a)
	}
	for _, key := range []string{"listLength", "activationListLength", "databaseIndex"} {
		if v, ok := md[key]; ok {
			if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 {
				s.addf(o, "%s.metadata.%s %q: must be a whole number", tp, key, v)
			} else if key == "listLength" && n == 0 {
				s.addf(o, "%s.metadata.listLength must be above 0", tp)
			}
		}
	}
}

var pathMatchTypes = map[gatewayv1.PathMatchType]bool{gatewayv1.PathMatchExact: true, gatewayv1.PathMatchPathPrefix: true, gatewayv1.PathMatchRegularExpression: true}

func (s *stream) checkHTTPRoute(o *Object, r *gatewayv1.HTTPRoute) {
	if len(r.Spec.ParentRefs) == 0 {
		s.addf(o, "spec.parentRefs: at least one parent (a Gateway) is required")
	}
	for i, p := range r.Spec.ParentRefs {
		if p.Name == "" {
			s.addf(o, "spec.parentRefs[%d].name is required", i)
		}
	}
	for i, h := range r.Spec.Hostnames {
		host := strings.TrimPrefix(string(h), "*.")
		for _, msg := range validation.IsDNS1123Subdomain(host) {
			s.addf(o, "spec.hostnames[%d] %q: %s", i, h, msg)
		}
	}
	for i, rule := range r.Spec.Rules {
		for j, m := range rule.Matches {
			if m.Path == nil {
				continue
			}
			mp := fmt.Sprintf("spec.rules[%d].matches[%d].path", i, j)
			if m.Path.Type != nil && !pathMatchTypes[*m.Path.Type] {
				s.addf(o, "%s.type %q: must be Exact, PathPrefix or RegularExpression", mp, *m.Path.Type)
			}
			if m.Path.Value != nil && !strings.HasPrefix(*m.Path.Value, "/") {
				s.addf(o, "%s.value %q must start with /", mp, *m.Path.Value)
			}
		}
		for j, b := range rule.BackendRefs {
			bp := fmt.Sprintf("spec.rules[%d].backendRefs[%d]", i, j)
			if b.Name == "" {
				s.addf(o, "%s.name is required", bp)
				continue
			}
			isService := (b.Kind == nil || *b.Kind == "Service") && (b.Group == nil || *b.Group == "")
			if !isService {
				continue
			}
			if b.Port == nil {
				s.addf(o, "%s.port is required for a Service backend", bp)
				continue
			}
			if b.Namespace == nil || string(*b.Namespace) == o.Namespace {
				s.checkServicePort(o, bp, string(b.Name), "", int32(*b.Port))
			}
		}
	}
}

func (s *stream) checkServiceMonitor(o *Object, sm *monitoringv1.ServiceMonitor) {
	if len(sm.Spec.Endpoints) == 0 {
		s.addf(o, "spec.endpoints: at least one endpoint is required")
	}
	selector, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
	if err != nil {
		s.addf(o, "spec.selector: %v", err)
		return
	}
	if selector.Empty() {
		s.addf(o, "spec.selector is empty: it would scrape every Service of the namespace")
	}
	var services []*corev1.Service
	for _, c := range s.objects {
		if svc, ok := c.Typed.(*corev1.Service); ok && c.Namespace == o.Namespace && selector.Matches(labels.Set(svc.Labels)) {
			services = append(services, svc)
		}
	}
	if len(services) == 0 && !s.broken["Service"] {
		s.addf(o, "spec.selector %s selects no Service of this stream", selector)
	}
	for i, e := range sm.Spec.Endpoints {
		if e.Port == "" && e.TargetPort == nil {
			s.addf(o, "spec.endpoints[%d]: port (a Service port name) or targetPort is required", i)
			continue
		}
		if e.Port != "" {
			for _, svc := range services {
				if !serviceHasPortName(svc, e.Port) {
					s.addf(o, "spec.endpoints[%d].port %q: Service %q has no port of that name", i, e.Port, svc.Name)
				}
			}
		}
		if e.Path != "" && !strings.HasPrefix(e.Path, "/") {
			s.addf(o, "spec.endpoints[%d].path %q must start with /", i, e.Path)
		}
		for _, d := range []struct {
			name  string
			value monitoringv1.Duration
		}{{"interval", e.Interval}, {"scrapeTimeout", e.ScrapeTimeout}} {
			if d.value != "" && !promDuration.MatchString(string(d.value)) {
				s.addf(o, "spec.endpoints[%d].%s %q is not a Prometheus duration", i, d.name, d.value)
			}
		}
	}
}

func serviceHasPortName(svc *corev1.Service, name string) bool {
	for _, p := range svc.Spec.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

// The Prometheus duration pattern of the operator's CRDs (monitoringv1.Duration).
var promDuration = regexp.MustCompile(`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`)
var alertName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
var recordName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

func (s *stream) checkPrometheusRule(o *Object, pr *monitoringv1.PrometheusRule) {
	if len(pr.Spec.Groups) == 0 {
		s.addf(o, "spec.groups: at least one group is required")
	}
	groups := map[string]bool{}
	for i, g := range pr.Spec.Groups {
		gp := fmt.Sprintf("spec.groups[%d]", i)
		if g.Name == "" {
			s.addf(o, "%s.name is required", gp)
		} else if groups[g.Name] {
			s.addf(o, "%s.name %q is used twice", gp, g.Name)
		}
		groups[g.Name] = true
		if len(g.Rules) == 0 {
			s.addf(o, "%s.rules: at least one rule is required", gp)
		}
		for j, r := range g.Rules {
			rp := fmt.Sprintf("%s.rules[%d]", gp, j)
			if r.Alert != "" {
				rp += " (" + r.Alert + ")"
			}
			switch {
			case r.Alert == "" && r.Record == "":
				s.addf(o, "%s: alert or record is required", rp)
			case r.Alert != "" && r.Record != "":
				s.addf(o, "%s: alert and record are exclusive", rp)
			case r.Alert != "" && !alertName.MatchString(r.Alert):
				s.addf(o, "%s: alert name %q is not valid", rp, r.Alert)
			case r.Record != "" && !recordName.MatchString(r.Record):
				s.addf(o, "%s: record name %q is not a valid metric name", rp, r.Record)
			}
			expr := r.Expr.String()
			if strings.TrimSpace(expr) == "" || (r.Expr.Type == intstr.Int && r.Expr.IntVal == 0) {
				s.addf(o, "%s: expr is required", rp)
			} else if msg := promqlBalance(expr); msg != "" {
				s.addf(o, "%s: expr: %s", rp, msg)
			}
			if r.For != nil && !promDuration.MatchString(string(*r.For)) {
				s.addf(o, "%s: for %q is not a Prometheus duration", rp, *r.For)
			}
			if r.Record != "" && (r.For != nil || len(r.Annotations) > 0) {
				s.addf(o, "%s: a recording rule takes no for or annotations", rp)
			}
		}
	}
}

// promqlBalance is a light sanity check of an expression: brackets balanced, quotes closed.
func promqlBalance(expr string) string {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	var quote rune
	for _, ch := range expr {
		if quote != 0 {
			if ch == quote {
				quote = 0
			}
			continue
		}
		switch ch {
		case '"', '\'', '`':
			quote = ch
		case '(', '[', '{':
			stack = append(stack, ch)
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[ch] {
				return fmt.Sprintf("unbalanced %q", ch)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if quote != 0 {
		return "unterminated string"
	}
	if len(stack) > 0 {
		return fmt.Sprintf("unclosed %q", stack[len(stack)-1])
	}
	return ""
}

// --- helpers over the stream -------------------------------------------------------------

// missing: no object of that kind and name in the stream, and none that failed to decode.
func (s *stream) missing(kind, namespace, name string) bool {
	return s.find(kind, namespace, name) == nil && !s.broken[kind]
}

// selectsNothing: a selector matches no workload, and no workload failed to decode.
func (s *stream) selectsNothing(namespace string, sel *metav1.LabelSelector) bool {
	if s.broken["Deployment"] || s.broken["StatefulSet"] || s.broken["DaemonSet"] || s.broken["Job"] {
		return false
	}
	return len(s.workloadsSelectedBy(namespace, sel)) == 0
}

func (s *stream) find(kind, namespace, name string) *Object {
	for _, o := range s.objects {
		if o.Typed != nil && o.GVK.Kind == kind && o.Name == name && (clusterScoped[kind] || o.Namespace == namespace) {
			return o
		}
	}
	return nil
}

type workload struct {
	obj    *Object
	labels map[string]string
	spec   *corev1.PodSpec
}

// workloads lists the stream's pod templates with their labels.
func (s *stream) workloads() []workload {
	var out []workload
	for _, o := range s.objects {
		switch t := o.Typed.(type) {
		case *appsv1.Deployment:
			out = append(out, workload{o, t.Spec.Template.Labels, &t.Spec.Template.Spec})
		case *appsv1.StatefulSet:
			out = append(out, workload{o, t.Spec.Template.Labels, &t.Spec.Template.Spec})
		case *appsv1.DaemonSet:
			out = append(out, workload{o, t.Spec.Template.Labels, &t.Spec.Template.Spec})
		case *batchv1.Job:
			out = append(out, workload{o, t.Spec.Template.Labels, &t.Spec.Template.Spec})
		}
	}
	return out
}

func (s *stream) workloadsSelectedBy(namespace string, sel *metav1.LabelSelector) []workload {
	if sel == nil || (len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0) {
		return nil
	}
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return nil
	}
	var out []workload
	for _, w := range s.workloads() {
		if w.obj.Namespace == namespace && selector.Matches(labels.Set(w.labels)) {
			out = append(out, w)
		}
	}
	return out
}

// setFields counts the fields of a struct that are set (non-nil pointers, non-empty values):
// for "exactly one of" unions such as a volume source or a probe handler.
func setFields(v any) int {
	rv := reflect.ValueOf(v)
	n := 0
	for i := 0; i < rv.NumField(); i++ {
		if !rv.Field(i).IsZero() {
			n++
		}
	}
	return n
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func sortStrings(list []string) { sort.Strings(list) }
