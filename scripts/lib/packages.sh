# Installs the Debian packages the build, the tests and the run command need, when missing.
# Sourced by scripts/test.sh and scripts/run.sh.

mk_required_packages=(
    libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
    libpq-dev postgresql
)

mk_install_packages() {
    local missing=()
    for package in "${mk_required_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "Installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
