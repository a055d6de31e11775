#!/bin/sh
# Renders /run/gateway/nginx.conf from the template and the GATEWAY_* variables, checks it, and runs
# nginx in the foreground (as PID 1: nginx handles SIGQUIT, graceful, and SIGTERM, fast, itself).
set -eu

: "${GATEWAY_LAKEFS_URL:?set GATEWAY_LAKEFS_URL to the source lakeFS, e.g. http://lakefs:8000}"
: "${GATEWAY_API_URL:=http://api:8080}"
: "${GATEWAY_API_RATE:=20r/s}"
: "${GATEWAY_API_BURST:=40}"
: "${GATEWAY_API_MAX_BODY:=64k}"
: "${GATEWAY_LAKEFS_RATE:=200r/s}"
: "${GATEWAY_LAKEFS_BURST:=400}"
: "${GATEWAY_LAKEFS_MAX_BODY:=5g}"
: "${GATEWAY_TLS:=off}"
: "${GATEWAY_TLS_CERT:=/etc/lakemirror-gateway/tls/tls.crt}"
: "${GATEWAY_TLS_KEY:=/etc/lakemirror-gateway/tls/tls.key}"
# Upstreams are resolved at request time (a restarted container gets a new address): by default with the
# container's own DNS server (Docker's 127.0.0.11, or the cluster DNS in Kubernetes).
: "${GATEWAY_RESOLVER:=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)}"

case "$GATEWAY_LAKEFS_URL$GATEWAY_API_URL" in *[\ \;\{\}\$]*) echo "gateway: upstream URLs must not contain spaces, ';', '{', '}' or '\$'" >&2; exit 1 ;; esac
for url in "$GATEWAY_LAKEFS_URL" "$GATEWAY_API_URL"; do
  case "$url" in http://*|https://*) ;; *) echo "gateway: $url must start with http:// or https://" >&2; exit 1 ;; esac
done
# proxy_pass with a variable and no path keeps the client's request URI as it is.
GATEWAY_LAKEFS_URL=${GATEWAY_LAKEFS_URL%/}
GATEWAY_API_URL=${GATEWAY_API_URL%/}
case "$GATEWAY_RESOLVER" in *:*:*) GATEWAY_RESOLVER="[$GATEWAY_RESOLVER]" ;; esac

case "$GATEWAY_TLS" in
  on|true|1)
    for file in "$GATEWAY_TLS_CERT" "$GATEWAY_TLS_KEY"; do
      [ -r "$file" ] || { echo "gateway: GATEWAY_TLS=on but $file is not readable (mount the certificate and key)" >&2; exit 1; }
    done
    GATEWAY_TLS_SERVER="server {
    listen 8443 ssl http2;
    ssl_certificate     $GATEWAY_TLS_CERT;
    ssl_certificate_key $GATEWAY_TLS_KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:tls:10m;
    location = /_gateway/health { access_log off; default_type text/plain; return 200 'ok'; }
    include /run/gateway/routes.conf;
  }"
    # Plain HTTP only answers health checks and sends everyone else to HTTPS.
    GATEWAY_PLAIN_HTTP='location / { return 308 https://$host$request_uri; }'
    ;;
  off|false|0)
    GATEWAY_TLS_SERVER=""
    GATEWAY_PLAIN_HTTP="include /run/gateway/routes.conf;"
    ;;
  *) echo "gateway: GATEWAY_TLS must be on or off, got $GATEWAY_TLS" >&2; exit 1 ;;
esac
# Behind a load balancer (or Docker's userland proxy) every client has the proxy's address: trust its
# X-Forwarded-For from these comma-separated addresses/CIDRs so that rate limits apply per real client.
GATEWAY_REAL_IP=""
if [ -n "${GATEWAY_TRUSTED_PROXIES:-}" ]; then
  for cidr in $(echo "$GATEWAY_TRUSTED_PROXIES" | tr ',' ' '); do
    case "$cidr" in *[!0-9a-fA-F.:/]*) echo "gateway: GATEWAY_TRUSTED_PROXIES: '$cidr' is not an address or CIDR" >&2; exit 1 ;; esac
    GATEWAY_REAL_IP="$GATEWAY_REAL_IP set_real_ip_from $cidr;"
  done
  GATEWAY_REAL_IP="$GATEWAY_REAL_IP real_ip_header X-Forwarded-For; real_ip_recursive on;"
fi
export GATEWAY_REAL_IP GATEWAY_LAKEFS_URL GATEWAY_API_URL GATEWAY_API_RATE GATEWAY_API_BURST GATEWAY_API_MAX_BODY \
  GATEWAY_LAKEFS_RATE GATEWAY_LAKEFS_BURST GATEWAY_LAKEFS_MAX_BODY GATEWAY_RESOLVER GATEWAY_TLS_SERVER GATEWAY_PLAIN_HTTP

vars='$GATEWAY_REAL_IP $GATEWAY_LAKEFS_URL $GATEWAY_API_URL $GATEWAY_API_RATE $GATEWAY_API_BURST $GATEWAY_API_MAX_BODY $GATEWAY_LAKEFS_RATE $GATEWAY_LAKEFS_BURST $GATEWAY_LAKEFS_MAX_BODY $GATEWAY_RESOLVER $GATEWAY_TLS_SERVER $GATEWAY_PLAIN_HTTP'
template=/etc/lakemirror-gateway/nginx.conf.template
# The template holds two files: nginx.conf, then (after the marker line) the routes both listeners share.
sed '/^# ---- routes.conf ----$/,$d' "$template" | envsubst "$vars" >/run/gateway/nginx.conf
sed '1,/^# ---- routes.conf ----$/d' "$template" | envsubst "$vars" >/run/gateway/routes.conf
nginx -t -q -c /run/gateway/nginx.conf
echo "gateway: /service/replication/ -> $GATEWAY_API_URL, / -> $GATEWAY_LAKEFS_URL (TLS $GATEWAY_TLS, resolver $GATEWAY_RESOLVER)" >&2
exec nginx -c /run/gateway/nginx.conf -g 'daemon off;'
