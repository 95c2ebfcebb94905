# Sourced by kubernetes.sh: starting and stopping the cluster (`up` and `down`), in the directory
# $DIR, with the tools kubernetes.sh built. See kubernetes.sh for what runs and on which ports.
# shellcheck shell=bash

BASE="${K8S_PORT_BASE:-28800}"
# The Services the API server itself calls (the injector's webhook, metrics-server for the
# aggregation layer) get cluster IPs on the loopback network, where the process behind each listens:
# there is no kube-proxy, and Endpoints may not point at loopback addresses.
SERVICE_NET="${K8S_SERVICE_NET:-127.88.0}"
ETCD_PORT=$BASE
ETCD_PEER_PORT=$((BASE + 1))
APISERVER_PORT=$((BASE + 2))
CONTROLLER_MANAGER_PORT=$((BASE + 3))
SCHEDULER_PORT=$((BASE + 4))
KWOK_PORT=$((BASE + 5))
SENTRY_PORT=$((BASE + 6))
SENTRY_HEALTHZ_PORT=$((BASE + 7))
INJECTOR_PORT=$((BASE + 8))
INJECTOR_HEALTHZ_PORT=$((BASE + 9))
METRICS_SERVER_PORT=$((BASE + 10))
INJECTOR_IP="$SERVICE_NET.10"
METRICS_SERVER_IP="$SERVICE_NET.11"
NODE_NAME=kwok-node-0

# The autoscaler's timings, at the controller manager's defaults unless set (the tests shorten them):
# how often it looks, how long it waits before scaling in, and how long after a pod starts its CPU
# samples are distrusted.
HPA_SYNC_PERIOD="${K8S_HPA_SYNC_PERIOD:-15s}"
HPA_DOWNSCALE_STABILIZATION="${K8S_HPA_DOWNSCALE_STABILIZATION:-5m0s}"
HPA_CPU_INITIALIZATION_PERIOD="${K8S_HPA_CPU_INITIALIZATION_PERIOD:-5m0s}"
HPA_INITIAL_READINESS_DELAY="${K8S_HPA_INITIAL_READINESS_DELAY:-30s}"

# Starts a long-running process with its output in DIR/logs/NAME.log and its pid in DIR/pids.
start_process() {
  local name="$1"
  shift
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$!" >"$DIR/pids/$name"
  echo "$name" >>"$DIR/pids/order"
}

