#!/usr/bin/env bash
# Development certificates for mutual TLS between the services (DESIGN.md §2): a local CA and one
# certificate per service, made with openssl into a folder that is kept between runs.
#
#   scripts/lib/dev-ca.sh DIR [SERVICE…]      or, sourced:   mk_dev_ca DIR [SERVICE…]
#
# SERVICE defaults to: device-registry preferences bok gateway. Writes
#   DIR/ca.pem, DIR/ca.key              the CA (ca.pem is every process's RPC_TLS_CA_FILE)
#   DIR/SERVICE.pem, DIR/SERVICE.key    RPC_TLS_CERT_FILE and RPC_TLS_KEY_FILE of that service
#
# A service's certificate names its identity in the URI SAN spiffe://mk/SERVICE (what the servers'
# allowlists check) and is valid as a server for the host names SERVICE and localhost and the
# addresses 127.0.0.1 and ::1 (so on loopback any of these certificates passes the client's host
# check; the caller check on the server is what tells the services apart). Keys are P-256, the
# folder and keys are readable by the owner only. Idempotent: existing files are kept while they
# are valid for 30 more days, match their key and chain to the CA; anything else is made anew
# (a new CA means new certificates for every service). For development only — never deploy them.
set -euo pipefail

mk_dev_ca() {
    local dir=${1:?usage: dev-ca.sh DIR [SERVICE...]}
    shift
    local services=("$@")
    ((${#services[@]} > 0)) || services=(device-registry preferences bok gateway)
    local trust_domain=${MK_DEV_CA_TRUST_DOMAIN:-mk}
    command -v openssl >/dev/null || { echo "dev-ca: openssl is required" >&2; return 1; }

    mkdir -p "$dir"
    chmod 700 "$dir"
    local ca_pem="$dir/ca.pem" ca_key="$dir/ca.key"
    if ! _mk_dev_ca_valid_ca "$ca_pem" "$ca_key"; then
        echo "dev-ca: making a development CA in $dir"
        (
            umask 077
            _mk_dev_ca_openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
                -keyout "$ca_key.tmp" -out "$ca_pem.tmp" -days 3650 \
                -subj "/O=Mobilni klic development/CN=Mobilni klic development CA" \
                -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
                -addext "keyUsage=critical,keyCertSign,cRLSign"
        )
        mv "$ca_key.tmp" "$ca_key"
        mv "$ca_pem.tmp" "$ca_pem"
        chmod 644 "$ca_pem"
    fi

    local service
    for service in "${services[@]}"; do
        [[ $service =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || {
            echo "dev-ca: '$service' is not a kebab-case service name" >&2
            return 1
        }
        local pem="$dir/$service.pem" key="$dir/$service.key"
        local uri="spiffe://$trust_domain/$service"
        _mk_dev_ca_valid_leaf "$pem" "$key" "$ca_pem" "$uri" && continue
        echo "dev-ca: certificate for $service ($uri)"
        local ext
        ext=$(mktemp "$dir/.ext.XXXXXX")
        cat >"$ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=URI:$uri,DNS:$service,DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
        (
            umask 077
            _mk_dev_ca_openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
                -keyout "$key.tmp" -out "$dir/$service.csr" -subj "/O=Mobilni klic development/CN=$service"
            _mk_dev_ca_openssl x509 -req -in "$dir/$service.csr" -CA "$ca_pem" -CAkey "$ca_key" \
                -set_serial "0x$(openssl rand -hex 16)" -days 825 -extfile "$ext" -out "$pem.tmp"
        )
        rm -f "$ext" "$dir/$service.csr"
        mv "$key.tmp" "$key"
        mv "$pem.tmp" "$pem"
        chmod 644 "$pem"
    done
}

# Runs openssl quietly; shows what it said only when it fails.
_mk_dev_ca_openssl() {
    local output
    if ! output=$(openssl "$@" 2>&1); then
        echo "dev-ca: openssl $1 failed: $output" >&2
        return 1
    fi
}

# A CA is kept when both files exist, they belong together and it has 30 days left.
_mk_dev_ca_valid_ca() {
    local pem=$1 key=$2
    [ -s "$pem" ] && [ -s "$key" ] || return 1
    openssl x509 -in "$pem" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
    _mk_dev_ca_same_key "$pem" "$key"
}

# A service certificate is kept when it chains to the CA, has 30 days left, names its identity and
# belongs to its key.
_mk_dev_ca_valid_leaf() {
    local pem=$1 key=$2 ca=$3 uri=$4
    [ -s "$pem" ] && [ -s "$key" ] || return 1
    openssl verify -CAfile "$ca" "$pem" >/dev/null 2>&1 || return 1
    openssl x509 -in "$pem" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
    openssl x509 -in "$pem" -noout -ext subjectAltName 2>/dev/null | grep -qF "URI:$uri" || return 1
    _mk_dev_ca_same_key "$pem" "$key"
}

_mk_dev_ca_same_key() {
    local from_cert from_key
    from_cert=$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null) || return 1
    from_key=$(openssl pkey -in "$2" -pubout 2>/dev/null) || return 1
    [ -n "$from_cert" ] && [ "$from_cert" = "$from_key" ]
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    mk_dev_ca "$@"
fi
