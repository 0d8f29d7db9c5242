#!/usr/bin/env bash
# Regenerates Sources/BenchProtos/Generated once, with protoc and the plugins of the versions this
# package depends on: protoc-gen-swift (swift-protobuf 1.39.0) for the messages of our contracts
# (proto/mk/registry, proto/mk/preferences) and protoc-gen-grpc-swift-2 (grpc-swift-protobuf 2.4.1)
# for the benchmark's gRPC service (Protos/mk/bench/v1/bench.proto). The output is committed; the
# build never runs protoc. Building the two plugins takes several minutes on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=(swift build -c release --package-path "$here" --scratch-path "$here/.build")
"${build[@]}" --product protoc-gen-swift
"${build[@]}" --product protoc-gen-grpc-swift-2
bin=$("${build[@]}" --show-bin-path)

out=$here/Sources/BenchProtos/Generated
rm -rf "$out"
mkdir -p "$out"
protoc -I "$root/proto" -I "$here/Protos" \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --swift_out="$out" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
    mk/registry/v1/registry.proto mk/preferences/v1/preferences.proto
protoc -I "$root/proto" -I "$here/Protos" \
    --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out="$out" \
    --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
    mk/bench/v1/bench.proto
echo "generated: $(ls "$out" | tr '\n' ' ')"