# Polls COMMAND for up to SECONDS; on a timeout prints the end of NAME's log and fails.
wait_for() {
  local name="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ -f "$DIR/pids/$name" ] && ! kill -0 "$(cat "$DIR/pids/$name")" 2>/dev/null; then
      say "$name exited; the end of $DIR/logs/$name.log:"
      tail -n 30 "$DIR/logs/$name.log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$name was not ready within $seconds s; the end of $DIR/logs/$name.log:"
      tail -n 30 "$DIR/logs/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

kubectl_() { "$K8S_BIN/kubectl" --kubeconfig "$DIR/kubeconfig" "$@"; }

# Applies manifests from standard input, printing kubectl's output only when it fails.
apply() {
  local out
  out="$(kubectl_ apply --server-side "$@" 2>&1)" || { printf '%s\n' "$out" >&2; return 1; }
}

# A key and a certificate signed by the cluster's CA (or self-signed with "self").
#   certificate NAME SUBJECT CA EXTENSIONS
certificate() {
  local name="$1" subject="$2" ca="$3" ext="$4" pki="$DIR/pki"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/$name.key" 2>/dev/null
  printf '%s\n' "$ext" >"$pki/$name.ext"
  if [ "$ca" = self ]; then
    openssl req -x509 -new -key "$pki/$name.key" -subj "$subject" -days 3650 -extensions v3 \
      -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n%s\n' "$ext") -out "$pki/$name.crt" 2>/dev/null
  else
    openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial -days 3650 \
      -extfile <(printf '[v3]\n%s\n' "$ext") -extensions v3 -out "$pki/$name.crt" 2>/dev/null
    rm -f "$pki/$name.csr"
  fi
  rm -f "$pki/$name.ext"
}

make_pki() {
  local pki="$DIR/pki" ca_ext='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign' client='keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth' server='keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth'
  mkdir -p "$pki" "$DIR/dapr"
  certificate ca "/CN=sweetgiggles-kubernetes-ca" self "$ca_ext"
  certificate front-proxy-ca "/CN=sweetgiggles-front-proxy-ca" self "$ca_ext"
  certificate apiserver "/CN=kube-apiserver" ca "$server
subjectAltName=IP:127.0.0.1,IP:$SERVICE_NET.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  certificate admin "/O=system:masters/CN=sweetgiggles-admin" ca "$client"
  certificate front-proxy-client "/CN=front-proxy-client" front-proxy-ca "$client"
  certificate kwok "/CN=kwok" ca "$server
subjectAltName=IP:127.0.0.1,DNS:$NODE_NAME"
  certificate metrics-server "/CN=metrics-server" ca "$server
subjectAltName=IP:$METRICS_SERVER_IP,DNS:metrics-server.kube-system.svc"
  # The key the API server signs service account tokens with.
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
  openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  # Dapr's trust bundle: a root (the trust anchor every sidecar gets) and the issuer Sentry signs
  # workload certificates with, as Dapr's Helm chart or `dapr mtls` would make them.
  certificate dapr-root "/O=sweetgiggles/CN=cluster.local" self "$ca_ext"
  certificate dapr-issuer "/O=sweetgiggles/CN=cluster.local" dapr-root "$ca_ext"
  cp "$pki/dapr-root.crt" "$DIR/dapr/ca.crt"
  cp "$pki/dapr-issuer.crt" "$DIR/dapr/issuer.crt"
  cp "$pki/dapr-issuer.key" "$DIR/dapr/issuer.key"
  "$K8S_BIN/kubectl" config set-cluster local --server "https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority "$pki/ca.crt" --embed-certs --kubeconfig "$DIR/kubeconfig" >/dev/null
  "$K8S_BIN/kubectl" config set-credentials admin --client-certificate "$pki/admin.crt" \
    --client-key "$pki/admin.key" --embed-certs --kubeconfig "$DIR/kubeconfig" >/dev/null
  "$K8S_BIN/kubectl" config set-context local --cluster local --user admin --namespace default \
    --kubeconfig "$DIR/kubeconfig" >/dev/null
  "$K8S_BIN/kubectl" config use-context local --kubeconfig "$DIR/kubeconfig" >/dev/null
}

# kwok's configuration: its own stages for nodes and pods (nodes become Ready and keep a lease;
# pods are scheduled, become Ready and are deleted like a kubelet would), the kubelet's resource
# metrics endpoint, and pod usage read from the kwok.x-k8s.io/usage-cpu and -memory annotations.
kwok_config() {
  local k="$KWOK_BIN/kustomize" f
  for f in "$k"/stage/node/fast/node-initialize.yaml "$k"/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$k"/stage/pod/general/pod-*.yaml "$k"/metrics/resource/metrics-resource.yaml "$k"/metrics/usage/usage-from-annotation.yaml; do
    cat "$f"
    printf -- '---\n'
  done
}

# A Service whose cluster IP is the loopback address a process of this script listens on.
#   loopback_service NAME NAMESPACE IP PORT
loopback_service() {
  printf 'apiVersion: v1\nkind: Service\nmetadata: { name: %s, namespace: %s }\n' "$1" "$2"
  printf 'spec:\n  clusterIP: %s\n  ports: [{ name: https, port: %s, targetPort: %s }]\n' "$3" "$4" "$4"
}

cluster_manifests() {
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $NODE_NAME
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
    metrics.k8s.io/resource-metrics-path: /metrics/nodes/$NODE_NAME/metrics/resource
  labels:
    kubernetes.io/hostname: $NODE_NAME
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
spec:
  podCIDR: 10.244.0.0/24
status:
  addresses:
    - { type: InternalIP, address: 127.0.0.1 }
  allocatable: { cpu: "32", memory: 64Gi, pods: "110" }
  capacity: { cpu: "32", memory: 64Gi, pods: "110" }
---
apiVersion: v1
kind: Namespace
metadata:
  name: dapr-system
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: dapr-injector, namespace: dapr-system }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: dapr-sentry, namespace: dapr-system }
---
apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata: { name: daprsystem, namespace: dapr-system }
spec:
  mtls:
    enabled: true
    workloadCertTTL: 24h
    allowedClockSkew: 15m
    controlPlaneTrustDomain: cluster.local
    sentryAddress: dapr-sentry.dapr-system.svc:443
---
# The injector runs beside the cluster, not in it; Sentry gives it its serving certificate only
# for the identity of a pod of the control plane, so this (kwok-simulated) pod stands for it and
# the token it presents is bound to this pod.
apiVersion: v1
kind: Pod
metadata:
  name: dapr-sidecar-injector
  namespace: dapr-system
  labels: { app: dapr-sidecar-injector }
  annotations: { dapr.io/control-plane: injector }
