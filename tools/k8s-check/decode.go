package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// scheme knows every kind the checker accepts: the built-in Kubernetes API groups (client-go's
// scheme, versions served by current Kubernetes releases) and the CRDs lakemirror uses, each
// from its project's own Go API types.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		kedav1alpha1.AddToScheme,
		gatewayv1.Install,
		monitoringv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}()

// Object is one decoded document of the stream.
type Object struct {
	Index     int // position in the stream, from 1
	GVK       schema.GroupVersionKind
	Name      string
	Namespace string
	Typed     runtime.Object // nil when the document could not be decoded
}

func (o *Object) ref() string {
	name := o.Name
	if name == "" {
		name = fmt.Sprintf("#%d", o.Index)
	}
	kind := o.GVK.Kind
	if kind == "" {
		kind = "?"
	}
	return kind + "/" + name
}

// header is what every document must have to be identified.
type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// splitDocuments splits a multi-document YAML stream, dropping empty documents.
func splitDocuments(data []byte) ([][]byte, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		docs = append(docs, doc)
	}
}

func stripComments(doc []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// decode reads one document into the Go type its apiVersion and kind name, the way the API
// server does: case-sensitive field names, unknown and duplicate fields rejected, wrong types
// rejected. Problems are returned as readable strings (field paths included).
func decode(index int, doc []byte) (*Object, []string) {
	obj := &Object{Index: index}
	jsonDoc, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "unmarshal errors:", "")), " ")
		return obj, []string{"not valid YAML (lines count from the document's start): " + msg}
	}
	var h header
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(jsonDoc, &h); err != nil {
		return obj, []string{"not a Kubernetes object: " + cleanJSONError(err)}
	}
	obj.Name, obj.Namespace = h.Metadata.Name, h.Metadata.Namespace
	obj.GVK.Kind = h.Kind
	var problems []string
	if h.APIVersion == "" {
		problems = append(problems, "apiVersion is required")
	}
	if h.Kind == "" {
		problems = append(problems, "kind is required")
	}
	if len(problems) > 0 {
		return obj, problems
	}
	gv, err := schema.ParseGroupVersion(h.APIVersion)
	if err != nil {
		return obj, []string{fmt.Sprintf("apiVersion %q: %v", h.APIVersion, err)}
	}
	obj.GVK = gv.WithKind(h.Kind)
	typed, err := scheme.New(obj.GVK)
	if err != nil {
		hint := ""
		if kinds := versionsOfKind(h.Kind); len(kinds) > 0 {
			hint = " (known: " + strings.Join(kinds, ", ") + ")"
		}
		return obj, []string{fmt.Sprintf("unknown apiVersion/kind %s %s%s", h.APIVersion, h.Kind, hint)}
	}
	strict, err := sigsjson.UnmarshalStrict(jsonDoc, typed, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		msg := cleanJSONError(err)
		if strings.HasPrefix(msg, "quantities must match") {
			// A Quantity's own parser names no field: find the values that do not parse.
			if paths := badQuantities(jsonDoc); len(paths) > 0 {
				msg = "not a quantity (e.g. 512Mi, 1Gi, 250m, 2): " + strings.Join(paths, ", ")
			}
		}
		return obj, []string{msg}
	}
	for _, e := range strict {
		problems = append(problems, cleanJSONError(e))
	}
	if len(problems) == 0 {
		obj.Typed = typed
	}
	return obj, problems
}

// versionsOfKind lists the apiVersions the scheme knows for a kind: a hint when only the version is wrong.
func versionsOfKind(kind string) []string {
	var out []string
	for gvk := range scheme.AllKnownTypes() {
		if gvk.Kind == kind && gvk.Version != runtime.APIVersionInternal {
			out = append(out, gvk.GroupVersion().String())
		}
	}
	sortStrings(out)
	return out
}

// cleanJSONError turns the decoder's messages into the API server's wording, without the Go noise.
func cleanJSONError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	msg = strings.TrimPrefix(msg, "error unmarshaling JSON: while decoding JSON: json: ")
	if i := strings.Index(msg, "cannot unmarshal "); i >= 0 {
		// "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
		rest := msg[i+len("cannot unmarshal "):]
		if what, after, ok := strings.Cut(rest, " into Go struct field "); ok {
			field, typ, _ := strings.Cut(after, " of type ")
			// "DeploymentSpec.spec.replicas": drop the Go struct name, and the names of embedded
			// Go structs (capitalised) that are not part of the JSON path.
			var path []string
			for i, part := range strings.Split(field, ".") {
				if i == 0 || (part != "" && part[0] >= 'A' && part[0] <= 'Z') {
					continue
				}
				path = append(path, part)
			}
			field = strings.Join(path, ".")
			return fmt.Sprintf("wrong type at %q: got %s, want %s", field, what, typ)
		}
	}
	return msg
}

// badQuantities lists the paths of quantity fields whose value does not parse: resource
// requests and limits, an emptyDir's sizeLimit, an HPA target's value and averageValue.
func badQuantities(jsonDoc []byte) []string {
	var doc any
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(jsonDoc, &doc); err != nil {
		return nil
	}
	var out []string
	var walk func(path, parent, key string, v any)
	walk = func(path, parent, key string, v any) {
		switch t := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sortStrings(keys)
			for _, k := range keys {
				child := k
				if path != "" {
					child = path + "." + k
				}
				walk(child, key, k, t[k])
			}
		case []any:
			for i, item := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), parent, "", item)
			}
		case string:
			quantity := key == "sizeLimit" || parent == "requests" || parent == "limits" ||
				(parent == "target" && (key == "value" || key == "averageValue"))
			if quantity {
				if _, err := resource.ParseQuantity(t); err != nil {
					out = append(out, fmt.Sprintf("%q at %q", t, path))
				}
			}
		}
	}
	walk("", "", "", doc)
	return out
}
