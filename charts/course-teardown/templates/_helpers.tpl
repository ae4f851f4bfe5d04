{{- define "course-teardown.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- /* Cluster-wide objects carry the namespace: each course's hub has a namespace of its own. */}}
{{- define "course-teardown.clusterWideName" -}}
{{ .Release.Namespace }}-{{ .Release.Name }}
{{- end }}