spec:
  serviceAccountName: dapr-injector
  nodeName: $NODE_NAME
  containers:
    - name: dapr-sidecar-injector
      image: ghcr.io/dapr/injector:$DAPR_VERSION
---
$(loopback_service dapr-sidecar-injector dapr-system "$INJECTOR_IP" "$INJECTOR_PORT")
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: { name: dapr-sidecar-injector }
webhooks:
  - name: sidecar-injector.dapr.io
    reinvocationPolicy: IfNeeded
    clientConfig:
      service: { namespace: dapr-system, name: dapr-sidecar-injector, path: /mutate, port: $INJECTOR_PORT }
    rules:
      - { apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE] }
    # Dapr's chart ignores a failing injector; here a pod must not start without its sidecar.
    failurePolicy: Fail
    sideEffects: None
    admissionReviewVersions: [v1]
    namespaceSelector:
      matchExpressions:
        - { key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, dapr-system] }
EOF
}

metrics_server_manifests() {
  cat <<EOF
$(loopback_service metrics-server kube-system "$METRICS_SERVER_IP" "$METRICS_SERVER_PORT")
---
# The aggregation layer calls the Service's cluster IP, but counts the API as available only while
# an EndpointSlice lists a ready endpoint; endpoint IPs may not be loopback ones, so it names the
# Service by its DNS name (never resolved: the cluster IP is what is called).
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: metrics-server
  namespace: kube-system
  labels: { kubernetes.io/service-name: metrics-server }
addressType: FQDN
endpoints:
  - addresses: [metrics-server.kube-system.svc]
    conditions: { ready: true }
ports: [{ name: https, port: $METRICS_SERVER_PORT, protocol: TCP }]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.metrics.k8s.io }
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service: { name: metrics-server, namespace: kube-system, port: $METRICS_SERVER_PORT }
  caBundle: $(base64 -w0 <"$DIR/pki/ca.crt")
EOF
}

