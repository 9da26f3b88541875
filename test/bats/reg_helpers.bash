# test/bats/reg_helpers.bash: real registries for the registry tests.
# Load after helpers. Each bats file gets, in setup_file, a private
# network namespace (held by a sleeper) with lo up, a throw-away CA made
# by openssl and a server certificate for 127.0.0.1 and localhost; the
# registries it starts listen on 127.0.0.1 inside that namespace only:
#
#   reg_start open PORT        Debian's docker-registry, TLS, no auth
#   reg_start basic PORT       TLS + htpasswd Basic auth (alice:s3cret)
#   reg_start token PORT TPORT TLS + Bearer tokens from reg_token.py on TPORT
#                              ($REG_TOKEN_ARGS: its extra arguments)
#   reg_start plain PORT       plain HTTP, no auth
#   reg_fake MODE PORT UPPORT  reg_fake.py in front of the registry on UPPORT
#
# Each test (reg_setup) gets fresh berth dirs and a config root of its own
# (BERTH_CONFIG_ROOT: etc/containers/{policy.json,registries.conf,certs.d},
# var/cache), HOME and XDG_RUNTIME_DIR: nothing of the host's is read for
# registries or written. The CA is trusted through certs.d for
# 127.0.0.1:PORT; "localhost:PORT" is the same server with no trust.
#
#   rb ARGS...       berth, inside the namespace
#   reg_ns CMD...    any command inside the namespace
#   reg_skopeo ...   skopeo inside it (a tmpfs over /var/lib keeps its
#                    blob-info cache off the host)

REG_PASSWORD=s3cret

# reg_make_ca DIR: the throw-away CA, the server certificate, the token
# issuer's key and the htpasswd file
reg_make_ca() {
    (
        cd "$1" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-test-ca \
            -keyout ca.key -out ca.crt
        openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key \
            -out server.csr
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile ext.cnf -out server.crt
        # the token issuer's own key, trusted by the token registry only
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-test-token \
            -keyout token.key -out token.crt
        htpasswd -Bbn alice "$REG_PASSWORD" > htpasswd
    ) >/dev/null 2>&1 || { echo "# making the test CA failed" >&2; return 1; }
}

reg_setup_file() {
    R=$BATS_FILE_TMPDIR/reg
    mkdir -p "$R"
    export REG_DIR=$R
    reg_make_ca "$R" || return 1
    unshare -n bash -c 'ip link set lo up && touch "$0/ready" && exec sleep infinity' \
        "$R" </dev/null >/dev/null 2>&1 3>&- &
    echo $! > "$R/holder.pid"
    local i
    for i in $(seq 100); do [ -f "$R/ready" ] && break; sleep 0.05; done
    [ -f "$R/ready" ] || { echo "# the registry namespace did not come up" >&2; return 1; }
    export REG_NS_PID=$(cat "$R/holder.pid")
}

