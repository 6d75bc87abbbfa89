{{- define "kubesnap.labels" -}}
app.kubernetes.io/name: kubesnap
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: kubesnap
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "kubesnap.selectorLabels" -}}
app.kubernetes.io/name: kubesnap
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kubesnap.fullname" -}}
{{- if eq .Release.Name "kubesnap" }}kubesnap{{ else }}{{ printf "%s-kubesnap" .Release.Name | trunc 63 | trimSuffix "-" }}{{ end }}
{{- end }}