up() {
  tools_built || exit 1
  if [ -d "$DIR/pids" ] && [ -n "$(ls -A "$DIR/pids" 2>/dev/null)" ]; then
    say "a cluster is recorded in $DIR already; stopping it first"
    down
  fi
  # Only what an earlier `up` made: DIR may hold other things.
  rm -rf "$DIR/pki" "$DIR/dapr" "$DIR/etcd" "$DIR/apiserver" "$DIR/logs" "$DIR/kubeconfig" "$DIR/kwok.yaml"
  mkdir -p "$DIR/logs" "$DIR/pids"
  local start=$SECONDS pki="$DIR/pki" kubeconfig="$DIR/kubeconfig"
  trap 'say "start failed; stopping what was started"; down' ERR
  make_pki

  start_process etcd "$ETCD_BIN/etcd" --name default --data-dir "$DIR/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT"
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

  start_process kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --endpoint-reconciler-type none --service-cluster-ip-range "$SERVICE_NET.0/24" \
    --cert-dir "$DIR/apiserver" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- --profiling=false
  wait_for kube-apiserver 90 kubectl_ get --raw /readyz

  start_process kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig "$kubeconfig" \
    --authentication-kubeconfig "$kubeconfig" --authorization-kubeconfig "$kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$CONTROLLER_MANAGER_PORT" --leader-elect=false \
    --use-service-account-credentials --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --horizontal-pod-autoscaler-sync-period "$HPA_SYNC_PERIOD" \
    --horizontal-pod-autoscaler-downscale-stabilization "$HPA_DOWNSCALE_STABILIZATION" \
    --horizontal-pod-autoscaler-cpu-initialization-period "$HPA_CPU_INITIALIZATION_PERIOD" \
    --horizontal-pod-autoscaler-initial-readiness-delay "$HPA_INITIAL_READINESS_DELAY" --profiling=false
  start_process kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$kubeconfig" \
    --authentication-kubeconfig "$kubeconfig" --authorization-kubeconfig "$kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false --profiling=false
  wait_for kube-controller-manager 60 kubectl_ -n default get serviceaccount default
  say "control plane up ($((SECONDS - start)) s)"

  kwok_config >"$DIR/kwok.yaml"
  start_process kwok "$KWOK_BIN/kwok" --kubeconfig "$kubeconfig" --config "$DIR/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip 127.0.0.1 --node-name "$NODE_NAME" --node-port "$KWOK_PORT" --server-address "127.0.0.1:$KWOK_PORT" \
    --tls-cert-file "$pki/kwok.crt" --tls-private-key-file "$pki/kwok.key" --node-lease-duration-seconds 40
  apply -f "$DAPR_BIN/crds"
  kubectl_ wait --for condition=Established --timeout 60s crd/configurations.dapr.io >/dev/null
  cluster_manifests | apply -f -
  wait_for kwok 60 kubectl_ wait --for condition=Ready --timeout 1s "node/$NODE_NAME"
  say "kwok node $NODE_NAME ready ($((SECONDS - start)) s)"

  kubectl_ -n dapr-system create secret generic dapr-trust-bundle --from-file "$DIR/dapr/ca.crt" \
    --from-file "$DIR/dapr/issuer.crt" --from-file "$DIR/dapr/issuer.key" >/dev/null
  kubectl_ -n dapr-system create configmap dapr-trust-bundle --from-file "$DIR/dapr/ca.crt" >/dev/null
  # In a cluster these run as a non-root user of their image and refuse root; here they run as
  # whoever runs this script (root in CI).
  local as_root=()
  [ "$(id -u)" = 0 ] && as_root=(DAPR_UNSAFE_SKIP_CONTAINER_UID_GID_CHECK=true)
  start_process sentry env NAMESPACE=dapr-system "${as_root[@]}" "$DAPR_BIN/sentry" --mode kubernetes --kubeconfig "$kubeconfig" \
    --config daprsystem --issuer-credentials "$DIR/dapr" --trust-domain cluster.local \
    --listen-address 127.0.0.1 --port "$SENTRY_PORT" --healthz-port "$SENTRY_HEALTHZ_PORT" --enable-metrics=false
  wait_for sentry 60 curl -fsS "http://127.0.0.1:$SENTRY_HEALTHZ_PORT/healthz"
  kubectl_ -n dapr-system create token dapr-injector --bound-object-kind Pod --bound-object-name dapr-sidecar-injector \
    --audience spiffe://cluster.local/ns/dapr-system/dapr-sentry --duration 24h >"$DIR/dapr/injector-token"
  # The injector (1.18.2) listens on every interface whatever --listen-address says; its webhook
  # is called at the Service's loopback cluster IP all the same.
  start_process injector env NAMESPACE=dapr-system "${as_root[@]}" SIDECAR_IMAGE="ghcr.io/dapr/daprd:$DAPR_VERSION" \
    SIDECAR_IMAGE_PULL_POLICY=IfNotPresent KUBE_CLUSTER_DOMAIN=cluster.local SIDECAR_DROP_ALL_CAPABILITIES=true \
    DAPR_TRUST_ANCHORS_FILE="$DIR/dapr/ca.crt" DAPR_CONTROL_PLANE_TRUST_DOMAIN=cluster.local \
    DAPR_SENTRY_ADDRESS="127.0.0.1:$SENTRY_PORT" DAPR_SENTRY_TOKEN_FILE="$DIR/dapr/injector-token" \
    "$DAPR_BIN/injector" --kubeconfig "$kubeconfig" --listen-address "$INJECTOR_IP" --port "$INJECTOR_PORT" \
    --healthz-port "$INJECTOR_HEALTHZ_PORT" --enable-metrics=false
  wait_for injector 60 curl -fsS "http://127.0.0.1:$INJECTOR_HEALTHZ_PORT/healthz"
  say "Dapr sentry and sidecar injector ready ($((SECONDS - start)) s)"

  start_process metrics-server "$METRICS_BIN/metrics-server" --kubeconfig "$kubeconfig" \
    --authentication-kubeconfig "$kubeconfig" --authorization-kubeconfig "$kubeconfig" \
    --bind-address "$METRICS_SERVER_IP" --secure-port "$METRICS_SERVER_PORT" \
    --tls-cert-file "$pki/metrics-server.crt" --tls-private-key-file "$pki/metrics-server.key" \
    --kubelet-insecure-tls --kubelet-use-node-status-port --kubelet-preferred-address-types InternalIP \
    --metric-resolution 10s --kubelet-request-timeout 5s
  metrics_server_manifests | apply -f -
  wait_for metrics-server 90 kubectl_ get --raw /apis/metrics.k8s.io/v1beta1/nodes
  trap - ERR
  say "cluster ready in $((SECONDS - start)) s: export KUBECONFIG=$kubeconfig"
}

down() {
  [ -d "$DIR/pids" ] || { say "no cluster recorded in $DIR"; return 0; }
  local name pid names=()
  [ -f "$DIR/pids/order" ] && mapfile -t names <"$DIR/pids/order"
  # The last started first, so that nothing sees its dependencies go.
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do
    name="${names[$i]}"
    pid="$(cat "$DIR/pids/$name" 2>/dev/null || true)"
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/pids/$name"
  done
  rm -f "$DIR/pids/order"
  say "cluster in $DIR stopped"
}