reg_teardown_file() {
    local p
    for p in "$REG_DIR"/*.pid; do
        [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
    done
    return 0
}

reg_ns() { nsenter -t "$REG_NS_PID" -n "$@"; }

# waits until https (or http) on PORT answers /v2/
reg_wait() {
    local port=$1 scheme=${2:-https} i
    for i in $(seq 100); do
        reg_ns curl -s -o /dev/null --cacert "$REG_DIR/ca.crt" "$scheme://127.0.0.1:$port/v2/" \
            && return 0
        sleep 0.1
    done
    echo "# registry on $port did not start:" >&2
    cat "$REG_DIR/$port.log" >&2
    return 1
}

# reg_start KIND PORT [TOKEN_PORT [DATA_PORT]]: DATA_PORT shares the blob
# storage of the registry on that port (a second front for one store)
reg_start() {
    local kind=$1 port=$2 tport=${3:-} data=${4:-$2}
    local cfg=$REG_DIR/$port.yml
    {
        printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n'
        printf 'storage:\n  filesystem:\n    rootdirectory: %s/data-%s\n  delete:\n    enabled: true\n' \
            "$REG_DIR" "$data"
        printf 'http:\n  addr: 127.0.0.1:%s\n' "$port"
        if [ "$kind" != plain ]; then
            printf '  tls:\n    certificate: %s/server.crt\n    key: %s/server.key\n' "$REG_DIR" "$REG_DIR"
        fi
        case $kind in
        basic) printf 'auth:\n  htpasswd:\n    realm: basic-realm\n    path: %s/htpasswd\n' "$REG_DIR" ;;
        token) printf 'auth:\n  token:\n    realm: http://127.0.0.1:%s/token\n    service: berth-test\n    issuer: berth-test-issuer\n    rootcertbundle: %s/token.crt\n' \
                   "$tport" "$REG_DIR" ;;
        esac
    } > "$cfg"
    # nsenter execs what it runs (no fork for a net namespace), so $! is
    # the server itself (a shell function in the background would be a
    # subshell, and killing it would leave the server running)
    nsenter -t "$REG_NS_PID" -n docker-registry serve "$cfg" </dev/null >"$REG_DIR/$port.log" 2>&1 3>&- &
    echo $! > "$REG_DIR/reg-$port.pid"
    if [ "$kind" = token ]; then
        nsenter -t "$REG_NS_PID" -n python3 "$BATS_TEST_DIRNAME/reg_token.py" "$tport" "$REG_DIR/token.key" \
            "$REG_DIR/token.crt" "alice:$REG_PASSWORD" ${REG_TOKEN_ARGS:-} \
            </dev/null >"$REG_DIR/$tport.log" 2>&1 3>&- &
        echo $! > "$REG_DIR/token-$tport.pid"
    fi
    reg_wait "$port" "$([ "$kind" = plain ] && echo http || echo https)"
}

# reg_fake MODE PORT UPPORT: a fresh state dir in $FAKE_STATE
reg_fake() {
    local mode=$1 port=$2 up=$3
    FAKE_STATE=$BATS_TEST_TMPDIR/fake-$port
    mkdir -p "$FAKE_STATE"
    nsenter -t "$REG_NS_PID" -n python3 "$BATS_TEST_DIRNAME/reg_fake.py" "$port" "https://127.0.0.1:$up" \
        "$REG_DIR/ca.crt" "$mode" "$FAKE_STATE" </dev/null >"$FAKE_STATE/log" 2>&1 3>&- &
    echo $! > "$FAKE_STATE/pid"
    cp "$FAKE_STATE/pid" "$REG_DIR/fake-$port.pid"
    reg_wait "$port" http
}

reg_fake_stop() {
    if [ -n "${FAKE_STATE:-}" ] && [ -f "$FAKE_STATE/pid" ]; then
        kill "$(cat "$FAKE_STATE/pid")" 2>/dev/null
        rm -f "$FAKE_STATE/pid"
    fi
    return 0
}

reg_setup() {
    berth_setup
    local d=$BATS_TEST_TMPDIR p
    CFG=$d/cfg
    mkdir -p "$CFG/etc/containers" "$CFG/var/cache" "$d/home" "$d/xdg"
    echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$CFG/etc/containers/policy.json"
    : > "$CFG/etc/containers/registries.conf"
    for p in $(seq 5000 5015); do
        mkdir -p "$CFG/etc/containers/certs.d/127.0.0.1:$p"
        cp "$REG_DIR/ca.crt" "$CFG/etc/containers/certs.d/127.0.0.1:$p/ca.crt"
    done
    export BERTH_CONFIG_ROOT=$CFG HOME=$d/home XDG_RUNTIME_DIR=$d/xdg
    unset REGISTRY_AUTH_FILE CONTAINERS_REGISTRIES_CONF XDG_CONFIG_HOME XDG_CACHE_HOME
}

reg_teardown() {
    reg_fake_stop
    berth_teardown
}

rb() { reg_ns "$BERTH_BIN" "${BERTH_ARGS[@]}" "$@"; }

# rb_bg ARGS...: berth in the background, its own pid in RB_PID (nsenter
# execs it), so a kill -9 hits berth itself and not a shell around it
rb_bg() {
    nsenter -t "$REG_NS_PID" -n "$BERTH_BIN" "${BERTH_ARGS[@]}" "$@" </dev/null >/dev/null 2>&1 3>&- &
    RB_PID=$!
}

reg_skopeo() {
    reg_ns unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs tmpfs /var/lib &&
        exec skopeo --policy "$0" "$@"' "$CFG/etc/containers/policy.json" "$@"
}

# reg_put ARCHIVE REF: copies a docker-archive into a registry with skopeo
# (the CA of the test trusted), so berth has something to pull.
reg_put() {
    reg_skopeo copy -q --dest-cert-dir "$CFG/etc/containers/certs.d/127.0.0.1:5000" \
        --dest-creds "alice:$REG_PASSWORD" "docker-archive:$1" "docker://$2" >/dev/null
}

# every layer dir of the store is whole (has its layer.json)
store_layers_whole() {
    local l
    for l in "$BATS_TEST_TMPDIR"/root/layers/*; do
        [ -e "$l" ] || continue
        [ -f "$l/layer.json" ] || { echo "# half layer: $l" >&2; return 1; }
    done
}
