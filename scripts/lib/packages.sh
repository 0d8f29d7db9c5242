# Installs the Debian packages the build, the tests and the run command need, when missing.
# Sourced by scripts/test.sh and scripts/run.sh.

mk_required_packages=(
    libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
    libpq-dev postgresql
    libargon2-dev libcurl4-openssl-dev libqrencode-dev
    python3-pip
    chromium chromium-driver
)

# Python packages the tests use, as pip-name:import-name: a real SMTP server on loopback, the
# Kubernetes schema validator for deploy/, and Selenium for the browser test (with chromium above).
mk_required_python_packages=(aiosmtpd:aiosmtpd kubernetes-validate:kubernetes_validate pyyaml:yaml selenium:selenium)

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

mk_install_python_packages() {
    local entry package module
    for entry in "${mk_required_python_packages[@]}"; do
        package=${entry%%:*} module=${entry##*:}
        python3 -c "import $module" 2>/dev/null && continue
        echo "Installing Python package $package"
        python3 -m pip install --quiet --disable-pip-version-check "$package" 2>/dev/null \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$package"
    done
}
